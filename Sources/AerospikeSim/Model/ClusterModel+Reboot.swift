extension ClusterModel {
    /// `reboot` / `systemctl reboot` / `shutdown -r now` on `name`: returns at once; after the grace period systemd
    /// stops asd (cleanly, unless `unclean-stop`), the machine goes down (every SSH connection drops, every segment
    /// is gone) and comes back with a new boot id after the reboot delay. Returns false when already rebooting.
    @discardableResult
    public mutating func issueReboot(_ name: String, command: [String], now time: Double) -> Bool {
        advance(to: time)
        guard let index = index(of: name), case .up = nodes[index].power else { return false }
        nodes[index].power = .rebootPending(at: now + configuration.timing.rebootGrace)
        record("reboot_issued", node: name, [("boot_id", .string(nodes[index].bootID)),
                                             ("command", .strings(command))])
        return true
    }

    mutating func beginShutdown(_ index: Int) {
        switch nodes[index].asd {
        case .starting, .running:
            nodes[index].power = .stoppingServices
            stopAsd(nodes[index].name, reason: .shutdown, now: now)
        case .stopping:
            nodes[index].power = .stoppingServices
        case .stopped:
            goDown(index)
        }
    }

    mutating func goDown(_ index: Int) {
        let name = nodes[index].name
        outbox.actions.append(.killNamespace(node: name))
        let keys = nodes[index].segments.map { SegmentKind.hex($0.originalKey) }
        nodes[index].segments = []
        if !keys.isEmpty { record("segments_removed", node: name, [("reason", "reboot"), ("keys", .strings(keys))]) }
        nodes[index].quiesce = QuiesceState()
        let returnsAt: Double? = nodes[index].has("never-returns") ? nil : now + configuration.timing.rebootDelay
        nodes[index].power = .down(returnsAt: returnsAt)
        record("node_down", node: name, [("boot_id", .string(nodes[index].bootID)),
                                         ("returns", .bool(returnsAt != nil))])
    }

    mutating func beginBoot(_ index: Int) {
        nodes[index].bootCount += 1
        nodes[index].bootID = generator.uuid()
        nodes[index].power = .booting
        nodes[index].lastExit = nil
        outbox.actions.append(.launchNamespace(node: nodes[index].name, bootID: nodes[index].bootID))
    }

    /// The daemon reports that `name`'s namespace and sshd are up: the node is up again, and if its unit is
    /// enabled systemd starts asd at boot (cold, since the reboot wiped the segments).
    public mutating func nodeBooted(_ name: String, now time: Double) {
        advance(to: time)
        guard let index = index(of: name), case .booting = nodes[index].power else { return }
        nodes[index].power = .up(since: now)
        record("node_up", node: name, [("boot_id", .string(nodes[index].bootID)),
                                       ("boot", .int(nodes[index].bootCount)), ("initial", false)])
        if nodes[index].unitEnabled && !nodes[index].unitMasked { startAsd(name, atBoot: true, now: now) }
    }
}

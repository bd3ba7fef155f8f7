/// The outcome of asking systemd to start asd.
public enum StartOutcome: Sendable, Hashable {
    /// A new asd process was started (Type=simple: `systemctl start` returns now, not when startup completes).
    case started(pid: Int)
    /// asd already runs or starts: nothing to do.
    case alreadyActive
    /// asd is still stopping: systemd waits for it to exit first.
    case mustWaitForStop
    /// The machine is shutting down: systemd refuses the start job.
    case shuttingDown
    /// The unit is masked.
    case masked
}

/// The outcome of asking systemd to stop asd.
public enum StopOutcome: Sendable, Hashable {
    /// SIGTERM sent; the process exits at the given time.
    case stopping(exitsAt: Double)
    /// It was still starting and exited at once, uncleanly.
    case abortedStartup
    /// Already stopping.
    case alreadyStopping(exitsAt: Double)
    /// Nothing runs.
    case notRunning
}

extension ClusterModel {
    /// Starts asd on `name` as systemd would (`systemctl start`, or at boot when `atBoot`).
    ///
    /// Each namespace warm-starts when it has a complete, clean, unattached segment set; otherwise its segments are
    /// discarded and rebuilt (cold). Community Edition always cold-starts and keeps no shared memory.
    @discardableResult
    public mutating func startAsd(_ name: String, atBoot: Bool = false, now time: Double) -> StartOutcome {
        advance(to: time)
        guard let index = index(of: name) else { return .alreadyActive }
        guard case .up = nodes[index].power else { return .shuttingDown }
        guard !nodes[index].unitMasked else { return .masked }
        switch nodes[index].asd {
        case .starting, .running: return .alreadyActive
        case .stopping: return .mustWaitForStop
        case .stopped: break
        }
        let layout = configuration.segmentLayout
        var modes: [StartMode] = []
        var generations: [Int] = []
        var corrupted: [String] = []
        for (position, namespace) in configuration.namespaces.enumerated() {
            let nsid = position + 1
            if configuration.edition == .enterprise, !nodes[index].has("cold-start"),
               nodes[index].hasWarmStartableSegments(nsid: nsid, stageCount: layout.stageCount) {
                modes.append(.warm)
                let set = nodes[index].segments(nsid: nsid)
                generations.append(set.first?.generation ?? 0)
                if nodes[index].has("dimm-fault"), set.contains(where: { $0.origin == name }) {
                    corrupted.append(namespace.name)
                }
                for segmentIndex in nodes[index].segments.indices
                where nodes[index].segments[segmentIndex].nsid == nsid {
                    nodes[index].segments[segmentIndex].attachments = 1
                    nodes[index].segments[segmentIndex].cleanShutdown = false
                }
            } else {
                modes.append(.cold)
                let stale = nodes[index].segments.filter { $0.nsid == nsid }
                if !stale.isEmpty {
                    nodes[index].segments.removeAll { $0.nsid == nsid }
                    record("segments_removed", node: name, [
                        ("reason", "cold_start"), ("namespace", .string(namespace.name)),
                        ("keys", .strings(stale.map { SegmentKind.hex($0.originalKey) })),
                    ])
                }
                let generation = makeGeneration()
                generations.append(generation)
                if configuration.edition == .enterprise {
                    buildSegments(index, namespacePosition: position, generation: generation)
                }
            }
        }
        let baseDuration = modes.contains(.cold) ? configuration.timing.coldStart : configuration.timing.warmStart
        let duration = baseDuration * nodes[index].slowStartFactor
        let pid = makePid(index)
        let process = AsdProcess(pid: pid, startedAt: now, readyAt: now + duration, modes: modes,
                                 generations: generations, atBoot: atBoot, corruptedNamespaces: corrupted)
        nodes[index].asd = .starting(process)
        nodes[index].lastExit = nil
        nodes[index].asdStateChangedAt = now
        nodes[index].quiesce = QuiesceState()
        log(index, systemd: "Started aerospike.service - Aerospike Server.")
        logStartup(index, process: process, at: now)
        record("asd_starting", node: name, [
            ("pid", .int(pid)), ("at_boot", .bool(atBoot)), ("mode", .string(process.overallMode)),
            ("modes", modeObject(process)), ("ready_in", .double(duration)),
        ])
        return .started(pid: pid)
    }

    func modeObject(_ process: AsdProcess) -> JSONValue {
        .object(configuration.namespaces.enumerated().map { position, namespace in
            (namespace.name, .string(process.modes[position].rawValue))
        })
    }

    mutating func finishStart(_ index: Int) {
        guard case .starting(let process) = nodes[index].asd else { return }
        let name = nodes[index].name
        for (position, namespace) in configuration.namespaces.enumerated() where process.modes[position] == .cold {
            log(index, asd: "INFO (drv_mem): (drv_mem.c:3690) {\(namespace.name)} loaded: objects "
                + "\(objectCount(position)) device-pcts (100)")
        }
        log(index, asd: "INFO (as): (as.c:475) service ready: soon there will be cake!")
        nodes[index].asd = .running(process)
        nodes[index].asdStateChangedAt = process.startedAt
        for namespace in process.corruptedNamespaces {
            let position = configuration.namespaces.firstIndex { $0.name == namespace } ?? 0
            record("corruption", node: name, [
                ("namespace", .string(namespace)), ("generation", .int(process.generations[position])),
                ("reason", "warm restart from the node's own segments on a node with a DIMM fault"),
            ])
        }
        record("asd_started", node: name, [
            ("pid", .int(process.pid)), ("at_boot", .bool(process.atBoot)), ("mode", .string(process.overallMode)),
            ("modes", modeObject(process)),
            ("generations", .object(configuration.namespaces.enumerated().map {
                ($0.element.name, .int(process.generations[$0.offset]))
            })),
            ("duration", .double(process.readyAt - process.startedAt)),
            ("corruption", .bool(!process.corruptedNamespaces.isEmpty)),
        ])
        outbox.actions.append(.openInfoPort(node: name))
        if nodes[index].has("migrations-stall") { nodes[index].stallEngaged = true }
        rebalance(reason: "joined", migrations: configuration.timing.migrationsPerChange)
    }

    /// Stops asd on `name` as systemd would (SIGTERM; the caller waits for the exit).
    @discardableResult
    public mutating func stopAsd(_ name: String, reason: StopReason = .systemctl, now time: Double) -> StopOutcome {
        advance(to: time)
        guard let index = index(of: name) else { return .notRunning }
        switch nodes[index].asd {
        case .stopped: return .notRunning
        case .stopping(_, let exitsAt, _, _): return .alreadyStopping(exitsAt: exitsAt)
        case .starting(let process):
            log(index, systemd: "Stopping aerospike.service - Aerospike Server...")
            log(index, asd: "INFO (as): (signal.c:186) SIGTERM received, shutting down")
            log(index, asd: "WARNING (as): (signal.c:177) startup was not complete, exiting immediately")
            detachAll(index)
            nodes[index].asd = .stopped
            nodes[index].lastExit = .startupAborted
            nodes[index].asdStateChangedAt = now
            log(index, systemd: "aerospike.service: Deactivated successfully.")
            log(index, systemd: "Stopped aerospike.service - Aerospike Server.")
            record("asd_stopped", node: name, [("pid", .int(process.pid)), ("clean", false),
                                               ("during_startup", true), ("reason", .string(reason.rawValue))])
            if case .stoppingServices = nodes[index].power { goDown(index) }
            return .abortedStartup
        case .running(let process):
            let exitsAt = now + configuration.timing.stopTime
            let clean = !nodes[index].has("unclean-stop")
            log(index, systemd: "Stopping aerospike.service - Aerospike Server...")
            log(index, asd: "INFO (as): (signal.c:186) SIGTERM received, shutting down")
            log(index, asd: "INFO (as): (as.c:511) initiating clean shutdown ...")
            nodes[index].asd = .stopping(process, exitsAt: exitsAt, clean: clean, reason: reason)
            nodes[index].asdStateChangedAt = now
            nodes[index].quiesce = QuiesceState()
            record("asd_stopping", node: name, [("pid", .int(process.pid)), ("reason", .string(reason.rawValue))])
            outbox.actions.append(.closeInfoPort(node: name))
            rebalance(reason: "left", migrations: configuration.timing.migrationsPerChange)
            return .stopping(exitsAt: exitsAt)
        }
    }

    mutating func finishStop(_ index: Int) {
        guard case .stopping(let process, _, let clean, let reason) = nodes[index].asd else { return }
        if clean {
            log(index, asd: "INFO (as): (as.c:536) finished clean shutdown - exiting")
            for segmentIndex in nodes[index].segments.indices where nodes[index].segments[segmentIndex].kind == .base {
                nodes[index].segments[segmentIndex].cleanShutdown = true
            }
        } else {
            log(index, asd: "WARNING (as): (as.c:529) failed clean shutdown - exiting")
        }
        detachAll(index)
        nodes[index].asd = .stopped
        nodes[index].lastExit = clean ? .clean : .unclean
        nodes[index].asdStateChangedAt = now
        if clean {
            log(index, systemd: "aerospike.service: Deactivated successfully.")
        } else {
            log(index, systemd: "aerospike.service: Main process exited, code=exited, status=1/FAILURE")
            log(index, systemd: "aerospike.service: Failed with result 'exit-code'.")
        }
        log(index, systemd: "Stopped aerospike.service - Aerospike Server.")
        record("asd_stopped", node: nodes[index].name, [("pid", .int(process.pid)), ("clean", .bool(clean)),
                                                        ("during_startup", false),
                                                        ("reason", .string(reason.rawValue))])
        if case .stoppingServices = nodes[index].power { goDown(index) }
    }

    private mutating func detachAll(_ index: Int) {
        for segmentIndex in nodes[index].segments.indices { nodes[index].segments[segmentIndex].attachments = 0 }
        let removed = nodes[index].segments.filter(\.markedForRemoval)
        if !removed.isEmpty {
            nodes[index].segments.removeAll(where: \.markedForRemoval)
            record("segments_removed", node: nodes[index].name, [
                ("reason", "ipcrm"), ("keys", .strings(removed.map { SegmentKind.hex($0.originalKey) })),
            ])
        }
    }

    /// Enables or disables `aerospike.service` on `name`; returns whether anything changed.
    @discardableResult
    public mutating func setUnitEnabled(_ name: String, _ enabled: Bool, now time: Double) -> Bool {
        setUnitFlag(name, \.unitEnabled, enabled, event: enabled ? "unit_enabled" : "unit_disabled", now: time)
    }

    /// Masks or unmasks `aerospike.service` on `name`; returns whether anything changed.
    @discardableResult
    public mutating func setUnitMasked(_ name: String, _ masked: Bool, now time: Double) -> Bool {
        setUnitFlag(name, \.unitMasked, masked, event: masked ? "unit_masked" : "unit_unmasked", now: time)
    }

    private mutating func setUnitFlag(_ name: String, _ flag: WritableKeyPath<NodeState, Bool>, _ value: Bool,
                                      event: String, now time: Double) -> Bool {
        advance(to: time)
        guard let index = index(of: name), nodes[index][keyPath: flag] != value else { return false }
        nodes[index][keyPath: flag] = value
        record(event, node: name)
        return true
    }

    /// Objects in namespace position `position` on a node (steady; the simulator models no writes).
    func objectCount(_ position: Int) -> Int {
        let base = 1_000_000 * (position + 1) + Int(configuration.seed % 100_000)
        return base / max(1, configuration.nodeCount) * min(configuration.namespaces[position].replicationFactor,
                                                            configuration.nodeCount)
    }
}

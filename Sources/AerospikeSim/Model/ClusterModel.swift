/// The simulated cluster as a value: every node's machine, asd, shared memory, log and the cluster view, advanced
/// by an injected clock.
///
/// Nothing here sleeps or touches the world. Every mutating call takes `now` (epoch seconds) and leaves record
/// events, log lines and `ModelAction`s in the outbox for the daemon to write and perform; tests drive the same
/// calls with a manual clock.
public struct ClusterModel: Sendable {
    /// The configuration the cluster was started with.
    public let configuration: SimConfiguration
    /// The nodes, `aero-1` first.
    public internal(set) var nodes: [NodeState]
    /// The cluster view.
    public internal(set) var cluster: ClusterState
    /// The latest time the model has been advanced to.
    public internal(set) var now: Double
    /// Dead partitions per strong-consistency namespace, set by `ctl dead-partitions` (several roster replicas
    /// were lost uncleanly); they stay until cleared, as they would until `revive:` and `recluster:`.
    public internal(set) var deadPartitions: [String: Int] = [:]
    var generator: SeededGenerator
    var outbox = ModelOutbox()
    var nextGeneration = 1
    var nextShmid = 0

    /// Forms the cluster at `now`: every node up, its unit enabled, asd running for a while on segments it built
    /// (cold) in the past, one stable cluster without migrations.
    public init(configuration: SimConfiguration, now: Double) {
        self.configuration = configuration
        self.now = now
        var generator = SeededGenerator(seed: configuration.seed)
        var nodes: [NodeState] = []
        for (offset, name) in configuration.nodeNames.enumerated() {
            let idBits = generator.next() & 0xFFFF_FFFF_FFFF
            let nodeID = "BB9" + String(String(idBits, radix: 16, uppercase: true).suffix(12))
                .leftPadded(to: 12, with: "0")
            nodes.append(NodeState(
                name: name, index: offset + 1, address: configuration.address(of: name), nodeID: nodeID,
                power: .up(since: now), bootID: generator.uuid(), bootCount: 1, unitEnabled: true, asd: .stopped,
                lastExit: nil, asdStateChangedAt: now, segments: [], faults: configuration.faults(of: name),
                edac: configuration.edac[name] ?? EdacCounters(), quiesce: QuiesceState(),
                migrations: Array(repeating: NamespaceMigrations(), count: configuration.namespaces.count),
                stallEngaged: false, log: [], nextPid: 1000 + Int(generator.next() % 30000)))
        }
        self.nodes = nodes
        self.generator = generator
        cluster = ClusterState(key: 0, generation: 0, members: [], principal: nil, migrateAllowedAt: now,
                               zeroRecorded: true, drainedUntil: now)
        form(now: now)
    }

    /// The node named `name`.
    public func node(_ name: String) -> NodeState? { nodes.first { $0.name == name } }

    /// Whether `name` names a node.
    public func hasNode(_ name: String) -> Bool { index(of: name) != nil }

    func index(of name: String) -> Int? { nodes.firstIndex { $0.name == name } }

    /// Takes everything produced since the last call.
    public mutating func takeOutbox() -> ModelOutbox {
        defer { outbox = ModelOutbox() }
        return outbox
    }

    // MARK: - Time

    /// Applies every timed transition due up to `time`, each at its own due time, in order.
    public mutating func advance(to time: Double) {
        guard time > now else { return }
        while let (dueAt, nodeIndex) = nextDueTransition(), dueAt <= time {
            drainMigrations(until: max(dueAt, now))
            now = max(dueAt, now)
            applyDueTransition(nodeIndex)
        }
        drainMigrations(until: time)
        now = time
    }

    private func nextDueTransition() -> (Double, Int)? {
        var best: (Double, Int)?
        for (index, node) in nodes.enumerated() {
            var due: Double?
            switch node.power {
            case .rebootPending(let at): due = at
            case .down(let returnsAt?): due = returnsAt
            default: break
            }
            switch node.asd {
            case .starting(let process): due = min(due ?? process.readyAt, process.readyAt)
            case .stopping(_, let exitsAt, _, _): due = min(due ?? exitsAt, exitsAt)
            case .stopped, .running: break
            }
            if let due, best == nil || due < best!.0 { best = (due, index) }
        }
        return best
    }

    private mutating func applyDueTransition(_ index: Int) {
        let node = nodes[index]
        switch node.asd {
        case .starting(let process) where process.readyAt <= now:
            finishStart(index)
            return
        case .stopping(_, let exitsAt, _, _) where exitsAt <= now:
            finishStop(index)
            return
        default: break
        }
        switch node.power {
        case .rebootPending(let at) where at <= now: beginShutdown(index)
        case .down(let returnsAt?) where returnsAt <= now: beginBoot(index)
        default: break
        }
    }

    // MARK: - Helpers shared by the extensions

    mutating func record(_ name: String, node: String?, _ details: [(String, JSONValue)] = []) {
        outbox.events.append(SimEvent(time: now, node: node, name: name, details: details))
    }

    mutating func log(_ index: Int, asd message: String, pid: Int? = nil, at time: Double? = nil) {
        let node = nodes[index]
        let entry = LogEntry(time: time ?? now, bootID: node.bootID,
                             source: .asd(pid: pid ?? node.asd.process?.pid ?? node.nextPid), message: message)
        nodes[index].log.append(entry)
        outbox.logLines.append((node.name, entry))
    }

    mutating func log(_ index: Int, systemd message: String) {
        let node = nodes[index]
        let entry = LogEntry(time: now, bootID: node.bootID, source: .systemd, message: message)
        nodes[index].log.append(entry)
        outbox.logLines.append((node.name, entry))
    }

    mutating func makeShmid() -> Int {
        defer { nextShmid += 1 }
        return 32768 * (nextShmid / 4 + 1) + nextShmid % 4
    }

    mutating func makeGeneration() -> Int {
        defer { nextGeneration += 1 }
        return nextGeneration
    }

    /// A new pid on node `index`.
    mutating func makePid(_ index: Int) -> Int {
        nodes[index].nextPid += 1 + Int(generator.next() % 40)
        return nodes[index].nextPid
    }

    /// Builds a fresh, attached, not-yet-clean set of segments for namespace position `position` on node `index`.
    mutating func buildSegments(_ index: Int, namespacePosition position: Int, generation: Int) {
        let layout = configuration.segmentLayout
        let namespace = configuration.namespaces[position].name
        let nsid = position + 1
        var kinds: [(SegmentKind, Int)] = [(.base, layout.baseSize), (.treex, layout.treexSize)]
        for stage in 0..<layout.stageCount { kinds.append((.stage(0x100 + stage), layout.stageSize)) }
        for (kind, size) in kinds {
            nodes[index].segments.append(SharedMemorySegment(
                originalKey: kind.key(nsid: nsid), shmid: makeShmid(), size: size, namespace: namespace, nsid: nsid,
                kind: kind, attachments: 1, cleanShutdown: false, generation: generation,
                origin: nodes[index].name))
        }
    }

    private mutating func form(now: Double) {
        record("sim_started", node: nil, [
            ("nodes", .strings(configuration.nodeNames)),
            ("namespaces", .strings(configuration.namespaces.map(\.name))),
            ("build", .string(configuration.build)), ("edition", .string(configuration.edition.rawValue)),
            ("seed", .int(Int(truncatingIfNeeded: configuration.seed))),
        ])
        for index in nodes.indices {
            let uptime = Double(86400 * 3 + Int(generator.next() % 86400 * 20))
            let started = now - uptime
            let pid = makePid(index)
            var generations: [Int] = []
            for position in configuration.namespaces.indices where configuration.edition == .enterprise {
                let generation = makeGeneration()
                generations.append(generation)
                buildSegments(index, namespacePosition: position, generation: generation)
            }
            let process = AsdProcess(
                pid: pid, startedAt: started, readyAt: started + configuration.timing.coldStart,
                modes: Array(repeating: .cold, count: configuration.namespaces.count), generations: generations,
                atBoot: true, corruptedNamespaces: [])
            nodes[index].asd = .running(process)
            nodes[index].asdStateChangedAt = started
            logStartup(index, process: process, at: started)
            log(index, asd: "INFO (as): (as.c:475) service ready: soon there will be cake!", pid: pid,
                at: process.readyAt)
            record("node_up", node: nodes[index].name, [("boot_id", .string(nodes[index].bootID)), ("boot", 1),
                                                        ("initial", true)])
            outbox.actions.append(.openInfoPort(node: nodes[index].name))
        }
        rebalance(reason: "formation", migrations: 0)
    }

    /// asd's startup lines up to the per-namespace restart lines.
    mutating func logStartup(_ index: Int, process: AsdProcess, at time: Double) {
        let edition = configuration.edition == .enterprise ? "Enterprise" : "Community"
        log(index, asd: "INFO (as): (as.c:350) <><><><><><><><><><>  Aerospike \(edition) Edition build "
            + "\(configuration.build)  <><><><><><><><><><>", pid: process.pid, at: time)
        log(index, asd: "INFO (as): (as.c:364) node-id \(nodes[index].nodeID.lowercased())", pid: process.pid,
            at: time)
        for (position, namespace) in configuration.namespaces.enumerated() {
            if process.modes[position] == .cold, configuration.edition == .enterprise, nodes[index].has("cold-start") {
                log(index, asd: "WARNING (namespace): (namespace_ee.c:180) {\(namespace.name)} persistent memory "
                    + "partition-tree-sprigs 512 doesn't match config 1024", pid: process.pid, at: time)
            }
            let line = process.modes[position] == .warm
                ? "INFO (namespace): (namespace_ee.c:361) {\(namespace.name)} beginning warm restart"
                : "INFO (namespace): (namespace_ee.c:243) {\(namespace.name)} beginning cold start"
            log(index, asd: line, pid: process.pid, at: time)
        }
    }
}

extension String {
    /// The string padded on the left to `width` with `pad`.
    func leftPadded(to width: Int, with pad: Character) -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// Everything the simulator knows about one node: its machine, its asd, its shared memory and its log.
public struct NodeState: Sendable {
    /// `aero-k`.
    public let name: String
    /// k.
    public let index: Int
    /// The node's loopback address.
    public let address: String
    /// The Aerospike node id (uppercase hex); the member with the highest id is the principal.
    public let nodeID: String
    /// Up, going down, down or booting.
    public internal(set) var power: PowerState
    /// The current boot id.
    public internal(set) var bootID: String
    /// Boots so far (1 at `up`).
    public internal(set) var bootCount: Int
    /// Whether `aerospike.service` is enabled (starts at boot).
    public internal(set) var unitEnabled: Bool
    /// Whether `aerospike.service` is masked (cannot be started at all).
    public internal(set) var unitMasked: Bool = false
    /// The asd service.
    public internal(set) var asd: AsdState
    /// How the last asd process ended; `nil` when none ended since `up`.
    public internal(set) var lastExit: AsdExit?
    /// When asd last exited or was last started, for `systemctl status`.
    public internal(set) var asdStateChangedAt: Double
    /// Shared-memory segments, in creation order.
    public internal(set) var segments: [SharedMemorySegment]
    /// Active faults.
    public internal(set) var faults: [NodeFault]
    /// Memory-error counters.
    public internal(set) var edac: EdacCounters
    /// Quiesce state (in asd's memory).
    public internal(set) var quiesce: QuiesceState
    /// Remaining migrations per namespace, in configuration order.
    public internal(set) var migrations: [NamespaceMigrations]
    /// Whether this node's `migrations-stall` fault has engaged (it rejoined while the fault was on).
    public internal(set) var stallEngaged: Bool
    /// The unit's log across boots.
    public internal(set) var log: [LogEntry]
    /// The next pid to hand out.
    var nextPid: Int

    /// Whether the node has `fault` (of any parameter).
    public func has(_ kind: String) -> Bool { faults.contains { $0.kind == kind } }

    /// The slow-start factor (1 without the fault).
    public var slowStartFactor: Double {
        for case .slowStart(let factor) in faults { return factor }
        return 1
    }

    /// Remaining migrations over all namespaces (`migrate_partitions_remaining`).
    public var migrationsRemaining: Int { migrations.reduce(0) { $0 + $1.remaining } }

    /// Segments that still carry a key (not removed-while-attached).
    public var visibleSegments: [SharedMemorySegment] { segments }

    /// Segments of namespace `nsid` that are not marked for removal.
    public func segments(nsid: Int) -> [SharedMemorySegment] {
        segments.filter { $0.nsid == nsid && !$0.markedForRemoval }
    }

    /// Whether namespace `nsid` has a complete, clean, unattached set of segments with `stageCount` stages: what a
    /// warm start needs.
    public func hasWarmStartableSegments(nsid: Int, stageCount: Int) -> Bool {
        let set = segments(nsid: nsid)
        guard let base = set.first(where: { $0.kind == .base }), base.cleanShutdown,
              set.contains(where: { $0.kind == .treex })
        else { return false }
        let stages = set.filter { if case .stage = $0.kind { return true } else { return false } }
        let generations = Set(set.map(\.generation))
        return stages.count == stageCount && set.allSatisfy({ $0.complete && $0.attachments == 0 })
            && generations.count == 1
    }
}

/// Everything that defines one simulated cluster. `up` validates it and writes it to `DIR/config.json`; the daemon
/// and every node read it from there.
public struct SimConfiguration: Sendable, Hashable, Codable {
    /// The inventory's `cluster:` name.
    public static let clusterName = "sim"
    /// The largest cluster the simulator starts (Aerospike's own limit is far higher; 32 keeps a laptop usable).
    public static let maximumNodes = 32

    /// Number of nodes, named `aero-1` ... `aero-N`.
    public var nodeCount: Int
    /// Seed of every random choice (cluster keys, boot ids, node ids), so runs can be reproduced.
    public var seed: UInt64
    /// Address of `aero-1`; node k gets this address plus k-1. Must be a loopback address.
    public var baseAddress: String
    /// Port every node's sshd listens on.
    public var sshPort: Int
    /// Port every node's info service listens on.
    public var infoPort: Int
    /// The namespaces, in configuration order (their position gives the nsid in segment keys).
    public var namespaces: [NamespaceConfiguration]
    /// The server version the nodes report, e.g. `8.1.2.0`; below 7.2 the info errors take their old forms.
    public var build: String
    /// Enterprise or Community Edition.
    public var edition: Edition
    /// How long things take.
    public var timing: SimTiming
    /// Faults per node name, as given at `up`.
    public var faults: [String: [NodeFault]]
    /// Memory-error counters per node name (zero when absent).
    public var edac: [String: EdacCounters]
    /// Size of every node's backup filesystem in bytes, unless overridden per node.
    public var backupSpace: Int64
    /// Per-node backup filesystem sizes.
    public var backupSpaceByNode: [String: Int64]
    /// Shared-memory segment sizes.
    public var segmentLayout: SegmentLayout

    /// The Aerospike edition the nodes run.
    public enum Edition: String, Sendable, Hashable, Codable, CaseIterable {
        /// Enterprise Edition: warm restarts, asmt, quiesce.
        case enterprise
        /// Community Edition: always cold starts, no quiesce.
        case community

        /// The `edition` info reply.
        public var infoName: String {
            switch self {
            case .enterprise: "Aerospike Enterprise Edition"
            case .community: "Aerospike Community Edition"
            }
        }
    }

    /// A configuration with the given values; the defaults describe a 3-node EE 8.1 cluster with `test` and `bar`.
    public init(nodeCount: Int = 3, seed: UInt64 = 1, baseAddress: String = "127.0.77.1", sshPort: Int = 22,
                infoPort: Int = 3000,
                namespaces: [NamespaceConfiguration] = [NamespaceConfiguration(name: "test"),
                                                        NamespaceConfiguration(name: "bar")],
                build: String = "8.1.2.0", edition: Edition = .enterprise, timing: SimTiming = .realistic,
                faults: [String: [NodeFault]] = [:], edac: [String: EdacCounters] = [:],
                backupSpace: Int64 = 1 << 30, backupSpaceByNode: [String: Int64] = [:],
                segmentLayout: SegmentLayout = SegmentLayout()) {
        self.nodeCount = nodeCount
        self.seed = seed
        self.baseAddress = baseAddress
        self.sshPort = sshPort
        self.infoPort = infoPort
        self.namespaces = namespaces
        self.build = build
        self.edition = edition
        self.timing = timing
        self.faults = faults
        self.edac = edac
        self.backupSpace = backupSpace
        self.backupSpaceByNode = backupSpaceByNode
        self.segmentLayout = segmentLayout
    }

    /// `aero-1` ... `aero-N`.
    public var nodeNames: [String] { (1...max(nodeCount, 1)).map(Self.nodeName) }

    /// The name of node `index` (1-based).
    public static func nodeName(_ index: Int) -> String { "aero-\(index)" }

    /// The 1-based index of `name`, if it names a node of this cluster.
    public func nodeIndex(_ name: String) -> Int? {
        guard name.hasPrefix("aero-"), let index = Int(name.dropFirst(5)), (1...nodeCount).contains(index) else {
            return nil
        }
        return index
    }

    /// The address of node `name`.
    public func address(of name: String) -> String {
        guard let index = nodeIndex(name), let base = IPv4Address(baseAddress) else { return baseAddress }
        return base.advanced(by: index - 1).description
    }

    /// The backup filesystem size of node `name`.
    public func backupSpace(of name: String) -> Int64 { backupSpaceByNode[name] ?? backupSpace }

    /// Whether the nodes answer info errors in the 7.2+ form (`ERROR:7:unstable cluster`).
    public var usesModernInfoErrors: Bool { ServerVersion(build).isAtLeast(7, 2) }

    /// Whether the nodes know the `release` info command (8.1.1+).
    public var supportsReleaseCommand: Bool { ServerVersion(build) >= ServerVersion("8.1.1") }

    /// Every problem with the configuration, as operator-readable sentences; empty when it is usable.
    public func problems() -> [String] {
        var problems: [String] = []
        if !(1...Self.maximumNodes).contains(nodeCount) {
            problems.append("--nodes must be between 1 and \(Self.maximumNodes), not \(nodeCount)")
        }
        if let base = IPv4Address(baseAddress) {
            if base.octets.0 != 127 {
                problems.append("--base-address \(baseAddress) is not a loopback address (127.x.y.z): the simulator "
                    + "only "
                                + "listens on loopback")
            } else if UInt64(base.value) + UInt64(max(nodeCount, 1) - 1) > 0x7FFF_FFFE {
                problems.append("--base-address \(baseAddress) leaves no room for \(nodeCount) nodes in 127.0.0.0/8")
            }
        } else {
            problems.append("--base-address '\(baseAddress)' is not an IPv4 address")
        }
        for (option, port) in [("--ssh-port", sshPort), ("--info-port", infoPort)] where !(1...65535).contains(port) {
            problems.append("\(option) \(port) is not a TCP port")
        }
        if sshPort == infoPort { problems.append("--ssh-port and --info-port must differ (both \(sshPort))") }
        if namespaces.isEmpty { problems.append("--namespaces needs at least one namespace") }
        if namespaces.count > 32 { problems.append("at most 32 namespaces are allowed, not \(namespaces.count)") }
        var seen: Set<String> = []
        for namespace in namespaces {
            if !NamespaceConfiguration.isValidName(namespace.name) {
                problems.append("namespace '\(namespace.name)' is not a valid name ([A-Za-z0-9_-]{1,31})")
            }
            if !seen.insert(namespace.name).inserted {
                problems.append("namespace '\(namespace.name)' is listed twice")
            }
            if !(1...256).contains(namespace.replicationFactor) {
                problems.append("replication factor \(namespace.replicationFactor) of '\(namespace.name)' is not "
                    + "1...256")
            }
        }
        if ServerVersion(build).parts.count < 2 { problems.append("--build '\(build)' is not a version like 8.1.2.0") }
        for name in Array(faults.keys) + Array(edac.keys) + Array(backupSpaceByNode.keys) where nodeIndex(name) == nil {
            problems.append("'\(name)' is not a node of this cluster (aero-1 ... aero-\(nodeCount))")
        }
        if segmentLayout.baseSize < 4096 { problems.append("the base segment must be at least 4096 bytes") }
        if !(1...2048).contains(segmentLayout.stageCount) { problems.append("--stages must be 1...2048") }
        if segmentLayout.stageSize < 4096 || segmentLayout.treexSize < 4096 {
            problems.append("stage and treex segments must be at least 4096 bytes")
        }
        return problems
    }

    /// The faults of node `name` at `up`.
    public func faults(of name: String) -> [NodeFault] { faults[name] ?? [] }
}

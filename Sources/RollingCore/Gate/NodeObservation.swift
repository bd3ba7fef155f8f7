import AerospikeInfo

/// What one node reported in one poll of the gate.
public struct NodeObservation: Sendable, Equatable {
    /// What the node's info port said, or why it said nothing.
    public enum Outcome: Sendable, Equatable {
        /// The node answered every command.
        case observed(NodeView)
        /// The node could not be asked, or answered something unusable; the text says which.
        case unavailable(String)
    }

    /// The node's inventory name.
    public var node: String
    /// What it said.
    public var outcome: Outcome

    /// An observation of `node`.
    public init(node: String, outcome: Outcome) {
        self.node = node
        self.outcome = outcome
    }

    /// The view, when the node answered.
    public var view: NodeView? {
        if case .observed(let view) = outcome { return view }
        return nil
    }
}

/// The cluster as one node sees it: the answers the gate needs from that node.
public struct NodeView: Sendable, Equatable {
    /// `statistics`.
    public var statistics: NodeStatistics
    /// `cluster-stable:size=N;ignore-migrations=false`.
    public var clusterStable: ClusterStableReply
    /// `namespace/<ns>` for every inventory namespace.
    public var namespaces: [NamespaceStatus]

    /// A view from parsed answers.
    public init(statistics: NodeStatistics, clusterStable: ClusterStableReply, namespaces: [NamespaceStatus]) {
        self.statistics = statistics
        self.clusterStable = clusterStable
        self.namespaces = namespaces
    }

    /// The info commands that produce a view of a cluster expected to have `size` nodes.
    public static func commands(expectedSize size: Int, namespaces: [String]) -> [String] {
        [InfoCommand.statistics, InfoCommand.clusterStable(size: size)] + namespaces.map(InfoCommand.namespace)
    }

    /// Parses the answers to `commands(expectedSize:namespaces:)`.
    public init(response: InfoResponse, expectedSize size: Int, namespaces: [String]) throws {
        statistics = try NodeStatistics(parsing: response.value(for: InfoCommand.statistics))
        clusterStable = try ClusterStableReply(response.value(for: InfoCommand.clusterStable(size: size)))
        self.namespaces = try namespaces.map { name in
            try NamespaceStatus(name: name, parsing: response.value(for: InfoCommand.namespace(name)))
        }
    }

    /// Whether this node is quiesced, pending or in effect, in any namespace.
    public var isQuiesced: Bool {
        namespaces.contains { $0.pendingQuiesce || $0.effectiveIsQuiesced }
    }
}

/// What must hold for the gate to pass.
public struct GateCriteria: Sendable, Equatable {
    /// The number of nodes the cluster must have: the inventory's size.
    public var expectedSize: Int
    /// Nodes this run has quiesced itself; their quiesce does not fail the gate.
    public var quiescedByThisRun: Set<String>
    /// Whether migrations must be finished (`false` while only waiting for a node to rejoin).
    public var requireMigrationsComplete: Bool

    /// Criteria for a cluster of `expectedSize` nodes.
    public init(expectedSize: Int, quiescedByThisRun: Set<String> = [], requireMigrationsComplete: Bool = true) {
        self.expectedSize = expectedSize
        self.quiescedByThisRun = quiescedByThisRun
        self.requireMigrationsComplete = requireMigrationsComplete
    }
}

/// The result of evaluating one poll of the gate.
public struct GateVerdict: Sendable, Equatable {
    /// One reason the gate does not pass, attributed to a node when it is that node's.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The node concerned, or `nil` for a cluster-wide problem (the nodes disagree).
        public var node: String?
        /// What is wrong, in the operator's terms ("cluster_size 4, expected 5").
        public var message: String

        /// A problem on `node`.
        public init(node: String?, message: String) {
            self.node = node
            self.message = message
        }

        public var description: String { node.map { "\($0): \(message)" } ?? message }
    }

    /// Every reason the gate does not pass; empty when it passes.
    public var problems: [Problem]
    /// Partition migrations remaining, the largest any node reports.
    public var migrationsRemaining: Int
    /// The cluster key, when every answering node agrees on one.
    public var clusterKey: String?

    /// Whether the gate passes.
    public var passed: Bool { problems.isEmpty }

    /// A verdict with `problems`.
    public init(problems: [Problem], migrationsRemaining: Int, clusterKey: String?) {
        self.problems = problems
        self.migrationsRemaining = migrationsRemaining
        self.clusterKey = clusterKey
    }

    /// The problems as one line, for the display and for halt messages: nodes reporting the same problem are
    /// named together, and a node's `cluster-stable` "unstable cluster" is left out while the same node reports the
    /// migrations that cause it.
    public var summary: String {
        if passed { return "cluster whole and stable" }
        let migrationSuffix = " partition migrations remaining"
        let migrations = problems.filter { $0.node != nil && $0.message.hasSuffix(migrationSuffix) }
        let migrating = Set(migrations.compactMap(\.node))
        var groups: [(message: String, nodes: [String])] = []
        if !migrations.isEmpty {
            let counts = migrations.map { "\($0.node ?? "") \($0.message.dropLast(migrationSuffix.count))" }
            groups.append(("partition migrations remaining: " + counts.joined(separator: ", "), []))
        }
        for problem in problems where !(problem.node.map(migrating.contains) ?? false
            && problem.message.hasSuffix(migrationSuffix))
        {
            if let node = problem.node, migrating.contains(node), problem.message.hasPrefix("cluster-stable answered"),
               problem.message.lowercased().contains("unstable")
            {
                continue
            }
            guard let node = problem.node else {
                groups.append((problem.message, []))
                continue
            }
            if let index = groups.firstIndex(where: { $0.message == problem.message && !$0.nodes.isEmpty }) {
                groups[index].nodes.append(node)
            } else {
                groups.append((problem.message, [node]))
            }
        }
        return groups.map { $0.nodes.isEmpty ? $0.message : "\($0.nodes.joined(separator: ", ")): \($0.message)" }
            .joined(separator: "; ")
    }
}

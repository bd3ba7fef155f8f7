import AerospikeInfo

/// Decides whether the cluster is whole and quiet from what every node reports (SPEC §4).
///
/// Pure: no I/O, so the rules are unit-tested directly. Every node is asked, never a single vantage point, and every
/// failed condition is reported with the node that reported it.
public enum GateEvaluator {
    /// Evaluates one poll.
    public static func evaluate(_ observations: [NodeObservation], criteria: GateCriteria) -> GateVerdict {
        var problems: [GateVerdict.Problem] = []
        var keys: [String: [String]] = [:]
        var migrations = 0

        for observation in observations {
            let node = observation.node
            guard let view = observation.view else {
                if case .unavailable(let reason) = observation.outcome {
                    problems.append(.init(node: node, message: reason))
                }
                continue
            }
            let stats = view.statistics
            keys[stats.clusterKey, default: []].append(node)
            migrations = max(migrations, stats.migratePartitionsRemaining)

            if stats.clusterSize != criteria.expectedSize {
                problems.append(.init(node: node,
                                      message: "cluster_size \(stats.clusterSize), expected \(criteria.expectedSize)"))
            }
            if !stats.clusterIntegrity {
                problems.append(.init(node: node, message: "cluster_integrity false"))
            }
            if stats.clusterIsMember == false {
                problems.append(.init(node: node, message: "not a member of the cluster it reports"))
            }
            if !stats.migrateAllowed {
                problems.append(.init(node: node, message: "migrate_allowed false (rebalance in progress)"))
            }
            if criteria.requireMigrationsComplete {
                if stats.migratePartitionsRemaining > 0 {
                    problems.append(.init(node: node,
                                          message: "\(stats.migratePartitionsRemaining) partition migrations remaining"))
                }
                switch view.clusterStable {
                case .stable(clusterKey: let key) where key != stats.clusterKey:
                    problems.append(.init(node: node, message: "cluster-stable returned key \(key) but statistics "
                                              + "report \(stats.clusterKey) (the cluster changed between the two)"))
                case .stable:
                    break
                case .unstable(let error):
                    problems.append(.init(node: node, message: "cluster-stable answered \(error.raw)"))
                }
            }
            for namespace in view.namespaces where namespace.strongConsistency {
                if namespace.unavailablePartitions > 0 {
                    problems.append(.init(node: node, message: "namespace \(namespace.name): "
                                              + "\(namespace.unavailablePartitions) unavailable partitions"))
                }
                if namespace.deadPartitions > 0 {
                    problems.append(.init(node: node, message: "namespace \(namespace.name): "
                                              + "\(namespace.deadPartitions) dead partitions (needs revive)"))
                }
            }
            if view.isQuiesced && !criteria.quiescedByThisRun.contains(node) {
                problems.append(.init(node: node, message: "quiesced, and not by this run"))
            }
        }

        if keys.count > 1 {
            let views = keys.sorted { $0.key < $1.key }
                .map { "\($0.value.sorted().joined(separator: ",")) see \($0.key)" }
            problems.append(.init(node: nil, message: "nodes disagree on the cluster key: "
                                      + views.joined(separator: "; ")))
        }
        let key = keys.count == 1 ? keys.keys.first : nil
        return GateVerdict(problems: problems, migrationsRemaining: migrations, clusterKey: key)
    }
}

extension ClusterModel {
    /// Gives strong-consistency namespace `namespace` `count` dead partitions (0 clears them, as `revive:` and
    /// `recluster:` would); `false` when it is not an SC namespace of the cluster.
    @discardableResult
    public mutating func setDeadPartitions(_ namespace: String, _ count: Int, now time: Double) -> Bool {
        advance(to: time)
        guard configuration.namespaces.contains(where: { $0.name == namespace && $0.strongConsistency }),
              (0...4096).contains(count)
        else { return false }
        deadPartitions[namespace] = count == 0 ? nil : count
        record("dead_partitions", node: nil, [("namespace", .string(namespace)), ("count", .int(count))])
        return true
    }
}

/// The info commands asroll sends, spelled exactly as servers from 7.0 to 8.1 accept them.
///
/// Parameterised commands always carry the colon (`quiesce:`), because servers up to 7.1 keep them in a separate
/// table that only matches the `name:` form.
public enum InfoCommand {
    /// Liveness: `ok` once the node has finished starting.
    public static let status = "status"
    /// The node id, uppercase hex.
    public static let node = "node"
    /// The server version, e.g. `8.1.2.0`.
    public static let build = "build"
    /// `Aerospike Enterprise Edition` / `Aerospike Community Edition` (deprecated in 8.1.1 for `release`).
    public static let edition = "edition"
    /// `edition=...;version=...;os=...;arch=...;sha=...` from 8.1.1 on.
    public static let release = "release"
    /// The node's namespaces, `;`-separated.
    public static let namespaces = "namespaces"
    /// Node statistics, including the cluster view.
    public static let statistics = "statistics"
    /// Quiesce this node at the next rebalance.
    public static let quiesce = "quiesce:"
    /// Undo a quiesce at the next rebalance.
    public static let quiesceUndo = "quiesce-undo:"
    /// Trigger a rebalance; only the principal answers `ok`.
    public static let recluster = "recluster:"
    /// Per-histogram throughput and latency of the last interval.
    public static let latencies = "latencies:"

    /// Statistics and configuration of namespace `name`.
    public static func namespace(_ name: String) -> String { "namespace/\(name)" }

    /// The cluster key when the cluster has `size` nodes and (unless ignored) no migrations, unavailable or dead
    /// partitions; an error otherwise. `true`/`false` are the only spellings 7.2+ accepts.
    public static func clusterStable(size: Int, ignoreMigrations: Bool = false, namespace: String? = nil) -> String {
        var command = "cluster-stable:size=\(size);ignore-migrations=\(ignoreMigrations)"
        if let namespace { command += ";namespace=\(namespace)" }
        return command
    }
}

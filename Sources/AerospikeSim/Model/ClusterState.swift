/// The cluster as the members see it: one key, one generation, one principal.
public struct ClusterState: Sendable, Hashable {
    /// The cluster key (printed as uppercase hex without leading zeros).
    public var key: UInt64
    /// Incremented at every rebalance.
    public var generation: Int
    /// Names of the members (asd running), in node order.
    public var members: [String]
    /// The member with the highest node id.
    public var principal: String?
    /// Migrations are not allowed before this time (the rebalance is being computed).
    public var migrateAllowedAt: Double
    /// Whether `migrations_zero` was recorded for the current key.
    public var zeroRecorded: Bool
    /// Time up to which migrations were drained.
    public var drainedUntil: Double

    /// The key as the server prints it (`%lX`).
    public var keyHex: String { String(key, radix: 16, uppercase: true) }
}

/// Partition migrations one node still has for one namespace.
public struct NamespaceMigrations: Sendable, Hashable {
    /// `migrate_tx_partitions_remaining`.
    public var transmit: Double = 0
    /// `migrate_rx_partitions_remaining`.
    public var receive: Double = 0
    /// The value of `..._initial` for this rebalance.
    public var initial: Int = 0

    /// No migrations.
    public init() {}

    /// Both directions, rounded up as the server counts whole partitions.
    public var remaining: Int { Int(transmit.rounded(.up)) + Int(receive.rounded(.up)) }
}

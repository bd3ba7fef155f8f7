/// The statistics and configuration of one namespace on one node (`namespace/<ns>`).
public struct NamespaceStatus: Sendable, Equatable {
    /// The namespace name.
    public var name: String
    /// Configured `replication-factor`.
    public var replicationFactor: Int
    /// The replication factor in effect (lower than configured when the cluster is smaller than it).
    public var effectiveReplicationFactor: Int?
    /// Whether the namespace is in strong-consistency mode.
    public var strongConsistency: Bool
    /// Partitions without a full copy available (SC).
    public var unavailablePartitions: Int
    /// Partitions that need `revive` (SC).
    public var deadPartitions: Int
    /// Partition migrations still to send.
    public var migrateTxPartitionsRemaining: Int
    /// Partition migrations still to receive.
    public var migrateRxPartitionsRemaining: Int
    /// Whether `quiesce:` was received and awaits the next rebalance (or is in effect).
    public var pendingQuiesce: Bool
    /// Whether the quiesce is in effect on this node.
    public var effectiveIsQuiesced: Bool
    /// How many nodes the cluster currently treats as quiesced.
    public var nodesQuiesced: Int
    /// Records in the namespace on this node.
    public var objects: Int?
    /// Every field, for anything not typed above.
    public var fields: InfoFields

    /// Parses the value of `namespace/<name>`.
    ///
    /// - Throws: `.unexpectedReply` for `type=unknown` (the namespace does not exist on the node) or an error.
    public init(name: String, parsing value: String) throws(InfoParseError) {
        let command = InfoCommand.namespace(name)
        if InfoErrorReply(value) != nil || value == "type=unknown" || value.isEmpty {
            throw .unexpectedReply(command: command, reply: value)
        }
        let fields = InfoFields(parsing: value)
        self.name = name
        self.fields = fields
        replicationFactor = try fields.int("replication-factor")
        effectiveReplicationFactor = try fields.optionalInt("effective_replication_factor")
        strongConsistency = try fields.optionalBool("strong-consistency") ?? false
        unavailablePartitions = try fields.optionalInt("unavailable_partitions") ?? 0
        deadPartitions = try fields.optionalInt("dead_partitions") ?? 0
        migrateTxPartitionsRemaining = try fields.int("migrate_tx_partitions_remaining")
        migrateRxPartitionsRemaining = try fields.int("migrate_rx_partitions_remaining")
        pendingQuiesce = try fields.optionalBool("pending_quiesce") ?? false
        effectiveIsQuiesced = try fields.optionalBool("effective_is_quiesced") ?? false
        nodesQuiesced = try fields.optionalInt("nodes_quiesced") ?? 0
        objects = try fields.optionalInt("objects")
    }

    /// Migrations this node still has for the namespace, both directions.
    public var migrationsRemaining: Int { migrateTxPartitionsRemaining + migrateRxPartitionsRemaining }
}

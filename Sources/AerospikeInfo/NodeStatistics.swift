/// The fields of `statistics` that decide whether the cluster is whole and quiet.
public struct NodeStatistics: Sendable, Equatable {
    /// Nodes in the cluster as this node sees it.
    public var clusterSize: Int
    /// The cluster key as this node sees it (uppercase hex); all nodes of a healthy cluster share it.
    public var clusterKey: String
    /// Whether the node believes every node it can see agrees on membership.
    public var clusterIntegrity: Bool
    /// Whether this node is a member of the cluster it reports (absent on old servers).
    public var clusterIsMember: Bool?
    /// The principal node's id.
    public var clusterPrincipal: String?
    /// Whether migrations are allowed (false while a rebalance is being computed).
    public var migrateAllowed: Bool
    /// Partition migrations this node still has to send or receive, over all namespaces.
    public var migratePartitionsRemaining: Int
    /// Transactions being proxied through this node right now.
    public var proxyInProgress: Int?
    /// Seconds since asd started.
    public var uptime: Int?
    /// Every field, for anything not typed above.
    public var fields: InfoFields

    /// Parses the value of `statistics`.
    public init(parsing value: String) throws(InfoParseError) {
        if InfoErrorReply(value) != nil { throw .unexpectedReply(command: InfoCommand.statistics, reply: value) }
        let fields = InfoFields(parsing: value)
        self.fields = fields
        clusterSize = try fields.int("cluster_size")
        clusterKey = try fields.string("cluster_key")
        clusterIntegrity = try fields.bool("cluster_integrity")
        clusterIsMember = try fields.optionalBool("cluster_is_member")
        clusterPrincipal = fields["cluster_principal"]
        migrateAllowed = try fields.bool("migrate_allowed")
        migratePartitionsRemaining = try fields.int("migrate_partitions_remaining")
        proxyInProgress = try fields.optionalInt("proxy_in_progress")
        uptime = try fields.optionalInt("uptime")
    }
}

/// One node's line in `asroll-sim status`.
public struct NodeStatusRow: Sendable, Codable, Hashable {
    /// `aero-k`.
    public var node: String
    /// The node's address.
    public var address: String
    /// `up`, `going down`, `down`, `booting`.
    public var ssh: String
    /// `running`, `starting`, `stopping`, `stopped`.
    public var asd: String
    /// Cluster size as the node sees it (nil when asd does not serve).
    public var clusterSize: Int?
    /// Cluster key as the node sees it.
    public var clusterKey: String?
    /// `migrate_partitions_remaining`.
    public var migrations: Int?
    /// `no`, `pending`, `yes`.
    public var quiesced: String
    /// `enabled`, `disabled`, `masked`.
    public var unit: String
    /// The current boot id.
    public var bootID: String
    /// Active faults.
    public var faults: [String]
    /// Shared-memory segments on the node.
    public var segments: Int
}

extension ClusterModel {
    /// The status table's rows.
    public var statusRows: [NodeStatusRow] {
        nodes.map { node in
            let serving = node.asd.isRunning
            let quiesced = node.quiesce.effective ? "yes" : node.quiesce.pending ? "pending" : "no"
            return NodeStatusRow(
                node: node.name, address: node.address, ssh: node.power.word, asd: node.asd.word,
                clusterSize: serving ? cluster.members.count : nil, clusterKey: serving ? cluster.keyHex : nil,
                migrations: serving ? node.migrationsRemaining : nil, quiesced: quiesced,
                unit: node.unitMasked ? "masked" : node.unitEnabled ? "enabled" : "disabled", bootID: node.bootID,
                faults: node.faults.map(\.description), segments: node.segments.count)
        }
    }
}

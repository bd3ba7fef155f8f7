/// One namespace of the simulated cluster, configured the same on every node.
public struct NamespaceConfiguration: Sendable, Hashable, Codable {
    /// The namespace name (`[A-Za-z0-9_-]{1,31}`).
    public var name: String
    /// `replication-factor`.
    public var replicationFactor: Int
    /// `strong-consistency`.
    public var strongConsistency: Bool

    /// A namespace; replication factor 2 and AP mode unless told otherwise.
    public init(name: String, replicationFactor: Int = 2, strongConsistency: Bool = false) {
        self.name = name
        self.replicationFactor = replicationFactor
        self.strongConsistency = strongConsistency
    }

    /// Whether `name` is a namespace name Aerospike and asroll accept.
    public static func isValidName(_ name: String) -> Bool {
        (1...31).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x5F || byte == 0x2D
            }
    }
}

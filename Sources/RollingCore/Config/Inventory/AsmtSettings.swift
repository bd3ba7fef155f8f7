/// Where and how asmt backs up the shared-memory indexes on each node (`asmt:`).
public struct AsmtSettings: Sendable, Equatable {
    /// Absolute directory on each node for the index backup (`backup_dir`, default `/var/aerospike/asmt`).
    public var backupDir: String
    /// Whether the backup is zlib-compressed with `-z` (`compress`, default true).
    public var compress: Bool

    /// asmt settings with the documented defaults.
    public init(backupDir: String = "/var/aerospike/asmt", compress: Bool = true) {
        self.backupDir = backupDir
        self.compress = compress
    }
}

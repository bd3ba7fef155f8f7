/// The cluster asroll rolls: its nodes in roll order and how to reach them.
public struct Inventory: Sendable, Equatable {
    /// Cluster name; names the lease and the state (`cluster`).
    public var cluster: String
    /// Namespaces passed to `asmt -n` (`namespaces`).
    public var namespaces: [String]
    /// SSH login settings (`ssh`).
    public var ssh: SSHSettings
    /// Info-port settings (`info`).
    public var info: InfoSettings
    /// Index backup settings (`asmt`).
    public var asmt: AsmtSettings
    /// Lease settings (`lease`).
    public var lease: LeaseSettings
    /// Memory-error policy (`memory_errors`).
    public var memoryErrors: MemoryErrorPolicy
    /// The nodes, in roll order (`nodes`).
    public var nodes: [NodeSpec]
    /// The file it was loaded from.
    public var sourcePath: String

    /// An inventory; settings default as documented in docs/configuration.md.
    public init(
        cluster: String, namespaces: [String], ssh: SSHSettings, info: InfoSettings = InfoSettings(),
        asmt: AsmtSettings = AsmtSettings(), lease: LeaseSettings = LeaseSettings(),
        memoryErrors: MemoryErrorPolicy = MemoryErrorPolicy(), nodes: [NodeSpec], sourcePath: String = ""
    ) {
        self.cluster = cluster
        self.namespaces = namespaces
        self.ssh = ssh
        self.info = info
        self.asmt = asmt
        self.lease = lease
        self.memoryErrors = memoryErrors
        self.nodes = nodes
        self.sourcePath = sourcePath
    }

    /// The node called `name`, if any.
    public func node(named name: String) -> NodeSpec? {
        nodes.first { $0.name == name }
    }

    /// Values for the asmt command placeholders: `{backup_dir}`, `{namespaces}` (comma-joined) and `{compress}`.
    public var asmtPlaceholderValues: [String: String] {
        [
            "backup_dir": asmt.backupDir,
            "namespaces": namespaces.joined(separator: ","),
            CommandTemplate.compressPlaceholder: String(asmt.compress),
        ]
    }
}

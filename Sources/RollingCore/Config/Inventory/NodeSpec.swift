/// One node of the inventory, with its per-node overrides already resolved against the global settings.
public struct NodeSpec: Sendable, Equatable, Hashable {
    /// Unique name used in the plan, the journal and every message (`name`).
    public var name: String
    /// Address asroll connects to, for SSH and, with `info.via: direct`, for info (`host`).
    public var host: String
    /// SSH port: `ssh_port`, else `ssh.port`.
    public var sshPort: Int
    /// Info port: `info_port`, else `info.port`.
    public var infoPort: Int
    /// SSH login: `ssh_user`, else `ssh.user`.
    public var sshUser: String
    /// Reasons this node must cold restart (`flags`).
    public var flags: Set<NodeFlag>
    /// Line of the node's entry in the inventory, for messages.
    public var line: Int

    /// A node; `line` is 0 when it did not come from a file.
    public init(
        name: String, host: String, sshPort: Int = 22, infoPort: Int = 3000, sshUser: String,
        flags: Set<NodeFlag> = [], line: Int = 0
    ) {
        self.name = name
        self.host = host
        self.sshPort = sshPort
        self.infoPort = infoPort
        self.sshUser = sshUser
        self.flags = flags
        self.line = line
    }
}

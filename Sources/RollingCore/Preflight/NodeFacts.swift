import AerospikeInfo

/// What the read-only preflight learned about one node (`check`, `run`, `--dry-run`, `status`).
public struct NodeFacts: Sendable, Equatable {
    /// The node.
    public var node: String
    /// Why SSH failed, when it did; `nil` when the node was reached.
    public var sshProblem: SSHProblem?
    /// The host key's fingerprint as OpenSSH prints it.
    public var hostKeyFingerprint: String?
    /// Whether `sudo -n true` succeeds (no password prompt); `nil` when unknown.
    public var sudoWithoutPassword: Bool?
    /// Tools the playbook needs that are missing on the node.
    public var missingTools: [String] = []
    /// Whether the tool check ran (so that an empty `missingTools` means every tool is there).
    public var toolsChecked = false
    /// `systemctl is-enabled aerospike`.
    public var unitEnabled: String?
    /// Whether asd runs (`is_running`).
    public var asdRunning: Bool?
    /// The kernel's boot id.
    public var bootID: String?
    /// Aerospike's shared-memory segments.
    public var segments: [SharedMemorySegments.Segment] = []
    /// Free bytes where the backup directory is (or would be created).
    public var backupFreeBytes: Int?
    /// EDAC memory-error counters, when the node has EDAC.
    public var memoryErrors: MemoryErrorCounts?
    /// The lease found on the node.
    public var lease: Lease?
    /// Something that is not a lease at the lease path.
    public var leaseProblem: String?
    /// Whether the lease path was read (so that a `nil` lease means there is none).
    public var leaseChecked = false
    /// Version and edition.
    public var server: ServerIdentity?
    /// `statistics`.
    public var statistics: NodeStatistics?
    /// `namespace/<ns>` of every inventory namespace.
    public var namespaces: [NamespaceStatus] = []
    /// Why the info port did not answer, when it did not.
    public var infoProblem: String?

    /// Facts about `node`, all unknown.
    public init(node: String) {
        self.node = node
    }

    /// Whether SSH reached the node.
    public var isReachable: Bool { sshProblem == nil }

    /// What went wrong with SSH.
    public struct SSHProblem: Sendable, Equatable {
        /// `host key unknown`, `host key changed`, `connection refused`, ...
        public var kind: String
        /// The SSH client's message.
        public var message: String
        /// Whether it is a host-key problem (refused for safety, never retried).
        public var isHostKey: Bool
        /// The presented key's fingerprint, for host-key problems.
        public var fingerprint: String?

        /// A problem.
        public init(kind: String, message: String, isHostKey: Bool, fingerprint: String?) {
            self.kind = kind
            self.message = message
            self.isHostKey = isHostKey
            self.fingerprint = fingerprint
        }
    }

    /// Whether any namespace on the node is quiesced (pending or in effect).
    public var isQuiesced: Bool { namespaces.contains { $0.pendingQuiesce || $0.effectiveIsQuiesced } }
}

/// Why a node must cold restart instead of warm restarting from its saved indexes.
public struct ColdReason: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The kind of reason.
    public enum Kind: String, Sendable, Codable {
        /// The inventory flags the node `dimm-fault`.
        case dimmFault = "dimm-fault"
        /// The inventory flags the node `post-expansion`.
        case postExpansion = "post-expansion"
        /// The node's EDAC counters show memory errors.
        case memoryErrors = "memory-errors"
        /// The node runs Community Edition, which has no warm restart.
        case communityEdition = "community-edition"
    }

    /// The kind of reason.
    public var kind: Kind
    /// Why, for the operator.
    public var message: String

    /// A reason of `kind`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// How a node will come back after its stop.
public enum RestartMode: Sendable, Equatable {
    /// asd attaches to its restored (or still present) shared-memory indexes: seconds instead of hours.
    case warm
    /// asd rebuilds its indexes from storage, for these reasons; no backup of the node is ever restored.
    case cold([ColdReason])

    /// Whether the node warm restarts.
    public var isWarm: Bool {
        if case .warm = self { return true }
        return false
    }

    /// The reasons for a cold restart; empty when warm.
    public var coldReasons: [ColdReason] {
        if case .cold(let reasons) = self { return reasons }
        return []
    }

    /// What a cold restart risks, shown wherever a cold restart is planned or happens.
    public static let coldRestartRisk = "a cold restart rebuilds the index from storage: it can take hours, and "
        + "records deleted without durable deletes (or whose TTL was shortened, or that were evicted) can come back"
}

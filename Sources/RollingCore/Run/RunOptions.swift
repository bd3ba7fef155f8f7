/// The operator's choices for a run that change what asroll allows or waits for.
public struct RunOptions: Sendable, Equatable, Codable {
    /// Allow namespaces with replication factor 1, waiting for migrations after the quiesce, before the stop.
    public var allowRF1: Bool
    /// Go on to the next node after a node planned warm cold started (by default the run halts).
    public var continueOnCold: Bool
    /// Refuse the run when any selected node would cold restart.
    public var requireWarm: Bool
    /// Roll Community Edition nodes with cold restarts (without it, a CE node is refused: it cannot warm restart).
    public var allowColdCommunity: Bool

    /// Options; all off by default.
    public init(allowRF1: Bool = false, continueOnCold: Bool = false, requireWarm: Bool = false,
                allowColdCommunity: Bool = false)
    {
        self.allowRF1 = allowRF1
        self.continueOnCold = continueOnCold
        self.requireWarm = requireWarm
        self.allowColdCommunity = allowColdCommunity
    }

    enum CodingKeys: String, CodingKey {
        case allowRF1 = "allow_rf1", continueOnCold = "continue_on_cold", requireWarm = "require_warm"
        case allowColdCommunity = "allow_cold_community"
    }
}

/// How a run ended, and the exit code it gives (SPEC §1).
public enum RunOutcome: Sendable, Equatable {
    /// Every selected node is done.
    case finished
    /// A step failed or timed out, or a node cold started unexpectedly; nothing further was touched.
    case halted(StepFailure)
    /// The operator interrupted the run at a step boundary.
    case interrupted
    /// The run was refused before anything was touched.
    case refused(String)

    /// The process exit code.
    public var exitCode: Int32 {
        switch self {
        case .finished: 0
        case .halted: 1
        case .refused: 3
        case .interrupted: 130
        }
    }
}

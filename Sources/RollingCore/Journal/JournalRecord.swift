import Foundation

/// One line of the journal: a fact about the run, written before or after the action it describes (SPEC §6).
///
/// A step's `step_begin` is on disk before the step's first remote command; its `step_end` after its verification.
/// The facts carry what `resume` needs to re-probe the node: the boot id before a reboot, the backup directory, the
/// node's clock before a start.
public struct JournalRecord: Sendable, Equatable, Codable {
    /// What the record says.
    public enum Kind: String, Sendable, Codable {
        /// A run began; the facts hold its options and where its copies of the inventory and playbook are.
        case runStarted = "run_started"
        /// A run was resumed by a new controller process.
        case runResumed = "run_resumed"
        /// Leases were written on every node.
        case leaseWritten = "lease_written"
        /// The roll began on a node.
        case nodeStarted = "node_started"
        /// A step is about to issue its first remote command.
        case stepBegin = "step_begin"
        /// A step finished and its result was verified.
        case stepEnd = "step_end"
        /// A fact learned in the middle of a step, on disk before the step's next mutating command (the boot id
        /// before a reboot, the node's clock before a stop or a start).
        case stepNote = "step_note"
        /// A step was found already done on resume, by probing the node.
        case stepVerified = "step_verified"
        /// A step was not needed (cold path, no reboot, quiesce off).
        case stepSkipped = "step_skipped"
        /// A step failed or timed out; the run halted there.
        case stepFailed = "step_failed"
        /// A node is done: restarted, rejoined, migrations finished, cleaned up.
        case nodeFinished = "node_finished"
        /// The run stopped on a failure; `resume` continues it.
        case runHalted = "run_halted"
        /// The operator interrupted the run at a step boundary; `resume` continues it.
        case runInterrupted = "run_interrupted"
        /// Every selected node is done.
        case runFinished = "run_finished"
        /// The operator gave up on the run (`asroll abandon`).
        case runAbandoned = "run_abandoned"
    }

    /// What the record says.
    public var kind: Kind
    /// The run it belongs to.
    public var runID: String
    /// Position in the journal, from 1.
    public var sequence: Int
    /// Wall-clock time of writing.
    public var time: Date
    /// The node concerned.
    public var node: String?
    /// The step concerned.
    public var step: String?
    /// Facts needed to resume; never a secret.
    public var facts: [String: JSONValue]

    /// A record; `sequence` and `time` are set by the journal when it is appended.
    public init(_ kind: Kind, runID: String, node: String? = nil, step: String? = nil,
                facts: [String: JSONValue] = [:])
    {
        self.kind = kind
        self.runID = runID
        self.sequence = 0
        self.time = Date()
        self.node = node
        self.step = step
        self.facts = facts
    }

    enum CodingKeys: String, CodingKey {
        case kind = "record", runID = "run_id", sequence = "seq", time = "ts", node, step, facts
    }
}

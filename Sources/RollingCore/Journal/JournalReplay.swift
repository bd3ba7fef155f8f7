/// Where a run stands according to its journal: which nodes are done, which node was in progress, which of its
/// steps ended and which one was in flight when the controller stopped.
public struct JournalReplay: Sendable, Equatable {
    /// The run.
    public var runID: String
    /// The facts of `run_started`: options, selected nodes, where the copies of the files are.
    public var startFacts: [String: JSONValue]
    /// Nodes whose cycle finished.
    public var finishedNodes: [String]
    /// The node that was started and not finished.
    public var currentNode: String?
    /// The facts of the current node's `node_started`.
    public var currentNodeFacts: [String: JSONValue]
    /// The current node's steps that ended (or were verified), in order.
    public var completedSteps: [StepKind]
    /// The current node's step that began and did not end: its effect is in doubt.
    public var inFlightStep: StepKind?
    /// Facts of the current node's notes and ended steps, later ones overriding earlier ones.
    public var facts: [String: JSONValue]
    /// Whether the lease was written on every node.
    public var leaseWritten: Bool
    /// How the run ended, when it did.
    public var ending: JournalRecord.Kind?

    /// Whether `resume` can continue the run.
    public var isResumable: Bool { ending != .runFinished && ending != .runAbandoned }

    /// Replays `records`.
    ///
    /// - Throws: `ReplayError` when the records are not one coherent run.
    public init(records: [JournalRecord]) throws(ReplayError) {
        guard let first = records.first, first.kind == .runStarted else { throw .noRunStarted }
        runID = first.runID
        startFacts = first.facts
        finishedNodes = []
        currentNode = nil
        currentNodeFacts = [:]
        completedSteps = []
        inFlightStep = nil
        facts = [:]
        leaseWritten = false
        ending = nil
        for record in records.dropFirst() {
            guard record.runID == runID else { throw .mixedRuns(runID, record.runID) }
            let step = record.step.flatMap(StepKind.init(rawValue:))
            switch record.kind {
            case .runStarted:
                throw .mixedRuns(runID, record.runID)
            case .runResumed:
                ending = nil
            case .leaseWritten:
                leaseWritten = true
            case .nodeStarted:
                currentNode = record.node
                currentNodeFacts = record.facts
                completedSteps = []
                inFlightStep = nil
                facts = [:]
            case .stepBegin:
                inFlightStep = step
            case .stepNote:
                facts.merge(record.facts) { $1 }
            case .stepEnd, .stepVerified, .stepSkipped:
                if let step, !completedSteps.contains(step) { completedSteps.append(step) }
                if inFlightStep == step { inFlightStep = nil }
                facts.merge(record.facts) { $1 }
            case .stepFailed:
                break  // the step stays in flight: its effect is in doubt
            case .nodeFinished:
                if let node = record.node, !finishedNodes.contains(node) { finishedNodes.append(node) }
                currentNode = nil
                currentNodeFacts = [:]
                completedSteps = []
                inFlightStep = nil
                facts = [:]
            case .runHalted, .runInterrupted, .runFinished, .runAbandoned:
                ending = record.kind
            }
        }
    }
}

/// A journal that does not describe one coherent run.
public enum ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first record is not `run_started`.
    case noRunStarted
    /// Records of two runs are mixed.
    case mixedRuns(String, String)

    public var description: String {
        switch self {
        case .noRunStarted: "the journal does not begin with run_started"
        case .mixedRuns(let first, let other): "the journal mixes runs \(first) and \(other)"
        }
    }
}

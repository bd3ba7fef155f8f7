import Foundation
import SystemSupport

/// Something that happened during a run, as the operator and machines see it (SPEC §7).
///
/// Every event goes to the state dir's `events.jsonl`; with `--json` it is also printed on stdout, and the human
/// renderer turns it into a line of text.
public struct RunEvent: Sendable, Equatable, Codable {
    /// What kind of thing happened.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case runStarted = "run_started"
        case preflight = "preflight"
        case refused = "refused"
        case gate = "gate"
        case gateWaiting = "gate_waiting"
        case nodeStarted = "node_started"
        case stepStarted = "step_started"
        case stepProgress = "step_progress"
        case stepFinished = "step_finished"
        case stepSkipped = "step_skipped"
        case stepFailed = "step_failed"
        case warning = "warning"
        case nodeFinished = "node_finished"
        case leaseWritten = "lease_written"
        case leaseReleased = "lease_released"
        case interrupted = "interrupted"
        case runHalted = "run_halted"
        case runFinished = "run_finished"
    }

    /// What kind of thing happened.
    public var event: Kind
    /// When, as wall-clock time.
    public var time: Date
    /// The run this belongs to.
    public var runID: String?
    /// The node concerned, if any.
    public var node: String?
    /// The step concerned, if any.
    public var step: String?
    /// How long the step, gate or run took, in seconds.
    public var duration: Double?
    /// One line an operator can read.
    public var message: String
    /// Facts for machines: exit statuses, cluster keys, migrations remaining, reasons per node.
    public var details: [String: JSONValue]

    /// An event of `kind`, now.
    public init(_ kind: Kind, runID: String? = nil, node: String? = nil, step: String? = nil,
                duration: Duration? = nil, message: String, details: [String: JSONValue] = [:], time: Date = Date())
    {
        self.event = kind
        self.time = time
        self.runID = runID
        self.node = node
        self.step = step
        self.duration = duration?.seconds
        self.message = message
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case event, time = "ts", runID = "run_id", node, step, duration, message, details
    }

    /// The event as one line of JSON (no trailing newline).
    public func jsonLine() -> String {
        (try? JSONLines.line(self)) ?? "{}"
    }

    /// Decodes an event from one line of `events.jsonl`.
    public static func decode(jsonLine line: String) throws -> RunEvent {
        try JSONLines.decode(RunEvent.self, from: line)
    }
}

/// A step that did not succeed: what happened, on which node, the command and its output, and what to do next.
///
/// Every halt of a run is one of these; its `description` is what the operator reads at 3 a.m.
public struct StepFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// A command exited non-zero or was killed by a signal.
        case commandFailed = "command failed"
        /// The step's budget ran out.
        case timedOut = "timed out"
        /// The commands succeeded but the result is not what the step requires.
        case verificationFailed = "verification failed"
        /// The node could not be reached over SSH.
        case unreachable = "unreachable"
        /// The node's state makes the step unsafe; nothing was done.
        case unsafe = "unsafe to continue"
        /// The operator interrupted a wait (a gate); the step is not done and resumes from its start.
        case interrupted = "interrupted"
    }

    /// The node.
    public var node: String
    /// The step.
    public var step: StepKind
    /// What kind of failure.
    public var kind: Kind
    /// What happened.
    public var message: String
    /// The command concerned, when there is one.
    public var command: String?
    /// Its exit status.
    public var exitStatus: Int32?
    /// Its exit signal.
    public var exitSignal: String?
    /// The last lines of its output.
    public var outputTail: String?
    /// What the operator can do next.
    public var hint: String

    /// A failure of `step` on `node`.
    public init(node: String, step: StepKind, kind: Kind, message: String, command: String? = nil,
                exitStatus: Int32? = nil, exitSignal: String? = nil, outputTail: String? = nil, hint: String)
    {
        self.node = node
        self.step = step
        self.kind = kind
        self.message = message
        self.command = command
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
        self.outputTail = outputTail
        self.hint = hint
    }

    public var description: String {
        var lines = ["\(node): step \(step.rawValue) \(kind.rawValue): \(message)"]
        if let command { lines.append("  command: \(command)") }
        if let exitSignal {
            lines.append("  killed by signal \(exitSignal)")
        } else if let exitStatus {
            lines.append("  exit status: \(exitStatus)")
        }
        if let outputTail, !outputTail.isEmpty {
            lines.append("  output (last lines):")
            lines.append(contentsOf: outputTail.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "    | \($0)" })
        }
        lines.append("  next: \(hint)")
        return lines.joined(separator: "\n")
    }

    /// The last `count` lines of stdout and stderr together.
    public static func tail(stdout: String, stderr: String, lines count: Int = 15) -> String {
        let combined = [stdout, stderr].filter { !$0.isEmpty }.joined(separator: "\n")
        let lines = combined.split(separator: "\n", omittingEmptySubsequences: true)
        return lines.suffix(count).joined(separator: "\n")
    }
}

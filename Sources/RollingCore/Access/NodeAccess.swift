import AerospikeInfo
import Foundation
import SSHClient
import SystemSupport

/// Everything asroll needs to act on one node: its shell, its info port and its command log.
///
/// Every remote command goes through `run`, which logs the command and its output as they arrive and turns
/// connection problems into `StepFailure`s that name the node, the step and what to do.
public struct NodeAccess: Sendable {
    /// The node.
    public var node: NodeSpec
    /// Its shell.
    public var shell: any RemoteShell
    /// Its info port (direct or through asinfo).
    public var info: any InfoSource
    /// Where its commands are logged, when logging.
    public var log: CommandLog?

    /// Access to `node`.
    public init(node: NodeSpec, shell: any RemoteShell, info: any InfoSource, log: CommandLog? = nil) {
        self.node = node
        self.shell = shell
        self.info = info
        self.log = log
    }

    /// The node's name.
    public var name: String { node.name }

    /// Runs `command` within `timeout`; a non-zero exit is a result, not a failure.
    ///
    /// A connection found broken before the command started (it dropped while idle: a network blip, an sshd
    /// restart) is connected again once and the command run on the new connection: nothing had run.
    ///
    /// - Throws: `StepFailure` when the node cannot be reached, the connection drops during the command, or the
    ///   budget runs out (the remote command's process group has then been killed).
    public func run(_ command: String, step: StepKind, timeout: Duration, purpose: String? = nil)
        async throws(StepFailure) -> CommandResult
    {
        log?.started(command, purpose: purpose ?? step.rawValue, timeout: timeout)
        let log = self.log
        let start = ContinuousClock.now
        let output: @Sendable (CommandOutputStream, String) -> Void = { stream, text in
            log?.output(text, stderr: stream == .stderr)
        }
        do {
            let result: CommandResult
            do {
                result = try await shell.run(command, timeout: timeout, onOutput: output)
            } catch let error as SSHError where error.kind == .connectionLost && error.partialResult == nil {
                // Without a partial result the command never started: the session was already dead.
                log?.note("the connection was found broken before the command started (\(error.message)); "
                    + "connecting again")
                result = try await shell.run(command, timeout: timeout, onOutput: output)
            }
            log?.finished(exitStatus: result.exitStatus, signal: result.exitSignal, duration: result.duration)
            return result
        } catch {
            let elapsed = ContinuousClock.now - start
            log?.finished(exitStatus: nil, signal: nil, duration: elapsed, error: "\(error)")
            throw failure(for: error, command: command, step: step, timeout: timeout)
        }
    }

    /// Runs `command` and requires exit 0.
    ///
    /// - Throws: `StepFailure` with the exit status and the output's last lines when it fails.
    @discardableResult
    public func runChecked(_ command: String, step: StepKind, timeout: Duration, purpose: String? = nil,
                           hint: String? = nil) async throws(StepFailure) -> CommandResult
    {
        let result = try await run(command, step: step, timeout: timeout, purpose: purpose)
        guard result.succeeded else {
            throw StepFailure(
                node: name, step: step, kind: .commandFailed,
                message: result.exitSignal.map { "the command was killed by signal \($0)" }
                    ?? "the command exited with status \(result.exitStatus)",
                command: command, exitStatus: result.exitStatus, exitSignal: result.exitSignal,
                outputTail: StepFailure.tail(stdout: result.stdout, stderr: result.stderr),
                hint: hint ?? "fix the cause on \(name) (see the output above and the node's command log), then "
                    + "`asroll resume`; the step is repeated from its start")
        }
        return result
    }

    /// Sends info commands to the node.
    ///
    /// - Throws: `StepFailure` (`unreachable`) when the info port does not answer.
    public func info(_ commands: [String], step: StepKind, timeout: Duration) async throws(StepFailure)
        -> InfoResponse
    {
        do {
            let response = try await info.request(commands, timeout: timeout)
            log?.note("info \(commands.joined(separator: ", ")) -> "
                + response.answers.map { "\($0.command)=\($0.value.prefix(120))" }.joined(separator: " | "))
            return response
        } catch {
            log?.note("info \(commands.joined(separator: ", ")) failed: \(error)")
            throw StepFailure(node: name, step: step, kind: .unreachable,
                              message: ClusterObserver.describe(error),
                              hint: "check that asd runs on \(name) and that its info port is reachable, then "
                                  + "`asroll resume`")
        }
    }

    private func failure(for error: any Error, command: String, step: StepKind, timeout: Duration) -> StepFailure {
        guard let error = error as? SSHError else {
            return StepFailure(node: name, step: step, kind: .unreachable, message: "\(error)", command: command,
                               hint: "check the node, then `asroll resume`")
        }
        let partial = error.partialResult.map { StepFailure.tail(stdout: $0.stdout, stderr: $0.stderr) }
        switch error.kind {
        case .commandTimeout:
            return StepFailure(
                node: name, step: step, kind: .timedOut,
                message: "the command did not finish within \(timeout.formattedSeconds); its processes on the node "
                    + "were killed", command: command, outputTail: partial,
                hint: "find out why it hangs on \(name) (or raise the playbook's timeout for \(step.rawValue)), "
                    + "then `asroll resume`")
        case .hostKeyUnknown, .hostKeyChanged, .knownHostsUnreadable, .authenticationFailed:
            return StepFailure(node: name, step: step, kind: .unreachable, message: error.message, command: command,
                               hint: "fix SSH access to \(name) (host key or credentials), then `asroll resume`")
        default:
            return StepFailure(
                node: name, step: step, kind: .unreachable,
                message: "SSH \(error.kind): \(error.message)", command: command, outputTail: partial,
                hint: "the node may be down or the network interrupted; check \(name), then `asroll resume`, "
                    + "which re-probes the node before it repeats anything")
        }
    }
}

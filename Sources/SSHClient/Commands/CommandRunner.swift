import Logging
import SystemSupport

/// Runs one command on a session under a deadline covering the whole command, and cleans up after a timeout.
struct CommandRunner {
    let session: LibSSH2Session
    let options: SSHOptions
    let logger: Logger

    /// Runs `command` (wrapped so its PID is known) and returns its output and how it ended.
    ///
    /// - Throws: `commandTimeout` with the partial result after killing the command's process group;
    ///   `connectionLost` with the partial result; `channelFailed`, `invalidCommand`.
    func run(_ command: String, timeout: Duration, onOutput: (@Sendable (CommandOutputStream, String) -> Void)?)
        throws(SSHError) -> CommandResult
    {
        guard !command.utf8.contains(0) else {
            throw SSHError(.invalidCommand, endpoint: session.endpoint,
                           message: "\(Self.quoted(command)) contains a NUL byte, which no shell command can")
        }
        session.reapAbandonedChannels()
        let started = ContinuousClock.now
        let deadline = Deadline.after(timeout)
        var output = OutputCollector(expectsMarker: true, onOutput: onOutput)
        let channel: ExecChannel
        do {
            channel = try ExecChannel(session: session, commandLine: PIDMarker.wrap(command), deadline: deadline)
        } catch {
            // Nothing was started, or nothing we know the PID of: a session that cannot open a channel in time is
            // not worth keeping.
            if error.kind == .commandTimeout { session.isBroken = true }
            throw rephrased(error, command: command, timeout: timeout, detail: "could not start")
        }
        do {
            try channel.readToEnd(into: &output, deadline: deadline)
            let end = try channel.close(deadline: deadline)
            output.finish()
            return output.result(command: command, exitStatus: end.exitStatus, exitSignal: end.exitSignal,
                                 duration: started.duration(to: .now))
        } catch where error.kind == .commandTimeout {
            let (ending, note) = stop(channel, output: &output)
            output.finish()
            let result = output.result(command: command, exitStatus: ending?.exitStatus ?? -1,
                                       exitSignal: ending?.exitSignal, duration: started.duration(to: .now))
            throw SSHError(.commandTimeout, endpoint: session.endpoint,
                           message: "\(Self.quoted(command)) did not finish within \(timeout.formattedSeconds); "
                               + note,
                           partialResult: result)
        } catch {
            channel.abandon()
            output.finish()
            var error = rephrased(error, command: command, timeout: timeout, detail: "was cut short")
            error.partialResult = output.result(command: command, exitStatus: -1, exitSignal: nil,
                                                duration: started.duration(to: .now))
            throw error
        }
    }

    /// Ends a timed-out command: SIGTERM to its process group, SIGKILL if it is still there after the grace period,
    /// each sent over a channel of its own. Returns how the command ended, if it did, and a sentence for the error.
    private func stop(_ channel: ExecChannel, output: inout OutputCollector)
        -> (ChannelExit?, String)
    {
        guard let pid = output.pid else {
            channel.abandon()
            // Without a PID nothing can be killed; the session is dropped so that at least its channel goes.
            session.isBroken = true
            return (nil, "its PID was not known yet, so it could not be killed and may still be running on the host")
        }
        for signal in ["TERM", "KILL"] {
            do {
                try send(signal, toProcessGroup: pid)
            } catch {
                channel.abandon()
                session.isBroken = true
                return (nil, "sending SIG\(signal) to its process group \(pid) failed (\(error.message)); "
                    + "it may still be running on the host")
            }
            do {
                let grace = Deadline.after(options.killGracePeriod)
                try channel.readToEnd(into: &output, deadline: grace)
                let end = try channel.close(deadline: grace)
                let how = end.exitSignal.map { "it ended by SIG\($0)" } ?? "it exited with status \(end.exitStatus)"
                let sent = signal == "TERM" ? "SIGTERM"
                    : "SIGTERM, then SIGKILL after \(options.killGracePeriod.formattedSeconds)"
                return (end, "its process group \(pid) was sent \(sent) and \(how)")
            } catch where error.kind == .commandTimeout {
                continue
            } catch {
                channel.abandon()
                return (nil, "after SIG\(signal) to its process group \(pid): \(error.message)")
            }
        }
        channel.abandon()
        logger.warning("abandoned the channel of a command that survived SIGKILL",
                       metadata: ["pid": "\(pid)", "abandoned": "\(session.abandonedChannelCount)"])
        return (nil, "its process group \(pid) was sent SIGTERM and SIGKILL but its channel stayed open "
            + "(a process outside the group may hold its output); the channel was abandoned")
    }

    /// Runs `kill -s SIGNAL -- -PID` on a second channel, bounded by `options.killTimeout`.
    private func send(_ signal: String, toProcessGroup pid: Int32) throws(SSHError) {
        let deadline = Deadline.after(options.killTimeout)
        let channel = try ExecChannel(session: session,
                                      commandLine: PIDMarker.killCommand(processGroup: pid, signal: signal),
                                      deadline: deadline)
        var ignored = OutputCollector(expectsMarker: false, onOutput: nil)
        try channel.readToEnd(into: &ignored, deadline: deadline)
        _ = try channel.close(deadline: deadline)
        logger.debug("signalled timed-out command", metadata: ["pid": "\(pid)", "signal": "\(signal)"])
    }

    private func rephrased(_ error: SSHError, command: String, timeout: Duration, detail: String) -> SSHError {
        var error = error
        if error.kind == .commandTimeout {
            error.message = "\(Self.quoted(command)) \(detail) within \(timeout.formattedSeconds) (\(error.message))"
        } else if error.kind == .connectionLost {
            error.message = "\(Self.quoted(command)) \(detail): the connection broke (\(error.message)); "
                + "whether the command ran to the end on the host is unknown"
        } else {
            error.message = "\(Self.quoted(command)) \(detail): \(error.message)"
        }
        return error
    }

    /// The command in backquotes, shortened to keep messages readable.
    static func quoted(_ command: String) -> String {
        let oneLine = command.replacing("\n", with: "\\n")
        return "`" + (oneLine.count > 120 ? oneLine.prefix(117) + "..." : oneLine) + "`"
    }
}

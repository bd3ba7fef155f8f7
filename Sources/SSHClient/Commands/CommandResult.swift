/// What a remote command produced and how it ended.
public struct CommandResult: Sendable, Equatable {
    /// The command as the caller gave it (without the PID-marker wrapper).
    public var command: String
    /// Everything the command wrote to standard output, decoded as UTF-8 (invalid bytes replaced).
    public var stdout: String
    /// Everything the command wrote to standard error, decoded as UTF-8 (invalid bytes replaced).
    public var stderr: String
    /// The exit status; -1 when the command was ended by a signal or its end was not seen.
    public var exitStatus: Int32
    /// The name of the signal that ended the command, without `SIG` (`"TERM"`); nil if it exited normally.
    public var exitSignal: String?
    /// Time from opening the channel to seeing the command end (or giving up on it).
    public var duration: Duration

    /// A result with every field given.
    public init(command: String, stdout: String, stderr: String, exitStatus: Int32, exitSignal: String?,
                duration: Duration) {
        self.command = command
        self.stdout = stdout
        self.stderr = stderr
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
        self.duration = duration
    }

    /// Whether the command exited with status 0 and was not killed by a signal.
    public var succeeded: Bool { exitStatus == 0 && exitSignal == nil }
}

/// Which of a command's output streams a chunk of output came from.
///
/// Not called `OutputStream`, which would clash with Foundation's class of that name in every file importing both.
public enum CommandOutputStream: Sendable, Hashable {
    /// Standard output.
    case stdout
    /// Standard error.
    case stderr
}

import Foundation
import Synchronization
import SystemSupport

/// The per-node log of every remote command: the line, its output as it arrives, its exit status and duration.
///
/// Lines are handed to the kernel as they arrive, so a crash of the controller loses nothing of a command's output.
public final class CommandLog: Sendable {
    /// The log file.
    public let path: String
    private let file: Mutex<AppendOnlyFile>

    /// Opens (creating) the log at `path`.
    public init(path: String) throws {
        self.path = path
        file = Mutex(try AppendOnlyFile(path: path))
    }

    /// Records that `command` starts, for `purpose`, with its budget.
    public func started(_ command: String, purpose: String, timeout: Duration) {
        write("[\(purpose)] $ \(command)    (timeout \(timeout.formattedSeconds))")
    }

    /// Records output as it arrives.
    public func output(_ text: String, stderr: Bool) {
        let tag = stderr ? "stderr" : "stdout"
        for line in text.split(separator: "\n", omittingEmptySubsequences: false)
        where !line.isEmpty {
            write("  \(tag)| \(line)")
        }
    }

    /// Records how the command ended.
    public func finished(exitStatus: Int32?, signal: String?, duration: Duration, error: String? = nil) {
        if let error {
            write("  => \(error) after \(duration.formattedSeconds)")
        } else if let signal {
            write("  => killed by signal \(signal) after \(duration.formattedSeconds)")
        } else {
            write("  => exit \(exitStatus ?? -1) after \(duration.formattedSeconds)")
        }
    }

    /// Records a free-form note (an info request, a decision).
    public func note(_ text: String) {
        write("# \(text)")
    }

    private func write(_ line: String) {
        let stamped = "\(Timestamp.iso8601(Date())) \(line)"
        file.withLock { try? $0.append(line: stamped, sync: false) }
    }
}

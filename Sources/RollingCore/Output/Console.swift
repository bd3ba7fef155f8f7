import Foundation

/// Where a command's output goes: human text on stdout, or with `--json` JSON Lines on stdout and human text on
/// stderr; and how it asks the operator to confirm.
public struct Console: Sendable {
    /// Whether machine-readable output was asked for.
    public var json: Bool

    /// A console.
    public init(json: Bool) {
        self.json = json
    }

    /// The descriptor human text goes to.
    public var humanFD: Int32 { json ? STDERR_FILENO : STDOUT_FILENO }

    /// Prints human text.
    public func say(_ text: String) {
        writeAll(fd: humanFD, text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Prints an error (always on stderr).
    public func error(_ text: String) {
        writeAll(fd: STDERR_FILENO, text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Prints one JSON object on stdout, when `--json` was given.
    public func json(_ value: JSONValue) {
        guard json, let line = try? JSONLines.line(value) else { return }
        writeAll(fd: STDOUT_FILENO, line + "\n")
    }

    /// The event sinks for the console: human lines, and JSON lines with `--json`.
    public var eventSinks: [any EventSink] {
        json ? [JSONLinesStreamSink(fd: STDOUT_FILENO), HumanRenderer(fd: STDERR_FILENO)]
            : [HumanRenderer(fd: STDOUT_FILENO)]
    }

    /// Whether a person can be asked: stdin is a terminal.
    public var canAsk: Bool { isatty(STDIN_FILENO) == 1 }

    /// Asks `question`; only `y` or `yes` confirms.
    public func confirm(_ question: String) -> Bool {
        writeAll(fd: humanFD, question + " [y/N] ")
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

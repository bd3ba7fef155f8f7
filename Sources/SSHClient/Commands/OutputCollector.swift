/// Collects a command's stdout and stderr, strips the PID marker and hands complete lines to the caller's callback.
struct OutputCollector {
    private(set) var stdout: [UInt8] = []
    private(set) var stderr: [UInt8] = []
    private var marker: PIDMarkerScanner?
    private let onOutput: (@Sendable (CommandOutputStream, String) -> Void)?
    // Bytes after the last newline: the callback gets whole lines, so a multi-byte character is never split.
    private var pendingStdout: [UInt8] = []
    private var pendingStderr: [UInt8] = []

    /// A collector; `expectsMarker` when the command was wrapped by `PIDMarker.wrap`.
    init(expectsMarker: Bool, onOutput: (@Sendable (CommandOutputStream, String) -> Void)?) {
        marker = expectsMarker ? PIDMarkerScanner() : nil
        self.onOutput = onOutput
    }

    /// The remote PID, once known.
    var pid: Int32? { marker?.pid }

    /// Adds bytes read from `stream`.
    mutating func append(_ bytes: some Collection<UInt8>, from stream: CommandOutputStream) {
        switch stream {
        case .stdout:
            stdout.append(contentsOf: bytes)
            Self.deliverLines(bytes, pending: &pendingStdout, stream: .stdout, to: onOutput)
        case .stderr:
            let passed = marker?.consume(bytes) ?? Array(bytes)
            stderr.append(contentsOf: passed)
            Self.deliverLines(passed, pending: &pendingStderr, stream: .stderr, to: onOutput)
        }
    }

    /// Ends both streams: releases held-back stderr and delivers unterminated last lines.
    mutating func finish() {
        if let released = marker?.flush(), !released.isEmpty {
            stderr.append(contentsOf: released)
            pendingStderr.append(contentsOf: released)
        }
        Self.deliver(&pendingStdout, stream: .stdout, to: onOutput)
        Self.deliver(&pendingStderr, stream: .stderr, to: onOutput)
    }

    private static func deliverLines(_ bytes: some Collection<UInt8>, pending: inout [UInt8],
                                     stream: CommandOutputStream,
                                     to onOutput: (@Sendable (CommandOutputStream, String) -> Void)?) {
        guard let onOutput else { return }
        pending.append(contentsOf: bytes)
        guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { return }
        onOutput(stream, String(decoding: pending[...lastNewline], as: UTF8.self))
        pending.removeSubrange(...lastNewline)
    }

    private static func deliver(_ pending: inout [UInt8], stream: CommandOutputStream,
                                to onOutput: (@Sendable (CommandOutputStream, String) -> Void)?) {
        guard let onOutput, !pending.isEmpty else { return }
        onOutput(stream, String(decoding: pending, as: UTF8.self))
        pending.removeAll()
    }

    /// The result so far.
    func result(command: String, exitStatus: Int32, exitSignal: String?, duration: Duration) -> CommandResult {
        CommandResult(command: command, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self), exitStatus: exitStatus,
                      exitSignal: exitSignal, duration: duration)
    }
}

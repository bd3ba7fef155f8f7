/// The wrapper that makes a remote command's PID known, so that a timed-out command can be killed.
///
/// libssh2 1.10 cannot send the SSH "signal" request, and sshd keeps a non-pty command running after its channel is
/// abandoned. So the login shell first writes its PID to stderr and then `eval`s the command, quoted as one word.
/// sshd `setsid()`s every non-pty session, so that PID is also the process-group id, and `kill -s TERM -- -PID` over
/// a second channel ends the command and everything it started.
///
/// `eval` keeps the command's meaning exactly what plain `ssh node 'command'` gives (same shell, same `$$`, a syntax
/// error in the command cannot swallow the marker), and costs nothing: `exec /bin/sh -c '…'` would add a second
/// shell start, ~0.6 ms on every command. The login shell must be POSIX-like (sh, bash, dash, ksh, zsh) for the
/// marker; otherwise commands still run, but a timed-out one cannot be killed.
enum PIDMarker {
    /// Starts the marker line on stderr; the PID and a newline follow.
    static let prefix = "__asroll_pid="

    /// The command line sent to the server for `command`.
    static func wrap(_ command: String) -> String {
        "echo \(prefix)$$ >&2; eval \(ShellQuoting.quote(command))"
    }

    /// The command line that sends `signal` to the process group `pid`. `-s NAME --` is the one spelling that dash,
    /// bash and POSIX all accept for a negative (group) id.
    static func killCommand(processGroup pid: Int32, signal: String) -> String {
        "kill -s \(signal) -- -\(pid) 2>/dev/null; exit 0"
    }
}

/// Finds and removes the PID marker line in a command's stderr as it arrives.
///
/// Whatever the login shell's rc files print before the marker is kept. Bytes are held back only until the marker
/// line is complete (or `holdLimit` bytes came without one, in which case the PID stays unknown).
struct PIDMarkerScanner {
    private static let prefix = Array(PIDMarker.prefix.utf8)
    private static let holdLimit = 65_536

    /// The remote PID, once the marker line has been seen.
    private(set) var pid: Int32?
    private var held: [UInt8] = []
    private var isDone = false

    /// Takes the next stderr bytes; returns those that belong to the command's own stderr.
    mutating func consume(_ bytes: some Collection<UInt8>) -> [UInt8] {
        if isDone { return Array(bytes) }
        held.append(contentsOf: bytes)
        if let start = held.firstRange(of: Self.prefix)?.lowerBound,
           let newline = held[start...].firstIndex(of: UInt8(ascii: "\n"))
        {
            let digits = held[(start + Self.prefix.count)..<newline]
            pid = Int32(String(decoding: digits, as: UTF8.self))
            let passed = Array(held[..<start] + held[(newline + 1)...])
            return finish(passing: passed)
        }
        if held.count > Self.holdLimit { return finish(passing: held) }
        return []
    }

    /// Releases whatever is still held when the stream ends without a complete marker.
    mutating func flush() -> [UInt8] {
        isDone ? [] : finish(passing: held)
    }

    private mutating func finish(passing bytes: [UInt8]) -> [UInt8] {
        isDone = true
        held = []
        return bytes
    }
}

import Foundation

/// The mark a run leaves on every node before its first mutating command, so that no other controller starts a
/// roll on a half-maintained cluster (SPEC §6).
public struct Lease: Sendable, Equatable, Codable {
    /// The cluster's name from the inventory.
    public var cluster: String
    /// The run holding it.
    public var runID: String
    /// `user@host` of the controller.
    public var holder: String
    /// The controller's process id.
    public var pid: Int32
    /// When the run started.
    public var started: Date

    /// A lease.
    public init(cluster: String, runID: String, holder: String, pid: Int32, started: Date) {
        self.cluster = cluster
        self.runID = runID
        self.holder = holder
        self.pid = pid
        self.started = started
    }

    enum CodingKeys: String, CodingKey {
        case cluster, runID = "run_id", holder, pid, started
    }

    /// The lease for a run of this process.
    public static func forThisProcess(cluster: String, runID: String, started: Date = Date()) -> Lease {
        let user = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName
        let host = ProcessInfo.processInfo.hostName
        return Lease(cluster: cluster, runID: runID, holder: "\(user)@\(host)", pid: getpid(), started: started)
    }

    /// One line for messages: who holds it and since when.
    public var summary: String {
        "run \(runID) of \(holder) (pid \(pid)) on cluster \(cluster), since \(Timestamp.iso8601(started))"
    }

    /// The command that prints the lease at `path`, or nothing when there is none.
    public static func readCommand(path: String) -> String {
        "cat \(ShellQuote.quote(path)) 2>/dev/null || true"
    }

    /// The command that writes this lease at `path` atomically (a temporary file renamed over it).
    public func writeCommand(path: String) -> String {
        let json = (try? JSONLines.line(self)) ?? "{}"
        let temporary = ShellQuote.quote(path + ".tmp")
        return "umask 077 && printf '%s\\n' \(ShellQuote.quote(json)) > \(temporary) && mv -f \(temporary) "
            + ShellQuote.quote(path)
    }

    /// The command that removes the lease at `path` only when it is this run's.
    public static func releaseCommand(path: String, runID: String) -> String {
        let quoted = ShellQuote.quote(path)
        return "if grep -qF \(ShellQuote.quote("\"run_id\":\"\(runID)\"")) \(quoted) 2>/dev/null; then rm -f \(quoted); fi"
    }

    /// The command that removes whatever lease is at `path` (`asroll unlock --force`).
    public static func forceRemoveCommand(path: String) -> String {
        "rm -f \(ShellQuote.quote(path))"
    }

    /// Parses what `readCommand` printed; `nil` when there is no lease.
    ///
    /// - Throws: when something is there but is not a lease (asroll never writes such a file).
    public static func parse(_ output: String) throws -> Lease? {
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return nil }
        return try JSONLines.decode(Lease.self, from: text)
    }
}

import Foundation

/// The controller's state dir (default `.asroll/`): the lock, the journal of the unfinished run, and one folder per
/// run with its events, command logs, copies of the inventory and playbook, and report.
///
/// ```
/// .asroll/lock                     held (flock) by the controller using the dir
/// .asroll/journal.jsonl            the unfinished run's journal; absent when no run is unfinished
/// .asroll/runs/<run-id>/           events.jsonl, journal.jsonl once finished, nodes/<node>.log, inventory.yml,
///                                  playbook.yml, report.md, report.html
/// ```
public final class StateDirectory: Sendable {
    /// The directory.
    public let path: String
    private let lockDescriptor: Int32

    /// Opens `path` (creating it) and takes its lock.
    ///
    /// - Throws: `StateDirectoryError.locked` when another controller holds it (refused for safety, exit 3).
    public init(path: String) throws {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: absolute + "/runs", withIntermediateDirectories: true)
        let lockPath = absolute + "/lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StateDirectoryError.unusable(path: lockPath, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw StateDirectoryError.locked(path: absolute, holder: holder ?? "another asroll")
        }
        let lease = Lease.forThisProcess(cluster: "-", runID: "-")
        ftruncate(fd, 0)
        let text = "\(lease.holder) pid \(lease.pid)\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        self.path = absolute
        self.lockDescriptor = fd
    }

    deinit {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    /// The unfinished run's journal.
    public var journalPath: String { path + "/journal.jsonl" }

    /// Whether a run is unfinished (its journal is still in place).
    public var hasUnfinishedRun: Bool { FileManager.default.fileExists(atPath: journalPath) }

    /// The folder of run `id`.
    public func runDirectory(_ id: String) -> String { path + "/runs/\(id)" }

    /// Moves the journal into its run's folder: the run is over (finished or abandoned).
    public func archiveJournal(runID: String) throws {
        let destination = runDirectory(runID) + "/journal.jsonl"
        try FileManager.default.createDirectory(atPath: runDirectory(runID), withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: destination) {
            try FileManager.default.removeItem(atPath: destination)
        }
        try FileManager.default.moveItem(atPath: journalPath, toPath: destination)
    }

    /// A new run id: the UTC time and a random suffix, sortable and unique.
    public static func newRunID(now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let suffix = String(UInt32.random(in: 0...0xFFFF), radix: 16)
        return formatter.string(from: now) + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
    }
}

/// A state dir that cannot be used.
public enum StateDirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another controller holds the lock.
    case locked(path: String, holder: String)
    /// The directory or its lock file cannot be created.
    case unusable(path: String, reason: String)

    public var description: String {
        switch self {
        case .locked(let path, let holder):
            "the state dir \(path) is in use by another asroll (\(holder)); two controllers must never drive the "
                + "same roll. Wait for it to finish, or stop it."
        case .unusable(let path, let reason):
            "cannot use the state dir: \(path): \(reason)"
        }
    }
}

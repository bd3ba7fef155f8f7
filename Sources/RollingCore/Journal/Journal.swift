import Foundation
import Synchronization

/// The run's write-ahead journal: append-only JSON Lines, each record `fsync`ed before `append` returns.
///
/// One controller writes it at a time (the state dir's lock guarantees that); appends from several tasks are
/// serialized.
public final class Journal: Sendable {
    /// The journal file.
    public let path: String
    private let state: Mutex<(file: AppendOnlyFile, sequence: Int)>

    /// Opens the journal at `path` for appending, continuing its numbering when it already holds records.
    public init(path: String) throws {
        self.path = path
        let existing = FileManager.default.fileExists(atPath: path) ? try Self.read(path: path).records : []
        state = Mutex((try AppendOnlyFile(path: path), existing.last?.sequence ?? 0))
    }

    /// Appends `record` and returns once it is on disk.
    @discardableResult
    public func append(_ record: JournalRecord) throws -> JournalRecord {
        try state.withLock { state in
            var record = record
            state.sequence += 1
            record.sequence = state.sequence
            record.time = Date()
            try state.file.append(line: JSONLines.line(record), sync: true)
            return record
        }
    }

    /// What a journal file holds.
    public struct Contents: Sendable, Equatable {
        /// Every complete record, in order.
        public var records: [JournalRecord]
        /// Whether the last line was cut short (the controller died while writing it); it is ignored.
        public var truncatedTail: Bool
    }

    /// Reads every record of the journal at `path`.
    ///
    /// - Throws: when the file cannot be read, or when a line other than the last is not a record (the journal was
    ///   edited or damaged, and resuming from it would not be safe).
    public static func read(path: String) throws -> Contents {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let endsWithNewline = lines.last == ""
        if endsWithNewline { lines.removeLast() }
        var records: [JournalRecord] = []
        var truncated = false
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                records.append(try JSONLines.decode(JournalRecord.self, from: line))
            } catch {
                if index == lines.count - 1 && !endsWithNewline {
                    truncated = true
                    continue
                }
                throw JournalError.damaged(path: path, line: index + 1, reason: "\(error)")
            }
        }
        return Contents(records: records, truncatedTail: truncated)
    }
}

/// A journal that cannot be trusted.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A line in the middle of the journal is not a record.
    case damaged(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .damaged(let path, let line, let reason):
            "\(path):\(line): not a journal record (\(reason)); the journal is damaged and resuming from it is not "
                + "safe. Inspect the node by hand, then `asroll abandon` the run."
        }
    }
}

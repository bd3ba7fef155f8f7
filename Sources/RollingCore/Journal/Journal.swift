import Foundation

/// The run's write-ahead journal: append-only JSON Lines, each record `fsync`ed before `append` returns.
///
/// Used by one controller at a time (the state dir's lock guarantees it), from one task at a time.
public final class Journal {
    /// The journal file.
    public let path: String
    private let file: AppendOnlyFile
    private var sequence: Int

    /// Opens the journal at `path` for appending, continuing its numbering when it already holds records.
    public init(path: String) throws {
        self.path = path
        sequence = FileManager.default.fileExists(atPath: path) ? (try Self.read(path: path).records.last?.sequence ?? 0) : 0
        file = try AppendOnlyFile(path: path)
    }

    /// Appends `record` and waits until it is on disk.
    @discardableResult
    public func append(_ record: JournalRecord) throws -> JournalRecord {
        var record = record
        sequence += 1
        record.sequence = sequence
        record.time = Date()
        try file.append(line: JSONLines.line(record), sync: true)
        return record
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
                let isLast = index == lines.count - 1
                if isLast && !endsWithNewline {
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

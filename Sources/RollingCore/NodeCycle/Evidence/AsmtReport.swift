import Foundation
/// What an `asmt -v` run printed, judged the only safe way: exit 0 is not enough, every namespace needs its
/// success line (asmt exits 0 when it found nothing to do).
public struct AsmtReport: Sendable, Equatable {
    /// Backup or restore.
    public enum Operation: String, Sendable {
        case backup, restore

        var successPrefix: String {
            switch self {
            case .backup: "Successfully backed up"
            case .restore: "Successfully restored"
            }
        }

        var nothingPrefix: String {
            switch self {
            case .backup: "Did not find any"
            case .restore: "Did not find any Aerospike database segment files"
            }
        }
    }

    /// Success lines found.
    public var successLines: [String]
    /// "Did not find any ..." lines: a namespace with nothing to back up or restore.
    public var nothingFoundLines: [String]
    /// Namespaces named in a "Did not find" line.
    public var namespacesWithNothing: [String]

    /// Reads the combined output of one run.
    public init(output: String, operation: Operation) {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        successLines = lines.filter { $0.hasPrefix(operation.successPrefix) }
        nothingFoundLines = lines.filter { $0.hasPrefix(operation.nothingPrefix) }
        namespacesWithNothing = nothingFoundLines.compactMap { line in
            guard let open = line.range(of: "namespace '"), let close = line[open.upperBound...].firstIndex(of: "'")
            else { return nil }
            return String(line[open.upperBound..<close])
        }
    }

    /// Whether every one of `namespaces` was backed up or restored.
    public func coversAll(_ namespaces: [String]) -> Bool {
        successLines.count >= namespaces.count && nothingFoundLines.isEmpty
    }
}

/// Every problem found in an inventory or a playbook, reported together so one edit can fix them all.
///
/// The command line prints `description` and exits with status 2 (invalid input).
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The problems, ordered by line (file-level problems without a line come first).
    public var problems: [ConfigProblem]

    /// An error holding `problems`, put in line order.
    public init(problems: [ConfigProblem]) {
        self.problems = ConfigError.ordered(problems)
    }

    /// One problem per line, then a count when there are several.
    public var description: String {
        var lines = problems.map(\.description)
        if problems.count > 1 {
            let files = Set(problems.map(\.file)).sorted().joined(separator: ", ")
            lines.append("\(problems.count) problems in \(files)")
        }
        return lines.joined(separator: "\n")
    }

    /// Stable sort by (line, column); problems without a position stay first, in the order they were found.
    static func ordered(_ problems: [ConfigProblem]) -> [ConfigProblem] {
        problems.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? 0, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? 0, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
    }
}

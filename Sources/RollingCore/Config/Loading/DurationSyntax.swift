/// The way durations are written in inventories and playbooks: `500ms`, `30s`, `10m`, `2h`, or combined, `1h30m`.
///
/// Components are whole numbers with a unit, largest unit first, each unit at most once. `0s` is valid syntax (a
/// setting may still require more than zero). Bare numbers are refused: `30` could mean seconds or minutes.
public enum DurationSyntax {
    /// The forms an error message lists.
    public static let acceptedForms = "500ms, 30s, 10m, 2h or a combination such as 1h30m"

    /// Why a duration could not be read.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong with the text, ending with the accepted forms.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// Units from largest to smallest, with their length in milliseconds.
    private static let units: [(symbol: String, milliseconds: Int64)] = [
        ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// The longest duration accepted (a year), so arithmetic can never overflow and typos like `9999999h` stand out.
    private static let maximumMilliseconds: Int64 = 366 * 24 * 3_600_000

    /// Reads `text` as a duration.
    ///
    /// - Throws: `ParseError` naming what is wrong and listing the accepted forms.
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let trimmed = text.trimmingWhitespace()
        func failure(_ why: String) -> ParseError {
            ParseError(message: "'\(text)' is not a duration: \(why); write it as \(acceptedForms)")
        }
        if trimmed.isEmpty { throw failure("it is empty") }
        if trimmed.hasPrefix("-") { throw failure("durations cannot be negative") }
        if trimmed.allSatisfy(\.isASCIIDigit) { throw failure("it has no unit") }

        var total: Int64 = 0
        var lastUnitIndex = -1
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCIIDigit)
            if digits.isEmpty { throw failure("expected a number at '\(rest)'") }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix(while: { $0.isLetter })
            rest = rest.dropFirst(letters.count)
            if letters.isEmpty {
                if rest.hasPrefix(".") { throw failure("fractions are not accepted (write 90m, not 1.5h)") }
                throw failure(rest.isEmpty ? "'\(digits)' has no unit" : "unexpected '\(rest.prefix(1))'")
            }
            guard let unitIndex = units.firstIndex(where: { $0.symbol == letters }) else {
                throw failure("unknown unit '\(letters)' (units are h, m, s and ms)")
            }
            if unitIndex <= lastUnitIndex {
                throw failure("units must go from largest to smallest, each once")
            }
            lastUnitIndex = unitIndex
            guard let value = Int64(digits), value <= maximumMilliseconds / units[unitIndex].milliseconds else {
                throw failure("it is longer than a year")
            }
            total += value * units[unitIndex].milliseconds
            if total > maximumMilliseconds { throw failure("it is longer than a year") }
        }
        return .milliseconds(total)
    }

    /// Writes `duration` the way it would be written in a file: `2m`, `1h30m`, `500ms`, `0s`.
    ///
    /// Precision below a millisecond is dropped.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var remaining = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        if remaining <= 0 { return "0s" }
        var text = ""
        for unit in units where remaining >= unit.milliseconds {
            text += "\(remaining / unit.milliseconds)\(unit.symbol)"
            remaining %= unit.milliseconds
        }
        return text
    }
}

extension Character {
    /// `0`...`9` only (not other scripts' digits, which `isNumber` accepts).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

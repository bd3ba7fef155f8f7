/// A remote command line with `{placeholders}` that asroll fills in, each value shell-quoted.
///
/// `{name}` is a placeholder when `name` is a word (`[A-Za-z_][A-Za-z0-9_]*`); `{{` and `}}` write literal braces
/// (`awk '{{print $1}}'`); any other brace is literal as it stands. Which placeholders a command may use is checked
/// when the playbook is loaded (`NodeCommands.Name.allowedPlaceholders`).
public struct CommandTemplate: Sendable, Equatable {
    /// The template as written in the playbook.
    public var text: String { didSet { segments = Self.segments(of: text) } }
    private var segments: [Segment]

    /// A piece of the template: text to copy, or a value to insert.
    enum Segment: Sendable, Equatable {
        /// Text copied as it stands (doubled braces already made single).
        case literal(String)
        /// A `{name}` to replace with its quoted value.
        case placeholder(String)
    }

    /// The placeholder that expands to asmt's `-z` flag or to nothing.
    public static let compressPlaceholder = "compress"

    /// A template for `text`; the placeholders are not checked here (the loader checks them per command).
    public init(_ text: String) {
        self.text = text
        segments = Self.segments(of: text)
    }

    /// The placeholder names used, each once, in order of first use.
    public var placeholders: [String] {
        var seen = Set<String>()
        return segments.compactMap { segment in
            guard case .placeholder(let name) = segment, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// The command line with every placeholder replaced by its value from `values`, shell-quoted.
    ///
    /// `{compress}` is the exception: it becomes `-z` when its value is `true` (pass `String(asmt.compress)`) and
    /// disappears otherwise, together with one of the spaces around it.
    /// A placeholder without a value is a programming error (loading guarantees which placeholders appear) and traps.
    public func render(_ values: [String: String]) -> String {
        var output = ""
        var dropLeadingSpace = false
        for segment in segments {
            switch segment {
            case .literal(var literal):
                if dropLeadingSpace, literal.hasPrefix(" ") { literal.removeFirst() }
                dropLeadingSpace = false
                output += literal
            case .placeholder(let name):
                guard let value = values[name] else {
                    preconditionFailure("no value for {\(name)} in command template '\(text)'")
                }
                if name == Self.compressPlaceholder {
                    if value == "true" || value == "-z" {
                        output += "-z"
                    } else {
                        dropLeadingSpace = output.isEmpty || output.hasSuffix(" ")
                    }
                } else {
                    output += ShellQuote.quote(value)
                    dropLeadingSpace = false
                }
            }
        }
        if dropLeadingSpace, output.hasSuffix(" ") { output.removeLast() }
        return output
    }

    /// Splits `text` into literal text and placeholders.
    static func segments(of text: String) -> [Segment] {
        var segments: [Segment] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if (character == "{" || character == "}"), next < text.endIndex, text[next] == character {
                literal.append(character)
                index = text.index(after: next)
                continue
            }
            if character == "{", let (name, end) = placeholder(in: text, after: index) {
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = ""
                segments.append(.placeholder(name))
                index = end
                continue
            }
            literal.append(character)
            index = next
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        return segments
    }

    /// The word between the `{` at `open` and the next `}`, and the index after that `}`, if it is a placeholder.
    private static func placeholder(in text: String, after open: String.Index) -> (String, String.Index)? {
        let start = text.index(after: open)
        guard let close = text[start...].firstIndex(of: "}") else { return nil }
        let name = text[start..<close]
        guard let first = name.first, first == "_" || first.isASCIILetter,
              name.allSatisfy({ $0 == "_" || $0.isASCIILetter || $0.isASCIIDigit })
        else { return nil }
        return (String(name), text.index(after: close))
    }
}

extension Character {
    /// `A`...`Z` and `a`...`z` only.
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

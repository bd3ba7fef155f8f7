/// The `key=value;key=value` list most info commands answer with, kept in order.
public struct InfoFields: Sendable, Equatable, CustomStringConvertible {
    /// The pairs in the order the node sent them.
    public private(set) var pairs: [(key: String, value: String)]
    private var index: [String: Int]

    /// Parses `text`; a piece without `=` becomes a key with an empty value, and the first of duplicate keys wins.
    public init(parsing text: String, separator: Character = ";") {
        pairs = []
        index = [:]
        for piece in text.split(separator: separator, omittingEmptySubsequences: true) {
            let key: String
            let value: String
            if let equals = piece.firstIndex(of: "=") {
                key = String(piece[..<equals])
                value = String(piece[piece.index(after: equals)...])
            } else {
                key = String(piece)
                value = ""
            }
            if index[key] == nil {
                index[key] = pairs.count
                pairs.append((key, value))
            }
        }
    }

    /// The raw value of `key`.
    public subscript(key: String) -> String? {
        index[key].map { pairs[$0].value }
    }

    /// The value of `key`, which must be present.
    public func string(_ key: String) throws(InfoParseError) -> String {
        guard let value = self[key] else { throw .missingField(key) }
        return value
    }

    /// The value of `key` as an integer.
    public func int(_ key: String) throws(InfoParseError) -> Int {
        let text = try string(key)
        guard let value = Int(text) else { throw .badValue(field: key, value: text, expected: "an integer") }
        return value
    }

    /// The value of `key` as a boolean (`true`/`false`, as the server prints them).
    public func bool(_ key: String) throws(InfoParseError) -> Bool {
        let text = try string(key)
        switch text {
        case "true": return true
        case "false": return false
        default: throw .badValue(field: key, value: text, expected: "true or false")
        }
    }

    /// The integer value of `key`, or `nil` when absent (fields that older servers do not report).
    public func optionalInt(_ key: String) throws(InfoParseError) -> Int? {
        self[key] == nil ? nil : try int(key)
    }

    /// The boolean value of `key`, or `nil` when absent.
    public func optionalBool(_ key: String) throws(InfoParseError) -> Bool? {
        self[key] == nil ? nil : try bool(key)
    }

    public static func == (lhs: InfoFields, rhs: InfoFields) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.key == $1.key && $0.value == $1.value }
    }

    public var description: String { pairs.map { "\($0.key)=\($0.value)" }.joined(separator: ";") }
}

/// An info reply that lacks a field asroll needs, or holds a value of the wrong form.
public enum InfoParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field is absent.
    case missingField(String)
    /// The field holds something else than expected.
    case badValue(field: String, value: String, expected: String)
    /// The whole reply is an error (`ERROR:...`), or otherwise not what the command answers.
    case unexpectedReply(command: String, reply: String)

    public var description: String {
        switch self {
        case .missingField(let field): "field '\(field)' is missing"
        case .badValue(let field, let value, let expected): "field '\(field)' is '\(value)', expected \(expected)"
        case .unexpectedReply(let command, let reply): "'\(command)' answered '\(reply.prefix(200))'"
        }
    }
}

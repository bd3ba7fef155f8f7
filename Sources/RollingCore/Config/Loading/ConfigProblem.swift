/// One thing wrong with an inventory or a playbook, located by file, line, column and key path.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// What sort of problem it is, for tests and machine-readable output.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The file could not be read: missing, unreadable, a directory, too large or not UTF-8.
        case unreadable = "unreadable file"
        /// The file is empty or holds only comments.
        case empty = "empty file"
        /// The text is not valid YAML.
        case syntax = "YAML syntax"
        /// A key that asroll does not know at that level.
        case unknownKey = "unknown key"
        /// The same key twice in one mapping.
        case duplicateKey = "duplicate key"
        /// A key asroll needs is absent.
        case missingKey = "missing key"
        /// A list where a value was expected, a word where a number was expected, and so on.
        case wrongType = "wrong type"
        /// The value has the right type but is not acceptable (a bad port, a relative path, an unknown placeholder).
        case invalidValue = "invalid value"
        /// Two entries that must differ do not (node names, host:port pairs, namespaces).
        case duplicateValue = "duplicate value"
        /// Settings that contradict each other.
        case conflict = "conflicting settings"
        /// A secret (password, passphrase, token) written into the file.
        case secret = "secret in file"
    }

    /// What sort of problem it is.
    public var kind: Kind
    /// The file, as the operator named it.
    public var file: String
    /// 1-based line, when the problem has a place in the file.
    public var line: Int?
    /// 1-based column (in Unicode scalars, as libyaml counts), when known.
    public var column: Int?
    /// Where in the document, e.g. `nodes[2].ssh_port` (list indexes count from 0); empty for the whole file.
    public var keyPath: String
    /// What is wrong and what is expected, in words an operator can act on.
    public var message: String
    /// A hint such as `did you mean 'known_hosts'?`, when there is one.
    public var suggestion: String?

    /// A problem of `kind` in `file` at `line`:`column`.
    public init(
        kind: Kind, file: String, line: Int?, column: Int?, keyPath: String, message: String,
        suggestion: String? = nil
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.suggestion = suggestion
    }

    /// `file:line:column: key.path: message (suggestion)`, the form compilers use, so editors can jump to it.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        text += message
        if let suggestion { text += " (\(suggestion))" }
        return text
    }
}

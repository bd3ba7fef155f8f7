import Yams

/// Lets loading go on past a duplicate key, so it is reported together with every other problem.
///
/// Yams refuses a mapping with a repeated key and stops composing. The repair finds the repeated occurrence in the
/// text, renames it to a marker key, records the problem and lets Yams try again; readers skip marker keys.
struct DuplicateKeyRepair {
    /// A duplicate found and renamed in the text.
    struct Duplicate {
        var key: String
        var marker: String
        var firstLine: Int
        var line: Int
        var column: Int
    }

    /// Prefix of every marker key: not a word anyone writes as a key.
    static let markerPrefix = "__asroll_duplicate_key_"

    /// Whether `key` is a renamed duplicate.
    static func isMarker(_ key: String) -> Bool { key.hasPrefix(markerPrefix) }

    /// Duplicates renamed so far.
    private(set) var duplicates: [Duplicate] = []

    /// Renames the repeated occurrence of `key` whose first occurrence is at `first`; nil when it cannot be found
    /// (then the caller reports the duplicate at the first occurrence and stops).
    mutating func rename(_ key: String, firstAt first: Mark, in text: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let indent = first.column - 1
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let marker = Self.markerPrefix + "\(duplicates.count + 1)__"

        // Block mapping: the repeat starts at the same column on a later line, before the mapping ends (a line
        // indented less than its keys).
        for index in first.line..<lines.count {
            let line = lines[index]
            let content = line.drop(while: { $0 == " " })
            if content.isEmpty || content.hasPrefix("#") { continue }
            let column = line.unicodeScalars.count - content.unicodeScalars.count
            if column < indent { break }
            if column == indent, let length = Self.keyLength(key, atStartOf: content) {
                lines[index] = String(line.prefix(column)) + marker + String(content.dropFirst(length))
                duplicates.append(Duplicate(
                    key: key, marker: marker, firstLine: first.line, line: index + 1, column: column + 1))
                return lines.joined(separator: "\n")
            }
        }

        // Flow mapping on one line: `{a: 1, a: 2}`.
        let line = lines[first.line - 1]
        let scalars = Array(line.unicodeScalars)
        var position = min(indent + 1, scalars.count)
        while position < scalars.count {
            if scalars[position] == "," || scalars[position] == "{" {
                var start = position + 1
                while start < scalars.count, scalars[start] == " " { start += 1 }
                let rest = String(String.UnicodeScalarView(scalars[start...]))
                if let length = Self.keyLength(key, atStartOf: Substring(rest)) {
                    let before = String(String.UnicodeScalarView(scalars[..<start]))
                    lines[first.line - 1] = before + marker + String(rest.dropFirst(length))
                    duplicates.append(Duplicate(
                        key: key, marker: marker, firstLine: first.line, line: first.line, column: start + 1))
                    return lines.joined(separator: "\n")
                }
            }
            position += 1
        }
        return nil
    }

    /// The length of `key` (plain or quoted) at the start of `content` when a `:` follows it.
    private static func keyLength(_ key: String, atStartOf content: Substring) -> Int? {
        for spelling in [key, "\"\(key)\"", "'\(key)'"] where content.hasPrefix(spelling) {
            let after = content.dropFirst(spelling.count).drop(while: { $0 == " " })
            if after.hasPrefix(":") { return spelling.count }
        }
        return nil
    }

    /// Reports every renamed duplicate, with the key path found by walking `root`.
    func report(in root: Node?, to reader: DocumentReader) {
        var found: [String: String] = [:]
        if let root { Self.collectMarkerPaths(root, path: "", into: &found) }
        for duplicate in duplicates {
            let parent = found[duplicate.marker] ?? ""
            let path = parent.isEmpty ? duplicate.key : "\(parent).\(duplicate.key)"
            reader.report(.duplicateKey, line: duplicate.line, column: duplicate.column, path,
                          "key '\(duplicate.key)' appears twice in this mapping (first at line \(duplicate.firstLine)); "
                              + "keep one, asroll does not guess which one you meant")
        }
    }

    private static func collectMarkerPaths(_ node: Node, path: String, into found: inout [String: String]) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                let name = key.string ?? "?"
                if isMarker(name) {
                    found[name] = path
                } else {
                    collectMarkerPaths(value, path: path.isEmpty ? name : "\(path).\(name)", into: &found)
                }
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                collectMarkerPaths(item, path: "\(path)[\(index)]", into: &found)
            }
        case .scalar, .alias:
            break
        }
    }
}

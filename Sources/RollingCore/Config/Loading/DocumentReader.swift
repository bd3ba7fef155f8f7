import Yams

/// Walks one composed YAML document, reading typed values and collecting every problem instead of stopping early.
///
/// A read returns nil when the key is absent, null, or invalid; invalid values have been reported by then, so callers
/// simply fall back to the default and carry on looking for further problems.
final class DocumentReader {
    /// The file, as named by the operator.
    let file: String
    /// The valid keys of every section.
    let schema: KeySchema
    /// Problems found so far.
    private(set) var problems: [ConfigProblem] = []

    init(file: String, schema: KeySchema, problems: [ConfigProblem] = []) {
        self.file = file
        self.schema = schema
        self.problems = problems
    }

    // MARK: Reporting

    /// Records a problem at `line`:`column`.
    func report(
        _ kind: ConfigProblem.Kind, line: Int?, column: Int?, _ keyPath: String, _ message: String,
        suggestion: String? = nil
    ) {
        problems.append(ConfigProblem(
            kind: kind, file: file, line: line, column: column, keyPath: keyPath, message: message,
            suggestion: suggestion
        ))
    }

    /// Records a problem at `mark`.
    func report(
        _ kind: ConfigProblem.Kind, at mark: Mark?, _ keyPath: String, _ message: String, suggestion: String? = nil
    ) {
        report(kind, line: mark?.line, column: mark?.column, keyPath, message, suggestion: suggestion)
    }

    /// Records a problem at `node`.
    func report(
        _ kind: ConfigProblem.Kind, at node: Node?, _ keyPath: String, _ message: String, suggestion: String? = nil
    ) {
        report(kind, at: node?.mark, keyPath, message, suggestion: suggestion)
    }

    // MARK: Structure

    /// Opens `node` as a mapping of `section`'s keys, reporting unknown, secret and non-word keys.
    ///
    /// A null node (`ssh:` with nothing after it) opens as an empty mapping, so every key takes its default.
    func mapping(_ node: Node?, path: String, section: KeySchema.Section) -> MappingReader? {
        guard let node, !node.isNull else { return MappingReader(path: path, mark: node?.mark) }
        guard case .mapping(let mapping) = node else {
            report(.wrongType, at: node, path, "expected a mapping of keys (\(section.keys.joined(separator: ", "))), "
                + "found \(node.summary)")
            return nil
        }
        var reader = MappingReader(path: path, mark: node.mark)
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                report(.wrongType, at: keyNode, path, "a key must be a plain word, found \(keyNode.summary)")
                continue
            }
            let key = scalar.string
            let keyPath = reader.keyPath(key)
            if DuplicateKeyRepair.isMarker(key) { continue }
            if section.keys.contains(key) {
                reader.insert(key, keyNode: keyNode, value: value)
            } else if KeySchema.looksSecret(key) {
                report(.secret, at: keyNode, keyPath, "secrets never go in the \(schema.document) file "
                    + "(it is copied, logged and committed); \(schema.secretAdvice)")
            } else if key == "<<" {
                report(.unknownKey, at: keyNode, keyPath, "YAML merge keys (<<) are not supported; write the keys out")
            } else {
                report(.unknownKey, at: keyNode, keyPath, "unknown key '\(key)'",
                       suggestion: schema.hint(forUnknown: key, in: section))
            }
        }
        return reader
    }

    /// The mapping under `key` of `parent` (schema section `key:`); absent, null or invalid reads as empty.
    func section(_ key: String, of parent: MappingReader) -> MappingReader {
        let path = parent.keyPath(key)
        return mapping(parent.value(key), path: path, section: schema.section("\(key):"))
            ?? MappingReader(path: path, mark: nil)
    }

    /// The entries of a list that must be present and non-empty; reports `purpose` when it is missing.
    func requiredList(_ map: MappingReader, _ key: String, of what: String, purpose: String, whenEmpty: String)
        -> [(index: Int, node: Node)]
    {
        guard let node = map.value(key), !node.isNull else {
            reportMissing(map, key, purpose)
            return []
        }
        guard let entries = list(map, key, of: what) else { return [] }
        if entries.isEmpty { report(.invalidValue, at: node, map.keyPath(key), whenEmpty) }
        return entries
    }

    /// The entries of the list under `key`; a null value is an empty list.
    func list(_ map: MappingReader, _ key: String, of what: String) -> [(index: Int, node: Node)]? {
        guard let node = map.value(key), !node.isNull else { return nil }
        guard case .sequence(let sequence) = node else {
            report(.wrongType, at: node, map.keyPath(key), "expected a list of \(what), found \(node.summary)",
                   suggestion: "write it as [a, b] or as one '- item' per line")
            return nil
        }
        return sequence.enumerated().map { (index: $0.offset, node: $0.element) }
    }

    /// Reports `key` as missing from `map`, explaining what it is for.
    func reportMissing(_ map: MappingReader, _ key: String, _ purpose: String) {
        report(.missingKey, at: map.mark, map.keyPath(key), "required key '\(key)' is missing; \(purpose)")
    }

    // MARK: Scalars

    /// The text of a scalar value, reporting a list or mapping where text was expected.
    func text(_ node: Node, _ keyPath: String, expecting what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(.wrongType, at: node, keyPath, "expected \(what), found \(node.summary)")
            return nil
        }
        return scalar.string
    }

    /// The text under `key`; absent or null reads as nil, or as a missing-key problem when `required` says why.
    func string(_ map: MappingReader, _ key: String, required purpose: String? = nil) -> String? {
        guard let node = map.value(key), !node.isNull else {
            if let purpose { reportMissing(map, key, purpose) }
            return nil
        }
        return text(node, map.keyPath(key), expecting: "text")
    }

    /// `true` or `false` under `key`.
    func bool(_ map: MappingReader, _ key: String) -> Bool? {
        guard let node = map.value(key), !node.isNull,
              let raw = text(node, map.keyPath(key), expecting: "true or false")
        else { return nil }
        switch raw.lowercased() {
        case "true": return true
        case "false": return false
        default:
            report(.wrongType, at: node, map.keyPath(key), "expected true or false, found '\(raw)'")
            return nil
        }
    }

    /// A whole number in `range` under `key`.
    func int(_ map: MappingReader, _ key: String, in range: ClosedRange<Int>, meaning: String = "a whole number")
        -> Int?
    {
        guard let node = map.value(key), !node.isNull else { return nil }
        return int(node, map.keyPath(key), in: range, meaning: meaning)
    }

    /// A whole number in `range`.
    func int(_ node: Node, _ keyPath: String, in range: ClosedRange<Int>, meaning: String) -> Int? {
        let expectation = range.upperBound == Int.max
            ? "\(meaning) of at least \(range.lowerBound)"
            : "\(meaning) from \(range.lowerBound) to \(range.upperBound)"
        guard let raw = text(node, keyPath, expecting: expectation) else { return nil }
        guard let value = Int(raw.trimmingWhitespace()) else {
            report(.wrongType, at: node, keyPath, "expected \(expectation), found '\(raw)'")
            return nil
        }
        guard range.contains(value) else {
            report(.invalidValue, at: node, keyPath, "\(value) is out of range; expected \(expectation)")
            return nil
        }
        return value
    }

    /// A TCP port (1 to 65535) under `key`.
    func port(_ map: MappingReader, _ key: String) -> Int? {
        int(map, key, in: 1...65_535, meaning: "a port number")
    }

    /// A duration under `key`, greater than zero.
    func duration(_ map: MappingReader, _ key: String) -> Duration? {
        guard let node = map.value(key), !node.isNull,
              let raw = text(node, map.keyPath(key), expecting: "a duration such as 30s")
        else { return nil }
        let value: Duration
        do {
            value = try DurationSyntax.parse(raw)
        } catch {
            report(.invalidValue, at: node, map.keyPath(key), error.message)
            return nil
        }
        guard value > .zero else {
            report(.invalidValue, at: node, map.keyPath(key), "must be longer than 0s")
            return nil
        }
        return value
    }

    /// One of `Choice`'s raw values under `key`.
    func choice<Choice: RawRepresentable & CaseIterable>(_ map: MappingReader, _ key: String, what: String) -> Choice?
    where Choice.RawValue == String {
        guard let node = map.value(key), !node.isNull else { return nil }
        return choice(node, map.keyPath(key), what: what)
    }

    /// One of `Choice`'s raw values.
    func choice<Choice: RawRepresentable & CaseIterable>(_ node: Node, _ keyPath: String, what: String) -> Choice?
    where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        let expectation = names.count == 2 ? "\(names[0]) or \(names[1])" : names.joined(separator: ", ")
        guard let raw = text(node, keyPath, expecting: expectation) else { return nil }
        if let value = Choice(rawValue: raw) { return value }
        report(.invalidValue, at: node, keyPath, "unknown \(what) '\(raw)'; expected \(expectation)",
               suggestion: Suggestion.didYouMean(raw, in: names))
        return nil
    }
}

extension Node {
    /// Whether this is YAML's null: nothing, `~` or `null`, unquoted.
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A short description of the node for "found ..." messages.
    var summary: String {
        switch self {
        case .scalar(let scalar):
            let text = scalar.string
            return text.count > 40 ? "'\(text.prefix(40))...'" : "'\(text)'"
        case .mapping: return "a mapping (key: value lines)"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

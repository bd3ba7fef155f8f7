import Yams

/// The known keys of one YAML mapping, after unknown, duplicate and secret keys were reported.
struct MappingReader {
    /// Key path of the mapping itself (`ssh`, `nodes[2]`; empty at the top).
    let path: String
    /// Where the mapping starts, for "missing key" problems.
    let mark: Mark?
    private var entries: [String: (key: Node, value: Node)] = [:]

    /// An empty reader, for a section that is absent: every key reads as absent.
    init(path: String, mark: Mark?) {
        self.path = path
        self.mark = mark
    }

    /// Records `value` under `key`.
    mutating func insert(_ key: String, keyNode: Node, value: Node) {
        entries[key] = (keyNode, value)
    }

    /// The value written for `key`, if any.
    func value(_ key: String) -> Node? { entries[key]?.value }

    /// The key node itself, to point at the key rather than the value.
    func keyNode(_ key: String) -> Node? { entries[key]?.key }

    /// `path.key`.
    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

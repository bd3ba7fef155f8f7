/// The keys valid in each mapping of one kind of document, so unknown keys get a useful hint.
struct KeySchema: Sendable {
    /// The keys of one mapping.
    struct Section: Sendable {
        /// How the mapping is named in hints: `ssh:`, `a node entry`, `the top level`.
        var name: String
        /// The valid keys, in documentation order.
        var keys: [String]
        /// Words operators write instead of a valid key (`port` for a node means `ssh_port`).
        var synonyms: [String: String] = [:]
    }

    /// `inventory` or `playbook`, for messages.
    var document: String
    /// Every section of the document.
    var sections: [Section]
    /// Where secrets go instead, ending the refusal of a secret-looking key.
    var secretAdvice: String

    /// Words that mark a key as holding a secret.
    static let secretWords = ["password", "passwd", "passphrase", "secret", "token", "credential"]

    /// The section called `name`; asking for one the schema lacks is a programming error.
    func section(_ name: String) -> Section {
        guard let section = sections.first(where: { $0.name == name }) else {
            preconditionFailure("no \(document) section named \(name)")
        }
        return section
    }

    /// Whether `key` looks like it holds a secret.
    static func looksSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return secretWords.contains { lowered.contains($0) }
    }

    /// A hint for `key`, unknown in `section`: a close valid key, a synonym, or where the key does belong.
    func hint(forUnknown key: String, in section: Section) -> String {
        if let meant = section.synonyms[key] { return "did you mean '\(meant)'?" }
        if let close = Suggestion.didYouMean(key, in: section.keys) { return close }
        let homes = sections.filter { $0.name != section.name && $0.keys.contains(key) }.map(\.name)
        if !homes.isEmpty { return "'\(key)' belongs under \(homes.joined(separator: " or "))" }
        return "valid keys here: " + section.keys.joined(separator: ", ")
    }
}

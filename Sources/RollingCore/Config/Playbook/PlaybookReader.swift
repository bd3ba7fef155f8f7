import Yams

/// Reads a playbook document into a `Playbook`, reporting every problem to the `DocumentReader`.
struct PlaybookReader {
    /// The valid keys of every playbook section.
    static let schema = KeySchema(
        document: "playbook",
        sections: [
            .init(name: "the top level",
                  keys: ["name", "description", "reboot", "maintenance", "quiesce", "timeouts", "gate", "commands"],
                  synonyms: ["steps": "maintenance", "timeout": "timeouts"]),
            .init(name: "timeouts:", keys: PhaseTimeouts.keys.map(\.key), synonyms: ["warm_start": "start"]),
            .init(name: "gate:", keys: ["interval", "consecutive"],
                  synonyms: ["poll_interval": "interval", "passes": "consecutive"]),
            .init(name: "commands:", keys: NodeCommands.Name.allCases.map(\.rawValue),
                  synonyms: ["status": "is_running", "is_active": "is_running"]),
        ],
        secretAdvice: "asroll reads secrets only from environment variables named in the inventory "
            + "(ssh.passphrase_env); sudo on the nodes must not ask for a password"
    )

    let reader: DocumentReader
    /// Used when the playbook has no `name`: the file name without its extension.
    let defaultName: String

    /// The playbook in `root`; meaningful only when the reader holds no problems afterwards.
    func read(_ root: Node) -> Playbook {
        guard let top = reader.mapping(root, path: "", section: Self.schema.section("the top level")) else {
            return Playbook(name: defaultName, sourcePath: reader.file)
        }
        var name = reader.string(top, "name") ?? defaultName
        if name.trimmingWhitespace().isEmpty || name.contains(where: \.isNewline) {
            reader.report(.invalidValue, at: top.value("name"), "name", "the name must be one non-empty line")
            name = defaultName
        }
        let defaults = Playbook(name: name)
        return Playbook(
            name: name,
            description: reader.string(top, "description"),
            reboot: reader.bool(top, "reboot") ?? defaults.reboot,
            maintenance: readMaintenance(top),
            quiesce: reader.bool(top, "quiesce") ?? defaults.quiesce,
            timeouts: readTimeouts(top),
            gate: readGate(top),
            commands: readCommands(top),
            sourcePath: reader.file
        )
    }

    private func readMaintenance(_ top: MappingReader) -> [String] {
        guard let entries = reader.list(top, "maintenance", of: "shell commands") else { return [] }
        return entries.compactMap { index, node in
            let path = "maintenance[\(index)]"
            guard let command = reader.text(node, path, expecting: "a shell command") else { return nil }
            if command.trimmingWhitespace().isEmpty {
                reader.report(.invalidValue, at: node, path, "the command is empty")
                return nil
            }
            return command
        }
    }

    private func readTimeouts(_ top: MappingReader) -> PhaseTimeouts {
        let map = reader.section("timeouts", of: top)
        var timeouts = PhaseTimeouts()
        for (key, path) in PhaseTimeouts.keys {
            if let value = reader.duration(map, key) { timeouts[keyPath: path] = value }
        }
        return timeouts
    }

    private func readGate(_ top: MappingReader) -> GateSettings {
        let map = reader.section("gate", of: top)
        let defaults = GateSettings()
        return GateSettings(
            interval: reader.duration(map, "interval") ?? defaults.interval,
            consecutive: reader.int(map, "consecutive", in: 1...Int.max, meaning: "a number of passes")
                ?? defaults.consecutive
        )
    }

    private func readCommands(_ top: MappingReader) -> NodeCommands {
        let map = reader.section("commands", of: top)
        var commands = NodeCommands()
        for name in NodeCommands.Name.allCases {
            guard let text = reader.string(map, name.rawValue) else { continue }
            let node = map.value(name.rawValue)
            let path = map.keyPath(name.rawValue)
            if text.trimmingWhitespace().isEmpty {
                reader.report(.invalidValue, at: node, path, "the command is empty",
                              suggestion: "remove the key to use the default: \(name.defaultText)")
                continue
            }
            let template = CommandTemplate(text)
            if checkPlaceholders(of: template, for: name, at: node, path) { commands[name] = template }
        }
        return commands
    }

    /// Reports placeholders `name` may not use and required ones it lacks; true when there are none.
    private func checkPlaceholders(
        of template: CommandTemplate, for name: NodeCommands.Name, at node: Node?, _ path: String
    ) -> Bool {
        let allowed = name.allowedPlaceholders
        let allowedText = allowed.isEmpty
            ? "\(name.rawValue) takes no placeholders"
            : "\(name.rawValue) can use " + allowed.sorted().map { "{\($0)}" }.joined(separator: ", ")
        let known = Set(NodeCommands.Name.allCases.flatMap(\.allowedPlaceholders))
        var valid = true
        for placeholder in template.placeholders where !allowed.contains(placeholder) {
            valid = false
            let what = known.contains(placeholder) ? "placeholder {\(placeholder)} is not available here"
                : "unknown placeholder {\(placeholder)}"
            let suggestion = Suggestion.closest(to: placeholder, in: allowed).map { "did you mean {\($0)}?" }
                ?? "for a shell variable write $\(placeholder); for literal braces write {{ and }}"
            reader.report(.invalidValue, at: node, path, "\(what); \(allowedText)", suggestion: suggestion)
        }
        // A misspelt placeholder also leaves a required one missing; one problem per mistake is enough.
        let missing = name.requiredPlaceholders.subtracting(template.placeholders)
        if valid, !missing.isEmpty {
            valid = false
            let list = missing.sorted().map { "{\($0)}" }.joined(separator: " and ")
            reader.report(.invalidValue, at: node, path, "\(name.rawValue) must contain \(list), so that it acts on "
                + "the value asroll uses", suggestion: "the default is: \(name.defaultText)")
        }
        return valid
    }
}

import Yams

/// Reads an inventory document into an `Inventory`, reporting every problem to the `DocumentReader`.
struct InventoryReader {
    /// The valid keys of every inventory section.
    static let schema = KeySchema(
        document: "inventory",
        sections: [
            .init(name: "the top level",
                  keys: ["cluster", "namespaces", "ssh", "info", "asmt", "lease", "memory_errors", "nodes"],
                  synonyms: ["hosts": "nodes", "servers": "nodes", "cluster_name": "cluster"]),
            .init(name: "ssh:",
                  keys: ["user", "port", "identity_file", "use_agent", "known_hosts", "connect_timeout",
                         "passphrase_env"],
                  synonyms: ["username": "user", "key_file": "identity_file", "key": "identity_file",
                             "agent": "use_agent", "timeout": "connect_timeout"]),
            .init(name: "info:", keys: ["via", "port", "timeout"], synonyms: ["transport": "via"]),
            .init(name: "asmt:", keys: ["backup_dir", "compress"],
                  synonyms: ["dir": "backup_dir", "directory": "backup_dir", "path": "backup_dir"]),
            .init(name: "lease:", keys: ["path"]),
            .init(name: "memory_errors:", keys: ["corrected_threshold"], synonyms: ["threshold": "corrected_threshold"]),
            .init(name: "a node entry", keys: ["name", "host", "ssh_port", "info_port", "ssh_user", "flags"],
                  synonyms: ["port": "ssh_port", "user": "ssh_user", "address": "host", "ip": "host",
                             "hostname": "host", "flag": "flags"]),
        ],
        secretAdvice: "put the key passphrase in an environment variable and name that variable in "
            + "ssh.passphrase_env (e.g. passphrase_env: ASROLL_KEY_PASSPHRASE)"
    )

    let reader: DocumentReader
    let environment: [String: String]
    /// Directory of the inventory file; relative local paths are resolved against it.
    let baseDirectory: String

    /// The inventory in `root`; meaningful only when the reader holds no problems afterwards.
    func read(_ root: Node) -> Inventory {
        guard let top = reader.mapping(root, path: "", section: Self.schema.section("the top level")) else {
            return Inventory(cluster: "", namespaces: [], ssh: SSHSettings(user: "", identityFile: nil, knownHosts: ""),
                             nodes: [], sourcePath: reader.file)
        }

        var cluster = reader.string(top, "cluster", required: "it names the lease and the state, e.g. cluster: prod-east")
            ?? ""
        if !cluster.isEmpty, let problem = ValueRules.identifier(cluster, what: "cluster name") {
            reader.report(.invalidValue, at: top.value("cluster"), "cluster", problem)
            cluster = ""
        }
        let namespaces = readNamespaces(top)
        let ssh = readSSH(top)
        let info = readInfo(top)
        let asmt = readAsmt(top)
        let lease = readLease(top)
        let memoryErrors = readMemoryErrors(top)
        let nodes = readNodes(top, ssh: ssh, info: info)
        return Inventory(
            cluster: cluster, namespaces: namespaces, ssh: ssh, info: info, asmt: asmt, lease: lease,
            memoryErrors: memoryErrors, nodes: nodes, sourcePath: reader.file
        )
    }

    // MARK: Sections

    private func readNamespaces(_ top: MappingReader) -> [String] {
        let entries = reader.requiredList(
            top, "namespaces", of: "namespace names",
            purpose: "list the namespaces asmt backs up, e.g. namespaces: [users]",
            whenEmpty: "list at least one namespace")
        var seen: [String: Int] = [:]
        var names: [String] = []
        for (index, node) in entries {
            let path = "namespaces[\(index)]"
            guard let name = reader.text(node, path, expecting: "a namespace name") else { continue }
            if let problem = ValueRules.namespace(name) {
                reader.report(.invalidValue, at: node, path, "'\(name)': \(problem)")
            } else if let first = seen[name] {
                reader.report(.duplicateValue, at: node, path, "namespace '\(name)' is listed twice (first at "
                    + "namespaces[\(first)])")
            } else {
                seen[name] = index
                names.append(name)
            }
        }
        return names
    }

    private func readSSH(_ top: MappingReader) -> SSHSettings {
        let map = reader.section("ssh", of: top)
        let home = environment["HOME"] ?? LocalUser.homeDirectory()

        var user = reader.string(map, "user")
        if let name = user, let problem = ValueRules.userName(name) {
            reader.report(.invalidValue, at: map.value("user"), "ssh.user", problem)
            user = nil
        } else if user == nil {
            user = LocalUser.name() ?? environment["USER"]
            if user == nil {
                reader.report(.missingKey, at: map.mark, "ssh.user",
                              "cannot tell which user runs asroll (no passwd entry, no USER); set ssh.user")
            }
        }
        let useAgent = reader.bool(map, "use_agent") ?? false
        var identityFile = localPath(map, "identity_file", home: home)
        if useAgent, identityFile != nil {
            reader.report(.conflict, at: map.keyNode("use_agent"), "ssh.use_agent",
                          "use_agent: true and identity_file are both set; asroll uses one of them",
                          suggestion: "remove identity_file to log in with the agent, or set use_agent: false")
        }
        if !useAgent, identityFile == nil, map.value("identity_file")?.isNull ?? true {
            identityFile = home.map { $0 + "/.ssh/id_ed25519" }
        }
        var passphraseEnv = reader.string(map, "passphrase_env")
        if let name = passphraseEnv {
            if let problem = ValueRules.environmentName(name) {
                reader.report(.invalidValue, at: map.value("passphrase_env"), "ssh.passphrase_env", problem)
                passphraseEnv = nil
            } else if useAgent {
                reader.report(.conflict, at: map.keyNode("passphrase_env"), "ssh.passphrase_env",
                              "passphrase_env applies to identity_file, but use_agent is true (the agent holds "
                                  + "the unlocked key)", suggestion: "remove passphrase_env")
            }
        }
        let knownHosts = localPath(map, "known_hosts", home: home)
            ?? home.map { $0 + "/.ssh/known_hosts" }
        if knownHosts == nil, map.value("known_hosts")?.isNull ?? true {
            reader.report(.missingKey, at: map.mark, "ssh.known_hosts",
                          "HOME is not set, so ~/.ssh/known_hosts cannot be found; set ssh.known_hosts")
        }
        return SSHSettings(
            user: user ?? "", port: reader.port(map, "port") ?? 22,
            identityFile: useAgent ? nil : identityFile, useAgent: useAgent, knownHosts: knownHosts ?? "",
            connectTimeout: reader.duration(map, "connect_timeout") ?? .seconds(10), passphraseEnv: passphraseEnv
        )
    }

    private func readInfo(_ top: MappingReader) -> InfoSettings {
        let map = reader.section("info", of: top)
        let defaults = InfoSettings()
        return InfoSettings(
            via: reader.choice(map, "via", what: "info transport") ?? defaults.via,
            port: reader.port(map, "port") ?? defaults.port,
            timeout: reader.duration(map, "timeout") ?? defaults.timeout
        )
    }

    private func readAsmt(_ top: MappingReader) -> AsmtSettings {
        let map = reader.section("asmt", of: top)
        let defaults = AsmtSettings()
        var backupDir = nodePath(map, "backup_dir") ?? defaults.backupDir
        if ValueRules.systemDirectories.contains(backupDir) {
            reader.report(.invalidValue, at: map.value("backup_dir"), "asmt.backup_dir",
                          "\(backupDir) is a system directory, and asroll deletes old backup files in backup_dir",
                          suggestion: "use a directory of its own, e.g. /var/aerospike/asmt")
            backupDir = defaults.backupDir
        }
        return AsmtSettings(backupDir: backupDir, compress: reader.bool(map, "compress") ?? defaults.compress)
    }

    private func readLease(_ top: MappingReader) -> LeaseSettings {
        let map = reader.section("lease", of: top)
        return LeaseSettings(path: nodePath(map, "path") ?? LeaseSettings().path)
    }

    private func readMemoryErrors(_ top: MappingReader) -> MemoryErrorPolicy {
        let map = reader.section("memory_errors", of: top)
        return MemoryErrorPolicy(correctedThreshold: reader.int(map, "corrected_threshold", in: 0...Int.max,
                                                                meaning: "a count of corrected errors"))
    }

    // MARK: Nodes

    private func readNodes(_ top: MappingReader, ssh: SSHSettings, info: InfoSettings) -> [NodeSpec] {
        let entries = reader.requiredList(
            top, "nodes", of: "node entries (name, host, ...)",
            purpose: "list the nodes in roll order, each with a name and a host",
            whenEmpty: "the inventory has no nodes")
        var nodes: [NodeSpec] = []
        var names: [String: (index: Int, line: Int)] = [:]
        var endpoints: [String: (index: Int, name: String, line: Int)] = [:]
        for (index, entry) in entries {
            let path = "nodes[\(index)]"
            guard let map = reader.mapping(entry, path: path, section: Self.schema.section("a node entry")) else { continue }
            let line = entry.mark?.line ?? 0
            var name = reader.string(map, "name", required: "each node needs a unique name, e.g. name: aero-1")
            if let value = name, let problem = ValueRules.identifier(value, what: "node name") {
                reader.report(.invalidValue, at: map.value("name"), map.keyPath("name"), problem)
                name = nil
            }
            var host = reader.string(map, "host", required: "the address asroll connects to, e.g. host: 10.0.0.11")
            if let value = host, let problem = ValueRules.host(value) {
                reader.report(.invalidValue, at: map.value("host"), map.keyPath("host"), problem)
                host = nil
            }
            let sshPort = reader.port(map, "ssh_port") ?? ssh.port
            var sshUser = reader.string(map, "ssh_user")
            if let value = sshUser, let problem = ValueRules.userName(value) {
                reader.report(.invalidValue, at: map.value("ssh_user"), map.keyPath("ssh_user"), problem)
                sshUser = nil
            }
            let node = NodeSpec(
                name: name ?? "", host: host ?? "", sshPort: sshPort, infoPort: reader.port(map, "info_port") ?? info.port,
                sshUser: sshUser ?? ssh.user, flags: readFlags(map), line: line
            )
            if let name {
                // Case-insensitive: node names become file names, and some filesystems ignore case.
                if let first = names[name.lowercased()] {
                    reader.report(.duplicateValue, at: map.value("name"), map.keyPath("name"),
                                  "node name '\(name)' is already used by nodes[\(first.index)] (line \(first.line))")
                } else {
                    names[name.lowercased()] = (index, line)
                }
            }
            if let host {
                let endpoint = "\(host.lowercased()):\(sshPort)"
                if let first = endpoints[endpoint] {
                    reader.report(.duplicateValue, at: map.value("host"), map.keyPath("host"),
                                  "\(host) port \(sshPort) is already node '\(first.name)' (nodes[\(first.index)], "
                                      + "line \(first.line)); two entries for one node would take it down twice")
                } else {
                    endpoints[endpoint] = (index, name ?? path, line)
                }
            }
            nodes.append(node)
        }
        return nodes
    }

    private func readFlags(_ map: MappingReader) -> Set<NodeFlag> {
        guard let entries = reader.list(map, "flags", of: "flags (dimm-fault, post-expansion)") else { return [] }
        var flags: Set<NodeFlag> = []
        for (index, node) in entries {
            let path = map.keyPath("flags") + "[\(index)]"
            guard let flag: NodeFlag = reader.choice(node, path, what: "flag") else { continue }
            if !flags.insert(flag).inserted {
                reader.report(.duplicateValue, at: node, path, "flag '\(flag.rawValue)' is listed twice")
            }
        }
        return flags
    }

    // MARK: Paths

    /// A path on the controller: `~` expanded, relative paths resolved against the inventory's directory.
    private func localPath(_ map: MappingReader, _ key: String, home: String?) -> String? {
        guard let raw = reader.string(map, key) else { return nil }
        do {
            return try ValueRules.localPath(raw, home: home, base: baseDirectory)
        } catch {
            reader.report(.invalidValue, at: map.value(key), map.keyPath(key), error.message)
            return nil
        }
    }

    /// An absolute path on the nodes.
    private func nodePath(_ map: MappingReader, _ key: String) -> String? {
        guard let raw = reader.string(map, key) else { return nil }
        do {
            return try ValueRules.absoluteNodePath(raw)
        } catch {
            reader.report(.invalidValue, at: map.value(key), map.keyPath(key), error.message)
            return nil
        }
    }
}

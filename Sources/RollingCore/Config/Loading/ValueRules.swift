/// Checks on values that end up in file names, remote command lines or lease files; each returns what is wrong.
enum ValueRules {
    /// What is wrong with a value, in words for the operator.
    struct Violation: Error {
        var message: String
    }

    /// Namespace names as asmt and Aerospike accept them: `[A-Za-z0-9_-]{1,31}`.
    static func namespace(_ name: String) -> String? {
        if name.isEmpty || name.count > 31 { return "a namespace name has 1 to 31 characters" }
        if !name.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" || $0 == "-" }) {
            return "a namespace name uses only letters, digits, '_' and '-'"
        }
        return nil
    }

    /// Cluster and node names, which name state files and logs: `[A-Za-z0-9._-]{1,64}`, not starting with `.`/`-`.
    static func identifier(_ name: String, what: String) -> String? {
        if name.isEmpty || name.count > 64 { return "a \(what) has 1 to 64 characters" }
        if !name.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || "._-".contains($0) }) {
            return "a \(what) uses only letters, digits, '.', '_' and '-' (it names files and appears in logs)"
        }
        if name.hasPrefix(".") || name.hasPrefix("-") { return "a \(what) cannot start with '.' or '-'" }
        return nil
    }

    /// SSH login names: `[A-Za-z0-9._-]`, not starting with `-`.
    static func userName(_ name: String) -> String? {
        if name.isEmpty { return "the user name is empty" }
        if !name.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || "._-".contains($0) }) || name.hasPrefix("-") {
            return "'\(name)' is not a valid login name (letters, digits, '.', '_', '-')"
        }
        return nil
    }

    /// Host names and addresses: one word, no spaces, no leading `-`.
    static func host(_ host: String) -> String? {
        if host.isEmpty { return "the host is empty" }
        if host.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "/" }) || host.hasPrefix("-") {
            return "'\(host)' is not a host name or IP address"
        }
        return nil
    }

    /// Environment variable names: `[A-Za-z_][A-Za-z0-9_]*`.
    static func environmentName(_ name: String) -> String? {
        guard let first = name.first, first == "_" || first.isASCIILetter,
              name.allSatisfy({ $0 == "_" || $0.isASCIILetter || $0.isASCIIDigit })
        else { return "'\(name)' is not an environment variable name; write the name, e.g. ASROLL_KEY_PASSPHRASE" }
        return nil
    }

    /// Directories a cleanup must never empty.
    static let systemDirectories: Set<String> = [
        "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt", "/proc", "/root", "/run", "/sbin",
        "/srv", "/sys", "/tmp", "/usr", "/var", "/var/tmp", "/var/lib",
    ]

    /// An absolute path on the nodes, normalized (no `//`, no trailing `/`); or what is wrong with it.
    static func absoluteNodePath(_ raw: String) throws(Violation) -> String {
        if !raw.hasPrefix("/") { throw Violation(message: "'\(raw)' is not an absolute path; on the nodes it must start with /") }
        if raw.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } == true }) {
            throw Violation(message: "the path contains control characters")
        }
        let components = raw.split(separator: "/")
        if components.contains("..") || components.contains(".") {
            throw Violation(message: "'\(raw)' contains '.' or '..'; write the real path")
        }
        return "/" + components.joined(separator: "/")
    }

    /// `raw` with `~` or `~/` expanded to `home` and a relative path resolved against `base`.
    static func localPath(_ raw: String, home: String?, base: String) throws(Violation) -> String {
        if raw.isEmpty { throw Violation(message: "the path is empty") }
        var path = raw
        if raw == "~" || raw.hasPrefix("~/") {
            guard let home, !home.isEmpty else {
                throw Violation(message: "cannot expand '~': HOME is not set; write the full path")
            }
            path = home + raw.dropFirst()
        } else if raw.hasPrefix("~") {
            throw Violation(message: "only '~' and '~/' are expanded ('~user' is not); write the full path")
        }
        if !path.hasPrefix("/") { path = base + "/" + path }
        return path
    }
}

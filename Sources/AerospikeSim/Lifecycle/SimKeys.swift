import Foundation

/// The simulator's SSH keys: one client key pair for the operator, one ed25519 host key per node (kept across `up`s
/// so that `known_hosts` stays valid), and the files OpenSSH reads.
public enum SimKeys {
    /// Creates an ed25519 key pair at `path` unless one exists.
    public static func ensureKeyPair(at path: String, comment: String) throws {
        guard !FileManager.default.fileExists(atPath: path) || !FileManager.default.fileExists(atPath: path + ".pub")
        else { return }
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".pub")
        let (status, output) = try ChildProcess.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
                                                     comment, "-f", path])
        guard status == 0 else { throw SimProblems(["ssh-keygen for \(path) failed: \(output)"]) }
    }

    /// `type base64` of the public key at `path.pub`.
    public static func publicKey(of path: String) throws -> String {
        let text = try String(contentsOfFile: path + ".pub", encoding: .utf8)
        return text.split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// The known_hosts line for `host:port`, written as OpenSSH writes it (`[host]:port` unless the port is 22).
    public static func knownHostsLine(host: String, port: Int, key: String) -> String {
        (port == 22 ? host : "[\(host)]:\(port)") + " " + key
    }
}

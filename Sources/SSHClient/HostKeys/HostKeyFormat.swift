import Foundation

/// Text forms of host keys as OpenSSH writes them.
enum HostKeyFormat {
    /// `SHA256:<base64 without padding>` of a SHA-256 digest, as `ssh-keygen -l` and `ssh` print fingerprints.
    static func fingerprint(sha256 digest: [UInt8]) -> String {
        let base64 = Data(digest).base64EncodedString()
        return "SHA256:" + base64.trimmingCharacters(in: CharacterSet(charactersIn: "="))
    }

    /// The name a host has in known_hosts: `host` for port 22, `[host]:port` for any other port, as OpenSSH does.
    static func knownHostsName(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    /// A known_hosts line for a key, in OpenSSH's plain form: `[host]:port ssh-ed25519 AAAA…`.
    static func knownHostsLine(host: String, port: Int, algorithm: String, key: [UInt8]) -> String {
        "\(knownHostsName(host: host, port: port)) \(algorithm) \(Data(key).base64EncodedString())"
    }
}

internal import CLibSSH2
import Foundation
import Logging

/// Strict host-key checking of a handshaken session against known_hosts, OpenSSH style.
///
/// For a port other than 22 only a `[host]:port` entry counts, as in OpenSSH. libssh2's `checkp` would also accept
/// a plain `host` entry there; asroll does not, because a key recorded for port 22 belongs to whatever listens on
/// port 22, which need not be the server on this port.
struct HostKeyVerifier {
    let endpoint: SSHEndpoint
    let policy: HostKeyPolicy
    let logger: Logger

    /// The name the host has in known_hosts.
    var knownHostsName: String { HostKeyFormat.knownHostsName(host: endpoint.host, port: endpoint.port) }

    /// Loads known_hosts for the session, before the handshake, so that the key types it holds can be preferred.
    func load(for session: LibSSH2Session) throws(SSHError) -> KnownHostsFile {
        let file = try KnownHostsFile(path: policy.knownHostsPath, session: session,
                                      missingIsEmpty: policy.acceptNewKeys)
        if !file.skippedLines.isEmpty {
            logger.warning("known_hosts lines libssh2 cannot parse were skipped",
                           metadata: ["path": "\(file.path)", "lines": "\(file.skippedLines)"])
        }
        return file
    }

    /// Checks the key the server presented; returns its fingerprint.
    ///
    /// - Throws: `hostKeyChanged` for a different or revoked key (never accepted), `hostKeyUnknown` for a host
    ///   without an entry unless the policy records new keys, `knownHostsUnreadable` when recording fails.
    func verify(_ session: LibSSH2Session, against file: KnownHostsFile) throws(SSHError) -> String {
        var length = 0
        var rawType: Int32 = 0
        guard let keyPointer = libssh2_session_hostkey(session.raw, &length, &rawType), length > 0 else {
            throw session.error("libssh2_session_hostkey", code: libssh2_session_last_errno(session.raw), .handshake)
        }
        let key = keyPointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
        let fingerprint = Self.fingerprint(of: session)
        guard let type = HostKeyType(libssh2HostKeyType: rawType) else {
            throw SSHError(.handshakeFailed, endpoint: endpoint,
                           message: "the server's host key is of a type asroll cannot verify (libssh2 type "
                               + "\(rawType)); give the server an ed25519 or ECDSA host key")
        }
        let name = knownHostsName
        let presented = "the server presented \(fingerprint) (\(type.algorithmName))"
        let removeHint = "If the host was reinstalled, verify the new key out of band and remove the old entry with "
            + "`ssh-keygen -R '\(name)' -f \(file.path)`; otherwise treat this as a possible man-in-the-middle."

        if file.isRevoked(key) {
            throw SSHError(.hostKeyChanged, endpoint: endpoint,
                           message: "\(presented), which \(file.path) marks @revoked. Refusing to connect.",
                           hostKeyFingerprint: fingerprint)
        }
        switch file.check(name: name, key: key, type: type) {
        case LIBSSH2_KNOWNHOST_CHECK_MATCH:
            return fingerprint
        case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
            throw SSHError(.hostKeyChanged, endpoint: endpoint,
                           message: "\(presented), but \(file.path) has a different key for \(name). \(removeHint)",
                           hostKeyFingerprint: fingerprint)
        case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
            break
        default:
            throw session.error("libssh2_knownhost_checkp", code: libssh2_session_last_errno(session.raw), .handshake)
        }
        // No entry of this type. An entry of another type means the server did not offer the key we know.
        if file.check(name: name, key: key, type: nil) == LIBSSH2_KNOWNHOST_CHECK_MISMATCH {
            throw SSHError(.hostKeyChanged, endpoint: endpoint,
                           message: "\(presented), but \(file.path) holds only keys of other types for \(name) "
                               + "and the server did not offer them. \(removeHint)",
                           hostKeyFingerprint: fingerprint)
        }
        guard policy.acceptNewKeys else {
            var message = "\(presented) and \(file.path) has no entry for \(name). Check the fingerprint out of band, "
                + "then add the key (for example `ssh-keyscan -p \(endpoint.port) -t \(type.algorithmName) "
                + "\(endpoint.host) >> \(file.path)`), or allow recording new keys."
            if endpoint.port != 22,
               file.check(name: endpoint.host, key: key, type: type) == LIBSSH2_KNOWNHOST_CHECK_MATCH {
                message += " known_hosts lists this key for plain `\(endpoint.host)`, which (as in OpenSSH) applies "
                    + "only to port 22; add a `\(name)` entry."
            }
            throw SSHError(.hostKeyUnknown, endpoint: endpoint, message: message, hostKeyFingerprint: fingerprint)
        }
        let line = HostKeyFormat.knownHostsLine(host: endpoint.host, port: endpoint.port,
                                                algorithm: type.algorithmName, key: key)
        if let code = file.append(line) {
            throw SSHError(.knownHostsUnreadable, endpoint: endpoint,
                           message: "\(presented); cannot record it in \(file.path): "
                               + String(cString: strerror(code)),
                           hostKeyFingerprint: fingerprint)
        }
        logger.notice("recorded new host key", metadata: ["fingerprint": "\(fingerprint)", "path": "\(file.path)"])
        return fingerprint
    }

    /// The SHA-256 fingerprint of the session's host key.
    private static func fingerprint(of session: LibSSH2Session) -> String {
        guard let hash = libssh2_hostkey_hash(session.raw, LIBSSH2_HOSTKEY_HASH_SHA256) else { return "SHA256:?" }
        let digest = hash.withMemoryRebound(to: UInt8.self, capacity: 32) {
            Array(UnsafeBufferPointer(start: $0, count: 32))
        }
        return HostKeyFormat.fingerprint(sha256: digest)
    }
}

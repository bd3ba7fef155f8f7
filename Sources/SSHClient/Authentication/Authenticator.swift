internal import CLibSSH2
import Foundation
import Logging
import SystemSupport

#if canImport(Glibc)
import Glibc
#endif

/// Public-key authentication of a session, from a key file or from ssh-agent.
struct Authenticator {
    let endpoint: SSHEndpoint
    let logger: Logger

    /// What to add when the server refused an RSA key.
    static let rsaHint = "libssh2 1.10 signs RSA with SHA-1 ssh-rsa, which OpenSSH >= 8.8 refuses; "
        + "use an ed25519 or ECDSA key"

    /// Authenticates `session` as `endpoint.user`.
    ///
    /// - Throws: `authenticationFailed` (never retried) when the key cannot be loaded or the server refuses it;
    ///   `connectTimeout` or `connectionLost` when the network fails meanwhile.
    func authenticate(_ session: LibSSH2Session, with method: SSHAuthentication, deadline: Deadline)
        throws(SSHError)
    {
        switch method {
        case .keyFile(let privateKeyPath, let passphraseVariable):
            try authenticate(session, privateKeyPath: privateKeyPath, passphraseVariable: passphraseVariable,
                             deadline: deadline)
        case .agent(let socketPath):
            try authenticateWithAgent(session, socketPath: socketPath, deadline: deadline)
        }
    }

    private func failure(_ message: String, code: Int32? = nil) -> SSHError {
        SSHError(.authenticationFailed, endpoint: endpoint, message: message, libssh2Code: code)
    }

    // MARK: - Key file

    private func authenticate(_ session: LibSSH2Session, privateKeyPath: String, passphraseVariable: String?,
                              deadline: Deadline) throws(SSHError)
    {
        guard access(privateKeyPath, R_OK) == 0 else {
            throw failure("cannot read private key file \(privateKeyPath): \(String(cString: strerror(errno)))")
        }
        let publicKeyPath = privateKeyPath + ".pub"
        // With the .pub file libssh2 skips deriving the public key, which for a passphrase-protected key means
        // running the bcrypt KDF once instead of twice (measured 143 ms vs 284 ms).
        let publicKey: String? = access(publicKeyPath, R_OK) == 0 ? publicKeyPath : nil
        var passphrase: String?
        if let passphraseVariable {
            guard let value = ProcessInfo.processInfo.environment[passphraseVariable] else {
                throw failure("the key \(privateKeyPath) needs its passphrase from the environment variable "
                    + "\(passphraseVariable), which is not set")
            }
            passphrase = value
        }
        do {
            try session.call("libssh2_userauth_publickey_fromfile", phase: .authentication, deadline: deadline) {
                clibssh2_userauth_publickey_fromfile(session.raw, endpoint.user, publicKey, privateKeyPath,
                                                     passphrase)
            }
        } catch where error.kind == .authenticationFailed {
            var message = "the server did not accept the key \(privateKeyPath) for user \(endpoint.user) "
                + "(\(error.message))"
            // FILE: the key could not be read at all. PUBLICKEY_UNVERIFIED: the server accepted the public key but
            // signing failed, which means the private key could not be decrypted or parsed.
            if error.libssh2Code == LIBSSH2_ERROR_FILE || error.libssh2Code == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED {
                message = "cannot load the key \(privateKeyPath) (\(error.message)): wrong or missing passphrase, or "
                    + "a format libssh2 cannot read; use an OpenSSH-format ed25519 or ECDSA key"
            } else if KeyFileInspector.isRSA(privateKeyPath: privateKeyPath, publicKeyPath: publicKey) {
                message += ". \(Self.rsaHint)"
            }
            throw failure(message, code: error.libssh2Code)
        }
    }

    // MARK: - ssh-agent

    private func authenticateWithAgent(_ session: LibSSH2Session, socketPath: String?, deadline: Deadline)
        throws(SSHError)
    {
        let socketDescription = socketPath ?? ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"]
        guard let socketDescription else {
            throw failure("agent authentication was asked for, but SSH_AUTH_SOCK is not set: start ssh-agent and "
                + "add the key with ssh-add, or use a key file")
        }
        guard let agent = libssh2_agent_init(session.raw) else {
            throw failure("libssh2_agent_init returned NULL")
        }
        defer {
            libssh2_agent_disconnect(agent)
            libssh2_agent_free(agent)
        }
        if let socketPath { libssh2_agent_set_identity_path(agent, socketPath) }
        do {
            try session.call("libssh2_agent_connect", phase: .authentication, deadline: deadline) {
                libssh2_agent_connect(agent)
            }
            try session.call("libssh2_agent_list_identities", phase: .authentication, deadline: deadline) {
                libssh2_agent_list_identities(agent)
            }
        } catch {
            throw failure("cannot use ssh-agent at \(socketDescription): \(error.message)", code: error.libssh2Code)
        }

        var refused: [String] = []
        var offeredRSA = false
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
        while true {
            var identity: UnsafeMutablePointer<libssh2_agent_publickey>?
            let rc = libssh2_agent_get_identity(agent, &identity, previous)
            guard rc == 0, let identity else { break }
            previous = identity
            let comment = identity.pointee.comment.map { String(cString: $0) } ?? "(no comment)"
            if KeyFileInspector.isRSA(blob: identity.pointee.blob, length: identity.pointee.blob_len) {
                offeredRSA = true
            }
            do {
                try session.call("libssh2_agent_userauth", phase: .authentication, deadline: deadline) {
                    libssh2_agent_userauth(agent, endpoint.user, identity)
                }
                logger.debug("authenticated with ssh-agent identity", metadata: ["key": "\(comment)"])
                return
            } catch where error.kind == .authenticationFailed {
                refused.append(comment)
            }
        }
        var message = refused.isEmpty
            ? "ssh-agent at \(socketDescription) holds no keys; add one with ssh-add"
            : "the server did not accept any of the \(refused.count) ssh-agent keys for user \(endpoint.user) "
                + "(\(refused.joined(separator: ", ")))"
        if offeredRSA { message += ". \(Self.rsaHint)" }
        throw failure(message)
    }
}

/// Tells RSA keys apart without parsing them fully, to explain why OpenSSH refuses them.
enum KeyFileInspector {
    private static let rsaAlgorithm = Array("ssh-rsa".utf8)

    /// Whether a key file holds an RSA key: by its `.pub` file when there is one, else by the PEM header or the
    /// key-type string inside an OpenSSH-format private key (stored unencrypted even when the key has a passphrase).
    static func isRSA(privateKeyPath: String, publicKeyPath: String?) -> Bool {
        if let publicKeyPath, let text = try? String(contentsOfFile: publicKeyPath, encoding: .utf8) {
            return text.hasPrefix("ssh-rsa ")
        }
        guard let text = try? String(contentsOfFile: privateKeyPath, encoding: .utf8) else { return false }
        if text.contains("BEGIN RSA PRIVATE KEY") { return true }
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let data = Data(base64Encoded: body) else { return false }
        return Array(data).firstRange(of: rsaAlgorithm) != nil
    }

    /// Whether an SSH public-key blob (string algorithm name first) is an RSA key.
    static func isRSA(blob: UnsafeMutablePointer<UInt8>?, length: Int) -> Bool {
        guard let blob, length >= 4 + rsaAlgorithm.count else { return false }
        return Array(UnsafeBufferPointer(start: blob + 4, count: rsaAlgorithm.count)) == rsaAlgorithm
    }
}

internal import CLibSSH2

/// The host-key algorithms libssh2 1.10 can verify, in the order asroll prefers them.
enum HostKeyType: CaseIterable {
    case ed25519, ecdsa256, ecdsa384, ecdsa521, rsa

    /// The SSH algorithm name, as in `known_hosts` lines and `libssh2_session_method_pref`.
    var algorithmName: String {
        switch self {
        case .ed25519: "ssh-ed25519"
        case .ecdsa256: "ecdsa-sha2-nistp256"
        case .ecdsa384: "ecdsa-sha2-nistp384"
        case .ecdsa521: "ecdsa-sha2-nistp521"
        case .rsa: "ssh-rsa"
        }
    }

    /// The `LIBSSH2_KNOWNHOST_KEY_*` bits for `libssh2_knownhost_checkp`.
    var knownHostKeyBits: Int32 {
        switch self {
        case .ed25519: LIBSSH2_KNOWNHOST_KEY_ED25519
        case .ecdsa256: LIBSSH2_KNOWNHOST_KEY_ECDSA_256
        case .ecdsa384: LIBSSH2_KNOWNHOST_KEY_ECDSA_384
        case .ecdsa521: LIBSSH2_KNOWNHOST_KEY_ECDSA_521
        case .rsa: LIBSSH2_KNOWNHOST_KEY_SSHRSA
        }
    }

    /// The type `libssh2_session_hostkey` reported, or nil for one asroll does not verify (DSS, unknown).
    init?(libssh2HostKeyType type: Int32) {
        switch type {
        case LIBSSH2_HOSTKEY_TYPE_ED25519: self = .ed25519
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: self = .ecdsa256
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: self = .ecdsa384
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: self = .ecdsa521
        case LIBSSH2_HOSTKEY_TYPE_RSA: self = .rsa
        default: return nil
        }
    }

    /// The `libssh2_session_method_pref(LIBSSH2_METHOD_HOSTKEY, …)` list: the types `known_hosts` already holds for
    /// the host first, so that the server is asked for the key we can verify (libssh2 would otherwise pick ECDSA
    /// over the ed25519 key OpenSSH records), then the rest in the default order.
    static func preferenceList(known: Set<HostKeyType>) -> String {
        let ordered = allCases.filter { known.contains($0) } + allCases.filter { !known.contains($0) }
        return ordered.map(\.algorithmName).joined(separator: ",")
    }
}

/// How asroll logs in to the nodes (`ssh:`).
public struct SSHSettings: Sendable, Equatable {
    /// Login name (`user`, default: the user running asroll).
    public var user: String
    /// Port (`port`, default 22).
    public var port: Int
    /// Private key file, `~` expanded and made absolute (`identity_file`); nil when the agent is used.
    public var identityFile: String?
    /// Whether to authenticate through `SSH_AUTH_SOCK` instead of a key file (`use_agent`, default false).
    public var useAgent: Bool
    /// The known-hosts file checked strictly (`known_hosts`, default `~/.ssh/known_hosts`, expanded).
    public var knownHosts: String
    /// Budget for the TCP connect plus the SSH handshake (`connect_timeout`, default 10s).
    public var connectTimeout: Duration
    /// Name of the environment variable holding the key's passphrase (`passphrase_env`); never the secret itself.
    public var passphraseEnv: String?

    /// SSH settings; with neither `identityFile` nor `useAgent`, callers should pass `~/.ssh/id_ed25519` expanded.
    public init(
        user: String, port: Int = 22, identityFile: String?, useAgent: Bool = false, knownHosts: String,
        connectTimeout: Duration = .seconds(10), passphraseEnv: String? = nil
    ) {
        self.user = user
        self.port = port
        self.identityFile = identityFile
        self.useAgent = useAgent
        self.knownHosts = knownHosts
        self.connectTimeout = connectTimeout
        self.passphraseEnv = passphraseEnv
    }
}

/// Where to connect: a host, a port and the remote user, plus an optional node name for messages.
public struct SSHEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Host name or IP address literal.
    public var host: String
    /// TCP port of the SSH server.
    public var port: Int
    /// Remote user to log in as.
    public var user: String
    /// Inventory name of the node (`aero-2`), shown in front of every message when set.
    public var name: String?

    /// An endpoint for `user@host:port`, optionally named after its inventory node.
    public init(host: String, port: Int = 22, user: String, name: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.name = name
    }

    /// `user@host:port`, with IPv6 literals bracketed.
    public var address: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(user)@\(hostPart):\(port)"
    }

    /// `aero-2 (root@10.0.0.12:22)` when named, else `root@10.0.0.12:22`.
    public var description: String {
        guard let name else { return address }
        return "\(name) (\(address))"
    }
}

/// How the client proves its identity to the server.
public enum SSHAuthentication: Sendable, Hashable {
    /// A private key file (ed25519 or ECDSA); the public key is read from `privateKeyPath + ".pub"` when that file
    /// exists. The passphrase, if any, is read from the named environment variable at connect time and never logged.
    case keyFile(privateKeyPath: String, passphraseEnvironmentVariable: String? = nil)
    /// The identities of a running ssh-agent, tried in turn; `socketPath` nil means `$SSH_AUTH_SOCK`.
    case agent(socketPath: String? = nil)
}

/// Strict host-key checking against an OpenSSH `known_hosts` file.
public struct HostKeyPolicy: Sendable, Hashable {
    /// Path of the OpenSSH `known_hosts` file (plain, `[host]:port` and hashed entries are understood).
    public var knownHostsPath: String
    /// Records the key of a host that has no entry yet (appends an OpenSSH line, creating the file if needed).
    /// A changed key is never accepted, whatever this says.
    public var acceptNewKeys: Bool

    /// A policy reading `knownHostsPath`, refusing unknown hosts unless `acceptNewKeys`.
    public init(knownHostsPath: String, acceptNewKeys: Bool = false) {
        self.knownHostsPath = knownHostsPath
        self.acceptNewKeys = acceptNewKeys
    }
}

/// Timeouts and retry pacing of an `SSHConnection`.
public struct SSHOptions: Sendable, Hashable {
    /// Upper bound for TCP connect, SSH handshake, host-key check and authentication together.
    public var connectTimeout: Duration
    /// First pause between attempts in `reconnect(until:)`; doubled after every failed attempt.
    public var reconnectInitialDelay: Duration
    /// Longest pause between attempts in `reconnect(until:)`.
    public var reconnectMaxDelay: Duration
    /// How long a timed-out command's process group gets to exit after SIGTERM before it is sent SIGKILL.
    public var killGracePeriod: Duration
    /// Upper bound for each kill request sent over its own channel after a command timed out.
    public var killTimeout: Duration

    /// Options with the defaults: connect 10 s, reconnect pauses 100 ms doubling up to 2 s, kill grace 500 ms.
    public init(
        connectTimeout: Duration = .seconds(10),
        reconnectInitialDelay: Duration = .milliseconds(100),
        reconnectMaxDelay: Duration = .seconds(2),
        killGracePeriod: Duration = .milliseconds(500),
        killTimeout: Duration = .seconds(2)
    ) {
        self.connectTimeout = connectTimeout
        self.reconnectInitialDelay = reconnectInitialDelay
        self.reconnectMaxDelay = reconnectMaxDelay
        self.killGracePeriod = killGracePeriod
        self.killTimeout = killTimeout
    }
}

/// A failure of an SSH operation against one endpoint, with a kind to branch on and a message for the operator.
public struct SSHError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in terms a caller can branch on. Extensible: new kinds do not break exhaustive switches.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// TCP connect, SSH handshake or authentication did not finish within the connect timeout.
        public static let connectTimeout = Kind("connect timeout")
        /// Nothing listens on the port (ECONNREFUSED).
        public static let connectionRefused = Kind("connection refused")
        /// The host or its network is unreachable.
        public static let unreachable = Kind("host unreachable")
        /// The host name did not resolve.
        public static let resolveFailed = Kind("name resolution failed")
        /// Any other failure to establish the TCP connection.
        public static let connectFailed = Kind("connect failed")
        /// The SSH handshake (banner, key exchange) failed.
        public static let handshakeFailed = Kind("handshake failed")
        /// The server's host key is not in known_hosts; never retried.
        public static let hostKeyUnknown = Kind("host key unknown")
        /// The server presented a key other than the one known_hosts holds (or a revoked one); never retried.
        public static let hostKeyChanged = Kind("host key changed")
        /// The known_hosts file is missing or cannot be read or written; never retried.
        public static let knownHostsUnreadable = Kind("known_hosts unreadable")
        /// The server refused every key offered, or the key could not be loaded; never retried.
        public static let authenticationFailed = Kind("authentication failed")
        /// The command did not finish before its deadline; its process group was killed.
        public static let commandTimeout = Kind("command timeout")
        /// The connection broke (server gone, reset, EOF); reconnecting may help.
        public static let connectionLost = Kind("connection lost")
        /// The server refused to open a channel or to start the command.
        public static let channelFailed = Kind("channel failed")
        /// The peer violated the protocol, or libssh2 failed in an unexpected way.
        public static let protocolError = Kind("protocol error")
        /// The command cannot be sent as given (it contains a NUL byte).
        public static let invalidCommand = Kind("invalid command")
        /// The connection was closed with `close()` and cannot be used again.
        public static let closed = Kind("connection closed")

        /// A short lowercase phrase (`host key changed`).
        public var description: String { name }
    }

    /// What went wrong.
    public var kind: Kind
    /// `user@host:port` the operation was for.
    public var endpoint: String
    /// The inventory name of the node, when the endpoint has one.
    public var nodeName: String?
    /// What happened and, where it helps, what to do; includes libssh2's own message when libssh2 reported it.
    public var message: String
    /// The libssh2 return code (`LIBSSH2_ERROR_*`) behind the failure, when there was one.
    public var libssh2Code: Int32?
    /// `SHA256:<base64 without padding>` of the server's host key, set for `hostKeyUnknown` and `hostKeyChanged`.
    public var hostKeyFingerprint: String?
    /// What the command produced before a `commandTimeout` or `connectionLost` cut it short.
    public var partialResult: CommandResult?

    /// An error of `kind` for `endpoint`.
    public init(_ kind: Kind, endpoint: SSHEndpoint, message: String, libssh2Code: Int32? = nil,
                hostKeyFingerprint: String? = nil, partialResult: CommandResult? = nil) {
        self.kind = kind
        self.endpoint = endpoint.address
        self.nodeName = endpoint.name
        self.message = message
        self.libssh2Code = libssh2Code
        self.hostKeyFingerprint = hostKeyFingerprint
        self.partialResult = partialResult
    }

    /// Whether trying again later can succeed. False for problems that need a person: an unknown, changed or
    /// revoked host key, an unreadable known_hosts, refused credentials, a bad command or a closed connection.
    public var isRetryable: Bool {
        switch kind {
        case .hostKeyUnknown, .hostKeyChanged, .knownHostsUnreadable, .authenticationFailed, .invalidCommand,
             .closed:
            return false
        default:
            return true
        }
    }

    /// `aero-2 (root@10.0.0.12:22): host key changed: <message>`.
    public var description: String {
        let subject = nodeName.map { "\($0) (\(endpoint))" } ?? endpoint
        return "\(subject): \(kind): \(message)"
    }
}

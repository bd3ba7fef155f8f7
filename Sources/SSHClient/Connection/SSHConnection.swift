internal import CLibSSH2
public import Logging
public import SystemSupport

/// One SSH connection to one node, reused for many commands, reconnecting when it breaks.
///
/// The actor runs on a `ThreadExecutor` of its own: every libssh2 call (and every `poll` waiting for one) happens on
/// that dedicated thread, never on Swift's cooperative pool, and one session is never used by two threads at once.
/// Connections to different nodes therefore run commands in parallel however small the cooperative pool is.
public actor SSHConnection {
    /// Where this connection goes.
    public nonisolated let endpoint: SSHEndpoint
    private let authentication: SSHAuthentication
    private let hostKeys: HostKeyPolicy
    private let options: SSHOptions
    private let logger: Logger
    private let executor: ThreadExecutor
    private var session: LibSSH2Session?
    private var isClosed = false

    /// The SHA-256 fingerprint (`SHA256:…`) of the host key verified on the latest successful connect.
    public private(set) var hostKeyFingerprint: String?

    /// Runs the actor's jobs on its own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// A connection that connects on the first `connect()`, `reconnect(until:)` or `run`.
    ///
    /// - Parameters:
    ///   - endpoint: host, port, user and node name.
    ///   - authentication: key file or ssh-agent.
    ///   - hostKeys: the known_hosts file to check the server against.
    ///   - options: timeouts and reconnect pacing.
    ///   - logger: gets `ssh` metadata with the endpoint; passphrases are never logged.
    public init(endpoint: SSHEndpoint, authentication: SSHAuthentication, hostKeys: HostKeyPolicy,
                options: SSHOptions = .init(), logger: Logger)
    {
        self.endpoint = endpoint
        self.authentication = authentication
        self.hostKeys = hostKeys
        self.options = options
        var logger = logger
        logger[metadataKey: "ssh"] = "\(endpoint)"
        self.logger = logger
        executor = ThreadExecutor(name: "ssh \(endpoint.address)")
    }

    deinit {
        // The session (if any) frees itself without network I/O; the thread ends once its queue is empty.
        executor.shutdown()
    }

    /// Whether a session is established. A dead peer is noticed only by the next operation on it.
    public var isConnected: Bool { session != nil }

    /// Connects, checks the host key and authenticates, all within `options.connectTimeout`; one attempt, and
    /// nothing to do when already connected.
    ///
    /// - Throws: `SSHError`; see `isRetryable` for which kinds a later attempt can cure.
    public func connect() throws(SSHError) {
        guard !isClosed else { throw SSHError(.closed, endpoint: endpoint, message: "the connection was closed") }
        if session != nil { return }
        session = try establish(deadline: .after(options.connectTimeout))
    }

    /// Drops the current session, if any, and connects again, retrying with capped exponential backoff
    /// (`reconnectInitialDelay` doubling up to `reconnectMaxDelay`) until `deadline`. The host key is verified anew.
    ///
    /// - Throws: at once for a kind that is not retryable (host key, known_hosts, authentication); otherwise the last
    ///   attempt's error once `deadline` has passed or the task was cancelled.
    public func reconnect(until deadline: Deadline) async throws(SSHError) {
        guard !isClosed else { throw SSHError(.closed, endpoint: endpoint, message: "the connection was closed") }
        dropSession(graceful: true)
        var delay = options.reconnectInitialDelay
        var attempts = 0
        let started = ContinuousClock.now
        while true {
            attempts += 1
            do {
                session = try establish(deadline: Deadline.after(options.connectTimeout).earlier(deadline))
                logger.info("reconnected", metadata: ["attempts": "\(attempts)",
                                                      "after": "\(started.duration(to: .now).formattedSeconds)"])
                return
            } catch {
                guard error.isRetryable else { throw error }
                let pause = min(delay, deadline.remaining)
                if pause > .zero && !Task.isCancelled {
                    logger.debug("reconnect attempt failed", metadata: ["attempt": "\(attempts)",
                                                                         "error": "\(error.message)"])
                    try? await Task.sleep(for: pause)
                }
                if deadline.hasPassed || Task.isCancelled {
                    var error = error
                    error.message += " (gave up reconnecting after \(attempts) attempts in "
                        + "\(started.duration(to: .now).formattedSeconds))"
                    throw error
                }
                delay = min(delay * 2, options.reconnectMaxDelay)
            }
        }
    }

    /// Runs `command` in the user's login shell on the node, as `ssh node command` would, connecting first (one
    /// attempt) if there is no session.
    ///
    /// `timeout` covers the whole command. When it passes, the command's process group is sent SIGTERM, then
    /// SIGKILL after `options.killGracePeriod`, so that nothing keeps running on the node; the session stays usable.
    ///
    /// - Parameters:
    ///   - command: a shell command; quote values in it with `ShellQuoting.quote`.
    ///   - timeout: the longest the command may take.
    ///   - onOutput: called on the connection's thread with complete lines as they arrive.
    /// - Returns: stdout, stderr, exit status and exit signal; a non-zero status is a result, not an error.
    /// - Throws: `commandTimeout` or `connectionLost` with `partialResult`; connect errors as for `connect()`.
    public func run(_ command: String, timeout: Duration,
                    onOutput: (@Sendable (CommandOutputStream, String) -> Void)? = nil) throws(SSHError)
        -> CommandResult
    {
        try connect()
        guard let session else { preconditionFailure("connect() returned without a session") }
        do {
            return try CommandRunner(session: session, options: options, logger: logger)
                .run(command, timeout: timeout, onOutput: onOutput)
        } catch {
            if session.isBroken {
                logger.info("dropping the session", metadata: ["reason": "\(error.kind)"])
                dropSession(graceful: false)
            }
            throw error
        }
    }

    /// Ends the session (an SSH disconnect, then the socket is closed). The next `run` or `connect()` reconnects.
    public func disconnect() {
        dropSession(graceful: true)
    }

    /// Final teardown: disconnects, and every later call throws `closed`. The connection's thread ends when the
    /// actor is released.
    public func close() {
        dropSession(graceful: true)
        isClosed = true
    }

    // MARK: - Establishing a session

    private func dropSession(graceful: Bool) {
        session?.free(graceful: graceful)
        session = nil
    }

    private func establish(deadline: Deadline) throws(SSHError) -> LibSSH2Session {
        let started = ContinuousClock.now
        let socket: TCPSocket
        do {
            socket = try TCPSocket.connect(host: endpoint.host, port: endpoint.port, deadline: deadline)
        } catch {
            throw Self.connectError(error, endpoint: endpoint, timeout: options.connectTimeout)
        }
        let session = try LibSSH2Session(socket: socket, endpoint: endpoint)
        let verifier = HostKeyVerifier(endpoint: endpoint, policy: hostKeys, logger: logger)
        let knownHosts = try verifier.load(for: session)
        let preferences = HostKeyType.preferenceList(known: knownHosts.knownTypes(name: verifier.knownHostsName))
        try session.call("libssh2_session_method_pref", phase: .handshake, deadline: deadline) {
            libssh2_session_method_pref(session.raw, LIBSSH2_METHOD_HOSTKEY, preferences)
        }
        do {
            try session.call("libssh2_session_handshake", phase: .handshake, deadline: deadline) {
                libssh2_session_handshake(session.raw, session.fileDescriptor)
            }
        } catch where error.kind == .connectTimeout {
            var error = error
            error.message = "no SSH handshake within the connect timeout \(options.connectTimeout.formattedSeconds): "
                + "the server accepted the TCP connection but did not complete the handshake (\(error.message))"
            throw error
        }
        let fingerprint = try verifier.verify(session, against: knownHosts)
        do {
            try Authenticator(endpoint: endpoint, logger: logger)
                .authenticate(session, with: authentication, deadline: deadline)
        } catch where error.kind == .connectTimeout {
            var error = error
            error.message = "authentication did not finish within the connect timeout "
                + "\(options.connectTimeout.formattedSeconds) (\(error.message))"
            throw error
        }
        hostKeyFingerprint = fingerprint
        logger.debug("connected", metadata: ["ms": "\(started.duration(to: .now).milliseconds)",
                                             "hostKey": "\(fingerprint)"])
        return session
    }

    /// The SSH error for a failed TCP connect.
    static func connectError(_ error: SocketError, endpoint: SSHEndpoint, timeout: Duration) -> SSHError {
        let kind: SSHError.Kind
        var message = "TCP connect to \(endpoint.host):\(endpoint.port) failed: \(error.message)"
        switch error.kind {
        case .resolveFailed: kind = .resolveFailed
        case .connectionRefused: kind = .connectionRefused
        case .unreachable: kind = .unreachable
        case .connectTimedOut:
            kind = .connectTimeout
            message = "no TCP connection to \(endpoint.host):\(endpoint.port) within the connect timeout "
                + "\(timeout.formattedSeconds)"
        default: kind = .connectFailed
        }
        return SSHError(kind, endpoint: endpoint, message: message)
    }
}

internal import CLibSSH2
import Foundation
import SystemSupport

#if canImport(Glibc)
import Glibc
#endif

/// One live libssh2 session over one TCP socket, in non-blocking mode.
///
/// Deliberately not `Sendable`: libssh2 sessions (and every handle made from them) must be used by one thread at a
/// time. Only `SSHConnection`, an actor on its own thread, owns instances.
final class LibSSH2Session {
    /// The endpoint, for messages.
    let endpoint: SSHEndpoint
    /// The `LIBSSH2_SESSION *`.
    let raw: OpaquePointer
    private let socket: TCPSocket
    /// Channels whose command could not be ended (see `abandon`); freeing them is retried before each command.
    private var abandonedChannels: [OpaquePointer] = []
    private var isFreed = false
    /// Set once the session cannot be trusted any more (connection lost, a kill that could not be delivered); the
    /// connection then drops it and the next command reconnects.
    var isBroken = false

    /// Creates a non-blocking session on a connected socket (no network I/O yet).
    init(socket: TCPSocket, endpoint: SSHEndpoint) throws(SSHError) {
        guard libssh2InitResult == 0 else {
            throw SSHError(.protocolError, endpoint: endpoint,
                           message: "libssh2_init failed with \(libssh2InitResult)", libssh2Code: libssh2InitResult)
        }
        guard let raw = clibssh2_session_init() else {
            throw SSHError(.protocolError, endpoint: endpoint, message: "libssh2_session_init returned NULL")
        }
        self.raw = raw
        self.socket = socket
        self.endpoint = endpoint
        libssh2_session_set_blocking(raw, 0)
        installQuickAckReceive(on: raw)
    }

    deinit { free(graceful: false) }

    /// The socket descriptor libssh2 talks over.
    var fileDescriptor: Int32 { socket.fd }

    // MARK: - The funnel

    /// Runs one libssh2 call to completion. Every libssh2 call of SSHClient goes through here.
    ///
    /// Non-negative results are returned. `LIBSSH2_ERROR_EAGAIN` is retried after `poll(2)` on the directions
    /// `libssh2_session_block_directions` names, until `deadline`; with a nil deadline it returns nil instead, for
    /// callers that interleave several non-blocking calls (stdout and stderr) themselves. Other negative results
    /// throw, mapped by named constant, with libssh2's own message.
    @discardableResult
    func perform(_ function: String, phase: LibSSH2Phase, deadline: Deadline?, _ body: () -> Int)
        throws(SSHError) -> Int?
    {
        while true {
            let rc = body()
            if rc >= 0 { return rc }
            guard rc == Int(LIBSSH2_ERROR_EAGAIN) else { throw error(function, code: Int32(clamping: rc), phase) }
            guard let deadline else { return nil }
            try waitForSocket(function, phase: phase, deadline: deadline)
        }
    }

    /// `perform` with a deadline, so the result is always present.
    @discardableResult
    func call(_ function: String, phase: LibSSH2Phase, deadline: Deadline, _ body: () -> Int32) throws(SSHError)
        -> Int
    {
        guard let rc = try perform(function, phase: phase, deadline: deadline, { Int(body()) }) else {
            preconditionFailure("perform returns a value whenever it has a deadline")
        }
        return rc
    }

    /// `perform` for the libssh2 calls that return a handle, or NULL with the reason in `last_errno`.
    func callReturningHandle(_ function: String, phase: LibSSH2Phase, deadline: Deadline,
                             _ body: () -> OpaquePointer?) throws(SSHError) -> OpaquePointer
    {
        var handle: OpaquePointer?
        try call(function, phase: phase, deadline: deadline) {
            handle = body()
            if handle != nil { return 0 }
            let code = libssh2_session_last_errno(raw)
            return code < 0 ? code : LIBSSH2_ERROR_PROTO
        }
        guard let handle else { preconditionFailure("\(function) succeeded without a handle") }
        return handle
    }

    /// Waits until the socket is ready in the directions libssh2 is blocked on, or throws a timeout for `phase`.
    func waitForSocket(_ function: String, phase: LibSSH2Phase, deadline: Deadline) throws(SSHError) {
        let directions = libssh2_session_block_directions(raw)
        var events: Int16 = 0
        if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        if events == 0 { events = Int16(POLLIN) }
        let ready: Bool
        do {
            ready = try socket.wait(for: events, deadline: deadline)
        } catch {
            isBroken = true
            throw SSHError(.connectionLost, endpoint: endpoint, message: "\(function): \(error.message)")
        }
        guard ready else {
            let kind: SSHError.Kind = phase == .command ? .commandTimeout : .connectTimeout
            throw SSHError(kind, endpoint: endpoint, message: "\(function) made no progress before the deadline")
        }
    }

    /// The error for a failed call, with libssh2's message for it.
    func error(_ function: String, code: Int32, _ phase: LibSSH2Phase) -> SSHError {
        let kind = SSHError.Kind.forLibSSH2Code(code, during: phase)
        if kind == .connectionLost { isBroken = true }
        return SSHError(kind, endpoint: endpoint,
                 message: "\(function) failed: \(lastErrorMessage) (libssh2 error \(code))", libssh2Code: code)
    }

    /// `libssh2_session_last_error`'s text.
    var lastErrorMessage: String {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        _ = libssh2_session_last_error(raw, &message, &length, 0)
        guard let message, length > 0 else { return "no message from libssh2" }
        return String(cString: message)
    }

    // MARK: - Abandoned channels

    /// Keeps a channel whose remote end would not close (its process outlived every kill) so that the session stays
    /// usable; `libssh2_channel_free` on it is retried without waiting before each later command, and
    /// `libssh2_session_free` reclaims whatever is left.
    func abandon(_ channel: OpaquePointer) {
        abandonedChannels.append(channel)
    }

    /// Frees the abandoned channels whose remote end has closed by now.
    func reapAbandonedChannels() {
        abandonedChannels.removeAll { channel in
            do {
                // nil means EAGAIN: the remote end is still open.
                return try perform("libssh2_channel_free", phase: .command, deadline: nil) {
                    Int(libssh2_channel_free(channel))
                } != nil
            } catch {
                // Any other error: libssh2 has released the channel anyway.
                return true
            }
        }
    }

    /// Number of channels still abandoned, for logs.
    var abandonedChannelCount: Int { abandonedChannels.count }

    // MARK: - Teardown

    /// Ends the session: an SSH disconnect when `graceful` (bounded by a short deadline), then the socket is shut
    /// down so that freeing cannot wait on the network, then every libssh2 resource is freed.
    func free(graceful: Bool) {
        guard !isFreed else { return }
        isFreed = true
        if graceful {
            _ = try? call("libssh2_session_disconnect", phase: .command, deadline: .after(.milliseconds(200))) {
                clibssh2_session_disconnect(raw, "asroll closing the connection")
            }
        }
        shutdown(socket.fd, Int32(SHUT_RDWR))
        // libssh2_session_free frees the abandoned channels too; freeing them here as well would be a double free.
        abandonedChannels.removeAll()
        // After the shutdown every pending close fails at once instead of returning EAGAIN; the bound is a backstop
        // that leaks the session rather than spinning forever.
        var attempts = 0
        while libssh2_session_free(raw) == LIBSSH2_ERROR_EAGAIN && attempts < 100 {
            attempts += 1
        }
        socket.close()
    }
}

internal import CLibSSH2
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// libssh2's global state, initialised exactly once: a global `let` is initialised lazily and thread-safely, which
/// is what `libssh2_init` needs ("not thread safe, must not be called concurrently"). `libssh2_exit` is never
/// called: other sessions may still be alive whenever one goes away.
let libssh2InitResult: Int32 = libssh2_init(0)

/// Which stage of the connection a libssh2 call belongs to; the same return code means different things to an
/// operator during the handshake and in the middle of a command.
enum LibSSH2Phase {
    /// TCP connect, banner exchange, key exchange, host-key check.
    case handshake
    /// Public-key or agent authentication.
    case authentication
    /// Channels: open, exec, read, close.
    case command
}

extension SSHError.Kind {
    /// The kind for a libssh2 return code, matched by named constant (libssh2's numbering is not a contract).
    static func forLibSSH2Code(_ code: Int32, during phase: LibSSH2Phase) -> SSHError.Kind {
        switch code {
        case LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_DISCONNECT,
             LIBSSH2_ERROR_BAD_SOCKET, LIBSSH2_ERROR_SOCKET_NONE:
            return .connectionLost
        case LIBSSH2_ERROR_TIMEOUT, LIBSSH2_ERROR_SOCKET_TIMEOUT:
            return phase == .command ? .commandTimeout : .connectTimeout
        case LIBSSH2_ERROR_BANNER_RECV, LIBSSH2_ERROR_BANNER_SEND, LIBSSH2_ERROR_KEX_FAILURE,
             LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE, LIBSSH2_ERROR_HOSTKEY_INIT, LIBSSH2_ERROR_HOSTKEY_SIGN,
             LIBSSH2_ERROR_METHOD_NOT_SUPPORTED, LIBSSH2_ERROR_INVALID_MAC, LIBSSH2_ERROR_DECRYPT,
             LIBSSH2_ERROR_ENCRYPT:
            return phase == .handshake ? .handshakeFailed : .protocolError
        case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, LIBSSH2_ERROR_METHOD_NONE,
             LIBSSH2_ERROR_PASSWORD_EXPIRED, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED, LIBSSH2_ERROR_AGENT_PROTOCOL,
             LIBSSH2_ERROR_PUBLICKEY_PROTOCOL:
            return .authenticationFailed
        case LIBSSH2_ERROR_FILE:
            // Outside authentication libssh2 reports an unreadable known_hosts this way.
            return phase == .authentication ? .authenticationFailed : .knownHostsUnreadable
        case LIBSSH2_ERROR_KNOWN_HOSTS:
            return .knownHostsUnreadable
        case LIBSSH2_ERROR_CHANNEL_FAILURE, LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED, LIBSSH2_ERROR_REQUEST_DENIED,
             LIBSSH2_ERROR_CHANNEL_UNKNOWN, LIBSSH2_ERROR_CHANNEL_CLOSED, LIBSSH2_ERROR_CHANNEL_EOF_SENT,
             LIBSSH2_ERROR_CHANNEL_OUTOFORDER, LIBSSH2_ERROR_CHANNEL_WINDOW_EXCEEDED,
             LIBSSH2_ERROR_CHANNEL_PACKET_EXCEEDED, LIBSSH2_ERROR_CHANNEL_WINDOW_FULL:
            return .channelFailed
        default:
            return .protocolError
        }
    }
}

/// libssh2 receive hook that re-arms `TCP_QUICKACK` before every `recv`.
///
/// sshd keeps Nagle on until its first session starts, so the channel-open confirmation of the first command on a
/// connection waits for our delayed ACK (~40 ms). Setting QUICKACK once does not help because the kernel clears it;
/// setting it before each read does (measured 45 ms -> 4.4 ms). libssh2 expects `-errno` on failure.
private let quickAckReceive: @convention(c) (
    libssh2_socket_t, UnsafeMutableRawPointer?, Int, Int32, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> Int = { fd, buffer, length, flags, _ in
    var one: Int32 = 1
    _ = setsockopt(fd, Int32(IPPROTO_TCP), Int32(TCP_QUICKACK), &one, socklen_t(MemoryLayout<Int32>.size))
    let received = recv(fd, buffer, length, flags)
    return received < 0 ? -Int(errno) : received
}

/// Installs `quickAckReceive` as the session's receive function.
func installQuickAckReceive(on session: OpaquePointer) {
    _ = libssh2_session_callback_set(session, LIBSSH2_CALLBACK_RECV,
                                     unsafeBitCast(quickAckReceive, to: UnsafeMutableRawPointer.self))
}

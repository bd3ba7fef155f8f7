import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A connected TCP socket with deadline-bounded I/O. Not thread-safe: one owner uses it at a time.
///
/// The descriptor is non-blocking and close-on-exec, has `TCP_NODELAY` set (every protocol asroll speaks is
/// request/response, where Nagle's algorithm only adds ~40 ms per round trip), and is closed on `deinit`.
public final class TCPSocket {
    /// The file descriptor; valid until `close()`.
    public private(set) var fd: Int32
    /// `host:port` this socket was connected to, for messages.
    public let endpoint: String

    /// Wraps a connected stream descriptor (a TCP socket, or one end of a socket pair); the socket owns it from now.
    public init(fd: Int32, endpoint: String) {
        self.fd = fd
        self.endpoint = endpoint
    }

    deinit { close() }

    /// Closes the descriptor; further I/O fails.
    public func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    /// Connects to `host:port`, trying each resolved address in turn, before `deadline`.
    ///
    /// - Throws: `SocketError` with `.resolveFailed`, `.connectTimedOut`, `.connectionRefused`, `.unreachable`.
    public static func connect(host: String, port: Int, deadline: Deadline) throws(SocketError) -> TCPSocket {
        let endpoint = formatEndpoint(host: host, port: port)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw SocketError(.resolveFailed, endpoint: endpoint, message: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }

        var lastError = SocketError(.other, endpoint: endpoint, message: "no usable address")
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            do {
                return try connect(address: info.pointee, endpoint: endpoint, deadline: deadline)
            } catch {
                lastError = error
                if error.kind == .connectTimedOut { break }
            }
        }
        throw lastError
    }

    private static func connect(address: addrinfo, endpoint: String, deadline: Deadline) throws(SocketError)
        -> TCPSocket
    {
        let fd = socket(address.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .fromErrno(errno, endpoint: endpoint, during: "socket") }
        let socket = TCPSocket(fd: fd, endpoint: endpoint)
        try socket.setNonBlocking()
        if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { throw .fromErrno(errno, endpoint: endpoint, during: "connect") }
            let ready = try socket.wait(for: Int16(POLLOUT), deadline: deadline)
            guard ready else {
                throw SocketError(.connectTimedOut, endpoint: endpoint,
                                  message: "no answer within the connect timeout")
            }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
            if soError != 0 { throw .fromErrno(soError, endpoint: endpoint, during: "connect") }
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return socket
    }

    private func setNonBlocking() throws(SocketError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw .fromErrno(errno, endpoint: endpoint, during: "fcntl")
        }
    }

    /// Waits until the socket is ready for `events` (`POLLIN`, `POLLOUT`) or the deadline passes.
    ///
    /// - Returns: `true` when ready (including on error or hang-up, which the next I/O call reports), `false` when
    ///   the deadline passed first.
    public func wait(for events: Int16, deadline: Deadline?) throws(SocketError) -> Bool {
        try Self.poll(fd: fd, events: events, deadline: deadline, endpoint: endpoint)
    }

    /// `poll(2)` on one descriptor against an optional deadline, retrying on EINTR.
    public static func poll(fd: Int32, events: Int16, deadline: Deadline?, endpoint: String) throws(SocketError)
        -> Bool
    {
        while true {
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let timeout = deadline?.pollTimeout ?? -1
            let rc = Glibc.poll(&pfd, 1, timeout)
            if rc > 0 { return true }
            if rc == 0 {
                if deadline?.hasPassed ?? false { return false }
                continue
            }
            if errno == EINTR { continue }
            throw .fromErrno(errno, endpoint: endpoint, during: "poll")
        }
    }

    /// Writes every byte before the deadline.
    public func writeAll(_ bytes: [UInt8], deadline: Deadline) throws(SocketError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                offset += n
                continue
            }
            if n < 0 && (errno == EAGAIN || errno == EINTR) {
                guard try wait(for: Int16(POLLOUT), deadline: deadline) else {
                    throw SocketError(.timedOut, endpoint: endpoint, message: "write did not finish in time")
                }
                continue
            }
            throw .fromErrno(n < 0 ? errno : EPIPE, endpoint: endpoint, during: "send")
        }
    }

    /// Reads exactly `count` bytes before the deadline.
    ///
    /// - Throws: `.closed` when the peer closes first, `.timedOut` when the deadline passes.
    public func readExactly(_ count: Int, deadline: Deadline) throws(SocketError) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let n = result.withUnsafeMutableBytes { buffer in
                Glibc.recv(fd, buffer.baseAddress! + offset, count - offset, 0)
            }
            if n > 0 {
                offset += n
                continue
            }
            if n == 0 {
                throw SocketError(.closed, endpoint: endpoint,
                                  message: "peer closed the connection after \(offset) of \(count) bytes")
            }
            if errno == EAGAIN || errno == EINTR {
                guard try wait(for: Int16(POLLIN), deadline: deadline) else {
                    throw SocketError(.timedOut, endpoint: endpoint, message: "no reply before the deadline")
                }
                continue
            }
            throw .fromErrno(errno, endpoint: endpoint, during: "recv")
        }
        return result
    }

    /// `host:port`, with IPv6 literals bracketed.
    public static func formatEndpoint(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}



#if canImport(Glibc)
import Glibc
#endif

/// Unix stream sockets for the control channel (SystemSupport covers TCP only).
public enum UnixSocket {
    /// A socket failure with the system's message.
    public struct Failure: Error, CustomStringConvertible {
        /// What was attempted.
        public let operation: String
        /// The socket path.
        public let path: String
        /// errno.
        public let code: Int32
        public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }

        /// A failure of `operation` on `path` with errno `code`.
        public init(operation: String, path: String, code: Int32) {
            self.operation = operation
            self.path = path
            self.code = code
        }
    }

    private static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        return address
    }

    /// Binds and listens on `path` (replacing a stale socket file), mode 0600.
    public static func listen(_ path: String) throws(Failure) -> Int32 {
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(operation: "socket", path: path, code: errno) }
        var address = address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw Failure(operation: "bind", path: path, code: code)
        }
        chmod(path, 0o600)
        return fd
    }

    /// Connects to `path`.
    public static func connect(_ path: String) throws(Failure) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(operation: "socket", path: path, code: errno) }
        var address = address(path)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw Failure(operation: "connect", path: path, code: code)
        }
        return fd
    }

    /// Waits up to `timeout` seconds for a connection on listening socket `fd`; `nil` when none came.
    public static func accept(_ fd: Int32, timeout: Double) -> Int32? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return nil }
        let client = Glibc.accept(fd, nil, nil)
        guard client >= 0 else { return nil }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        return client
    }

    /// The pid of the peer of connected socket `fd`, as seen from this process's pid namespace.
    public static func peerPid(_ fd: Int32) -> pid_t? {
        // struct ucred (pid, uid, gid): a GNU extension Swift does not import.
        var credentials: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout<(Int32, UInt32, UInt32)>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0, credentials.pid > 0 else {
            return nil
        }
        return credentials.pid
    }

    /// Whether the peer of `fd` has closed its end (or the socket failed), without consuming data.
    public static func peerHasClosed(_ fd: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 0) > 0 else { return false }
        if poller.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return true }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) == 0
    }
}

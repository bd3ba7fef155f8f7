import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket bound to one address and port, whose `accept` can be bounded in time so that a server
/// loop notices when it is asked to stop.
public final class TCPListener {
    /// The listening descriptor; -1 once closed.
    public private(set) var fd: Int32
    /// `host:port` the listener is bound to.
    public let endpoint: String
    /// The bound port (useful when 0 was asked for).
    public let port: Int

    /// Binds and listens on `host:port` (IPv4 literal; `port` 0 picks a free port).
    ///
    /// - Throws: `SocketError` with `.bindFailed` when the address is in use or not local.
    public init(host: String, port: Int, backlog: Int32 = 128) throws(SocketError) {
        let endpoint = TCPSocket.formatEndpoint(host: host, port: port)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .fromErrno(errno, endpoint: endpoint, during: "socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            Glibc.close(fd)
            throw SocketError(.bindFailed, endpoint: endpoint, message: "not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let error = SocketError.fromErrno(errno, endpoint: endpoint, during: "bind")
            Glibc.close(fd)
            throw error
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.endpoint = TCPSocket.formatEndpoint(host: host, port: self.port)
    }

    deinit { close() }

    /// Stops listening; pending and future `accept` calls return `nil`.
    public func close() {
        if fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR))
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    /// Waits up to `timeout` for a connection.
    ///
    /// - Returns: the connected socket (non-blocking, `TCP_NODELAY`), or `nil` when nothing arrived in time or the
    ///   listener was closed.
    public func accept(timeout: Duration) -> TCPSocket? {
        let listening = fd
        guard listening >= 0 else { return nil }
        guard (try? TCPSocket.poll(fd: listening, events: Int16(POLLIN), deadline: .after(timeout),
                                    endpoint: endpoint)) == true
        else { return nil }
        let client = Glibc.accept(listening, nil, nil)
        guard client >= 0 else { return nil }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return TCPSocket(fd: client, endpoint: endpoint)
    }
}

import Foundation

/// A failure of a TCP operation, with a kind a caller can act on and the system's own message.
public struct SocketError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, in terms a caller can branch on.
    public enum Kind: String, Sendable, Equatable {
        /// The host name did not resolve.
        case resolveFailed = "name resolution failed"
        /// The connection was not established before the deadline.
        case connectTimedOut = "connect timed out"
        /// Nothing listens on the port (ECONNREFUSED).
        case connectionRefused = "connection refused"
        /// The host or network is unreachable.
        case unreachable = "host unreachable"
        /// A read or write did not finish before the deadline.
        case timedOut = "timed out"
        /// The peer closed the connection, or it was reset.
        case closed = "connection closed"
        /// The address could not be bound (in use, or not local).
        case bindFailed = "bind failed"
        /// Any other system error.
        case other = "socket error"
    }

    /// What went wrong.
    public let kind: Kind
    /// `host:port` the operation was for.
    public let endpoint: String
    /// The system's message (`strerror`), or a description of the condition.
    public let message: String
    /// The errno value, when there was one.
    public let errno: Int32?

    /// An error of `kind` for `endpoint`.
    public init(_ kind: Kind, endpoint: String, message: String, errno: Int32? = nil) {
        self.kind = kind
        self.endpoint = endpoint
        self.message = message
        self.errno = errno
    }

    /// An error from an errno value, classified.
    public static func fromErrno(_ code: Int32, endpoint: String, during operation: String) -> SocketError {
        let kind: Kind
        switch code {
        case ECONNREFUSED: kind = .connectionRefused
        case EHOSTUNREACH, ENETUNREACH: kind = .unreachable
        case ETIMEDOUT: kind = .timedOut
        case ECONNRESET, EPIPE, ENOTCONN: kind = .closed
        case EADDRINUSE, EADDRNOTAVAIL: kind = .bindFailed
        default: kind = .other
        }
        return SocketError(kind, endpoint: endpoint, message: "\(operation): \(String(cString: strerror(code)))",
                           errno: code)
    }

    public var description: String { "\(endpoint): \(kind.rawValue) (\(message))" }
}

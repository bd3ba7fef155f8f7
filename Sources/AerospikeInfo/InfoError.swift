import SystemSupport

/// A failed info request: the node could not be reached, did not answer in time, or answered something that is not
/// an info reply.
public struct InfoError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Equatable {
        /// Nothing listens on the info port: asd is not running, or is still loading (the port opens only once
        /// startup is complete).
        case connectionRefused = "connection refused"
        /// The node did not accept the connection in time.
        case connectTimedOut = "connect timed out"
        /// The request did not complete before its deadline.
        case timedOut = "timed out"
        /// The node closed the connection before the reply was complete.
        case connectionClosed = "connection closed"
        /// The host name did not resolve, or the host is unreachable.
        case unreachable = "unreachable"
        /// The bytes received are not an info message.
        case malformedReply = "malformed reply"
        /// The server demands authentication (`ERROR:80:not authenticated`).
        case notAuthenticated = "not authenticated"
        /// The reply lacks an answer to a command that was sent.
        case missingAnswer = "missing answer"
        /// `asinfo` run over SSH failed.
        case remoteCommandFailed = "asinfo failed"
    }

    /// What went wrong.
    public var kind: Kind
    /// `host:port` of the node.
    public var endpoint: String
    /// Details for the operator.
    public var message: String

    /// An error of `kind` for `endpoint`.
    public init(_ kind: Kind, endpoint: String, message: String) {
        self.kind = kind
        self.endpoint = endpoint
        self.message = message
    }

    init(_ error: SocketError) {
        let kind: Kind
        switch error.kind {
        case .connectionRefused: kind = .connectionRefused
        case .connectTimedOut: kind = .connectTimedOut
        case .timedOut: kind = .timedOut
        case .closed: kind = .connectionClosed
        case .resolveFailed, .unreachable: kind = .unreachable
        case .bindFailed, .other: kind = .connectionClosed
        }
        self.init(kind, endpoint: error.endpoint, message: error.message)
    }

    public var description: String { "info \(endpoint): \(kind.rawValue) (\(message))" }
}

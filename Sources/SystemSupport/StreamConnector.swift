/// Opens a byte stream to `host:port` and hands it over as a `TCPSocket`: a direct TCP connection, or a stream that
/// a jump host carries (an SSH `direct-tcpip` channel pumped through one end of a socket pair).
///
/// Everything that speaks a protocol over a stream (the SSH client, the info client, TLS) takes a connector, so that
/// reaching a node through a bastion changes how the stream is opened and nothing else.
public protocol StreamConnector: Sendable {
    /// Opens a stream to `host:port` before `deadline`.
    ///
    /// - Throws: `SocketError` (`.connectTimedOut`, `.connectionRefused`, `.unreachable`, ...), naming the endpoint.
    func connect(host: String, port: Int, deadline: Deadline) async throws(SocketError) -> TCPSocket

    /// How the stream travels, for messages and for `asroll check` ("direct", "via ops@bastion:22").
    var route: String { get }
}

/// A direct TCP connection from the controller.
public struct DirectConnector: StreamConnector {
    /// A direct connector.
    public init() {}

    public func connect(host: String, port: Int, deadline: Deadline) async throws(SocketError) -> TCPSocket {
        try TCPSocket.connect(host: host, port: port, deadline: deadline)
    }

    public var route: String { "direct" }
}

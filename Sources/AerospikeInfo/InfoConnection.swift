import SystemSupport

/// A connection to one node's info port, reused across requests and reopened when the node closed it.
///
/// Socket work happens on the actor's own thread (a `ThreadExecutor`), so that polling many nodes never blocks
/// Swift's cooperative pool, and every request is bounded by a deadline that covers connect, write and read.
public actor InfoConnection {
    /// The node's address.
    public nonisolated let host: String
    /// The node's info (service) port, conventionally 3000.
    public nonisolated let port: Int
    /// `host:port`, for messages.
    public nonisolated let endpoint: String

    private let executor: ThreadExecutor
    private var socket: TCPSocket?

    /// The actor runs on its own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// A connection to `host:port`; nothing is sent until the first request.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
        self.endpoint = TCPSocket.formatEndpoint(host: host, port: port)
        self.executor = ThreadExecutor(name: "info \(TCPSocket.formatEndpoint(host: host, port: port))")
    }

    /// Sends `commands` in one request and returns the answers, all within `timeout`.
    ///
    /// A reused connection that the node has closed since (a restart, an idle timeout) is reopened once; any other
    /// failure is thrown and the connection is dropped so that the next request starts clean.
    public func request(_ commands: [String], timeout: Duration) throws(InfoError) -> InfoResponse {
        let deadline = Deadline.after(timeout)
        let wasReused = socket != nil
        do {
            return try exchange(commands, deadline: deadline)
        } catch let error where wasReused && error.kind == .connectionClosed && !deadline.hasPassed {
            return try exchange(commands, deadline: deadline)
        }
    }

    /// Sends one command and returns its value.
    public func request(_ command: String, timeout: Duration) throws(InfoError) -> String {
        try request([command], timeout: timeout).value(for: command)
    }

    /// Closes the socket; a later request reconnects.
    public func disconnect() {
        socket?.close()
        socket = nil
    }

    /// Closes the socket and ends the actor's thread. The connection must not be used afterwards.
    public func close() {
        disconnect()
        executor.shutdown()
    }

    private func exchange(_ commands: [String], deadline: Deadline) throws(InfoError) -> InfoResponse {
        do {
            let socket = try self.socket ?? TCPSocket.connect(host: host, port: port, deadline: deadline)
            self.socket = socket
            try socket.writeAll(InfoProtocol.request(commands), deadline: deadline)
            let header = try socket.readExactly(InfoProtocol.headerSize, deadline: deadline)
            let length: Int
            do {
                length = try InfoProtocol.bodyLength(ofHeader: header)
            } catch {
                throw InfoError(.malformedReply, endpoint: endpoint, message: error.description)
            }
            let body = try socket.readExactly(length, deadline: deadline)
            return try InfoResponse(answers: InfoProtocol.answers(inResponseBody: body), endpoint: endpoint)
        } catch let error as SocketError {
            disconnect()
            throw InfoError(error)
        } catch let error as InfoError {
            disconnect()
            throw error
        } catch {
            disconnect()
            throw InfoError(.malformedReply, endpoint: endpoint, message: "\(error)")
        }
    }
}

/// The answers of one info request.
public struct InfoResponse: Sendable, Equatable {
    /// The answers in the order the node sent them.
    public var answers: [InfoAnswer]
    /// `host:port` the answers came from.
    public var endpoint: String

    /// Wraps `answers`, refusing the bare `ERROR:80:not authenticated` line a secured node sends instead.
    public init(answers: [InfoAnswer], endpoint: String) throws(InfoError) {
        if let bare = answers.first(where: { $0.command.isEmpty }), bare.value.hasPrefix("ERROR:80") {
            throw InfoError(.notAuthenticated, endpoint: endpoint,
                            message: "\(bare.value): the node has security enabled; asroll's direct info access "
                                + "has no credentials, use info.via: ssh with asinfo configured on the node")
        }
        self.answers = answers
        self.endpoint = endpoint
    }

    /// The value answered to `command`, if any.
    public subscript(command: String) -> String? {
        answers.first { $0.command == command }?.value
    }

    /// The value answered to `command`.
    ///
    /// - Throws: `InfoError.missingAnswer`: servers up to 7.1 silently omit commands they do not know.
    public func value(for command: String) throws(InfoError) -> String {
        guard let value = self[command] else {
            throw InfoError(.missingAnswer, endpoint: endpoint,
                            message: "no answer to '\(command)' (an unknown command on a server up to 7.1?)")
        }
        return value
    }
}

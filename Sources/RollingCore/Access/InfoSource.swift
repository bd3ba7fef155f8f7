import AerospikeInfo

/// A way to ask one node info commands: directly over TCP, or by running `asinfo` on the node over SSH.
public protocol InfoSource: Sendable {
    /// Sends `commands` and returns the node's answers, within `timeout`.
    func request(_ commands: [String], timeout: Duration) async throws -> InfoResponse
    /// Releases the connection.
    func close() async
}

/// Direct TCP access to the node's info port (`info.via: direct`).
extension InfoConnection: InfoSource {}

import SSHClient
import SystemSupport

/// A way to run shell commands on one node: SSH in production, a fake in the core's unit tests.
public protocol RemoteShell: Sendable {
    /// Runs `command` through the node's login shell within `timeout`, streaming output to `onOutput` as it arrives.
    ///
    /// - Throws: `SSHError` (connection problems, host keys, `commandTimeout` after the remote process group was
    ///   killed).
    func run(_ command: String, timeout: Duration,
             onOutput: (@Sendable (CommandOutputStream, String) -> Void)?) async throws -> CommandResult
    /// Re-establishes the connection, retrying with backoff until `deadline` (after a reboot or a lost link).
    func reconnect(until deadline: Deadline) async throws
    /// Drops the connection (it reconnects lazily on the next command).
    func disconnect() async
    /// Ends the connection for good.
    func close() async
    /// The fingerprint of the host key the node presented (`SHA256:...`), once connected.
    var hostKeyFingerprint: String? { get async }
}

/// SSH through libssh2: the connection actor already has every method the protocol asks for.
extension SSHConnection: RemoteShell {}

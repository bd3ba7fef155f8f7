import SimWire
import Synchronization

/// A command's stdout/stderr sent as frames on its control connection; notices when the client has gone.
final class SocketOutput: CommandOutput {
    private let fd: Int32
    private let failed = Mutex(false)

    init(fd: Int32) { self.fd = fd }

    func out(_ text: String) { send(ControlFrame.stdout, text) }
    func err(_ text: String) { send(ControlFrame.stderr, text) }

    private func send(_ type: UInt8, _ text: String) {
        guard !text.isEmpty, !failed.withLock({ $0 }) else { return }
        if !ControlFrame.write(ControlFrame.encode(type, Array(text.utf8)), to: fd) { failed.withLock { $0 = true } }
    }

    var isClientGone: Bool { failed.withLock { $0 } || UnixSocket.peerHasClosed(fd) }

    /// Sends the exit status.
    func finish(_ status: Int32) { ControlFrame.write(ControlFrame.exitFrame(status), to: fd) }
}

/// A node's files as the daemon reaches them: through `/proc/<pid>/root` of a process inside the node, which
/// follows the node's own mounts.
struct ProcRootFiles: NodeFileAccess {
    /// A process inside the node.
    let pid: Int32
    /// The command's working directory on the node.
    let workingDirectory: String

    func hostPath(_ nodePath: String) -> String {
        let absolute = nodePath.hasPrefix("/") ? nodePath : workingDirectory + "/" + nodePath
        return "/proc/\(pid)/root" + absolute
    }
}

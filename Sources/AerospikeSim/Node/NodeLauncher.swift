import Foundation
import Synchronization
import SystemSupport

#if canImport(Glibc)
import Glibc
#endif

/// Starts and kills node namespaces for the daemon.
///
/// A node runs as `setpriv --pdeathsig KILL -- unshare --pid --fork --kill-child --mount-proc --mount --uts
/// --propagation private -- asroll-sim node-init ...`: killing that process (or the daemon, thanks to the death
/// signal) kills the namespace's PID 1 and with it every process of the node, exactly like pulling the plug.
///
/// The death signal fires when the *thread* that started the child exits, so `launch` must be called from a thread
/// that lives as long as the daemon (the daemon's action thread).
public final class NodeLauncher: Sendable {
    private let directory: SimDirectory
    private let configuration: SimConfiguration
    private let executable: String
    private let pids = Mutex<[String: pid_t]>([:])

    /// A launcher for the nodes of `configuration`, running `executable node-init`.
    public init(directory: SimDirectory, configuration: SimConfiguration, executable: String) {
        self.directory = directory
        self.configuration = configuration
        self.executable = executable
    }

    /// Starts node `name`'s namespace; its sshd logs to `sshd.log`.
    public func launch(_ name: String) throws {
        kill(name)
        let node = directory.node(name)
        let arguments = ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "/usr/bin/unshare", "--pid", "--fork",
                         "--kill-child", "--mount-proc", "--mount", "--uts", "--propagation", "private", "--",
                         executable, "node-init", "--dir", directory.path, "--node", name]
        let pid = try ChildProcess.spawn(arguments, logPath: node.sshdLog, newSession: true)
        pids.withLock { $0[name] = pid }
        try? "\(pid)\n".write(toFile: node.namespacePid, atomically: true, encoding: .utf8)
    }

    /// Kills node `name`'s namespace and waits until it is gone.
    public func kill(_ name: String) {
        guard let pid = pids.withLock({ $0.removeValue(forKey: name) }) else { return }
        ChildProcess.stop(pid, signal: SIGKILL, timeout: 5)
        try? FileManager.default.removeItem(atPath: directory.node(name).namespacePid)
    }

    /// Kills every node's namespace.
    public func killAll() {
        for name in pids.withLock({ Array($0.keys) }) { kill(name) }
    }

    /// Waits until node `name`'s sshd sends its banner, at most `timeout` seconds.
    public func waitForSSH(_ name: String, timeout: Double) -> Bool {
        Self.waitForSSH(host: configuration.address(of: name), port: configuration.sshPort, timeout: timeout)
    }

    /// Waits until an SSH server at `host:port` sends its banner, at most `timeout` seconds.
    public static func waitForSSH(host: String, port: Int, timeout: Double) -> Bool {
        let deadline = SimThread.now() + timeout
        while SimThread.now() < deadline {
            if let socket = try? TCPSocket.connect(host: host, port: port, deadline: .after(.milliseconds(500))),
               let banner = try? socket.readExactly(4, deadline: .after(.seconds(2))), banner == Array("SSH-".utf8) {
                return true
            }
            SimThread.sleep(0.02)
        }
        return false
    }

    /// PID 1 of node `name`'s namespace (its sshd listener), as seen from the daemon.
    public func namespaceInit(_ name: String) -> pid_t? {
        guard let pid = pids.withLock({ $0[name] }) else { return nil }
        return ProcessTable.pids().first { ProcessTable.parent($0) == pid }
    }

    /// Kills every SSH session of node `name` but not its sshd listener (a network blip); returns how many
    /// processes were killed.
    public func dropSessions(_ name: String) -> Int {
        guard let listener = namespaceInit(name) else { return 0 }
        let sessions = ProcessTable.descendants(of: listener)
        for pid in sessions { Glibc.kill(pid, SIGKILL) }
        return sessions.count
    }

    /// Nodes whose namespace exited without being killed (sshd crashed, or node-init failed).
    public func reapUnexpected() -> [(node: String, status: Int32)] {
        pids.withLock { pids in
            var exited: [(String, Int32)] = []
            for (name, pid) in pids {
                if let status = ChildProcess.reapIfExited(pid) {
                    exited.append((name, status))
                    pids.removeValue(forKey: name)
                }
            }
            return exited
        }
    }
}

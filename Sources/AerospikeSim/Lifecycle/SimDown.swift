import SimWire
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `asroll-sim down`: stops the daemon (control socket, then SIGTERM, then SIGKILL, each bounded), kills every node
/// namespace it left behind, and returns only when nothing it started runs and nothing listens on the node
/// addresses. Safe to run again, or on a directory that was never up.
public enum SimDown {
    /// What `down` did.
    public struct Report: Sendable {
        /// The daemon's pid, when one was running.
        public var daemon: pid_t?
        /// Processes killed after the daemon was gone (namespaces of a daemon that died).
        public var leftovers: Int
        /// Listeners still open when `down` gave up waiting (empty on success).
        public var stillListening: [String]

        /// A line for the operator.
        public func summary(_ directory: SimDirectory) -> String {
            if !stillListening.isEmpty {
                return "asroll-sim: stopped what it could in \(directory.path), but "
                    + "\(stillListening.joined(separator: ", ")) "
                    + "still listen"
            }
            if daemon == nil && leftovers == 0 { return "asroll-sim: nothing was running for \(directory.path)" }
            var text = "asroll-sim: stopped \(directory.path)"
            if let daemon { text += " (daemon \(daemon))" }
            if leftovers > 0 { text += ", killed \(leftovers) leftover processes" }
            return text
        }
    }

    /// The daemon of `directory` when it runs.
    public static func runningDaemon(_ directory: SimDirectory) -> pid_t? {
        guard let text = try? String(contentsOfFile: directory.pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), ChildProcess.isAlive(pid),
              belongs(pid, to: directory, verbs: ["serve"])
        else { return nil }
        return pid
    }

    /// Stops everything of `directory`.
    public static func run(_ directory: SimDirectory) -> Report {
        var report = Report(daemon: runningDaemon(directory), leftovers: 0, stillListening: [])
        if let pid = report.daemon {
            _ = try? ControlClient.send(ControlRequest(kind: "ctl", arguments: ["shutdown"]), to: directory, timeout: 5)
            if !waitGone(pid, timeout: 15) {
                kill(pid, SIGTERM)
                if !waitGone(pid, timeout: 5) {
                    kill(pid, SIGKILL)
                    _ = waitGone(pid, timeout: 5)
                }
            }
        }
        let leftovers = ProcessTable.pids().filter { pid in
            pid != getpid() && belongs(pid, to: directory, verbs: ["serve", "node-init"])
        }
        for pid in leftovers { kill(pid, SIGKILL) }
        for pid in leftovers { _ = waitGone(pid, timeout: 5) }
        report.leftovers = leftovers.count
        report.stillListening = waitForListeners(directory, timeout: 10)
        if report.stillListening.isEmpty {
            unlink(directory.pidFile)
            unlink(directory.controlSocket)
        }
        return report
    }

    /// Whether `pid` is one of this directory's simulator processes: `asroll-sim serve|node-init --dir DIR` (also as
    /// the arguments of `unshare`/`setpriv`), or a node's sshd (`-f DIR/nodes/...`).
    static func belongs(_ pid: pid_t, to directory: SimDirectory, verbs: [String]) -> Bool {
        let arguments = ProcessTable.commandLine(pid)
        if let config = arguments.firstIndex(of: "-f"), config + 1 < arguments.count,
           arguments[config + 1].hasPrefix(directory.path + "/nodes/"), arguments.first?.hasSuffix("sshd") == true {
            return verbs.contains("node-init")
        }
        guard let dir = arguments.firstIndex(of: "--dir"), dir + 1 < arguments.count,
              SimDirectory(arguments[dir + 1]) == directory else { return false }
        return arguments.contains { verbs.contains($0) }
    }

    private static func waitGone(_ pid: pid_t, timeout: Double) -> Bool {
        let deadline = SimThread.now() + timeout
        while SimThread.now() < deadline {
            _ = ChildProcess.reapIfExited(pid)
            if !ChildProcess.isAlive(pid) { return true }
            SimThread.sleep(0.02)
        }
        return !ChildProcess.isAlive(pid)
    }

    /// Waits until nothing listens on the configured node addresses; returns what still does.
    private static func waitForListeners(_ directory: SimDirectory, timeout: Double) -> [String] {
        guard let data = FileManager.default.contents(atPath: directory.configuration),
              let configuration = try? JSONDecoder().decode(SimConfiguration.self, from: data) else { return [] }
        let endpoints = Set(configuration.nodeNames.flatMap { name in
            [configuration.sshPort, configuration.infoPort].map { "\(configuration.address(of: name)):\($0)" }
        })
        let deadline = SimThread.now() + timeout
        while true {
            let open = ProcessTable.listeningSockets().map { "\($0.address):\($0.port)" }.filter(endpoints.contains)
            if open.isEmpty || SimThread.now() >= deadline { return open.sorted() }
            SimThread.sleep(0.05)
        }
    }
}

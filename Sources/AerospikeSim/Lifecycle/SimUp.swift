import AerospikeInfo
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `asroll-sim up`: validates, writes the directory (keys, known_hosts, inventory, configuration), starts the daemon
/// detached inside its own private mount namespace, and returns once every node's SSH and info port answer. On any
/// failure it tears everything down again and says which node failed and where its log is.
public enum SimUp {
    /// Programs the simulator needs on the host.
    static let requiredPrograms = ["/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/unshare", "/usr/bin/setpriv"]

    /// Brings up the cluster described by `request` in `directory`; returns the text to show the operator.
    public static func run(_ request: UpRequest, directory: SimDirectory) throws(SimProblems) -> String {
        if let problem = directory.problem { throw SimProblems([problem]) }
        let configuration: SimConfiguration
        switch request.configuration() {
        case .success(let value): configuration = value
        case .failure(let problems): throw problems
        }
        if let pid = SimDown.runningDaemon(directory) {
            throw SimProblems(["\(directory.path) is already up (daemon pid \(pid)); run `asroll-sim down --dir "
                               + "\(directory.path)` first, or use another --dir"])
        }
        try checkHost(configuration)
        _ = SimDown.run(directory)
        do {
            try prepare(configuration, directory: directory)
        } catch let error as SimProblems {
            throw error
        } catch {
            throw SimProblems(["cannot write \(directory.path): \(error)"])
        }
        let executable = ChildProcess.currentExecutable
        let daemon: pid_t
        do {
            daemon = try ChildProcess.spawn(["/usr/bin/unshare", "--mount", "--propagation", "private", "--",
                                             executable, "serve", "--dir", directory.path],
                                            logPath: directory.daemonLog, newSession: true)
        } catch {
            throw SimProblems(["\(error)"])
        }
        try? "\(daemon)\n".write(toFile: directory.pidFile, atomically: true, encoding: .utf8)
        if let failure = waitUntilReady(configuration, directory: directory, daemon: daemon) {
            _ = SimDown.run(directory)
            throw SimProblems([failure])
        }
        return summary(configuration, directory: directory)
    }

    private static func checkHost(_ configuration: SimConfiguration) throws(SimProblems) {
        var problems: [String] = []
        if geteuid() != 0 {
            problems.append("asroll-sim up needs root (or CAP_SYS_ADMIN) for the node namespaces and mounts")
        }
        for program in requiredPrograms where !FileManager.default.isExecutableFile(atPath: program) {
            problems.append("\(program) is missing (apt-get install openssh-server openssh-client util-linux)")
        }
        let listening = ProcessTable.listeningSockets()
        for name in configuration.nodeNames {
            let address = configuration.address(of: name)
            for port in [configuration.sshPort, configuration.infoPort]
            where listening.contains(where: { ($0.address == address || $0.address == "0.0.0.0") && $0.port == port }) {
                problems.append("\(address):\(port) (for \(name)) is already in use; pick another --base-address or "
                    + "port")
            }
        }
        if !problems.isEmpty { throw SimProblems(problems) }
    }

    private static func prepare(_ configuration: SimConfiguration, directory: SimDirectory) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        for stale in [directory.record, directory.daemonLog, directory.controlSocket] { unlink(stale) }
        try SimKeys.ensureKeyPair(at: directory.identity, comment: "asroll-sim")
        try (try SimKeys.publicKey(of: directory.identity) + " asroll-sim\n")
            .write(toFile: directory.authorizedKeys, atomically: true, encoding: .utf8)
        var knownHosts = ""
        for name in configuration.nodeNames {
            let node = directory.node(name)
            for stale in [node.log, node.varTmp, node.home] { try? manager.removeItem(atPath: stale) }
            unlink(node.sshdLog)
            try manager.createDirectory(atPath: node.path, withIntermediateDirectories: true)
            try SimKeys.ensureKeyPair(at: node.hostKey, comment: "\(name)-hostkey")
            knownHosts += SimKeys.knownHostsLine(host: configuration.address(of: name), port: configuration.sshPort,
                                                 key: try SimKeys.publicKey(of: node.hostKey)) + "\n"
        }
        try knownHosts.write(toFile: directory.knownHosts, atomically: true, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(configuration).write(to: URL(fileURLWithPath: directory.configuration))
        try InventoryWriter.inventory(configuration, directory: directory)
            .write(toFile: directory.inventory, atomically: true, encoding: .utf8)
    }

    /// Waits until every node answers on SSH and info; returns what failed, or `nil`.
    private static func waitUntilReady(_ configuration: SimConfiguration, directory: SimDirectory,
                                       daemon: pid_t) -> String? {
        let deadline = SimThread.now() + 30 + 2 * Double(configuration.nodeCount)
        var pending = configuration.nodeNames
        var lastProblem: [String: String] = [:]
        while !pending.isEmpty {
            _ = ChildProcess.reapIfExited(daemon)
            if !ChildProcess.isAlive(daemon) {
                return "the simulator daemon exited during startup; its log is \(directory.daemonLog):\n"
                    + tail(directory.daemonLog)
            }
            if let name = exitedNode(directory) {
                return "\(name)'s namespace exited during startup; its sshd log is \(directory.node(name).sshdLog):\n"
                    + tail(directory.node(name).sshdLog)
            }
            for name in pending {
                let address = configuration.address(of: name)
                if !NodeLauncher.waitForSSH(host: address, port: configuration.sshPort, timeout: 0.2) {
                    lastProblem[name] = "SSH (\(address):\(configuration.sshPort)) did not answer; see "
                        + "\(directory.node(name).sshdLog) and \(directory.daemonLog)"
                } else if case .success("ok") = AsinfoCommand.request("status", host: address,
                                                                      port: configuration.infoPort) {
                    pending.removeAll { $0 == name }
                } else {
                    lastProblem[name] = "the info port (\(address):\(configuration.infoPort)) did not answer; see "
                        + "\(directory.daemonLog)"
                }
            }
            if pending.isEmpty { break }
            if SimThread.now() > deadline {
                let name = pending[0]
                return "\(name) did not come up: \(lastProblem[name] ?? "no answer")"
            }
            SimThread.sleep(0.05)
        }
        return nil
    }

    /// A node whose namespace died on its own, as the daemon recorded it.
    private static func exitedNode(_ directory: SimDirectory) -> String? {
        guard let text = try? String(contentsOfFile: directory.record, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.contains(#""event":"namespace_exited""#) {
            if let range = line.range(of: #""node":""#),
               let end = line[range.upperBound...].firstIndex(of: "\"") {
                return String(line[range.upperBound..<end])
            }
        }
        return nil
    }

    private static func tail(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isNewline).suffix(10).map { "  " + $0 }.joined(separator: "\n")
    }

    private static func summary(_ configuration: SimConfiguration, directory: SimDirectory) -> String {
        let edition = configuration.edition == .enterprise ? "Enterprise" : "Community"
        var text = "asroll-sim: \(configuration.nodeCount) nodes up in \(directory.path) (Aerospike \(edition) Edition "
            + "\(configuration.build), namespaces \(configuration.namespaces.map(\.name).joined(separator: ", ")))\n"
        for name in configuration.nodeNames {
            let faults = configuration.faults(of: name).map(\.description)
            let faultText = faults.isEmpty ? "" : "  faults: \(faults.joined(separator: ","))"
            text += "  \(name)  \(configuration.address(of: name))  ssh :\(configuration.sshPort)  info :"
                + "\(configuration.infoPort)\(faultText)\n"
        }
        let first = configuration.address(of: "aero-1")
        let ssh = "ssh -i \(directory.identity) -o UserKnownHostsFile=\(directory.knownHosts) "
            + "-p \(configuration.sshPort) root@\(first)"
        text += """

            Inventory: \(directory.inventory)
            Record:    \(directory.record)

            Roll it:
              asroll plan -i \(directory.inventory) -p playbooks/demo.yml
              asroll run  -i \(directory.inventory) -p playbooks/demo.yml
            Reach aero-1:
              \(ssh)
            Watch and stop:
              asroll-sim status --dir \(directory.path)
              asroll-sim down --dir \(directory.path)

            """
        return text
    }
}

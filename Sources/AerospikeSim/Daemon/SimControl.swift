import SimWire
import Foundation

/// The daemon's answers to `asroll-sim ctl`, `status` and `down`, and its runner for node commands from the shim.
struct SimControl: Sendable {
    let host: DaemonHost
    let launcher: NodeLauncher
    let files: NodeFiles
    let shutdown: SimFlag

    /// Help for `asroll-sim ctl`.
    static let usage = """
        asroll-sim ctl --dir DIR COMMAND
          drop-ssh NODE                       kill NODE's SSH sessions, keep its sshd (a network blip)
          fault NODE FAULT on|off             switch a fault (\(NodeFault.names.joined(separator: ", ")))
          quiesce NODE [--no-recluster]       someone else quiesces NODE (and reclusters, unless told not to)
          quiesce-undo NODE [--no-recluster]  undo that
          recluster                           recluster on the principal
          edac NODE ce=N,ue=M                 set NODE's memory-error counters
          dead-partitions NS N                give strong-consistency namespace NS N dead partitions (0 clears)
          exec NODE COMMAND...                run a simulated command on NODE without SSH
          status                              the node table as JSON
          shutdown                            stop the simulator (what asroll-sim down asks for)

        """

    /// Runs a node command forwarded by the shim and records it.
    func runNodeCommand(_ request: ControlRequest, output: SocketOutput, peer: pid_t?) {
        guard host.withModel({ model, _ in model.hasNode(request.node) }), !request.arguments.isEmpty else {
            output.err("asroll-sim: unknown node '\(request.node)'\n")
            output.finish(1)
            return
        }
        // Without a process inside the node its paths cannot be resolved; never fall back to the host's view.
        guard let pid = peer ?? launcher.namespaceInit(request.node) else {
            output.err("asroll-sim: cannot see \(request.node)'s filesystem (no process of the node found)\n")
            output.finish(1)
            return
        }
        let files = ProcRootFiles(pid: pid, workingDirectory: request.workingDirectory)
        output.finish(execute(request.arguments, on: request.node, viaSudo: request.viaSudo, output: output,
                              files: files, source: "ssh"))
    }

    /// Records a host program that `sudo` is about to run on a node (its exit status is not known).
    func recordSudo(_ request: ControlRequest, output: SocketOutput) {
        host.withModel { model, time in
            guard model.hasNode(request.node) else { return }
            model.recordExternal("command", node: request.node, [
                ("argv", .strings(request.arguments)), ("sudo", true), ("exit", .null), ("duration", .null),
                ("source", "sudo"), ("client_gone", false),
            ], now: time)
        }
        output.finish(0)
    }

    private func execute(_ arguments: [String], on node: String, viaSudo: Bool, output: SocketOutput,
                         files: any NodeFileAccess, source: String) -> Int32 {
        let started = host.now()
        let context = CommandContext(node: node, arguments: arguments, workingDirectory: "/root", viaSudo: viaSudo,
                                     host: host, output: output, files: files)
        let status = NodeCommands.run(context)
        let duration = ((host.now() - started) * 1000).rounded() / 1000
        host.withModel { model, time in
            model.recordExternal("command", node: node, [
                ("argv", .strings(arguments)), ("sudo", .bool(viaSudo)), ("exit", .int(Int(status))),
                ("duration", .double(duration)), ("source", .string(source)),
                ("client_gone", .bool(output.isClientGone)),
            ], now: time)
        }
        return status
    }

    /// Handles a `ctl` request.
    func handle(_ arguments: [String], output: SocketOutput) {
        output.finish(run(arguments, output: output))
    }

    // swiftlint:disable:next cyclomatic_complexity
    private func run(_ arguments: [String], output: SocketOutput) -> Int32 {
        func fail(_ message: String) -> Int32 {
            output.err("asroll-sim: \(message)\n")
            return 2
        }
        func node(_ position: Int) -> String? {
            guard arguments.count > position else { return nil }
            let name = arguments[position]
            return host.withModel { model, _ in model.hasNode(name) } ? name : nil
        }
        guard let verb = arguments.first else {
            output.out(Self.usage)
            return 2
        }
        switch verb {
        case "help", "--help", "-h":
            output.out(Self.usage)
            return 0
        case "status":
            let rows = host.withModel { model, _ in model.statusRows }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            output.out(String(decoding: (try? encoder.encode(rows)) ?? Data(), as: UTF8.self) + "\n")
            return 0
        case "shutdown":
            shutdown.set(true)
            output.out("asroll-sim: shutting down\n")
            return 0
        case "drop-ssh":
            guard let name = node(1) else { return fail("usage: drop-ssh NODE (a node of this cluster)") }
            let killed = launcher.dropSessions(name)
            host.withModel { model, time in
                model.recordExternal("ssh_dropped", node: name, [("processes", .int(killed))], now: time)
            }
            output.out("asroll-sim: dropped \(name)'s SSH sessions (\(killed) processes)\n")
            return 0
        case "fault":
            guard let name = node(1), arguments.count == 4, let fault = NodeFault(parsing: arguments[2]),
                  ["on", "off"].contains(arguments[3])
            else {
                return fail("usage: fault NODE FAULT on|off, FAULT one of \(NodeFault.names.joined(separator: ", "))")
            }
            host.withModel { model, time in model.setFault(name, fault, on: arguments[3] == "on", now: time) }
            output.out("asroll-sim: \(name): \(fault) \(arguments[3])\n")
            return 0
        case "quiesce", "quiesce-undo":
            guard let name = node(1) else { return fail("usage: \(verb) NODE [--no-recluster]") }
            let recluster = !arguments.contains("--no-recluster")
            host.withModel { model, time in
                if verb == "quiesce" {
                    model.quiesce(name, source: "ctl", now: time)
                } else {
                    model.quiesceUndo(name, source: "ctl", now: time)
                }
                if recluster, let principal = model.cluster.principal {
                    _ = model.recluster(principal, source: "ctl", now: time)
                }
            }
            output.out("asroll-sim: \(name): \(verb)\(recluster ? " and recluster" : "")\n")
            return 0
        case "recluster":
            let answer = host.withModel { model, time in
                model.cluster.principal.map { model.recluster($0, source: "ctl", now: time).rawValue } ?? "no principal"
            }
            output.out("asroll-sim: recluster: \(answer)\n")
            return 0
        case "edac":
            guard let name = node(1), arguments.count == 3, let counters = EdacCounters(parsing: arguments[2]) else {
                return fail("usage: edac NODE ce=N,ue=M")
            }
            host.withModel { model, time in model.setEdac(name, counters, now: time) }
            do {
                try files.writeEdac(name, counters)
            } catch {
                return fail("cannot write \(name)'s EDAC counters: \(error)")
            }
            return 0
        case "dead-partitions":
            guard arguments.count == 3, let count = Int(arguments[2]),
                  host.withModel({ model, time in model.setDeadPartitions(arguments[1], count, now: time) })
            else {
                return fail("usage: dead-partitions NS N (NS a strong-consistency namespace, N in 0...4096)")
            }
            output.out("asroll-sim: \(arguments[1]): \(count) dead partitions\n")
            return 0
        case "exec":
            guard let name = node(1), arguments.count > 2 else { return fail("usage: exec NODE COMMAND...") }
            guard let pid = launcher.namespaceInit(name) else { return fail("\(name) is down") }
            let files = ProcRootFiles(pid: pid, workingDirectory: "/root")
            return execute(Array(arguments.dropFirst(2)), on: name, viaSudo: true, output: output, files: files,
                           source: "ctl")
        default:
            return fail("unknown ctl command '\(verb)'\n\(Self.usage)")
        }
    }
}

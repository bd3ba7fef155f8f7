import SimWire
import AerospikeSim
import ArgumentParser
import Foundation
import Logging

/// `asroll-sim`: a local simulated Aerospike EE cluster behind real OpenSSH sshd, for trying, testing and rehearsing
/// asroll rolls.
@main
struct AsrollSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asroll-sim",
        abstract: "Run a simulated Aerospike cluster on this machine, reachable over real SSH and the info protocol.",
        discussion: """
            Each node is a real OpenSSH sshd on its own loopback address (127.0.77.N by default) inside its own \
            PID, mount and UTS namespaces, with simulated systemctl, asmt, journalctl, ipcs, ipcrm, asinfo, reboot \
            and apt-get, and an info port (3000) answered by the simulator. Needs root (or CAP_SYS_ADMIN) and \
            overlayfs. See docs/simulator.md.
            """,
        subcommands: [Up.self, Down.self, Status.self, Ctl.self, Serve.self, NodeInitCommand.self])
}

/// `asroll-sim up`.
struct Up: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a simulated cluster; returns when every node answers on SSH and on its info port.",
        discussion: """
            Writes DIR/inventory.yml, DIR/known_hosts, DIR/id_ed25519{,.pub} and the record DIR/record.jsonl. \
            Faults: \(NodeFault.names.joined(separator: ", ")). Exit status 0 when up, 1 when the cluster could not \
            start (everything is torn down again), 2 for invalid options or when DIR is already up.
            """)

    @Option(name: .long, help: "Number of nodes (aero-1 ... aero-N).") var nodes = 3
    @Option(name: .long, help: "Directory for the cluster's files (not under /var, /run, /root, /proc, /sys, /usr).")
    var dir: String
    @Option(name: .long, help: "Seed of every random choice (cluster keys, boot ids, node ids).") var seed: UInt64 = 1
    @Option(name: .long, help: "Address of aero-1; node k gets this plus k-1 (loopback only).")
    var baseAddress = "127.0.77.1"
    @Option(name: .long, help: "Port of every node's sshd.") var sshPort = 22
    @Option(name: .long, help: "Port of every node's info service.") var infoPort = 3000
    @Flag(name: .long, help: "Short timings for tests (a 3-node warm roll in well under a minute).") var fast = false
    @Option(name: .long, help: "Seconds a rebooted node stays down (e.g. 2s).") var rebootDelay: String?
    @Option(name: .long, help: "Seconds a warm start takes.") var warmStart: String?
    @Option(name: .long, help: "Seconds a cold start takes.") var coldStart: String?
    @Option(name: .long, help: "Seconds a clean shutdown takes.") var stopTime: String?
    @Option(name: .long, help: "Bytes per second asmt -b copies (e.g. 64M).") var backupRate: String?
    @Option(name: .long, help: "Bytes per second asmt -r copies.") var restoreRate: String?
    @Option(name: .long, help: "Partitions per second each node migrates.") var migrationRate: String?
    @Option(name: .long, help: "Partitions remaining per namespace after a membership change.")
    var migrationsPerChange: String?
    @Option(name: .long, help: "Seconds migrate_allowed stays false after a rebalance.") var rebalanceTime: String?
    @Option(name: .long, help: "Seconds client traffic takes to leave a quiesced node.") var trafficDrain: String?
    @Option(name: .long, help: "Seconds apt-get update/upgrade take.") var aptTime: String?
    @Option(name: .long, help: "NODE:FAULT, e.g. aero-2:dimm-fault or aero-3:slow-start=5 (repeatable).")
    var fault: [String] = []
    @Option(name: .long, help: "Comma-separated namespaces.") var namespaces = "test,bar"
    @Option(name: .long, help: "NS=N replication factor (repeatable; default 2).") var replicationFactor: [String] = []
    @Option(name: .long, help: "A strong-consistency namespace (repeatable).") var strongConsistency: [String] = []
    @Option(name: .long, help: "Server version the nodes report (below 7.2: old info error forms).")
    var build = "8.1.2.0"
    @Option(name: .long, help: "enterprise or community.") var edition = "enterprise"
    @Option(name: .long, help: "NODE:ce=N,ue=M memory-error counters (repeatable).") var edac: [String] = []
    @Option(name: .long, help: "Backup filesystem size, SIZE for all nodes or NODE=SIZE (repeatable; default 1G).")
    var backupSpace: [String] = []
    @Option(name: .long, help: "Size of each arena stage segment (default 8M).") var stageSize: String?
    @Option(name: .long, help: "Arena stages per namespace (default 2).") var stages: Int?

    func run() throws {
        var request = UpRequest()
        request.nodes = nodes
        request.seed = seed
        request.baseAddress = baseAddress
        request.sshPort = sshPort
        request.infoPort = infoPort
        request.fast = fast
        let timings: [(String, String?)] = [
            ("reboot-delay", rebootDelay), ("warm-start", warmStart), ("cold-start", coldStart),
            ("stop-time", stopTime),
            ("backup-rate", backupRate), ("restore-rate", restoreRate), ("migration-rate", migrationRate),
            ("migrations-per-change", migrationsPerChange), ("rebalance-time", rebalanceTime),
            ("traffic-drain", trafficDrain), ("apt-time", aptTime),
        ]
        for case let (name, value?) in timings { request.timing[name] = value }
        request.faults = fault
        request.namespaces = namespaces
        request.replicationFactors = replicationFactor
        request.strongConsistency = strongConsistency
        request.build = build
        request.edition = edition
        request.edac = edac
        request.backupSpace = backupSpace
        request.stageSize = stageSize
        request.stages = stages
        do {
            print(try SimUp.run(request, directory: SimDirectory(dir)), terminator: "")
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            let invalid = error.problems.contains {
                $0.contains("already up") || $0.hasPrefix("--") || $0.contains("--dir")
            }
            throw ExitCode(invalid ? 2 : 1)
        }
    }
}

/// `asroll-sim down`.
struct Down: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop everything a simulated cluster started; returns when nothing runs and nothing listens.")

    @Option(name: .long, help: "The cluster's directory.") var dir: String

    func run() throws {
        let directory = SimDirectory(dir)
        let report = SimDown.run(directory)
        print(report.summary(directory))
        if !report.stillListening.isEmpty { throw ExitCode(1) }
    }
}

/// `asroll-sim status`.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each node: SSH, asd, cluster size and key as the node sees it, migrations, quiesce, unit, "
            + "boot id, faults.")

    @Option(name: .long, help: "The cluster's directory.") var dir: String
    @Flag(name: .long, help: "Print the rows as JSON.") var json = false

    func run() throws {
        let directory = SimDirectory(dir)
        guard SimDown.runningDaemon(directory) != nil,
              let reply = try? ControlClient.send(ControlRequest(kind: "ctl", arguments: ["status"]), to: directory),
              reply.status == 0 else {
            FileHandle.standardError.write(Data("asroll-sim: no simulator is running in \(directory.path)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            print(reply.stdout, terminator: "")
            return
        }
        let rows = (try? JSONDecoder().decode([NodeStatusRow].self, from: Data(reply.stdout.utf8))) ?? []
        print(StatusTable.render(rows), terminator: "")
    }
}

/// `asroll-sim ctl`.
struct Ctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Act on a running simulated cluster (for tests and rehearsals).",
        discussion: """
            drop-ssh NODE | fault NODE FAULT on|off | quiesce NODE [--no-recluster] | quiesce-undo NODE \
            [--no-recluster] | recluster | edac NODE ce=N,ue=M | exec NODE COMMAND... | status
            """)

    @Option(name: .long, help: "The cluster's directory.") var dir: String
    @Argument(parsing: .captureForPassthrough, help: "The request and its arguments.") var request: [String] = []

    func run() throws {
        let directory = SimDirectory(dir)
        do {
            let reply = try ControlClient.send(ControlRequest(kind: "ctl", arguments: request), to: directory,
                                               timeout: 600)
            FileHandle.standardOutput.write(Data(reply.stdout.utf8))
            FileHandle.standardError.write(Data(reply.stderr.utf8))
            if reply.status != 0 { throw ExitCode(reply.status) }
        } catch let error as UnixSocket.Failure {
            let message = "asroll-sim: no simulator is running in \(directory.path) (\(error))\n"
            FileHandle.standardError.write(Data(message.utf8))
            throw ExitCode(1)
        }
    }
}

/// `asroll-sim serve` (started by `up`).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the simulator daemon (started by up).",
                                                    shouldDisplay: false)

    @Option(name: .long, help: "The cluster's directory.") var dir: String

    func run() throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "asroll-sim")
        logger.logLevel = .info
        let status = SimDaemon.serve(directory: SimDirectory(dir), logger: logger)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `asroll-sim node-init` (PID 1 of a node's namespaces; becomes its sshd).
struct NodeInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node-init",
                                                    abstract: "Set up a node's namespace and exec its sshd.",
                                                    shouldDisplay: false)

    @Option(name: .long, help: "The cluster's directory.") var dir: String
    @Option(name: .long, help: "The node.") var node: String

    func run() throws {
        let failure = NodeInit.run(directory: SimDirectory(dir), node: node)
        FileHandle.standardError.write(Data((failure.description + "\n").utf8))
        throw ExitCode(1)
    }
}

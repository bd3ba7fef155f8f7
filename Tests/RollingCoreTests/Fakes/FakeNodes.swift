import AerospikeInfo
import Foundation
import RollingCore
import SSHClient
import Synchronization
import SystemSupport

/// Misbehaviours a fake node can be given.
enum FakeFault: Hashable, Sendable {
    case backupFails
    case stopFails
    case coldStartAnyway
    case neverReturns
    case migrationsStall
    case maintenanceFails
    case autostartIgnoresDisable
    /// The host takes its time to go down after the reboot command: it reboots at the second reconnect after it.
    case slowReboot
    /// The controller "dies" right after this command ran on the node: the command's effect happened, but the
    /// controller never saw its result.
    case crashAfter(String)
    /// The connection dropped while idle: the first attempt to run this command finds it dead, and the command does
    /// not reach the node.
    case connectionDeadBefore(String)
}

/// A scripted cluster for the core's unit tests: each node answers the SPEC's default commands and the info
/// commands the way a real node would, from a small state that the tests inspect afterwards.
final class FakeCluster: Sendable {
    struct Node {
        var running = true
        var enabled = true
        var segments = true
        var segmentsClean = false
        var backupFiles: [String] = []
        var bootID = 1
        var log: [(epoch: Int, line: String)] = []
        var lease = ""
        var pendingQuiesce = false
        var effectiveQuiesce = false
        var faults: Set<FakeFault> = []
        var down = false
        /// `/run/asroll-reboot-issued`: written with the reboot, gone after the boot.
        var rebootMarker = false
        var rebootPending = false
        var reconnectsWhilePending = 0
    }

    struct State {
        var nodes: [String: Node] = [:]
        var order: [String] = []
        var epoch = 1_700_000_000
        var clusterKey = 0xA1
        var migrations = 0
        /// Every command in order: node, command, and how many nodes' asd ran when it was issued.
        var commands: [(node: String, command: String, running: Int)] = []
    }

    let state: Mutex<State>
    let namespaces: [String]

    init(nodes: Int = 3, namespaces: [String] = ["test", "bar"], faults: [String: Set<FakeFault>] = [:]) {
        var state = State()
        for index in 1...nodes {
            let name = "aero-\(index)"
            state.order.append(name)
            state.nodes[name] = Node(faults: faults[name] ?? [])
        }
        self.state = Mutex(state)
        self.namespaces = namespaces
    }

    var commands: [(node: String, command: String, running: Int)] { state.withLock { $0.commands } }

    func node(_ name: String) -> Node { state.withLock { $0.nodes[name]! } }

    func commands(on node: String) -> [String] { commands.filter { $0.node == node }.map(\.command) }

    func update(_ name: String, _ change: (inout Node) -> Void) {
        state.withLock { change(&$0.nodes[name]!) }
    }

    /// Access to every node, as the controller gets it.
    func access(inventory: Inventory) -> [NodeAccess] {
        inventory.nodes.map { spec in
            NodeAccess(node: spec, shell: FakeShell(cluster: self, node: spec.name),
                       info: FakeNodeInfo(cluster: self, node: spec.name))
        }
    }

    // MARK: - shell

    func execute(node name: String, command: String) throws -> CommandResult {
        try state.withLock { state in
            if state.nodes[name]?.faults.remove(.connectionDeadBefore(command)) != nil {
                throw SSHError(.connectionLost, endpoint: SSHEndpoint(host: name, user: "root", name: name),
                               message: "`\(command)` could not start: the connection broke")
            }
            state.epoch += 1
            let running = state.nodes.values.filter(\.running).count
            state.commands.append((name, command, running))
            guard var node = state.nodes[name] else { preconditionFailure() }
            if node.down {
                throw SSHError(.connectionRefused, endpoint: SSHEndpoint(host: name, user: "root", name: name), message: "connect: Connection refused")
            }
            defer { state.nodes[name] = node }
            var out = ""
            var status: Int32 = 0
            let epoch = state.epoch
            func log(_ line: String) { node.log.append((epoch, line)) }

            switch command {
            case "date +%s":
                out = "\(epoch)\n"
            case "sudo systemctl disable aerospike":
                node.enabled = false
            case "sudo systemctl enable aerospike":
                node.enabled = true
            case "sudo systemctl stop aerospike":
                if node.faults.contains(.stopFails) {
                    status = 1
                    out = "Job for aerospike.service failed.\n"
                } else if node.running {
                    node.running = false
                    node.segmentsClean = true
                    log("SIGTERM received, shutting down")
                    log("finished clean shutdown - exiting")
                    membershipChanged(&state)
                }
            case "sudo systemctl start aerospike":
                if !node.running {
                    let warm = node.segments && node.segmentsClean && !node.faults.contains(.coldStartAnyway)
                    for namespace in namespaces {
                        log("{\(namespace)} beginning \(warm ? "warm restart" : "cold start")")
                    }
                    node.running = true
                    node.segments = true
                    node.segmentsClean = false
                    node.pendingQuiesce = false
                    node.effectiveQuiesce = false
                    membershipChanged(&state)
                }
            case "systemctl is-active --quiet aerospike":
                status = node.running ? 0 : 3
            case "cat /proc/sys/kernel/random/boot_id":
                out = "boot-\(node.bootID)\n"
            case Self.rebootCommand where node.faults.contains(.slowReboot):
                node.rebootMarker = true
                node.rebootPending = true
                node.reconnectsWhilePending = 0
            case Self.rebootCommand:
                reboot(&node, epoch: epoch)
            case "test -e /run/asroll-reboot-issued":
                status = node.rebootMarker ? 0 : 1
            case "ipcs -m":
                out = "\n------ Shared Memory Segments --------\nkey        shmid      owner      perms      bytes      nattch     status\n"
                if node.segments {
                    out += "0xae001000 32769      root       666        1048576    \(node.running ? 1 : 0)\n"
                    out += "0xae001100 32770      root       666        4194304    \(node.running ? 1 : 0)\n"
                }
            case let c where c.hasPrefix("sudo ipcrm -M "):
                node.segments = false
            case let c where c.hasPrefix("sudo find ") && c.hasSuffix("-delete"):
                node.backupFiles = []
            case let c where c.hasPrefix("sudo find "):
                out = node.backupFiles.map { "/var/aerospike/asmt/\($0)\n" }.joined()
            case let c where c.hasPrefix("sudo asmt -a "):
                out = "asmt analyze\n"
            case let c where c.hasPrefix("sudo asmt -b "):
                if node.faults.contains(.backupFails) || node.running || !node.segmentsClean {
                    status = 1
                    out = "Could not write file: No space left on device.\nFailed to back up segments.\n"
                } else {
                    node.backupFiles = ["ae001000.dat", "ae001100.dat.gz"]
                    out = namespaces.map { _ in "Successfully backed up 2 Aerospike database segments.\n" }.joined()
                }
            case let c where c.hasPrefix("sudo asmt -r "):
                if node.segments {
                    status = 1
                    out = "Found existing Aerospike primary index segment 0xae001000 - cannot restore associated file.\n"
                } else if node.backupFiles.isEmpty {
                    out = namespaces.map { "Did not find any Aerospike database segment files, instance 0, namespace '\($0)'.\n" }.joined()
                } else {
                    node.segments = true
                    node.segmentsClean = true
                    out = namespaces.map { _ in "Successfully restored 2 Aerospike database segment files.\n" }.joined()
                }
            case let c where c.hasPrefix("sudo journalctl -u aerospike"):
                let since = Int(c.split(separator: "@").last?.filter(\.isNumber) ?? "") ?? 0
                out = node.log.filter { $0.epoch >= since }.map { "asd[1]: \($0.line)\n" }.joined()
            case let c where c.hasPrefix("umask 077"):
                node.lease = c
            case let c where c.hasPrefix("cat ") && c.contains("lease"):
                out = ""
            case let c where c.hasPrefix("if grep"):
                node.lease = ""
            case "maintenance-step":
                status = node.faults.contains(.maintenanceFails) ? 100 : 0
                out = status == 0 ? "patched\n" : "E: dpkg was interrupted\n"
            default:
                out = "fake: \(command)\n"
            }
            if node.faults.contains(.crashAfter(command)) {
                node.faults.remove(.crashAfter(command))
                throw SSHError(.connectionLost, endpoint: SSHEndpoint(host: name, user: "root", name: name),
                               message: "simulated controller crash after `\(command)`",
                               partialResult: CommandResult(command: command, stdout: out, stderr: "",
                                                            exitStatus: -1, exitSignal: nil,
                                                            duration: .milliseconds(1)))
            }
            return CommandResult(command: command, stdout: out, stderr: "", exitStatus: status, exitSignal: nil,
                                 duration: .milliseconds(1))
        }
    }

    /// The reboot command as asroll issues it (with its mark in /run).
    static let rebootCommand = "{ touch /run/asroll-reboot-issued 2>/dev/null || sudo -n touch "
        + "/run/asroll-reboot-issued; } && sudo systemctl reboot"

    /// The host reboots: a new boot id, shared memory and /run emptied, asd started at boot if enabled.
    private func reboot(_ node: inout Node, epoch: Int) {
        node.bootID += 1
        node.rebootMarker = false
        node.rebootPending = false
        node.segments = false
        node.segmentsClean = false
        node.running = false
        if node.faults.contains(.neverReturns) { node.down = true }
        if node.enabled || node.faults.contains(.autostartIgnoresDisable) {
            for namespace in namespaces { node.log.append((epoch, "{\(namespace)} beginning cold start")) }
            node.running = true
            node.segments = true
        }
    }

    /// A slow reboot completes at the second reconnect after it was issued.
    func reconnecting(_ name: String) {
        state.withLock { state in
            guard state.nodes[name]?.rebootPending == true else { return }
            state.nodes[name]!.reconnectsWhilePending += 1
            if state.nodes[name]!.reconnectsWhilePending >= 2 { reboot(&state.nodes[name]!, epoch: state.epoch) }
        }
    }

    private func membershipChanged(_ state: inout State) {
        state.clusterKey += 1
        state.migrations = 4
    }

    // MARK: - info

    func info(node name: String, commands: [String]) throws -> InfoResponse {
        try state.withLock { state in
            guard let node = state.nodes[name], node.running, !node.down else {
                throw InfoError(.connectionRefused, endpoint: "\(name):3000", message: "connect: Connection refused")
            }
            let size = state.nodes.values.filter(\.running).count
            let stall = state.nodes.values.contains { $0.faults.contains(.migrationsStall) && $0.running }
                && state.migrations > 0
            var answers: [InfoAnswer] = []
            for command in commands {
                let value: String
                switch command {
                case "status": value = "ok"
                case "statistics":
                    if !stall && state.migrations > 0 { state.migrations -= 1 }
                    value = "cluster_size=\(size);cluster_key=\(String(state.clusterKey, radix: 16, uppercase: true));"
                        + "cluster_integrity=true;cluster_is_member=true;migrate_allowed=true;"
                        + "migrate_partitions_remaining=\(state.migrations);proxy_in_progress=0"
                case let c where c.hasPrefix("cluster-stable:"):
                    let wanted = Int(c.split(separator: "=")[1].split(separator: ";")[0]) ?? 0
                    value = wanted != size ? "ERROR:7:cluster not specified size"
                        : state.migrations > 0 ? "ERROR:7:unstable cluster"
                        : String(state.clusterKey, radix: 16, uppercase: true)
                case let c where c.hasPrefix("namespace/"):
                    let quiesced = state.nodes.values.filter(\.effectiveQuiesce).count
                    value = "migrate_tx_partitions_remaining=\(state.migrations);migrate_rx_partitions_remaining=0;"
                        + "replication-factor=2;strong-consistency=false;pending_quiesce=\(node.pendingQuiesce);"
                        + "effective_is_quiesced=\(node.effectiveQuiesce);nodes_quiesced=\(quiesced)"
                case "quiesce:":
                    state.nodes[name]?.pendingQuiesce = true
                    value = "ok"
                case "quiesce-undo:":
                    state.nodes[name]?.pendingQuiesce = false
                    value = "ok"
                case "recluster:":
                    for key in state.order {
                        let pending = state.nodes[key]?.pendingQuiesce ?? false
                        state.nodes[key]?.effectiveQuiesce = pending
                    }
                    value = name == state.order.last { state.nodes[$0]?.running == true } ? "ok" : "ignored-by-non-principal"
                case "latencies:":
                    value = "{test}-read:msec,\(node.effectiveQuiesce ? "0.0" : "50.0"),0.00,0.00,0.00"
                case "build": value = "8.1.2.0"
                case "edition": value = "Aerospike Enterprise Edition"
                default: value = "ERROR:4:unrecognized command"
                }
                answers.append(InfoAnswer(command: command, value: value))
            }
            state.commands.append((name, "info " + commands.joined(separator: ","), size))
            return try InfoResponse(answers: answers, endpoint: "\(name):3000")
        }
    }
}

/// A node's shell in the fake cluster.
struct FakeShell: RemoteShell {
    let cluster: FakeCluster
    let node: String

    func run(_ command: String, timeout: Duration, onOutput: (@Sendable (CommandOutputStream, String) -> Void)?)
        async throws -> CommandResult
    {
        try cluster.execute(node: node, command: command)
    }

    func reconnect(until deadline: Deadline) async throws {
        cluster.reconnecting(node)
        if cluster.node(node).down {
            throw SSHError(.connectionRefused, endpoint: SSHEndpoint(host: node, user: "root", name: node), message: "connect: Connection refused")
        }
    }

    func disconnect() async {}
    func close() async {}
    var hostKeyFingerprint: String? { "SHA256:fake-\(node)" }
}

/// A node's info port in the fake cluster.
struct FakeNodeInfo: InfoSource {
    let cluster: FakeCluster
    let node: String

    func request(_ commands: [String], timeout: Duration) async throws -> InfoResponse {
        try cluster.info(node: node, commands: commands)
    }

    func close() async {}
}

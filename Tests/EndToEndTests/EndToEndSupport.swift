import Foundation
import Testing
import TestSupport

/// A playbook like `playbooks/demo.yml` with budgets short enough for tests, written into `directory`; `commands`
/// overrides command templates by their key under `commands:` (e.g. `["boot_id": "sleep 1; cat ..."]`).
func testPlaybook(in directory: String, maintenance: [String] = ["uname -r"], reboot: Bool = true,
                  timeouts: [String: String] = [:], commands: [String: String] = [:]) throws -> String
{
    var budgets = ["quiesce": "20s", "stop": "30s", "backup": "30s", "maintenance": "30s", "reboot": "30s",
                   "restore": "30s", "start": "30s", "cold_start": "60s", "rejoin": "30s", "migrations": "60s",
                   "command": "15s"]
    budgets.merge(timeouts) { $1 }
    let yaml = """
        name: e2e
        reboot: \(reboot)
        quiesce: true
        maintenance:
        \(maintenance.map { "  - \($0)" }.joined(separator: "\n"))
        timeouts:
        \(budgets.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }.joined(separator: "\n"))
        gate:
          interval: 200ms
          consecutive: 2
        \(commands.isEmpty ? "" : "commands:\n" + commands.sorted { $0.key < $1.key }
            .map { "  \($0.key): \"\($0.value)\"" }.joined(separator: "\n"))

        """
    let path = directory + "/e2e-playbook.yml"
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A state dir of its own for one test.
func freshStateDir() -> String {
    NSTemporaryDirectory() + "asroll-e2e-state-\(UUID().uuidString.prefix(8))"
}

/// `asroll run` against the cluster, non-interactive.
func roll(_ cluster: SimulatedCluster, playbook: String, stateDir: String, extra: [String] = [],
          timeout: Duration = .seconds(240)) async throws -> AsrollProcess.Result
{
    try await AsrollProcess.run(["run", "-i", cluster.inventoryPath, "-p", playbook, "--yes", "--state-dir", stateDir]
                          + extra, timeout: timeout)
}

/// What the simulator's record says about a roll.
struct RollRecord {
    let events: [SimRecordEvent]

    init(_ cluster: SimulatedCluster) throws {
        events = try cluster.record()
    }

    /// Starts of asd after the simulator's own initial start, per node.
    func restarts(of node: String) -> [SimRecordEvent] {
        events.filter { $0.name == "asd_started" && $0.node == node }
    }

    /// Commands a node ran that change something (what "untouched" must not contain).
    func mutatingCommands(on node: String) -> [String] {
        events.filter { $0.name == "command" && $0.node == node }.compactMap { $0["argv"]?.strings }
            .filter { argv in
                guard let program = argv.first else { return false }
                switch program {
                case "systemctl": return !["is-active", "is-enabled", "status"].contains(argv.dropFirst().first ?? "")
                case "asmt": return !argv.contains("-a")
                case "reboot", "shutdown", "ipcrm", "apt-get", "apt": return true
                default: return false
                }
            }
            .map { $0.joined(separator: " ") }
    }

    /// The largest number of nodes whose asd was down at the same time.
    var mostNodesDownAtOnce: Int {
        var down = Set<String>()
        var most = 0
        for event in events.sorted(by: { $0.time < $1.time }) {
            guard let node = event.node else { continue }
            if event.name == "asd_stopped" || event.name == "node_down" { down.insert(node) }
            if event.name == "asd_started" { down.remove(node) }
            most = max(most, down.count)
        }
        return most
    }

    /// For every node after the first: whether migrations reached zero between the previous node's return and this
    /// node's first stop command.
    func stopsWaitedForMigrations(order: [String]) -> [String: Bool] {
        var result: [String: Bool] = [:]
        for (previous, node) in zip(order, order.dropFirst()) {
            guard let back = restarts(of: previous).last?.time,
                let stop = events.first(where: { $0.name == "command" && $0.node == node
                    && $0["argv"]?.strings == ["systemctl", "stop", "aerospike"] })?.time
            else {
                result[node] = false
                continue
            }
            result[node] = events.contains { $0.name == "migrations_zero" && $0.time > back && $0.time < stop }
        }
        return result
    }
}

import Foundation
import RollingCore
import SystemSupport

/// A controller wired to a fake cluster, a virtual clock and a journal in a temp dir.
struct RollHarness {
    let cluster: FakeCluster
    let inventory: Inventory
    let playbook: Playbook
    let clock = VirtualClock()
    let events = CollectingSink()
    let stop = StopSignal()
    private let scratch = ScratchDirectory(prefix: "asroll-unit")

    /// The harness's own directory, removed with the harness.
    var directory: String { scratch.path }

    init(nodes: Int = 3, faults: [String: Set<FakeFault>] = [:], flags: [String: Set<NodeFlag>] = [:],
         maintenance: [String] = ["maintenance-step"], reboot: Bool = true, quiesce: Bool = true)
    {
        cluster = FakeCluster(nodes: nodes, faults: faults)
        let specs = (1...nodes).map { index in
            NodeSpec(name: "aero-\(index)", host: "127.0.99.\(index)", sshUser: "root",
                     flags: flags["aero-\(index)"] ?? [])
        }
        inventory = Inventory(cluster: "unit", namespaces: ["test", "bar"],
                              ssh: SSHSettings(user: "root", identityFile: nil, knownHosts: "/dev/null"),
                              nodes: specs, sourcePath: "unit.yml")
        playbook = Playbook(name: "unit", reboot: reboot, maintenance: maintenance, quiesce: quiesce,
                            timeouts: PhaseTimeouts(quiesce: .seconds(60), stop: .seconds(60), backup: .seconds(60),
                                                    maintenance: .seconds(60), reboot: .seconds(60),
                                                    restore: .seconds(60), start: .seconds(60),
                                                    coldStart: .seconds(600), rejoin: .seconds(60),
                                                    migrations: .seconds(120), command: .seconds(10)),
                            gate: GateSettings(interval: .seconds(1), consecutive: 2))
    }

    var journalPath: String { directory + "/journal.jsonl" }

    func plan(selected: [String] = []) throws -> RollPlan {
        try Planner.plan(inventory: inventory, playbook: playbook, selected: selected)
    }

    func controller(plan: RollPlan, options: RunOptions = RunOptions(), runID: String = "run-1") throws
        -> RollController
    {
        RollController(.init(
            runID: runID, plan: plan, nodes: cluster.access(inventory: inventory),
            journal: try Journal(path: journalPath), events: events, clock: clock, stop: stop, options: options,
            lease: Lease(cluster: "unit", runID: runID, holder: "tester@host", pid: 1, started: Date())))
    }

    /// Starts a journal the way `asroll run` does.
    func startJournal(runID: String = "run-1") throws {
        try Journal(path: journalPath).append(JournalRecord(.runStarted, runID: runID))
    }

    func replay() throws -> JournalReplay {
        try JournalReplay(records: Journal.read(path: journalPath).records)
    }

    /// The commands issued on `node` that change something (not probes, logs or info).
    func mutations(on node: String) -> [String] {
        cluster.commands(on: node).filter {
            !$0.hasPrefix("info ") && !$0.hasPrefix("date") && !$0.hasPrefix("cat ") && !$0.hasPrefix("ipcs")
                && !$0.hasPrefix("systemctl is-active") && !$0.contains("journalctl") && !$0.hasPrefix("sudo asmt -a")
                && !($0.hasPrefix("sudo find") && !$0.hasSuffix("-delete"))
        }
    }
}

/// A temporary directory that is removed when the last reference to it goes.
final class ScratchDirectory: Sendable {
    let path: String

    init(prefix: String) {
        path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

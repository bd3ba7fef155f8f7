import AerospikeSim
import Foundation
import Synchronization

/// A `SimulationHost` on a manual clock: `sleep` advances time at once, and the daemon's part (booting a node after
/// its namespace is launched) is played immediately, so model and command tests never sleep.
final class ManualHost: SimulationHost {
    private struct State {
        var model: ClusterModel
        var time: Double
        var events: [SimEvent] = []
        var actions: [ModelAction] = []
        var pendingBoots: [String] = []
    }

    private let state: Mutex<State>
    /// Node files for commands that are not given their own, removed with the host.
    private let defaultFiles = Mutex<[String: TemporaryNodeFiles]>([:])

    /// A cluster formed at epoch 1_750_000_000 (so log stamps are stable).
    init(_ configuration: SimConfiguration = ManualHost.configuration()) {
        let start = 1_750_000_000.0
        var model = ClusterModel(configuration: configuration, now: start)
        let outbox = model.takeOutbox()
        state = Mutex(State(model: model, time: start, events: outbox.events, actions: outbox.actions))
    }

    /// A small cluster with the fast timings.
    static func configuration(
        nodes: Int = 3, faults: [String: [NodeFault]] = [:], edition: SimConfiguration.Edition = .enterprise,
        build: String = "8.1.2.0",
        namespaces: [NamespaceConfiguration] = [NamespaceConfiguration(name: "test"),
                                                NamespaceConfiguration(name: "bar")]
    ) -> SimConfiguration {
        var configuration = SimConfiguration(nodeCount: nodes, seed: 7, baseAddress: "127.0.99.1",
                                             namespaces: namespaces, build: build, edition: edition, timing: .fast,
                                             faults: faults)
        configuration.segmentLayout = SegmentLayout(baseSize: 64 << 10, treexSize: 128 << 10, stageSize: 256 << 10,
                                                    stageCount: 2)
        return configuration
    }

    func now() -> Double { state.withLock { $0.time } }

    func withModel<T>(_ body: (inout ClusterModel, Double) throws -> T) rethrows -> T {
        try state.withLock { state in
            state.model.advance(to: state.time)
            let result = try body(&state.model, state.time)
            Self.settle(&state)
            return result
        }
    }

    func sleep(_ seconds: Double) { advance(seconds) }

    /// Moves the clock on by `seconds`, playing every transition due meanwhile.
    func advance(_ seconds: Double) {
        state.withLock { state in
            let target = state.time + seconds
            // Step so that a node booting meanwhile is reported up at its boot time, as the daemon would.
            while true {
                state.model.advance(to: min(target, state.time))
                Self.settle(&state)
                if state.time >= target { break }
                state.time = min(target, state.time + 0.05)
            }
        }
    }

    private static func settle(_ state: inout State) {
        while true {
            let outbox = state.model.takeOutbox()
            state.events += outbox.events
            state.actions += outbox.actions
            for case .launchNamespace(let node, _) in outbox.actions { state.pendingBoots.append(node) }
            guard !state.pendingBoots.isEmpty else { return }
            let boots = state.pendingBoots
            state.pendingBoots = []
            for node in boots { state.model.nodeBooted(node, now: state.time) }
        }
    }

    private func defaultFiles(_ node: String) -> TemporaryNodeFiles {
        defaultFiles.withLock { map in
            if let files = map[node] { return files }
            let files = TemporaryNodeFiles()
            map[node] = files
            return files
        }
    }

    /// Every record event so far.
    var events: [SimEvent] { state.withLock { $0.events } }
    /// Every action so far.
    var actions: [ModelAction] { state.withLock { $0.actions } }
    /// The model now.
    var model: ClusterModel { withModel { model, _ in model } }

    /// Events named `name` (on `node`, when given).
    func events(_ name: String, node: String? = nil) -> [SimEvent] {
        events.filter { $0.name == name && (node == nil || $0.node == node) }
    }

    /// Runs `line` (split on spaces) as a node command; returns status, stdout, stderr.
    @discardableResult
    func run(_ line: String, on node: String = "aero-1", files: TemporaryNodeFiles? = nil, sudo: Bool = true,
             killAfterPauses: Int? = nil) -> CommandResult {
        run(line.split(separator: " ").map(String.init), on: node, files: files, sudo: sudo,
            killAfterPauses: killAfterPauses)
    }

    /// Runs `arguments` as a node command.
    func run(_ arguments: [String], on node: String = "aero-1", files: TemporaryNodeFiles? = nil, sudo: Bool = true,
             killAfterPauses: Int? = nil) -> CommandResult {
        let output = CollectingOutput(killAfterChecks: killAfterPauses)
        let context = CommandContext(node: node, arguments: arguments, workingDirectory: "/root", viaSudo: sudo,
                                     host: self, output: output, files: files ?? defaultFiles(node))
        let status = NodeCommands.run(context)
        return CommandResult(status: status, stdout: output.stdout, stderr: output.stderr)
    }
}

/// What a node command printed and returned.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Collects a command's output; can pretend the client was killed after a number of checks.
final class CollectingOutput: CommandOutput {
    private let state: Mutex<(out: String, err: String, checks: Int)>
    private let killAfterChecks: Int?

    init(killAfterChecks: Int? = nil) {
        state = Mutex(("", "", 0))
        self.killAfterChecks = killAfterChecks
    }

    func out(_ text: String) { state.withLock { $0.out += text } }
    func err(_ text: String) { state.withLock { $0.err += text } }

    var isClientGone: Bool {
        state.withLock { state in
            state.checks += 1
            return killAfterChecks.map { state.checks > $0 } ?? false
        }
    }

    var stdout: String { state.withLock { $0.out } }
    var stderr: String { state.withLock { $0.err } }
}

/// Node paths mapped into a temporary directory per node (`/var/aerospike/asmt` → `TMP/aero-1/var/aerospike/asmt`).
final class TemporaryNodeFiles: NodeFileAccess {
    let root: String

    init() {
        root = NSTemporaryDirectory() + "asroll-sim-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: root + "/var/aerospike/asmt",
                                                 withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func hostPath(_ nodePath: String) -> String { root + (nodePath.hasPrefix("/") ? nodePath : "/root/" + nodePath) }

    /// File names in the node's backup directory.
    var backupFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/var/aerospike/asmt")) ?? []).sorted()
    }

    /// Size of a backup file.
    func size(_ name: String) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/var/aerospike/asmt/" + name)
        return (attributes?[.size] as? Int) ?? -1
    }
}

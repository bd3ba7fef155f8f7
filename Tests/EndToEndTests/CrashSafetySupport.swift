import Foundation
import RollingCore
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A state dir as the crash-safety tests read it: asroll's own events, the journal, the archived journals.
struct CrashStateDir: CustomStringConvertible {
    /// The state dir.
    let path: String

    /// The unfinished run's journal (`journal.jsonl`), present until the run finishes or is abandoned.
    var journalPath: String { path + "/journal.jsonl" }

    /// Whether an unfinished journal is in place.
    var hasUnfinishedJournal: Bool { FileManager.default.fileExists(atPath: journalPath) }

    /// Every run folder under `runs/`.
    var runFolders: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/runs")) ?? []).sorted()
            .map { path + "/runs/" + $0 }
    }

    /// Every event of every run so far, in file order; a line still being written is skipped.
    func events() -> [RunEvent] {
        runFolders.flatMap { folder in
            let text = (try? String(contentsOfFile: folder + "/events.jsonl", encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? RunEvent.decode(jsonLine: String($0)) }
        }
    }

    /// The records of the unfinished journal.
    func journal() throws -> [JournalRecord] {
        try Journal.read(path: journalPath).records
    }

    /// The records of the journal archived for `runID` (`runs/<id>/journal.jsonl`).
    func archivedJournal(_ runID: String) throws -> [JournalRecord] {
        try Journal.read(path: path + "/runs/\(runID)/journal.jsonl").records
    }

    /// The run id of the first run in the dir.
    var runID: String? { runFolders.first.map { ($0 as NSString).lastPathComponent } }

    /// The unfinished journal's last records, or the archived one's, for failure messages.
    var description: String {
        let records = (try? journal()) ?? runID.flatMap { try? archivedJournal($0) } ?? []
        return "state dir \(path), journal \(hasUnfinishedJournal ? "unfinished" : "archived or absent"), last "
            + "records:\n" + records.suffix(6).map { "  \($0.kind.rawValue) \($0.node ?? "-") \($0.step ?? "-")" }
            .joined(separator: "\n")
    }
}

/// Polls `probe` every `interval` until it returns a value, for at most `timeout`; throws with `what` otherwise.
func crashPoll<T>(_ what: String, timeout: Duration, interval: Duration = .milliseconds(20),
                  _ probe: () throws -> T?) async throws -> T
{
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if let value = try probe() { return value }
        try await Task.sleep(for: interval)
    }
    throw SimulatedCluster.Failure(description: "\(what) did not happen within \(timeout)")
}

/// Whether `event` is `kind` of `step` on `node`.
func isEvent(_ event: RunEvent, _ kind: RunEvent.Kind, _ node: String, _ step: StepKind? = nil) -> Bool {
    event.event == kind && event.node == node && (step == nil || event.step == step?.rawValue)
}

/// A one-shot switch, in the simulator's directory under /tmp (which the nodes share with the host), that holds the
/// first remote command run after it was armed: that command waits until the test releases it, then runs (or, when
/// aborted, exits 97 without doing anything). Later runs of the command, such as a resumed run's, do not wait.
///
/// Holding a command makes a kill or a signal land exactly in its step, however slow a loaded machine is.
struct CommandHold {
    /// The switch's directory.
    let directory: String

    /// A hold in `cluster`'s directory, armed.
    init(_ cluster: SimulatedCluster, armed: Bool = true) throws {
        directory = cluster.directory + "/hold"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if armed { try arm() }
    }

    /// Shell text to put before a command: waits while armed (at most 60 s), consuming the arming.
    var prefix: String {
        "if rm \(directory)/armed 2>/dev/null; then echo held > \(directory)/holding; n=0; "
            + "while [ ! -e \(directory)/release ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n+1)); done; "
            + "[ -e \(directory)/abort ] && exit 97; fi; "
    }

    /// A maintenance command that only waits.
    var maintenanceCommand: String { "\"\(prefix)true\"" }

    /// `template`'s default command with the hold before it, for `testPlaybook(commands:)`.
    func command(_ template: NodeCommands.Name) -> [String: String] {
        [template.rawValue: prefix + template.defaultText]
    }

    /// Arms the switch: the next command run with the prefix waits.
    func arm() throws {
        try Data().write(to: URL(fileURLWithPath: directory + "/armed"))
    }

    /// Shell text that arms the switch.
    var armCommand: String { "touch \(directory)/armed" }

    /// The file that says a command is held (it holds `held`).
    var holdingFile: String { directory + "/holding" }

    /// Waits until a command is held.
    func waitUntilHolding(timeout: Duration = .seconds(90)) async throws {
        _ = try await crashPoll("a command held at \(directory)", timeout: timeout) { () -> Bool? in
            FileManager.default.fileExists(atPath: directory + "/holding") ? true : nil
        }
    }

    /// Lets the held command go on (`abort`: exit 97 without running it).
    func release(abort: Bool = false) {
        if abort { _ = FileManager.default.createFile(atPath: directory + "/abort", contents: Data()) }
        _ = FileManager.default.createFile(atPath: directory + "/release", contents: Data())
    }
}

/// A shell of its own that waits for a line matching `pattern` (`grep -E`) in `files` (a shell glob), then for
/// `delay`, then runs `action` (a kill, arming a hold, dropping SSH): what must happen at a precise moment of the roll
/// does not depend on the test process, which a busy test run can leave waiting for seconds.
final class ShellWatcher: Sendable {
    private let process: SimulatorProcess.Running
    /// What it watches for, for messages.
    let what: String

    /// Starts watching; gives up (without the action) after `timeout`.
    init(_ what: String, files: String, pattern: String, delay: Duration = .zero, action: String,
         timeout: Duration = .seconds(150)) throws
    {
        let polls = Int(timeout.components.seconds) * 50
        let pause = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        let script = "i=0; until cat \(files) 2>/dev/null | grep -qE '\(pattern)'; do i=$((i+1)); "
            + "[ $i -gt \(polls) ] && exit 3; sleep 0.02; done; sleep \(pause); \(action)"
        self.what = what
        process = try SimulatorProcess.start(["sh", "-c", script])
    }

    /// Whether the action ran (the shell exited 0), waiting up to 2 s for the shell to end; stops it if it still
    /// waits.
    func finish() async -> Bool {
        for _ in 0..<100 {
            if let status = process.exitStatus() { return status == 0 }
            try? await Task.sleep(for: .milliseconds(20))
        }
        process.kill()
        return false
    }
}

/// The `grep -E` pattern of an asroll event line (`events.jsonl` writes its keys sorted) of `kind`, on `node` and
/// for `step` when given.
func eventPattern(_ kind: RunEvent.Kind, node: String?, step: StepKind?) -> String {
    "\"event\":\"\(kind.rawValue)\"" + (node.map { ".*\"node\":\"\($0)\"" } ?? "")
        + (step.map { ".*\"step\":\"\($0.rawValue)\"" } ?? "")
}

/// The `grep -E` pattern of a simulator record line of `event` on `node` holding every one of `fields`.
func recordPattern(_ event: String, node: String, fields: [String] = []) -> String {
    "\"node\":\"\(node)\",\"event\":\"\(event)\"" + fields.map { ".*" + $0 }.joined()
}

extension SimulatedCluster {
    /// The nodes that hold a lease file at the default lease path, asked with the OpenSSH client.
    func nodesHoldingALease() async throws -> [String] {
        var holders: [String] = []
        for node in nodes {
            let probe = try await ssh(node, "cat /var/tmp/asroll.lease 2>/dev/null || echo absent")
            if probe.stdout != "absent\n" { holders.append("\(node): \(probe.stdout)\(probe.stderr)") }
        }
        return holders
    }
}

/// The `asroll run` of the crash tests, started in the background against `cluster` with `playbook`.
func startRoll(_ cluster: SimulatedCluster, playbook: String, state: CrashStateDir, extra: [String] = [],
               environment: [String: String] = [:]) throws -> AsrollProcess
{
    try AsrollProcess("asroll", ["run", "-i", cluster.inventoryPath, "-p", playbook, "--yes", "--state-dir",
                                 state.path] + extra, environment: environment)
}

/// A roll in the background, returned once its maintenance on aero-1 is held (asd stopped, indexes backed up, lease
/// on every node), with its state dir, playbook and hold.
func startRollHeldInMaintenance(_ cluster: SimulatedCluster) async throws
    -> (state: CrashStateDir, playbook: String, run: AsrollProcess, hold: CommandHold)
{
    let hold = try CommandHold(cluster)
    let state = CrashStateDir(path: freshStateDir())
    let playbook = try testPlaybook(in: cluster.directory, maintenance: ["uname -r", hold.maintenanceCommand])
    let run = try startRoll(cluster, playbook: playbook, state: state)
    do {
        try await hold.waitUntilHolding()
    } catch {
        throw SimulatedCluster.Failure(description: "\(error)\n--- stdout so far ---\n\(run.stdoutSoFar)\n"
            + "--- stderr so far ---\n\(run.stderrSoFar)")
    }
    return (state, playbook, run, hold)
}

/// `asroll resume --yes` on `state`, to its end.
func resumeRoll(_ state: CrashStateDir, timeout: Duration = .seconds(150)) async throws -> AsrollProcess.Result {
    try await AsrollProcess.run(["resume", "--yes", "--state-dir", state.path], timeout: timeout)
}

/// Asserts what every interrupted roll must end with once resumed: every node warm-restarted exactly once and
/// rebooted exactly once, never two nodes down at once, the journal archived ending with `run_finished`, and no lease
/// left on any node. `context` (the processes' output, the kill point) goes into every failure message.
func expectRolledOnceWarm(_ cluster: SimulatedCluster, _ state: CrashStateDir, _ context: String,
                          sourceLocation: SourceLocation = #_sourceLocation) async throws
{
    let record = try RollRecord(cluster)
    for node in cluster.nodes {
        let starts = record.restarts(of: node)
        #expect(starts.count == 1 && starts.first?.string("mode") == "warm",
                "\(node) must warm restart exactly once, the record has: \(starts)\n\(context)",
                sourceLocation: sourceLocation)
        let reboots = record.events.filter { $0.name == "reboot_issued" && $0.node == node }
        #expect(reboots.count == 1, "\(node) must be rebooted exactly once, the record has: \(reboots)\n\(context)",
                sourceLocation: sourceLocation)
    }
    #expect(record.mostNodesDownAtOnce == 1, "never two nodes down at once\n\(context)", sourceLocation: sourceLocation)
    #expect(!state.hasUnfinishedJournal, "the finished run's journal is archived\n\(state)\n\(context)",
            sourceLocation: sourceLocation)
    let archived = state.runID.flatMap { try? state.archivedJournal($0) } ?? []
    #expect(archived.last?.kind == .runFinished, "the archived journal ends with run_finished\n\(state)\n\(context)",
            sourceLocation: sourceLocation)
    let leases = try await cluster.nodesHoldingALease()
    #expect(leases.isEmpty, "the lease is released on every node, but:\n\(leases.joined(separator: "\n"))\n\(context)",
            sourceLocation: sourceLocation)
}

/// `asroll resume --yes` on `state` must finish (exit 0) what an interrupted roll left, as `expectRolledOnceWarm`
/// says; `context` describes the interruption.
func expectResumeFinishesTheRoll(_ cluster: SimulatedCluster, _ state: CrashStateDir, _ context: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) async throws
{
    let resumed = try await resumeRoll(state)
    let context = context + "\n" + transcript([("resume", resumed)])
    #expect(resumed.exitCode == 0, "resume finishes the roll\n\(context)", sourceLocation: sourceLocation)
    try await expectRolledOnceWarm(cluster, state, context, sourceLocation: sourceLocation)
}

/// The output of the processes of one test, labelled, for failure messages.
func transcript(_ parts: [(String, AsrollProcess.Result)]) -> String {
    parts.map { "=== \($0.0): \($0.1)" }.joined(separator: "\n")
}

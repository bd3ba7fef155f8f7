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
func crashPoll<T>(_ what: String, timeout: Duration, interval: Duration = .milliseconds(10),
                  _ probe: () throws -> T?) async throws -> T
{
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if let value = try probe() { return value }
        try await Task.sleep(for: interval)
    }
    throw SimulatedCluster.Failure(description: "\(what) did not happen within \(timeout)")
}

/// Waits until the run in `state` emits an event satisfying `predicate`; fails early, with the run's output, when
/// the run ends (finished, halted, refused, interrupted) without it.
func waitForEvent(in state: CrashStateDir, of process: AsrollProcess, timeout: Duration = .seconds(60),
                  _ what: String, _ predicate: @escaping (RunEvent) -> Bool) async throws -> RunEvent
{
    let endings: Set<RunEvent.Kind> = [.runFinished, .runHalted, .refused, .interrupted]
    do {
        return try await crashPoll(what, timeout: timeout) { () throws -> RunEvent? in
            let events = state.events()
            if let match = events.first(where: predicate) { return match }
            if let ending = events.first(where: { endings.contains($0.event) }) {
                throw SimulatedCluster.Failure(description: "the run ended (\(ending.event.rawValue): "
                    + "\(ending.message)) before \(what)")
            }
            return nil
        }
    } catch {
        throw SimulatedCluster.Failure(description: "\(error)\n--- stdout so far ---\n\(process.stdoutSoFar)\n"
            + "--- stderr so far ---\n\(process.stderrSoFar)")
    }
}

/// Whether `event` is `kind` of `step` on `node`.
func isEvent(_ event: RunEvent, _ kind: RunEvent.Kind, _ node: String, _ step: StepKind? = nil) -> Bool {
    event.event == kind && event.node == node && (step == nil || event.step == step?.rawValue)
}

extension SimulatedCluster {
    /// Waits (polling the record file, bounded) for a record event `name` on `node` whose line contains every one of
    /// `fields` (raw JSON such as `"initial":false`).
    func waitForRecord(_ name: String, node: String, fields: [String] = [],
                       timeout: Duration = .seconds(60)) async throws
    {
        _ = try await crashPoll("record event \(name) on \(node) \(fields)", timeout: timeout) { () -> Bool? in
            let text = (try? String(contentsOfFile: recordPath, encoding: .utf8)) ?? ""
            let found = text.split(separator: "\n").contains { line in
                line.contains("\"event\":\"\(name)\"") && line.contains("\"node\":\"\(node)\"")
                    && fields.allSatisfy { line.contains($0) }
            }
            return found ? true : nil
        }
    }

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

/// A roll in the background whose maintenance is `sleep seconds`, returned once aero-1's maintenance has started
/// (asd stopped, indexes backed up, lease on every node), with its state dir and playbook.
func startRollInMaintenance(_ cluster: SimulatedCluster, sleep seconds: Int) async throws
    -> (state: CrashStateDir, playbook: String, run: AsrollProcess)
{
    let state = CrashStateDir(path: freshStateDir())
    let playbook = try testPlaybook(in: cluster.directory, maintenance: ["sleep \(seconds)"])
    let run = try startRoll(cluster, playbook: playbook, state: state)
    _ = try await waitForEvent(in: state, of: run, "aero-1 maintenance started") {
        isEvent($0, .stepStarted, "aero-1", .maintenance)
    }
    return (state, playbook, run)
}

/// `asroll resume --yes` on `state`, to its end.
func resumeRoll(_ state: CrashStateDir, timeout: Duration = .seconds(120)) async throws -> AsrollProcess.Result {
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

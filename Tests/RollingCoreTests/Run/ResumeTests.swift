import Foundation
@testable import RollingCore
import Testing

/// The controller "dies" in the middle of a step (the command ran on the node, the controller never saw its result),
/// then a new controller resumes from the journal.
@Suite(.timeLimit(.minutes(1))) struct ResumeTests {
    func crashThenResume(after command: String, node: String = "aero-1") async throws -> RollHarness {
        let harness = RollHarness(faults: [node: [.crashAfter(command)]])
        try harness.startJournal()
        let first = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        guard case .halted = first else {
            Issue.record("the simulated crash did not stop the run: \(first)")
            return harness
        }
        let replay = try harness.replay()
        #expect(replay.currentNode == node)
        let resumed = try await harness.controller(plan: harness.plan()).run(replay: replay)
        #expect(resumed == .finished)
        for name in ["aero-1", "aero-2", "aero-3"] {
            #expect(harness.cluster.node(name).running, "\(name) runs at the end")
        }
        return harness
    }

    func count(_ command: String, on node: String, in harness: RollHarness) -> Int {
        harness.cluster.commands(on: node).filter { $0 == command }.count
    }

    @Test func aRebootThatHappenedIsNotIssuedAgain() async throws {
        // The journal of a controller killed while aero-1 rebooted: every step up to the reboot ended, the reboot
        // began and its boot id was noted. The node did reboot meanwhile.
        let harness = RollHarness()
        try harness.journalRebootInFlight()
        harness.cluster.update("aero-1") { node in
            node.running = false
            node.enabled = false
            node.segments = false
            node.bootID = 2
            node.backupFiles = ["ae001000.dat", "ae001100.dat.gz"]
        }
        let outcome = try await harness.controller(plan: harness.plan()).run(replay: harness.replay())
        #expect(outcome == .finished)
        #expect(count(FakeCluster.rebootCommand, on: "aero-1", in: harness) == 0)
        #expect(harness.cluster.node("aero-1").bootID == 2)
        #expect(harness.cluster.node("aero-1").log.map(\.line).contains("{test} beginning warm restart"))
        #expect(harness.events.events.contains { $0.event == .stepFinished && $0.step == "reboot"
            && $0.details["verified_on_resume"] == .bool(true) })
    }

    @Test func aRebootThatDidNotHappenIsIssuedOnce() async throws {
        // The boot id was read and noted, then the controller died before the reboot command.
        let harness = try await crashThenResume(after: "cat /proc/sys/kernel/random/boot_id")
        #expect(count(FakeCluster.rebootCommand, on: "aero-1", in: harness) == 1)
        #expect(harness.cluster.node("aero-1").bootID == 2)
    }

    @Test func aHalfDoneRestoreIsCleanedAndRestoredAgainWarm() async throws {
        let harness = try await crashThenResume(after: "sudo asmt -r -v -p /var/aerospike/asmt -n test,bar")
        let commands = harness.cluster.commands(on: "aero-1")
        #expect(commands.contains("sudo ipcrm -M 0xae001000"), "the partial segments are removed first")
        #expect(count("sudo asmt -r -v -p /var/aerospike/asmt -n test,bar", on: "aero-1", in: harness) == 2)
        #expect(harness.cluster.node("aero-1").log.map(\.line).last { $0.contains("{bar}") } == "{bar} beginning warm restart")
    }

    @Test func aBackupInDoubtIsTakenAgainFromAnEmptyDirectory() async throws {
        let harness = try await crashThenResume(after: "sudo asmt -b -v -z -p /var/aerospike/asmt -n test,bar")
        let commands = harness.cluster.commands(on: "aero-1")
        let backups = commands.indices.filter { commands[$0].hasPrefix("sudo asmt -b -v") }
        #expect(backups.count == 2)
        #expect(commands[backups[1] - 2].hasSuffix("-delete"), "stale files are removed before the second backup")
        #expect(count(FakeCluster.rebootCommand, on: "aero-1", in: harness) == 1)
    }

    @Test func aStartInDoubtKeepsItsClockSoTheWarmRestartIsStillFound() async throws {
        let harness = try await crashThenResume(after: "sudo systemctl start aerospike")
        #expect(harness.events.events.contains { $0.event == .stepFinished && $0.step == "verify_warm" })
        #expect(!harness.events.events.contains { $0.event == .warning })
    }

    @Test func aCrashDuringTheStopIsResumedWithoutStoppingAnythingElse() async throws {
        let harness = try await crashThenResume(after: "sudo systemctl stop aerospike", node: "aero-2")
        let stops = harness.cluster.commands.filter { $0.command == "sudo systemctl stop aerospike" }
        #expect(stops.map(\.node) == ["aero-1", "aero-2", "aero-2", "aero-3"])
        #expect(stops.allSatisfy { $0.running >= 2 }, "never two nodes down")
        #expect(try harness.replay().finishedNodes == ["aero-1", "aero-2", "aero-3"])
    }

    @Test func finishedNodesAreNotTouchedAgain() async throws {
        let harness = try await crashThenResume(after: "sudo systemctl disable aerospike", node: "aero-3")
        #expect(count("sudo systemctl stop aerospike", on: "aero-1", in: harness) == 1)
        #expect(count("sudo systemctl stop aerospike", on: "aero-2", in: harness) == 1)
    }
}

@Suite struct JournalReplayTests {
    func records(_ kinds: [(JournalRecord.Kind, String?, String?)]) -> [JournalRecord] {
        kinds.map { JournalRecord($0.0, runID: "r", node: $0.1, step: $0.2) }
    }

    @Test func replayFindsTheNodeInProgressAndTheStepInFlight() throws {
        let replay = try JournalReplay(records: records([
            (.runStarted, nil, nil), (.leaseWritten, nil, nil),
            (.nodeStarted, "aero-1", nil), (.stepBegin, "aero-1", "stop"), (.stepEnd, "aero-1", "stop"),
            (.nodeFinished, "aero-1", nil),
            (.nodeStarted, "aero-2", nil), (.stepBegin, "aero-2", "quiesce"), (.stepEnd, "aero-2", "quiesce"),
            (.stepBegin, "aero-2", "reboot"), (.stepNote, "aero-2", "reboot"),
        ]))
        #expect(replay.finishedNodes == ["aero-1"])
        #expect(replay.currentNode == "aero-2")
        #expect(replay.completedSteps == [.quiesce])
        #expect(replay.inFlightStep == .reboot)
        #expect(replay.leaseWritten)
        #expect(replay.isResumable)
    }

    @Test func aFailedStepStaysInFlightAndAResumeClearsTheEnding() throws {
        let replay = try JournalReplay(records: records([
            (.runStarted, nil, nil), (.nodeStarted, "aero-1", nil), (.stepBegin, "aero-1", "backup"),
            (.stepFailed, "aero-1", "backup"), (.runHalted, "aero-1", "backup"), (.runResumed, nil, nil),
        ]))
        #expect(replay.inFlightStep == .backup)
        #expect(replay.ending == nil)
    }

    @Test func finishedAndAbandonedRunsAreNotResumable() throws {
        #expect(try !JournalReplay(records: records([(.runStarted, nil, nil), (.runFinished, nil, nil)])).isResumable)
        #expect(try !JournalReplay(records: records([(.runStarted, nil, nil), (.runAbandoned, nil, nil)])).isResumable)
    }

    @Test func aJournalThatDoesNotStartARunOrMixesRunsIsRejected() {
        #expect(throws: ReplayError.noRunStarted) { try JournalReplay(records: records([(.nodeStarted, "a", nil)])) }
        let mixed = [JournalRecord(.runStarted, runID: "a"), JournalRecord(.nodeStarted, runID: "b", node: "x")]
        #expect(throws: ReplayError.mixedRuns("a", "b")) { try JournalReplay(records: mixed) }
    }

    @Test func aTornLastLineIsIgnoredButDamageInTheMiddleIsRefused() throws {
        let scratch = ScratchDirectory(prefix: "asroll-journal")
        let path = scratch.path + "/journal.jsonl"
        let journal = try Journal(path: path)
        try journal.append(JournalRecord(.runStarted, runID: "r"))
        try journal.append(JournalRecord(.nodeStarted, runID: "r", node: "aero-1"))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"record\":\"step_be".utf8))
        try handle.close()
        let contents = try Journal.read(path: path)
        #expect(contents.records.count == 2)
        #expect(contents.truncatedTail)
        #expect(contents.records.map(\.sequence) == [1, 2])

        let damaged = "{\"nonsense\":1}\n" + (try String(contentsOfFile: path, encoding: .utf8))
        try damaged.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: JournalError.self) { try Journal.read(path: path) }
    }
}

@Suite struct ManualRecoveryAdviceTests {
    @Test func adviceFollowsWhereTheNodeWasLeft() throws {
        #expect(ResumeSummary.advice(for: "aero-1", done: [.quiesce, .disableAutostart])?.contains("quiesce-undo") == true)
        let stopped = try #require(ResumeSummary.advice(for: "aero-1", done: [.quiesce, .disableAutostart, .stop, .backup]))
        #expect(stopped.contains("still in memory") && stopped.contains("warm restarts"))
        let rebooted = try #require(ResumeSummary.advice(for: "aero-1",
                                                         done: [.stop, .backup, .maintenance, .reboot]))
        #expect(rebooted.contains("asmt -r"))
        #expect(ResumeSummary.advice(for: "aero-1", done: [.stop, .reboot, .restore, .start]) == nil)
    }
}

@Suite(.timeLimit(.minutes(1))) struct SlowRebootResumeTests {
    @Test func aHostStillGoingDownAfterTheRebootIsNotRebootedAgainOnResume() async throws {
        // The controller died after the reboot command returned; the host has not gone down yet (same boot id), but
        // the mark in /run shows the reboot was issued in this boot.
        let harness = RollHarness(faults: ["aero-1": [.slowReboot]])
        try harness.journalRebootInFlight()
        harness.cluster.update("aero-1") { node in
            node.running = false
            node.enabled = false
            node.segmentsClean = true
            node.backupFiles = ["ae001000.dat", "ae001100.dat.gz"]
            node.rebootMarker = true
            node.rebootPending = true
        }
        let outcome = try await harness.controller(plan: harness.plan()).run(replay: harness.replay())
        #expect(outcome == .finished)
        #expect(harness.cluster.commands(on: "aero-1").filter { $0 == FakeCluster.rebootCommand }.isEmpty,
                "the pending reboot is waited for, not issued again")
        #expect(harness.cluster.node("aero-1").bootID == 2)
        #expect(harness.cluster.node("aero-1").log.map(\.line).contains("{test} beginning warm restart"))
    }

    @Test func withoutTheMarkTheSameBootIdMeansTheRebootNeverHappenedAndItIsIssuedOnce() async throws {
        let harness = RollHarness()
        try harness.journalRebootInFlight()
        harness.cluster.update("aero-1") { node in
            node.running = false
            node.enabled = false
            node.segmentsClean = true
            node.backupFiles = ["ae001000.dat", "ae001100.dat.gz"]
        }
        let outcome = try await harness.controller(plan: harness.plan()).run(replay: harness.replay())
        #expect(outcome == .finished)
        #expect(harness.cluster.commands(on: "aero-1").filter { $0 == FakeCluster.rebootCommand }.count == 1)
    }
}

extension RollHarness {
    /// The journal of a controller that died while aero-1 rebooted: every step up to the reboot ended, the reboot
    /// began and the boot id before it (`boot-1`) was noted.
    func journalRebootInFlight() throws {
        let journal = try Journal(path: journalPath)
        try journal.append(JournalRecord(.runStarted, runID: "run-1"))
        try journal.append(JournalRecord(.leaseWritten, runID: "run-1"))
        try journal.append(JournalRecord(.nodeStarted, runID: "run-1", node: "aero-1", facts: ["mode": "warm"]))
        for step in ["quiesce", "disable_autostart", "stop", "backup", "maintenance"] {
            try journal.append(JournalRecord(.stepBegin, runID: "run-1", node: "aero-1", step: step))
            try journal.append(JournalRecord(.stepEnd, runID: "run-1", node: "aero-1", step: step))
        }
        try journal.append(JournalRecord(.stepBegin, runID: "run-1", node: "aero-1", step: "reboot"))
        try journal.append(JournalRecord(.stepNote, runID: "run-1", node: "aero-1", step: "reboot",
                                         facts: ["boot_id_before": "boot-1"]))
    }
}

import Foundation
import RollingCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct RollControllerTests {
    @Test func warmRollRestartsEveryNodeWarmOneAtATime() async throws {
        let harness = RollHarness()
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        #expect(outcome == .finished)
        for name in ["aero-1", "aero-2", "aero-3"] {
            let node = harness.cluster.node(name)
            #expect(node.running && node.enabled)
            #expect(node.log.map(\.line).filter { $0.contains("beginning warm restart") }.count == 2)
            #expect(node.backupFiles.isEmpty, "cleanup removes the backup files")
        }
        // Never two nodes down: every stop was issued with all three running.
        let stops = harness.cluster.commands.filter { $0.command == "sudo systemctl stop aerospike" }
        #expect(stops.map(\.node) == ["aero-1", "aero-2", "aero-3"])
        #expect(stops.allSatisfy { $0.running == 3 })
        let replay = try harness.replay()
        #expect(replay.finishedNodes == ["aero-1", "aero-2", "aero-3"])
        #expect(replay.ending == .runFinished)
        #expect(harness.events.events.last?.event == .runFinished)
    }

    @Test func stepsRunInTheSpecOrderWithTheirVerifications() async throws {
        let harness = RollHarness(nodes: 1)
        try harness.startJournal()
        _ = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        // The lease write comes first and its release last; they are checked elsewhere.
        let mutations = harness.mutations(on: "aero-1").filter { !$0.hasPrefix("umask") && !$0.hasPrefix("if grep") }
        #expect(mutations == [
            "sudo systemctl disable aerospike", "sudo systemctl stop aerospike",
            "sudo find /var/aerospike/asmt -maxdepth 1 -type f -name '*.dat*' -delete",
            "sudo asmt -b -v -z -p /var/aerospike/asmt -n test,bar", "maintenance-step", FakeCluster.rebootCommand,
            "sudo asmt -r -v -p /var/aerospike/asmt -n test,bar", "sudo systemctl enable aerospike",
            "sudo systemctl start aerospike",
            "sudo find /var/aerospike/asmt -maxdepth 1 -type f -name '*.dat*' -delete",
        ])
    }

    @Test func flaggedNodeColdRestartsAndNoBackupOfItIsEverTakenOrRestored() async throws {
        let harness = RollHarness(flags: ["aero-2": [.dimmFault]])
        harness.cluster.update("aero-2") { $0.backupFiles = ["ae001000.dat"] }  // stale files from an old roll
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        #expect(outcome == .finished)
        let commands = harness.cluster.commands(on: "aero-2")
        #expect(!commands.contains { $0.hasPrefix("sudo asmt") })
        let deleteIndex = try #require(commands.firstIndex { $0.hasSuffix("-delete") })
        let rebootIndex = try #require(commands.firstIndex(of: FakeCluster.rebootCommand))
        #expect(deleteIndex < rebootIndex, "stale backups are deleted before the reboot")
        #expect(harness.cluster.node("aero-2").log.map(\.line).contains("{test} beginning cold start"))
    }

    @Test func backupFailureHaltsBeforeTheRebootAndTouchesNoOtherNode() async throws {
        let harness = RollHarness(faults: ["aero-1": [.backupFails]])
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        guard case .halted(let failure) = outcome else {
            Issue.record("expected a halt, got \(outcome)")
            return
        }
        #expect(failure.node == "aero-1" && failure.step == .backup)
        #expect(failure.description.contains("No space left on device"))
        #expect(failure.description.contains("asroll resume"))
        #expect(!harness.cluster.commands(on: "aero-1").contains(FakeCluster.rebootCommand))
        #expect(harness.mutations(on: "aero-2").allSatisfy { $0.hasPrefix("umask 077") }, "only the lease")
        #expect(try harness.replay().ending == .runHalted)
        #expect(outcome.exitCode == 1)
    }

    @Test func aFailedStopUndoesTheQuiesceAndReenablesAutostart() async throws {
        let harness = RollHarness(faults: ["aero-1": [.stopFails]])
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        guard case .halted(let failure) = outcome else {
            Issue.record("expected a halt, got \(outcome)")
            return
        }
        #expect(failure.step == .stop)
        let node = harness.cluster.node("aero-1")
        #expect(node.running)
        #expect(!node.pendingQuiesce, "quiesce-undo: was sent")
        #expect(node.enabled, "autostart re-enabled on the running node")
        #expect(harness.cluster.commands(on: "aero-1").contains { $0.contains("quiesce-undo:") })
    }

    @Test func anUnexpectedColdStartHaltsBeforeTheNextNodeUnlessAllowed() async throws {
        let harness = RollHarness(faults: ["aero-1": [.coldStartAnyway]])
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        guard case .halted(let failure) = outcome else {
            Issue.record("expected a halt, got \(outcome)")
            return
        }
        #expect(failure.message.contains("planned warm but cold started"))
        #expect(harness.events.events.contains { $0.event == .warning && $0.message.contains("COLD STARTED") })
        #expect(!harness.cluster.commands(on: "aero-2").contains("sudo systemctl stop aerospike"))

        let allowed = RollHarness(faults: ["aero-1": [.coldStartAnyway]])
        try allowed.startJournal()
        let goOn = try await allowed.controller(plan: allowed.plan(), options: RunOptions(continueOnCold: true))
            .run(gateAlreadyPassed: true)
        #expect(goOn == .finished)
        #expect(allowed.events.events.last?.message.contains("COLD STARTED unexpectedly: aero-1") == true)
    }

    @Test func migrationsThatNeverEndHaltAfterTheNodeWithoutTouchingTheNext() async throws {
        let harness = RollHarness(faults: ["aero-1": [.migrationsStall]])
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        guard case .halted(let failure) = outcome else {
            Issue.record("expected a halt, got \(outcome)")
            return
        }
        #expect(failure.node == "aero-1" && failure.step == .migrations && failure.kind == .timedOut)
        #expect(failure.message.contains("partition migrations remaining"))
        #expect(harness.mutations(on: "aero-2").allSatisfy { $0.hasPrefix("umask 077") })
    }

    @Test func aNodeThatNeverReturnsHaltsAtTheReboot() async throws {
        let harness = RollHarness(faults: ["aero-1": [.neverReturns]])
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        guard case .halted(let failure) = outcome else {
            Issue.record("expected a halt, got \(outcome)")
            return
        }
        #expect(failure.step == .reboot && failure.kind == .timedOut)
        #expect(harness.mutations(on: "aero-2").allSatisfy { $0.hasPrefix("umask 077") })
    }

    @Test func autostartAtBootMakesTheRestoreRefuse() async throws {
        let harness = RollHarness(nodes: 1, faults: ["aero-1": [.autostartIgnoresDisable]])
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        guard case .halted(let failure) = outcome else {
            Issue.record("expected a halt, got \(outcome)")
            return
        }
        #expect(failure.step == .restore && failure.kind == .unsafe)
        #expect(!harness.cluster.commands(on: "aero-1").contains { $0.hasPrefix("sudo asmt -r -v") })
    }

    @Test func aStopRequestFinishesTheStepAndStartsNothingFurther() async throws {
        let harness = RollHarness()
        try harness.startJournal()
        harness.stop.request()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        #expect(outcome == .interrupted)
        #expect(outcome.exitCode == 130)
        #expect(harness.mutations(on: "aero-1").allSatisfy { $0.hasPrefix("umask 077") })
        #expect(try harness.replay().ending == .runInterrupted)
    }

    @Test func restartOnlyPlaybookSkipsBackupAndRestoreAndStillWarmRestarts() async throws {
        let harness = RollHarness(nodes: 2, maintenance: [], reboot: false)
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        #expect(outcome == .finished)
        #expect(!harness.cluster.commands.contains { $0.command.hasPrefix("sudo asmt") || $0.command.contains("reboot") })
        #expect(harness.cluster.node("aero-2").log.map(\.line).contains("{bar} beginning warm restart"))
    }

    @Test func coldNodeWithoutRebootHasItsSegmentsRemovedSoItReallyColdStarts() async throws {
        let harness = RollHarness(nodes: 2, flags: ["aero-1": [.postExpansion]], maintenance: [], reboot: false)
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        #expect(outcome == .finished)
        #expect(harness.cluster.commands(on: "aero-1").contains("sudo ipcrm -M 0xae001000"))
        #expect(harness.cluster.node("aero-1").log.map(\.line).contains("{test} beginning cold start"))
    }

    @Test func aConnectionFoundDeadBeforeACommandIsConnectedAgainAndTheRunGoesOn() async throws {
        let cleanup = "sudo find /var/aerospike/asmt -maxdepth 1 -type f -name '*.dat*' -delete"
        let harness = RollHarness(nodes: 2, faults: ["aero-1": [.connectionDeadBefore(cleanup),
                                                                .connectionDeadBefore("sudo systemctl start aerospike")]])
        try harness.startJournal()
        let outcome = try await harness.controller(plan: harness.plan()).run(gateAlreadyPassed: true)
        #expect(outcome == .finished, "\(harness.events.events.map(\.message))")
        #expect(harness.cluster.commands(on: "aero-1").filter { $0 == "sudo systemctl start aerospike" }.count == 1)
        #expect(harness.cluster.node("aero-1").backupFiles.isEmpty, "the cleanup ran on the new connection")
    }
}

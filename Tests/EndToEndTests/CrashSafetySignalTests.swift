import Foundation
import RollingCore
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C and SIGTERM (SPEC §6 "Signals"), and a node's SSH connection dropped in the middle of a step.
@Suite(.timeLimit(.minutes(3))) struct CrashSafetySignalTests {
    /// SIGINT and SIGTERM, each with a cluster of its own.
    static let stopSignals: [(signal: Int32, baseAddress: String)] = [(SIGINT, "127.0.152.1"), (SIGTERM, "127.0.153.1")]

    @Test(arguments: stopSignals)
    func aStopSignalLetsTheStepFinishExits130AndResumeFinishesTheRoll(_ signal: Int32, _ baseAddress: String)
        async throws
    {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: baseAddress, options: ["--fast"]) { cluster in
            let (state, _, run, hold) = try await startRollHeldInMaintenance(cluster)
            run.send(signal)
            // The step goes on only once the controller has taken the signal in.
            _ = try await crashPoll("the interrupt message", timeout: .seconds(30)) {
                run.stderrSoFar.contains("interrupt received") ? true : nil
            }
            hold.release()
            let interrupted = try await run.wait(timeout: .seconds(30))
            let events = state.events()
            let journal = try state.journal()
            let context = "signal \(signal)\n\(state)\n" + transcript([("run", interrupted)])
            #expect(interrupted.exitCode == 130, "the run exits 130\n\(context)")
            #expect(events.contains { isEvent($0, .stepFinished, "aero-1", .maintenance) },
                    "the step in progress finished\n\(context)")
            #expect(!events.contains { isEvent($0, .stepStarted, "aero-1", .reboot) },
                    "no further step was started\n\(context)")
            #expect(try !cluster.record().contains { $0.name == "reboot_issued" }, "no reboot\n\(context)")
            #expect(interrupted.stderr.contains("asroll resume --state-dir \(state.path)"),
                    "stderr says how to resume\n\(context)")
            #expect(journal.last?.kind == .runInterrupted, "the journal ends with run_interrupted\n\(context)")

            try await expectResumeFinishesTheRoll(cluster, state, context)
        }
    }

    @Test func aSecondInterruptExitsAtOnceAndResumeStillFinishesTheRoll() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.154.1", options: ["--fast"]) { cluster in
            let (state, _, run, hold) = try await startRollHeldInMaintenance(cluster)
            let first = ContinuousClock.now
            run.send(SIGINT)
            try await Task.sleep(for: .milliseconds(300))
            run.send(SIGINT)
            let stopped = try await run.wait(timeout: .seconds(30))
            let took = ContinuousClock.now - first
            hold.release(abort: true)
            let context = "\(state)\n" + transcript([("run", stopped)])
            #expect(stopped.exitCode == 130, "the second interrupt exits 130\n\(context)")
            #expect(took < .seconds(20), "it exits at once, not after the held step (took \(took))\n\(context)")
            #expect(stopped.stderr.contains("second interrupt"), "stderr says why\n\(context)")
            #expect(!state.events().contains { isEvent($0, .stepFinished, "aero-1", .maintenance) },
                    "the step was not waited for\n\(context)")
            #expect(try state.journal().last?.kind == .stepBegin, "the journal ends in the step\n\(context)")

            try await expectResumeFinishesTheRoll(cluster, state, context)
        }
    }

    @Test func sshDroppedDuringAMaintenanceCommandHaltsNamingNodeAndStepAndResumeFinishes() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.155.1", options: ["--fast"]) { cluster in
            let (state, _, run, hold) = try await startRollHeldInMaintenance(cluster)
            let dropped = try await cluster.ctl(["drop-ssh", "aero-1"])
            let halted = try await run.wait(timeout: .seconds(60))
            hold.release(abort: true)
            let context = "drop-ssh: \(dropped.stdout)\(dropped.stderr)\n\(state)\n" + transcript([("run", halted)])
            // The command's outcome is unknown (it was cut short), so the step cannot be verified: a clean halt.
            #expect(halted.exitCode == 1, "the run halts\n\(context)")
            #expect(halted.stderr.contains("HALTED on aero-1 at step maintenance"), "names node and step\n\(context)")
            #expect(halted.stderr.contains("connection"), "says the connection broke\n\(context)")
            #expect(halted.stderr.contains("asroll resume"), "says how to go on\n\(context)")
            #expect(try state.journal().last?.kind == .runHalted, "the journal ends with run_halted\n\(context)")
            #expect(try !cluster.record().contains { $0.name == "reboot_issued" }, "nothing further\n\(context)")

            try await expectResumeFinishesTheRoll(cluster, state, context)
        }
    }

    @Test func sshDroppedWhileTheMigrationsGateWaitsIsSurvivedByConnectingAgain() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.156.1",
                                               options: ["--fast", "--migration-rate", "100"]) { cluster in
            let state = CrashStateDir(path: freshStateDir())
            let run = try startRoll(cluster, playbook: testPlaybook(in: cluster.directory), state: state)
            let drop = "\(cluster.executable) ctl --dir \(cluster.directory) drop-ssh aero-1"
            let dropper = try ShellWatcher("aero-1 migrations started", files: state.path + "/runs/*/events.jsonl",
                                           pattern: eventPattern(.stepStarted, node: "aero-1", step: .migrations),
                                           delay: .milliseconds(200), action: drop)
            let finished = try await run.wait(timeout: .seconds(120))
            let dropped = await dropper.finish()
            let log = state.runFolders.first.flatMap {
                try? String(contentsOfFile: $0 + "/nodes/aero-1.log", encoding: .utf8)
            } ?? ""
            let context = "\(state)\n" + transcript([("run", finished)])
            #expect(dropped, "aero-1's SSH sessions were dropped while the gate waited\n\(context)")
            #expect(try cluster.record().contains { $0.name == "ssh_dropped" && $0.node == "aero-1" },
                    "the record shows the drop\n\(context)")
            // The gate reads the info port; the next SSH command (the cleanup) finds the connection dead before it
            // starts, connects again and runs.
            #expect(finished.exitCode == 0, "the run goes on to the end\n\(context)")
            #expect(log.contains("found broken before the command started"),
                    "aero-1's log shows the reconnect\n\(context)")
            try await expectRolledOnceWarm(cluster, state, context)
        }
    }
}

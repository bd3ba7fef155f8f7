import Foundation
import RollingCore
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// One controller per cluster and per state dir (SPEC §6 "Lease"), and what an operator does with a dead run:
/// `abandon` and `unlock --force`.
@Suite(.timeLimit(.minutes(3))) struct CrashSafetyControlTests {
    @Test func aSecondControllerDuringARunIsRefusedWithExit3OnTheSameStateDirAndOnAnother() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.150.1", options: ["--fast"]) { cluster in
            let (state, playbook, first, hold) = try await startRollHeldInMaintenance(cluster)
            let runID = try #require(state.runID)
            let lease = try await cluster.ssh("aero-2", "cat /var/tmp/asroll.lease").stdout
            let holder = try #require(try Lease.parse(lease), "aero-2 holds the first run's lease: \(lease)")

            let sameDir = try await AsrollProcess.run(["run", "-i", cluster.inventoryPath, "-p", playbook, "--yes",
                                                       "--state-dir", state.path], timeout: .seconds(60))
            let otherDir = try await AsrollProcess.run(["run", "-i", cluster.inventoryPath, "-p", playbook, "--yes",
                                                        "--state-dir", freshStateDir()], timeout: .seconds(60))
            let leaseAfter = try await cluster.ssh("aero-2", "cat /var/tmp/asroll.lease").stdout
            hold.release()
            let finished = try await first.wait(timeout: .seconds(120))
            let context = transcript([("same state dir", sameDir), ("other state dir", otherDir), ("first", finished)])

            #expect(sameDir.exitCode == 3, "refused by the local lock\n\(context)")
            #expect(sameDir.stderr.contains("in use by another asroll") && sameDir.stderr.contains("pid \(first.pid)"),
                    "names the lock's holder\n\(context)")
            #expect(otherDir.exitCode == 3, "refused by the lease on the nodes\n\(context)")
            let refusal = otherDir.stdout + otherDir.stderr
            #expect(refusal.contains("leased by another roll") && refusal.contains("run \(runID)")
                && refusal.contains("of \(holder.holder) (pid \(first.pid))"),
                    "names the holder user@host, pid and run id\n\(context)")
            #expect(leaseAfter == lease, "the refused controller left the lease alone\n\(context)")
            #expect(finished.exitCode == 0, "the first run finishes undisturbed\n\(context)")
            try await expectRolledOnceWarm(cluster, state, context)
        }
    }

    @Test func abandonArchivesAKilledRunsJournalAndUnlockRemovesItsLeaseFromEveryNode() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.151.1", options: ["--fast"]) { cluster in
            let (state, playbook, killedRun, hold) = try await startRollHeldInMaintenance(cluster)
            killedRun.send(SIGKILL)
            let killed = try await killedRun.wait(timeout: .seconds(10))
            hold.release(abort: true)
            let runID = try #require(state.runID)
            let rollArguments = ["run", "-i", cluster.inventoryPath, "-p", playbook, "--yes", "--state-dir", state.path]

            let whileUnfinished = try await AsrollProcess.run(rollArguments, timeout: .seconds(60))
            let context = transcript([("killed", killed), ("run", whileUnfinished)])
            let refusal = whileUnfinished.stderr
            #expect(whileUnfinished.exitCode == 3 && refusal.contains("unfinished run (\(runID))")
                && refusal.contains("asroll resume") && refusal.contains("asroll abandon"),
                    "run refuses an unfinished journal and says to resume or abandon\n\(context)")

            let abandoned = try await AsrollProcess.run(["abandon", "--yes", "--state-dir", state.path])
            #expect(abandoned.exitCode == 0, "\(abandoned)")
            #expect(abandoned.stdout.contains("aero-1 was in progress")
                && abandoned.stdout.contains("maintenance was in flight"), "says where the run stopped\n\(abandoned)")
            #expect(!state.hasUnfinishedJournal, "the journal is moved away\n\(state)")
            #expect(try state.archivedJournal(runID).last?.kind == .runAbandoned,
                    "archived with run_abandoned\n\(state)")

            // The journal no longer stops `run`; the lease, kept by abandon, does.
            let whileLeased = try await AsrollProcess.run(rollArguments, timeout: .seconds(60))
            let leaseRefusal = whileLeased.stdout + whileLeased.stderr
            #expect(whileLeased.exitCode == 3 && leaseRefusal.contains("leased by another roll: run \(runID)")
                && !leaseRefusal.contains("unfinished run"), "after abandon only the lease refuses\n\(whileLeased)")

            let unlocked = try await AsrollProcess.run(["unlock", "-i", cluster.inventoryPath, "--force"])
            #expect(unlocked.exitCode == 0, "\(unlocked)")
            for node in cluster.nodes {
                #expect(unlocked.stdout.contains("\(node): removing the lease held by run \(runID) of "),
                        "prints who held \(node)'s lease\n\(unlocked)")
            }
            let leases = try await cluster.nodesHoldingALease()
            #expect(leases.isEmpty, "no node holds a lease after unlock: \(leases)")

            // Put aero-1 back by hand as docs/operations.md says (it warm restarts from its segments), then roll.
            let restart = try await cluster.ssh("aero-1", "sudo systemctl enable aerospike && sudo systemctl start "
                + "aerospike")
            #expect(restart.status == 0, "\(restart.stdout)\(restart.stderr)")
            let back = try await cluster.waitForEvent(timeout: 30) { $0.name == "asd_started" && $0.node == "aero-1" }
            _ = try await cluster.waitForEvent(timeout: 30) { $0.name == "migrations_zero" && $0.time > back.time }
            let again = try await AsrollProcess.run(rollArguments, timeout: .seconds(120))
            #expect(again.exitCode == 0, "a new run is allowed and finishes\n\(again)")
        }
    }
}

import Foundation
import Testing
import TestSupport

/// The cold path (issue 5 items 1, 2 and 5): flagged nodes and memory errors cold restart without their backups,
/// and a node planned warm that cold starts anyway stops the run.
@Suite(.timeLimit(.minutes(3))) struct SafetyColdPathTests {
    /// The backup directory of every simulated node.
    static let backupDir = "/var/aerospike/asmt"

    /// Commands `node` ran that back up or restore indexes (asmt without `-a`), one line each.
    static func asmtRuns(_ events: [SimRecordEvent], on node: String) -> [String] {
        events.filter { $0.name == "command" && $0.node == node }.compactMap { $0["argv"]?.strings }
            .filter { $0.first == "asmt" && !$0.contains("-a") }.map { $0.joined(separator: " ") }
    }

    /// Checks that `node` cold restarted in the run recorded after `mark`, without backup, restore or corruption.
    static func expectColdRestart(of node: String, in events: [SimRecordEvent], context: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        let starts = events.filter { $0.name == "asd_started" && $0.node == node }
        #expect(starts.count == 1, "\(node) started once: \(starts)\n\(context)", sourceLocation: sourceLocation)
        #expect(starts.first?.string("mode") == "cold", "\(node) cold started: \(starts)\n\(context)",
                sourceLocation: sourceLocation)
        #expect(starts.first?.bool("corruption") == false, sourceLocation: sourceLocation)
        #expect(!events.contains { $0.name == "corruption" && $0.node == node },
                "no suspect segment of \(node) came back", sourceLocation: sourceLocation)
        #expect(asmtRuns(events, on: node).isEmpty, "\(node) skips backup and restore: \(asmtRuns(events, on: node))",
                sourceLocation: sourceLocation)
    }

    @Test func flaggedNodesColdRestartWithoutBackupAndTheirStaleBackupsAreDeletedBeforeTheReboot() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.160.1",
                                               options: ["--fast", "--fault", "aero-2:dimm-fault"]) { cluster in
            try cluster.editInventory(flags: ["aero-1": ["post-expansion"]])
            let playbook = try testPlaybook(in: cluster.directory)
            for node in cluster.nodes {
                let stale = try await cluster.ssh(node, "echo stale > \(Self.backupDir)/ae001100.dat.gz && "
                    + "cp /dev/null \(Self.backupDir)/ae001100.dat && ls \(Self.backupDir)")
                #expect(stale.stdout == "ae001100.dat\nae001100.dat.gz\n", "stale files in place: \(stale.stderr)")
            }

            let plan = try await AsrollProcess.run(["plan", "-i", cluster.inventoryPath, "-p", playbook])
            #expect(plan.exitCode == 0, "\(plan)")
            #expect(plan.stdout.contains("aero-1 (ssh root@\(cluster.addresses["aero-1"]!):2222, info "
                + "\(cluster.addresses["aero-1"]!):3000): COLD restart\n  why: flagged post-expansion"), "\(plan)")
            #expect(plan.stdout.contains("aero-2 (ssh root@\(cluster.addresses["aero-2"]!):2222, info "
                + "\(cluster.addresses["aero-2"]!):3000): COLD restart\n  why: flagged dimm-fault"), "\(plan)")
            #expect(plan.stdout.components(separatedBy: "  risk: a cold restart rebuilds the index from storage")
                .count == 3, "the risk is stated for both nodes: \(plan)")
            #expect(plan.stdout.contains("records deleted without durable deletes"), "\(plan)")
            #expect(plan.stdout.components(separatedBy: ". start (timeout 1m00s)").count == 3,
                    "the starts get the cold_start budget (60s), not start's 30s: \(plan)")
            #expect(!plan.stdout.contains("asmt -b") && !plan.stdout.contains("asmt -r"), "no backup planned: \(plan)")

            let mark = try RecordMark(cluster)
            let result = try await roll(cluster, playbook: playbook, stateDir: freshStateDir())
            #expect(result.exitCode == 0, "\(result)")
            for (node, flag) in [("aero-1", "post-expansion"), ("aero-2", "dimm-fault")] {
                #expect(result.stdout.contains("\(node): COLD restart because flagged \(flag) in the inventory"),
                        "\(result)")
            }
            #expect(result.stdout.components(separatedBy: "Risk: a cold restart rebuilds the index").count == 3,
                    "\(result)")

            let events = try mark.events(cluster)
            let detected = try mark.mutations(cluster).joined(separator: "\n")
            for change in [" quiesce ", " unit_disabled", " asd_stopping ", "\"-delete\"", " reboot_issued "] {
                #expect(detected.contains(change), "the record check sees '\(change)' in a real run:\n\(detected)")
            }
            for node in cluster.nodes {
                #expect(result.stdout.contains("\(node)  verify_cold  done in"), "the log showed the cold start")
                Self.expectColdRestart(of: node, in: events, context: "\(result)")
                let reboot = try #require(events.first("reboot_issued", node: node), "\(node) rebooted")
                let delete = events.first { $0.name == "command" && $0.node == node
                    && $0["argv"]?.strings?.first == "find" && $0["argv"]?.strings?.contains("-delete") == true }
                #expect(delete != nil && delete!.time < reboot.time,
                        "\(node): stale backups deleted (\(String(describing: delete))) before the reboot (\(reboot))")
                let left = try await cluster.ssh(node, "ls -A \(Self.backupDir)")
                #expect(left.stdout.isEmpty, "\(node)'s stale backup files are gone: \(left.stdout)")
            }
        }
    }

    @Test func withoutARebootAFlaggedNodesSegmentsAreRemovedBeforeItColdStarts() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.161.1",
                                               options: ["--fast", "--fault", "aero-2:dimm-fault"]) { cluster in
            let playbook = try testPlaybook(in: cluster.directory, reboot: false)
            let mark = try RecordMark(cluster)
            let result = try await roll(cluster, playbook: playbook, stateDir: freshStateDir(),
                                        extra: ["--node", "aero-2"])
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.stdout.contains("aero-2  remove_segments  done in"), "\(result)")
            let events = try mark.events(cluster)
            Self.expectColdRestart(of: "aero-2", in: events, context: "\(result)")
            #expect(!events.contains { $0.name == "reboot_issued" }, "reboot: false")
            let removed = events.filter { $0.name == "segments_removed" && $0.node == "aero-2" }
            #expect(removed.allSatisfy { $0.string("reason") == "ipcrm" },
                    "removed with ipcrm, not by the start: \(removed)")
            let keys = removed.flatMap { $0["keys"]?.strings ?? [] }
            #expect(Set(keys).count == 8, "every segment (2 namespaces x 4) was removed: \(removed)")
            let ipcrm = events.filter {
                $0.name == "command" && $0.node == "aero-2" && $0["argv"]?.strings?.first == "ipcrm"
            }
            #expect(ipcrm.count == 8 && ipcrm.allSatisfy { $0.int("exit") == 0 }, "\(ipcrm)")
            let starting = try #require(events.first("asd_starting", node: "aero-2"))
            #expect(removed.allSatisfy { $0.time <= starting.time }, "segments removed before the start")
        }
    }

    @Test func requiringAWarmRestartOfAFlaggedNodeIsRefusedWithNothingExecuted() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.162.1",
                                               options: ["--fast", "--fault", "aero-2:dimm-fault"]) { cluster in
            let mark = try RecordMark(cluster)
            let result = try await safetyRun(cluster, ["--require-warm"])
            #expect(result.exitCode == 3, "\(result)")
            #expect(result.stderr.contains("aero-2: a warm restart was required (--require-warm) but is refused: "
                + "flagged dimm-fault in the inventory"), "\(result)")
            try await expectUntouched(cluster, since: mark, "\(result)")
        }
    }

    @Test func uncorrectedMemoryErrorsMakeCheckDryRunAndRunColdRestartTheNode() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.163.1",
                                               options: ["--fast", "--edac", "aero-1:ue=1"]) { cluster in
            let playbook = try testPlaybook(in: cluster.directory)
            let reason = "EDAC reports 1 uncorrected memory errors"
            let mark = try RecordMark(cluster)
            let check = try await AsrollProcess.run(["check", "-i", cluster.inventoryPath, "-p", playbook])
            #expect(check.exitCode == 0, "\(check)")
            #expect(check.stdout.contains("aero-1 would COLD restart: \(reason)"), "\(check)")
            #expect(!check.stdout.contains("aero-2 would COLD"), "\(check)")
            let dry = try await safetyRun(cluster, playbook: playbook, ["--dry-run"])
            #expect(dry.exitCode == 0, "\(dry)")
            #expect(dry.stdout.contains(": COLD restart\n  why: \(reason)"), "\(dry)")
            #expect(dry.stdout.contains("aero-2 (ssh root@\(cluster.addresses["aero-2"]!):2222, info "
                + "\(cluster.addresses["aero-2"]!):3000): WARM restart"), "\(dry)")
            let warmOnly = try await safetyRun(cluster, playbook: playbook, ["--require-warm"])
            #expect(warmOnly.exitCode == 3, "\(warmOnly)")
            #expect(warmOnly.stderr.contains("aero-1: a warm restart was required (--require-warm) but is refused: "
                + reason), "\(warmOnly)")
            try await expectUntouched(cluster, since: mark, "check, dry run and a refused run change nothing")

            let result = try await roll(cluster, playbook: playbook, stateDir: freshStateDir())
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.stdout.contains("node 1/2 aero-1: COLD restart because \(reason)"), "\(result)")
            let events = try mark.events(cluster)
            Self.expectColdRestart(of: "aero-1", in: events, context: "\(result)")
            #expect(events.first("asd_started", node: "aero-2")?.string("mode") == "warm", "aero-2 stays warm")
        }
    }

    @Test func correctedMemoryErrorsAtTheInventoryThresholdColdRestartAndBelowItStayWarm() async throws {
        try await SimulatedCluster.withCluster(
            nodes: 2, baseAddress: "127.0.164.1",
            options: ["--fast", "--edac", "aero-1:ce=50,ue=0", "--edac", "aero-2:ce=49,ue=0"]
        ) { cluster in
            try cluster.editInventory(correctedThreshold: 50)
            let playbook = try testPlaybook(in: cluster.directory)
            let dry = try await safetyRun(cluster, playbook: playbook, ["--dry-run"])
            #expect(dry.exitCode == 0, "\(dry)")
            #expect(dry.stdout.contains(": COLD restart\n  why: EDAC reports 50 corrected memory errors, "
                + "at or above the inventory's threshold of 50"), "\(dry)")
            #expect(dry.stdout.contains("aero-2 (ssh root@\(cluster.addresses["aero-2"]!):2222, info "
                + "\(cluster.addresses["aero-2"]!):3000): WARM restart"), "\(dry)")
            let mark = try RecordMark(cluster)
            let result = try await roll(cluster, playbook: playbook, stateDir: freshStateDir())
            #expect(result.exitCode == 0, "\(result)")
            let events = try mark.events(cluster)
            Self.expectColdRestart(of: "aero-1", in: events, context: "\(result)")
            #expect(events.first("asd_started", node: "aero-2")?.string("mode") == "warm", "aero-2 stays warm")
            #expect(Self.asmtRuns(events, on: "aero-2").count == 2, "aero-2 backed up and restored")
        }
    }

    @Test func aNodePlannedWarmThatColdStartsHaltsTheRunBeforeTheNextNode() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.165.1",
                                               options: ["--fast", "--fault", "aero-1:cold-start"]) { cluster in
            let mark = try RecordMark(cluster)
            let result = try await safetyRun(cluster)
            #expect(result.exitCode == 1, "\(result)")
            #expect(result.stdout.contains("aero-1 was planned warm but COLD STARTED namespace(s) test, bar"),
                    "the node's result says so: \(result)")
            #expect(result.output.contains("aero-1 was planned warm but cold started"), "\(result)")
            #expect(result.stderr.contains("HALTED on aero-1"), "\(result)")
            #expect(result.output.contains("--continue-on-cold"), "says how to go on: \(result)")
            let events = try mark.events(cluster)
            #expect(events.first("asd_started", node: "aero-1")?.string("mode") == "cold", "the fault worked")
            let touched = events.filter { touches($0, node: "aero-2") }.map(\.description)
            #expect(touched.isEmpty, "the next node is untouched: \(touched)")
        }
    }

    @Test func withContinueOnColdTheRunGoesOnAfterAnUnexpectedColdStart() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.166.1",
                                               options: ["--fast", "--fault", "aero-1:cold-start"]) { cluster in
            let mark = try RecordMark(cluster)
            let result = try await safetyRun(cluster, ["--continue-on-cold"])
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.stdout.contains("aero-1 was planned warm but COLD STARTED namespace(s) test, bar"),
                    "\(result)")
            #expect(result.stdout.contains("roll finished: 2 node(s) done")
                    && result.stdout.contains("COLD STARTED unexpectedly: aero-1"), "the summary says so: \(result)")
            let events = try mark.events(cluster)
            #expect(events.first("asd_started", node: "aero-1")?.string("mode") == "cold")
            #expect(events.first("asd_started", node: "aero-2")?.string("mode") == "warm", "the run went on")
        }
    }
}

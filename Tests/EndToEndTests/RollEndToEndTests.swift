import Foundation
import Testing
import TestSupport

/// `asroll run` against `asroll-sim`: real sshd, real libssh2, the real info protocol (issue 4).
@Suite(.timeLimit(.minutes(5))) struct RollEndToEndTests {
    @Test func threeNodeWarmRollRestartsEveryNodeWarmOneAtATime() async throws {
        try await SimulatedCluster.withCluster(nodes: 3, baseAddress: "127.0.101.1", options: ["--fast"]) { cluster in
            let state = freshStateDir()
            let result = try await roll(cluster, playbook: testPlaybook(in: cluster.directory), stateDir: state)
            #expect(result.exitCode == 0, "\(result)")
            let record = try RollRecord(cluster)
            for node in cluster.nodes {
                let restarts = record.restarts(of: node)
                #expect(restarts.count == 1, "\(node) restarted once")
                #expect(restarts.first?.string("mode") == "warm", "\(node) warm restarted")
                #expect(restarts.first?.bool("at_boot") == false)
            }
            #expect(record.mostNodesDownAtOnce == 1)
            #expect(record.stopsWaitedForMigrations(order: cluster.nodes) == ["aero-2": true, "aero-3": true])
            #expect(record.events.filter { $0.name == "asmt_backup" && $0.bool("analyze") == false && $0.string("result") == "ok" }.count == 3)
            #expect(record.events.filter { $0.name == "asmt_restore" && $0.bool("analyze") == false && $0.string("result") == "ok" }.count == 3)

            // What the run leaves in the state dir.
            let runs = try FileManager.default.contentsOfDirectory(atPath: state + "/runs")
            let run = try #require(runs.first)
            let folder = state + "/runs/" + run
            for file in ["events.jsonl", "journal.jsonl", "report.md", "report.html", "nodes/aero-1.log"] {
                #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "\(file) written")
            }
            let log = try String(contentsOfFile: folder + "/nodes/aero-2.log", encoding: .utf8)
            #expect(log.contains("$ sudo asmt -b -v -z -p /var/aerospike/asmt -n test,bar"))
            #expect(log.contains("Successfully backed up"))
            #expect(log.contains("=> exit 0"))
            #expect(!FileManager.default.fileExists(atPath: state + "/journal.jsonl"), "a finished run is archived")
            #expect(result.stdout.contains("aero-3  verify_warm  done in"))
            #expect(result.stdout.contains("roll finished: 3 node(s) done"))
            // The lease is released.
            #expect(try await cluster.ssh("aero-1", "test -e /var/tmp/asroll.lease && echo present || echo absent").stdout
                == "absent\n")
        }
    }

    @Test func jsonOutputCarriesTheSpecEvents() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.102.1", options: ["--fast"]) { cluster in
            let result = try await roll(cluster, playbook: testPlaybook(in: cluster.directory), stateDir: freshStateDir(),
                                  extra: ["--json", "--node", "aero-2"])
            #expect(result.exitCode == 0, "\(result)")
            let events = result.stdout.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
            let kinds = Set(events.compactMap { $0["event"] as? String })
            for kind in ["run_started", "gate", "step_started", "step_finished", "node_finished", "run_finished"] {
                #expect(kinds.contains(kind), "\(kind) event")
            }
            #expect(events.allSatisfy { $0["ts"] is String })
            #expect(!events.contains { ($0["node"] as? String) == "aero-1" && ($0["event"] as? String) == "step_started" })
            #expect(result.stderr.contains("aero-2"), "human text goes to stderr with --json")
        }
    }

    @Test func migrationsStallingAfterTheFirstNodeHaltWithTheSecondUntouched() async throws {
        try await SimulatedCluster.withCluster(nodes: 3, baseAddress: "127.0.103.1",
                                               options: ["--fast", "--fault", "aero-1:migrations-stall"]) { cluster in
            let playbook = try testPlaybook(in: cluster.directory, timeouts: ["migrations": "4s"])
            let result = try await roll(cluster, playbook: playbook, stateDir: freshStateDir())
            #expect(result.exitCode == 1, "\(result)")
            #expect(result.stderr.contains("HALTED on aero-1 at step migrations"))
            #expect(result.stderr.contains("partition migrations remaining"))
            #expect(result.stderr.contains("asroll resume"))
            let record = try RollRecord(cluster)
            #expect(record.mutatingCommands(on: "aero-2").isEmpty, "\(record.mutatingCommands(on: "aero-2"))")
            #expect(record.mutatingCommands(on: "aero-3").isEmpty)
            #expect(record.restarts(of: "aero-1").count == 1)
        }
    }

    @Test func aNodeThatNeverReturnsHaltsTheRun() async throws {
        try await SimulatedCluster.withCluster(nodes: 3, baseAddress: "127.0.104.1",
                                               options: ["--fast", "--fault", "aero-1:never-returns"]) { cluster in
            let playbook = try testPlaybook(in: cluster.directory, timeouts: ["reboot": "6s"])
            let result = try await roll(cluster, playbook: playbook, stateDir: freshStateDir())
            #expect(result.exitCode == 1, "\(result)")
            #expect(result.stderr.contains("HALTED on aero-1 at step reboot"))
            #expect(result.stderr.contains("come back with a new boot id"))
            let record = try RollRecord(cluster)
            #expect(record.mutatingCommands(on: "aero-2").isEmpty)
        }
    }

    @Test func aBackupFailureHaltsBeforeTheReboot() async throws {
        try await SimulatedCluster.withCluster(nodes: 3, baseAddress: "127.0.105.1",
                                               options: ["--fast", "--fault", "aero-1:backup-fails"]) { cluster in
            let result = try await roll(cluster, playbook: testPlaybook(in: cluster.directory), stateDir: freshStateDir())
            #expect(result.exitCode == 1, "\(result)")
            #expect(result.stderr.contains("HALTED on aero-1 at step backup"))
            #expect(result.stderr.contains("command: sudo asmt -b -v -z -p /var/aerospike/asmt -n test,bar"))
            let record = try RollRecord(cluster)
            #expect(!record.events.contains { $0.name == "reboot_issued" }, "no reboot after a failed backup")
            #expect(record.mutatingCommands(on: "aero-2").isEmpty)
        }
    }

    @Test func withoutATerminalAndWithoutYesTheRunIsRefusedWithExitTwo() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.107.1", options: ["--fast"]) { cluster in
            let before = try cluster.record().count
            let result = try await AsrollProcess.run(["run", "-i", cluster.inventoryPath, "-p",
                                                      testPlaybook(in: cluster.directory), "--state-dir", freshStateDir()])
            #expect(result.exitCode == 2, "\(result)")
            #expect(result.stderr.contains("stdin is not a terminal") && result.stderr.contains("--yes"))
            #expect(try cluster.record().count == before, "nothing was executed on any node")
        }
    }

    @Test func anInvalidInventoryExitsTwoNamingTheLineWithNothingExecuted() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.106.1", options: ["--fast"]) { cluster in
            let original = try String(contentsOfFile: cluster.inventoryPath, encoding: .utf8)
            let broken = cluster.directory + "/broken.yml"
            try original.replacingOccurrences(of: "known_hosts:", with: "knwon_hosts:")
                .write(toFile: broken, atomically: true, encoding: .utf8)
            let line = original.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.contains("known_hosts:") }.map { $0 + 1 } ?? 0
            let before = try cluster.record().count
            let result = try await AsrollProcess.run(["run", "-i", broken, "-p", testPlaybook(in: cluster.directory),
                                                "--yes", "--state-dir", freshStateDir()])
            #expect(result.exitCode == 2, "\(result)")
            #expect(result.stderr.contains("broken.yml:\(line):"))
            #expect(result.stderr.contains("did you mean 'known_hosts'?"))
            #expect(try cluster.record().count == before, "nothing was executed on any node")
        }
    }
}

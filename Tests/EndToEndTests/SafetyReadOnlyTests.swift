import Foundation
import Testing
import TestSupport

/// `check`, `status` and `run --dry-run` (issue 5 item 6): the facts, the gate and the plan, and nothing changed.
@Suite(.timeLimit(.minutes(3))) struct SafetyReadOnlyTests {
    /// Every command line of `asroll plan --json`, per node in plan order.
    static func plannedLines(_ json: String) throws -> [String] {
        let line = json.split(separator: "\n").first { $0.hasPrefix("{") } ?? ""
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(json)")
        let nodes = try #require(plan["nodes"] as? [[String: Any]], "\(json)")
        return nodes.flatMap { node in
            ((node["steps"] as? [[String: Any]]) ?? []).flatMap { step in
                ((step["commands"] as? [[String: Any]]) ?? []).compactMap { $0["line"] as? String }
            }
        }
    }

    @Test func checkStatusAndDryRunShowTheFactsGateAndPlanAndChangeNothing() async throws {
        try await SimulatedCluster.withCluster(
            nodes: 2, baseAddress: "127.0.180.1",
            options: ["--fast", "--strong-consistency", "bar", "--edac", "aero-2:ce=3,ue=0"]
        ) { cluster in
            let playbook = try testPlaybook(in: cluster.directory)
            let plan = try await AsrollProcess.run(["plan", "-i", cluster.inventoryPath, "-p", playbook, "--json"])
            #expect(plan.exitCode == 0, "\(plan)")
            let lines = try Self.plannedLines(plan.stdout)
            #expect(lines.count > 40, "the plan lists every command: \(lines)")

            let mark = try RecordMark(cluster)
            let check = try await AsrollProcess.run(["check", "-i", cluster.inventoryPath, "-p", playbook])
            let status = try await AsrollProcess.run(["status", "-i", cluster.inventoryPath])
            let state = freshStateDir()
            let dry = try await safetyRun(cluster, playbook: playbook, stateDir: state, ["--dry-run"])
            try await expectUntouched(cluster, since: mark, "check:\n\(check)\nstatus:\n\(status)\ndry run:\n\(dry)")

            #expect(check.exitCode == 0, "\(check)")
            #expect(status.exitCode == 0, "\(status)")
            #expect(dry.exitCode == 0, "\(dry)")
            for (name, output) in [("check", check.stdout), ("dry run", dry.stdout)] {
                for node in cluster.nodes {
                    let facts = output.split(separator: "\n").first { $0.contains("\(node): ssh ok") } ?? ""
                    let edac = node == "aero-2" ? "EDAC ce=3 ue=0" : "EDAC ce=0 ue=0"
                    for fact in ["Enterprise Edition 8.1.2.0", "asd running", "cluster_size 2", "test: RF 2",
                                 "bar: RF 2 SC", "segments 38.0 MiB", "backup dir free", edac, "sudo ok",
                                 "tools ok", "unit enabled", "no lease"] {
                        #expect(facts.contains(fact), "\(name) shows \(node)'s '\(fact)': \(facts)\n\(output)")
                    }
                }
                #expect(output.contains("gate passed (before the first node)"), "\(name) evaluates the gate")
            }
            #expect(check.stdout.contains("check: a roll could start now"), "\(check)")
            for node in cluster.nodes {
                let row = status.stdout.split(separator: "\n").first { $0.hasPrefix(node) } ?? ""
                let words = row.split(separator: " ").map(String.init)
                #expect(words.count >= 7 && words[1] == "ok" && words[2] == "running" && words[3] == "2"
                        && words[5] == "0" && words[6] == "no", "status row of \(node): \(row)\n\(status)")
            }

            var cursor = dry.stdout.startIndex
            for line in lines {
                guard let found = dry.stdout.range(of: line, range: cursor..<dry.stdout.endIndex) else {
                    Issue.record("the dry run's plan lacks (in order) '\(line)'\n\(dry)")
                    break
                }
                cursor = found.upperBound
            }
            #expect(dry.stdout.contains("$ sudo -n true") && dry.stdout.contains("$ info: statistics"),
                    "the read-only preflight commands are listed: \(dry)")
            #expect(dry.stdout.contains("Dry run: nothing was changed on any node"), "\(dry)")
            #expect(!dry.output.contains("done in"), "nothing is reported as done: \(dry)")
            #expect(!dry.output.contains("lease written"), "\(dry)")
            #expect(!FileManager.default.fileExists(atPath: state + "/journal.jsonl"), "a dry run writes no journal")
        }
    }
}

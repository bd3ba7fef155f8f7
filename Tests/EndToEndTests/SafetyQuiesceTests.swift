import Foundation
import Testing
import TestSupport

/// Quiesce before the stop, and its undo after a halt (issue 5 item 3).
@Suite(.timeLimit(.minutes(3))) struct SafetyQuiesceTests {
    @Test func everyNodeStopsOnlyAfterItsQuiesceTookEffectAndTrafficDrained() async throws {
        let drain = 1.0
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.167.1",
                                               options: ["--fast", "--traffic-drain", "1s"]) { cluster in
            let mark = try RecordMark(cluster)
            let result = try await safetyRun(cluster)
            #expect(result.exitCode == 0, "\(result)")
            let events = try mark.events(cluster)
            for node in cluster.nodes {
                let quiesce = try #require(events.first("quiesce", node: node), "\(node) quiesced\n\(result)")
                #expect(quiesce.string("source") == "info")
                let recluster = try #require(events.first { $0.name == "recluster" && $0.time >= quiesce.time
                    && $0.string("result") == "ok" }, "a recluster after \(node)'s quiesce")
                #expect(recluster["quiesced"]?.strings == [node], "the quiesce took effect: \(recluster)")
                let stopping = try #require(events.first("asd_stopping", node: node), "\(node) stopped")
                let stop = try #require(events.first { $0.name == "command" && $0.node == node
                    && $0["argv"]?.strings == ["systemctl", "stop", "aerospike"] })
                let stopIssued = stop.time - (stop["duration"]?.number ?? 0)
                #expect(quiesce.time <= recluster.time && recluster.time < stopping.time,
                        """
                        \(node): quiesce \(quiesce.timestamp), recluster \(recluster.timestamp), \
                        stop \(stopping.timestamp)
                        """)
                let waited = stopIssued - recluster.time
                #expect(waited >= drain * 0.9, """
                    \(node): the stop waited \(waited)s, not the \(drain)s client traffic takes to drain after the \
                    quiesce took effect (\(recluster.timestamp))
                    """)
                let stepOrder = ["\(node)  quiesce  done in", "\(node)  disable_autostart  done in",
                                 "\(node)  stop  done in"].map { result.stdout.range(of: $0)?.lowerBound }
                #expect(stepOrder.allSatisfy { $0 != nil } && stepOrder == stepOrder.sorted { $0! < $1! },
                        "\(result)")
            }
        }
    }

    @Test func aQuiesceLeftByAHaltedRunIsUndoneAndTheNodeIsNotQuiesced() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.168.1",
                                               options: ["--fast", "--traffic-drain", "60s"]) { cluster in
            let playbook = try testPlaybook(in: cluster.directory, timeouts: ["quiesce": "2s"])
            let mark = try RecordMark(cluster)
            let result = try await safetyRun(cluster, playbook: playbook)
            #expect(result.exitCode == 1, "\(result)")
            #expect(result.stderr.contains("HALTED on aero-1 at step quiesce"), "\(result)")
            #expect(result.output.contains("client traffic to drain"), "\(result)")
            #expect(result.output.contains("aero-1: quiesce undone"), "\(result)")
            let events = try mark.events(cluster)
            let quiesce = try #require(events.first("quiesce", node: "aero-1"), "\(result)")
            let undo = try #require(events.first("quiesce_undo", node: "aero-1", after: quiesce.time),
                                    "the quiesce was undone\n\(result)")
            let recluster = try #require(events.last { $0.name == "recluster" && $0.string("result") == "ok" })
            #expect(recluster.time >= undo.time && recluster["quiesced"]?.strings == [],
                    "a recluster after the undo ended the quiesce: \(recluster)")
            #expect(!events.contains { $0.name == "asd_stopping" }, "the halt came before any stop")
            #expect(!events.contains { touches($0, node: "aero-2") }, "aero-2 untouched")

            let status = try await AsrollProcess.run(["status", "-i", cluster.inventoryPath, "--json"])
            #expect(status.exitCode == 0, "\(status)")
            let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8))
            let rows = try #require(json as? [[String: Any]], "\(status)")
            let row = try #require(rows.first { $0["node"] as? String == "aero-1" }, "\(status)")
            #expect(row["quiesced"] as? Bool == false, "asroll status: aero-1 is not quiesced\n\(status)")
        }
    }
}

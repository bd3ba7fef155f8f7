import Foundation
import Testing
import TestSupport

/// Refusals before anything is touched (issue 5 item 4): exit 3, the reason, and nothing changed on any node.
@Suite(.timeLimit(.minutes(3))) struct SafetyRefusalTests {
    /// Runs `asroll run` (with `extra`), expects exit 3 with `reason` in the output and nothing touched.
    @discardableResult
    static func expectRefusal(_ cluster: SimulatedCluster, _ extra: [String] = [], reason: String,
                              sourceLocation: SourceLocation = #_sourceLocation) async throws -> AsrollProcess.Result
    {
        let mark = try RecordMark(cluster)
        let result = try await safetyRun(cluster, extra)
        #expect(result.exitCode == 3, "refused with exit 3\n\(result)", sourceLocation: sourceLocation)
        #expect(result.output.contains(reason), "the reason '\(reason)' is given\n\(result)",
                sourceLocation: sourceLocation)
        #expect(result.stderr.contains("refused before touching anything"), "\(result)", sourceLocation: sourceLocation)
        try await expectUntouched(cluster, since: mark, "\(result)", sourceLocation: sourceLocation)
        return result
    }

    @Test func aGateThatDoesNotPassAtTheStartIsRefused() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.170.1", options: ["--fast"]) { cluster in
            let stop = try await cluster.ssh("aero-2", "sudo systemctl stop aerospike")
            #expect(stop.status == 0, "\(stop.stderr)")
            let result = try await Self.expectRefusal(cluster, reason: "the cluster gate does not pass")
            #expect(result.output.contains("aero-2"), "the gate says which node fails: \(result)")
        }
    }

    @Test func replicationFactorOneIsRefusedAndWithAllowRF1TheStopWaitsForMigrations() async throws {
        try await SimulatedCluster.withCluster(
            nodes: 2, baseAddress: "127.0.171.1",
            options: ["--fast", "--replication-factor", "test=1", "--rebalance-time", "1500ms"]
        ) { cluster in
            try await Self.expectRefusal(cluster, reason: "namespace test has replication-factor 1")

            let mark = try RecordMark(cluster)
            let result = try await safetyRun(cluster, ["--allow-rf1", "--node", "aero-1"])
            #expect(result.exitCode == 0, "\(result)")
            let events = try mark.events(cluster)
            let recluster = try #require(events.first { $0.name == "recluster" && $0.string("result") == "ok"
                && $0["quiesced"]?.strings == ["aero-1"] }, "\(result)")
            let stopping = try #require(events.first("asd_stopping", node: "aero-1"), "\(result)")
            let drained = events.first("migrations_zero", node: nil, after: recluster.time)
            let drainedBeforeStop = drained.map { $0.time <= stopping.time } ?? false
            #expect(drainedBeforeStop, """
                migrations after the quiesce (\(String(describing: drained))) finished before the stop \
                (\(stopping.timestamp))
                """)
            #expect(stopping.time - recluster.time >= 1.4, "the stop waited out the rebalance (1.5s)")
        }
    }

    @Test func aStrongConsistencyNamespaceWithDeadPartitionsIsRefused() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.172.1",
                                               options: ["--fast", "--strong-consistency", "bar"]) { cluster in
            let dead = try await cluster.ctl(["dead-partitions", "bar", "12"])
            #expect(dead.status == 0, "\(dead.stderr)")
            _ = try await Self.expectRefusal(cluster, reason: "strong-consistency namespace bar has 0 unavailable "
                + "and 12 dead partitions")
        }
    }

    @Test func communityEditionIsRefusedAndWithAllowColdCommunityRollsCold() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.173.1",
                                               options: ["--fast", "--edition", "community"]) { cluster in
            try await Self.expectRefusal(cluster, reason: "runs Aerospike Community Edition")

            let mark = try RecordMark(cluster)
            let result = try await safetyRun(cluster, ["--allow-cold-community", "--node", "aero-2"])
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.stdout.contains("aero-2: COLD restart because runs Aerospike Community Edition"),
                    "\(result)")
            let events = try mark.events(cluster)
            SafetyColdPathTests.expectColdRestart(of: "aero-2", in: events, context: "\(result)")
        }
    }

    @Test func tooLittleRoomInTheBackupDirectoryIsRefused() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.174.1",
                                               options: ["--fast", "--backup-space", "aero-2=1M"]) { cluster in
            _ = try await Self.expectRefusal(cluster, reason: "aero-2: the backup directory /var/aerospike/asmt has "
                + "1.0 MiB free but the node's Aerospike segments take 38.0 MiB")
        }
    }

    @Test func aNodeQuiescedBySomeoneElseIsRefused() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.175.1", options: ["--fast"]) { cluster in
            let quiesce = try await cluster.ctl(["quiesce", "aero-2"])
            #expect(quiesce.status == 0, "\(quiesce.stderr)")
            _ = try await Self.expectRefusal(cluster, reason: "aero-2: already quiesced by someone else")
        }
    }

    @Test func sudoWantingAPasswordIsRefusedPromptly() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.176.1",
                                               options: ["--fast", "--fault", "aero-2:sudo-password"]) { cluster in
            let started = ContinuousClock.now
            try await Self.expectRefusal(cluster, reason: "aero-2: sudo asks for a password")
            let took = ContinuousClock.now - started
            #expect(took < .seconds(30), "asroll never waits for a password prompt (took \(took))")
        }
    }

    @Test func aMissingRequiredToolIsRefused() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.177.1",
                                               options: ["--fast", "--fault", "aero-2:no-asmt"]) { cluster in
            _ = try await Self.expectRefusal(cluster, reason: "aero-2: required tool(s) missing: asmt")
        }
    }

    @Test func anUnknownHostKeyIsRefusedAndAcceptNewHostKeysRecordsItAndProceeds() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.178.1", options: ["--fast"]) { cluster in
            let line = try cluster.knownHostsLine("aero-2")
            let fingerprint = try await cluster.fingerprint(ofKnownHostsLine: line)
            try cluster.rewriteKnownHosts { $0.filter { $0 != line } }
            let refused = try await Self.expectRefusal(cluster, reason: "aero-2: host key unknown")
            let named = refused.output.split(separator: "\n").filter { $0.contains("aero-2: host key unknown") }
            let namesFingerprint = named.contains { $0.contains(fingerprint) }
            #expect(namesFingerprint, "names the fingerprint \(fingerprint): \(refused)")
            #expect(try !String(contentsOfFile: cluster.knownHostsFile, encoding: .utf8).contains(line),
                    "a refused run does not record the key")

            let result = try await safetyRun(cluster, ["--accept-new-host-keys", "--node", "aero-2"])
            #expect(result.exitCode == 0, "\(result)")
            let recorded = try cluster.knownHostsLine("aero-2")
            #expect(try await cluster.fingerprint(ofKnownHostsLine: recorded) == fingerprint,
                    "the presented key was recorded: \(recorded)")
        }
    }

    @Test func aChangedHostKeyIsRefusedEvenWithAcceptNewHostKeys() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.179.1", options: ["--fast"]) { cluster in
            let own = try cluster.knownHostsLine("aero-2")
            let presented = try await cluster.fingerprint(ofKnownHostsLine: own)
            let other = try cluster.knownHostsLine("aero-1")
            let forged = own.split(separator: " ")[0] + " "
                + other.split(separator: " ").dropFirst().joined(separator: " ")
            try cluster.rewriteKnownHosts { $0.map { $0 == own ? forged : $0 } }
            let before = try String(contentsOfFile: cluster.knownHostsFile, encoding: .utf8)
            let refused = try await Self.expectRefusal(cluster, ["--accept-new-host-keys"],
                                                       reason: "aero-2: host key changed")
            let named = refused.output.split(separator: "\n").filter { $0.contains("aero-2: host key changed") }
            let namesFingerprint = named.contains { $0.contains(presented) }
            #expect(namesFingerprint, "names the fingerprint \(presented): \(refused)")
            #expect(try String(contentsOfFile: cluster.knownHostsFile, encoding: .utf8) == before,
                    "known_hosts is left as it was")
        }
    }
}

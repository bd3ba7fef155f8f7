import Testing
@testable import AerospikeInfo

/// Reply strings as real servers send them (docs/aerospike-reference.md §2).
@Suite struct InfoReplyParsingTests {
    static let statistics = "failed_best_practices=false;cluster_size=3;cluster_key=721D40EF7964;cluster_generation=7;"
        + "cluster_principal=BB9FD77A03E1600;cluster_min_compatibility_id=11;cluster_integrity=true;"
        + "cluster_is_member=true;cluster_duplicate_nodes=null;cluster_clock_skew_stop_writes_sec=0;uptime=5230;"
        + "system_free_mem_pct=92;migrate_allowed=true;migrate_partitions_remaining=0;proxy_in_progress=0;"
        + "client_connections=12"

    @Test func parsesTheStatisticsTheGateNeeds() throws {
        let stats = try NodeStatistics(parsing: Self.statistics)
        #expect(stats.clusterSize == 3)
        #expect(stats.clusterKey == "721D40EF7964")
        #expect(stats.clusterIntegrity)
        #expect(stats.clusterIsMember == true)
        #expect(stats.clusterPrincipal == "BB9FD77A03E1600")
        #expect(stats.migrateAllowed)
        #expect(stats.migratePartitionsRemaining == 0)
        #expect(stats.proxyInProgress == 0)
        #expect(stats.uptime == 5230)
        #expect(stats.fields["cluster_duplicate_nodes"] == "null")
    }

    @Test func statisticsWithoutAClusterKeyNamesTheMissingField() {
        #expect(throws: InfoParseError.missingField("cluster_key")) {
            try NodeStatistics(parsing: "cluster_size=3;cluster_integrity=true")
        }
    }

    @Test func statisticsWithAGarbledNumberSaysWhatWasExpected() {
        #expect(throws: InfoParseError.badValue(field: "cluster_size", value: "three", expected: "an integer")) {
            try NodeStatistics(parsing: "cluster_size=three;cluster_key=1")
        }
    }

    @Test func parsesNamespaceStatsAndConfigFromOneReply() throws {
        let reply = "ns_cluster_size=3;effective_replication_factor=2;objects=1200;unavailable_partitions=0;"
            + "dead_partitions=0;unreplicated_records=0;stop_writes=false;pending_quiesce=true;"
            + "effective_is_quiesced=true;nodes_quiesced=1;migrate_tx_partitions_remaining=12;"
            + "migrate_rx_partitions_remaining=3;migrate_tx_partitions_lead_remaining=0;appeals_tx_remaining=0;"
            + "replication-factor=2;strong-consistency=false;rack-id=0;storage-engine=device"
        let ns = try NamespaceStatus(name: "test", parsing: reply)
        #expect(ns.replicationFactor == 2)
        #expect(ns.effectiveReplicationFactor == 2)
        #expect(!ns.strongConsistency)
        #expect(ns.pendingQuiesce && ns.effectiveIsQuiesced)
        #expect(ns.nodesQuiesced == 1)
        #expect(ns.migrationsRemaining == 15)
        #expect(ns.objects == 1200)
    }

    @Test func strongConsistencyPartitionsAreRead() throws {
        let reply = "unavailable_partitions=17;dead_partitions=2;migrate_tx_partitions_remaining=0;"
            + "migrate_rx_partitions_remaining=0;replication-factor=3;strong-consistency=true"
        let ns = try NamespaceStatus(name: "bar", parsing: reply)
        #expect(ns.strongConsistency)
        #expect(ns.unavailablePartitions == 17)
        #expect(ns.deadPartitions == 2)
    }

    @Test func unknownNamespaceIsAnUnexpectedReply() {
        #expect(throws: InfoParseError.unexpectedReply(command: "namespace/nope", reply: "type=unknown")) {
            try NamespaceStatus(name: "nope", parsing: "type=unknown")
        }
    }

    @Test(arguments: [
        // (reply, reason, code) for servers up to 7.1 and from 7.2 on.
        ("ERROR::unstable-cluster", InfoErrorReply.Reason.unstableCluster, nil as Int?),
        ("ERROR:7:unstable cluster", .unstableCluster, 7),
        ("ERROR::cluster-not-specified-size", .clusterSizeMismatch, nil),
        ("ERROR:7:cluster not specified size", .clusterSizeMismatch, 7),
        ("ERROR::bad-size", .badSize, nil),
        ("ERROR:4:bad size", .badSize, 4),
        ("ERROR:4:'size' value too long", .badSize, 4),
        ("ERROR::bad-ignore-migrations", .badIgnoreMigrations, nil),
        ("ERROR:4:bad ignore migrations", .badIgnoreMigrations, 4),
        ("ERROR::unknown-namespace", .unknownNamespace, nil),
        ("ERROR:20:namespace not found on node", .unknownNamespace, 20),
        ("ERROR:7:unstable cluster721D40EF7964", .unstableCluster, 7),
    ])
    func clusterStableErrorsOfEveryServerVersionAreUnstable(reply: String, reason: InfoErrorReply.Reason, code: Int?)
        throws
    {
        let parsed = try ClusterStableReply(reply)
        guard case .unstable(let error) = parsed else {
            Issue.record("\(reply) was taken as stable")
            return
        }
        #expect(error.reason == reason)
        #expect(error.code == code)
        #expect(parsed.clusterKey == nil)
    }

    @Test func clusterStableKeyIsStable() throws {
        #expect(try ClusterStableReply("721D40EF7964") == .stable(clusterKey: "721D40EF7964"))
        #expect(try ClusterStableReply("721D40EF7964\n").clusterKey == "721D40EF7964")
    }

    @Test func clusterStableGarbageIsRejectedNotTakenAsAKey() {
        #expect(throws: InfoParseError.self) { try ClusterStableReply("") }
        #expect(throws: InfoParseError.self) { try ClusterStableReply("ok;size=3") }
    }

    @Test(arguments: [
        ("ERROR:22:permanently quiesced", InfoErrorReply.Reason.permanentlyQuiesced),
        ("ERROR::permanently-quiesced", .permanentlyQuiesced),
        ("ERROR:25:enterprise only", .enterpriseOnly),
        ("ERROR:80:not authenticated", .notAuthenticated),
        ("ERROR:81:role violation - requires permission 'service-ctrl'", .roleViolation),
        ("ERROR:9:timeout", .timeout),
        ("ERROR:4:unrecognized command", .unrecognizedCommand),
        ("ERROR::unknown", .other),
        ("ERROR", .other),
    ])
    func classifiesOtherErrorReplies(reply: String, reason: InfoErrorReply.Reason) throws {
        let error = try #require(InfoErrorReply(reply))
        #expect(error.reason == reason)
        #expect(error.raw == reply)
    }

    @Test func okAndKeysAreNotErrors() {
        #expect(InfoErrorReply("ok") == nil)
        #expect(InfoErrorReply("ignored-by-non-principal") == nil)
        #expect(InfoErrorReply("721D40EF7964") == nil)
    }

    @Test func editionFromTheDeprecatedCommandAndFromRelease() throws {
        let old = try ServerIdentity(build: "7.2.0.4", edition: "Aerospike Enterprise Edition", release: nil)
        #expect(old.isEnterprise)
        #expect(old.isAtLeast(7, 2) && !old.isAtLeast(8, 0))
        let new = try ServerIdentity(build: "8.1.2.0\n", edition: nil,
                                     release: "edition=enterprise;version=8.1.2.0;os=el9;arch=x86_64;sha=05b91c64")
        #expect(new.edition == "Aerospike Enterprise Edition")
        #expect(new.build == "8.1.2.0")
        let community = try ServerIdentity(build: "8.1.2.0", edition: "Aerospike Community Edition", release: nil)
        #expect(!community.isEnterprise)
    }

    @Test func latenciesSumOpsAndTreatEmptyHistogramsAsIdle() throws {
        let busy = try LatenciesReply(parsing:
            "batch-index:;{test}-read:msec,1021.4,0.02,0.00,0.00;{test}-write:msec,210.0,0.10,0.00,0.00;{test}-udf:")
        #expect(busy.histograms.count == 4)
        #expect(busy.totalOpsPerSecond == 1231.4)
        let idle = try LatenciesReply(parsing: "{test}-read:msec,0.0,0.00,0.00,0.00;{test}-write:")
        #expect(idle.totalOpsPerSecond == 0)
    }

    @Test func fieldsKeepOrderAndTheFirstDuplicate() {
        let fields = InfoFields(parsing: "a=1;b=2;a=3;flag;c=x=y")
        #expect(fields.pairs.map(\.key) == ["a", "b", "flag", "c"])
        #expect(fields["a"] == "1")
        #expect(fields["flag"] == "")
        #expect(fields["c"] == "x=y")
    }
}

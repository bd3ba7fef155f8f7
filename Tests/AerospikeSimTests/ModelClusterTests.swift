import AerospikeInfo
import AerospikeSim
import Testing

/// Membership, migrations, quiesce and the info replies of the model.
@Suite struct ModelClusterTests {
    private func info(_ host: ManualHost, _ command: String, on node: String = "aero-1") -> String? {
        host.withModel { model, time in model.answerInfo(command, node: node, now: time) }
    }

    @Test func leavingGivesANewKeyAndMigrationsThatDrainToZero() throws {
        let host = ManualHost()
        let key = host.model.cluster.keyHex
        host.withModel { model, time in _ = model.stopAsd("aero-3", now: time) }
        let model = host.model
        #expect(model.cluster.keyHex != key)
        #expect(model.cluster.members == ["aero-1", "aero-2"])
        let stats = try NodeStatistics(parsing: try #require(info(host, "statistics")))
        #expect(stats.clusterSize == 2)
        #expect(stats.clusterKey == model.cluster.keyHex)
        #expect(!stats.migrateAllowed, "migrations are paused while the rebalance is computed")
        #expect(stats.migratePartitionsRemaining == 2 * 400)
        #expect(host.events("left", node: "aero-3").count == 1)
        host.advance(0.3)
        #expect(try NodeStatistics(parsing: try #require(info(host, "statistics"))).migrateAllowed)
        host.advance(1)
        #expect(try NodeStatistics(parsing: try #require(info(host, "statistics"))).migratePartitionsRemaining == 0)
        #expect(host.events("migrations_zero").last?["cluster_key"] == .string(host.model.cluster.keyHex))
    }

    @Test func migrationsStallFaultStopsDrainingOnceTheNodeRejoins() throws {
        let host = ManualHost(ManualHost.configuration(faults: ["aero-2": [.migrationsStall]]))
        #expect(host.model.nodes.allSatisfy { $0.migrationsRemaining == 0 }, "the initial cluster is not stalled")
        host.withModel { model, time in _ = model.stopAsd("aero-2", now: time) }
        host.advance(1)
        host.withModel { model, time in _ = model.startAsd("aero-2", now: time) }
        host.advance(5)
        #expect(host.model.node("aero-1")!.migrationsRemaining > 0)
        #expect(info(host, "cluster-stable:size=3;ignore-migrations=false") == "ERROR:7:unstable cluster")
        host.withModel { model, time in model.setFault("aero-2", .migrationsStall, on: false, now: time) }
        host.advance(1)
        #expect(host.model.node("aero-1")!.migrationsRemaining == 0)
    }

    @Test func clusterStableAnswersTheKeyWhenStableAndTheModernErrorsOtherwise() {
        let host = ManualHost()
        let key = host.model.cluster.keyHex
        #expect(info(host, "cluster-stable:size=3;ignore-migrations=false") == key)
        #expect(info(host, "cluster-stable:size=4;ignore-migrations=false") == "ERROR:7:cluster not specified size")
        #expect(info(host, "cluster-stable:size=x") == "ERROR:4:bad size")
        #expect(info(host, "cluster-stable:size=1234") == "ERROR:4:'size' value too long")
        #expect(info(host, "cluster-stable:size=3;ignore-migrations=no") == "ERROR:4:bad ignore migrations")
        #expect(info(host, "cluster-stable:size=3;namespace=nope") == "ERROR:20:namespace not found on node")
        host.withModel { model, time in _ = model.stopAsd("aero-3", now: time) }
        host.advance(0.2)
        #expect(info(host, "cluster-stable:size=2;ignore-migrations=false") == "ERROR:7:unstable cluster")
        #expect(info(host, "cluster-stable:size=2;ignore-migrations=true") == host.model.cluster.keyHex)
        #expect(info(host, "frobnicate") == "ERROR:4:unrecognized command")
    }

    @Test func clusterStableUsesTheOldErrorFormsBefore7_2AndOmitsUnknownCommands() {
        let host = ManualHost(ManualHost.configuration(build: "7.1.0.0"))
        #expect(info(host, "cluster-stable:size=4;ignore-migrations=false") == "ERROR::cluster-not-specified-size")
        #expect(info(host, "cluster-stable:size=x") == "ERROR::bad-size")
        #expect(info(host, "cluster-stable:size=3;ignore-migrations=maybe") == "ERROR::bad-ignore-migrations")
        #expect(info(host, "cluster-stable:size=3;ignore-migrations=no") == host.model.cluster.keyHex)
        #expect(info(host, "cluster-stable:size=3;namespace=nope") == "ERROR::unknown-namespace")
        #expect(info(host, "frobnicate") == nil)
        #expect(info(host, "release") == nil)
        host.withModel { model, time in _ = model.stopAsd("aero-3", now: time) }
        #expect(info(host, "cluster-stable:size=2;ignore-migrations=false") == "ERROR::unstable-cluster")
    }

    @Test func quiesceTakesEffectOnlyAtTheNextReclusterOnThePrincipal() throws {
        let host = ManualHost()
        let principal = try #require(host.model.cluster.principal)
        let other = try #require(host.model.nodes.map(\.name).first { $0 != principal })
        #expect(info(host, "quiesce:", on: other) == "ok")
        var status = try NamespaceStatus(name: "test", parsing: try #require(info(host, "namespace/test", on: other)))
        #expect(status.pendingQuiesce)
        #expect(!status.effectiveIsQuiesced)
        let third = try #require(host.model.nodes.map(\.name).first { $0 != principal && $0 != other })
        #expect(info(host, "recluster:", on: third) == "ignored-by-non-principal")
        #expect(info(host, "recluster:", on: principal) == "ok")
        status = try NamespaceStatus(name: "test", parsing: try #require(info(host, "namespace/test", on: other)))
        #expect(status.effectiveIsQuiesced)
        let principalReply = try #require(info(host, "namespace/test", on: principal))
        let onPrincipal = try NamespaceStatus(name: "test", parsing: principalReply)
        #expect(onPrincipal.nodesQuiesced == 1)
        #expect(try LatenciesReply(parsing: try #require(info(host, "latencies:", on: other))).totalOpsPerSecond > 0)
        host.advance(0.6)
        #expect(try LatenciesReply(parsing: try #require(info(host, "latencies:", on: other))).totalOpsPerSecond == 0)
        #expect(try NodeStatistics(parsing: try #require(info(host, "statistics", on: other))).proxyInProgress == 0)
        #expect(host.events("recluster").map { $0["result"] } == [.string("ignored-by-non-principal"), .string("ok")])
    }

    @Test func reclusterRefusesToQuiesceEveryNode() throws {
        let host = ManualHost(ManualHost.configuration(nodes: 2))
        for node in ["aero-1", "aero-2"] { _ = info(host, "quiesce:", on: node) }
        let principal = try #require(host.model.cluster.principal)
        #expect(info(host, "recluster:", on: principal) == "ok")
        #expect(host.model.nodesQuiesced == 0)
        #expect(host.model.node(principal)!.log.contains { $0.message.hasSuffix("can't quiesce all nodes - ignoring") })
    }

    @Test func restartedAsdComesBackUnquiesced() throws {
        let host = ManualHost()
        _ = info(host, "quiesce:", on: "aero-1")
        host.withModel { model, time in _ = model.stopAsd("aero-1", now: time) }
        host.advance(1)
        host.withModel { model, time in _ = model.startAsd("aero-1", now: time) }
        host.advance(1)
        let status = try NamespaceStatus(name: "bar", parsing: try #require(info(host, "namespace/bar")))
        #expect(!status.pendingQuiesce)
    }

    @Test func communityEditionRefusesQuiesce() {
        let host = ManualHost(ManualHost.configuration(edition: .community))
        #expect(info(host, "quiesce:") == "ERROR:25:enterprise only")
        #expect(info(host, "edition") == "Aerospike Community Edition")
    }

    @Test func identityAndNamespaceRepliesParseWithTheClientParsers() throws {
        let host = ManualHost(ManualHost.configuration(namespaces: [
            NamespaceConfiguration(name: "test", replicationFactor: 2),
            NamespaceConfiguration(name: "sc", replicationFactor: 3, strongConsistency: true),
        ]))
        #expect(info(host, "status") == "ok")
        #expect(info(host, "namespaces") == "test;sc")
        #expect(info(host, "namespace/nope") == "type=unknown")
        let identity = try ServerIdentity(build: try #require(info(host, "build")), edition: info(host, "edition"),
                                          release: info(host, "release"))
        #expect(identity.isEnterprise)
        #expect(identity.build == "8.1.2.0")
        let sc = try NamespaceStatus(name: "sc", parsing: try #require(info(host, "namespace/sc")))
        #expect(sc.strongConsistency)
        #expect(sc.replicationFactor == 3)
        #expect(sc.unavailablePartitions == 0)
        let node = try #require(info(host, "node"))
        #expect(node.hasPrefix("BB9") && node.count == 15)
        let stats = try NodeStatistics(parsing: try #require(info(host, "statistics")))
        #expect(stats.clusterIntegrity)
        #expect(stats.clusterIsMember == true)
        #expect(stats.uptime ?? 0 > 86400)
    }

    @Test func strongConsistencyNamespaceLosesPartitionsWhenReplicationFactorNodesAreGone() throws {
        let host = ManualHost(ManualHost.configuration(namespaces: [
            NamespaceConfiguration(name: "sc", replicationFactor: 2, strongConsistency: true),
        ]))
        host.withModel { model, time in
            _ = model.stopAsd("aero-2", now: time)
            _ = model.stopAsd("aero-3", now: time)
        }
        let status = try NamespaceStatus(name: "sc", parsing: try #require(info(host, "namespace/sc")))
        #expect(status.unavailablePartitions > 0)
    }
}

import AerospikeInfo
import AerospikeSim
import Testing

/// The simulator's means for the safety tests: the `cold-start` fault and dead partitions of an SC namespace.
@Suite struct SafetyFaultModelTests {
    @Test func coldStartFaultMakesACleanRestartColdWithTheSprigsWarning() {
        let host = ManualHost(ManualHost.configuration(faults: ["aero-1": [.coldStart]]))
        let before = Set(host.model.node("aero-1")!.segments.map(\.generation))
        host.withModel { model, time in _ = model.stopAsd("aero-1", now: time) }
        host.advance(1)
        #expect(host.model.node("aero-1")!.hasWarmStartableSegments(nsid: 1, stageCount: 2),
                "the clean stop left segments a warm start could use")
        host.withModel { model, time in _ = model.startAsd("aero-1", now: time) }
        host.advance(2)
        let node = host.model.node("aero-1")!
        #expect(node.asd.isRunning)
        #expect(host.events("asd_started", node: "aero-1").last?["mode"] == "cold")
        #expect(Set(node.segments.map(\.generation)).isDisjoint(with: before), "the old segments were discarded")
        for namespace in ["test", "bar"] {
            let warning = node.log.firstIndex { $0.message.hasSuffix(
                "{\(namespace)} persistent memory partition-tree-sprigs 512 doesn't match config 1024") }
            let cold = node.log.lastIndex { $0.message.hasSuffix("{\(namespace)} beginning cold start") }
            #expect(warning != nil && cold != nil && warning! < cold!, "\(namespace): the warning, then the cold start")
        }
        #expect(NodeFault(parsing: "cold-start") == .coldStart)
        #expect(NodeFault.coldStart.description == "cold-start")
    }

    @Test func withoutTheColdStartFaultTheSameRestartIsWarm() {
        let host = ManualHost()
        host.withModel { model, time in _ = model.stopAsd("aero-1", now: time) }
        host.advance(1)
        host.withModel { model, time in _ = model.startAsd("aero-1", now: time) }
        host.advance(2)
        #expect(host.events("asd_started", node: "aero-1").last?["mode"] == "warm")
        #expect(!host.model.node("aero-1")!.log.contains { $0.message.contains("partition-tree-sprigs") })
    }

    @Test func deadPartitionsShowInTheNamespaceAndMakeTheClusterUnstableUntilCleared() throws {
        let host = ManualHost(ManualHost.configuration(namespaces: [
            NamespaceConfiguration(name: "sc", replicationFactor: 2, strongConsistency: true),
            NamespaceConfiguration(name: "ap"),
        ]))
        func info(_ command: String) -> String? {
            host.withModel { model, time in model.answerInfo(command, node: "aero-2", now: time) }
        }
        let key = try #require(info("cluster-stable:size=3;ignore-migrations=false"))
        #expect(host.withModel { model, time in model.setDeadPartitions("sc", 17, now: time) })
        let sc = try NamespaceStatus(name: "sc", parsing: try #require(info("namespace/sc")))
        #expect(sc.deadPartitions == 17)
        #expect(sc.unavailablePartitions == 0, "every node is in the cluster")
        #expect(info("cluster-stable:size=3;ignore-migrations=false") == "ERROR:7:unstable cluster")
        #expect(host.events("dead_partitions").last?["count"] == .int(17))
        #expect(!host.withModel { model, time in model.setDeadPartitions("ap", 3, now: time) }, "AP has no dead ones")
        #expect(try NamespaceStatus(name: "ap", parsing: try #require(info("namespace/ap"))).deadPartitions == 0)
        #expect(host.withModel { model, time in model.setDeadPartitions("sc", 0, now: time) })
        #expect(try NamespaceStatus(name: "sc", parsing: try #require(info("namespace/sc"))).deadPartitions == 0)
        #expect(info("cluster-stable:size=3;ignore-migrations=false") == key)
    }
}

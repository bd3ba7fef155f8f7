import AerospikeInfo
import Testing
@testable import RollingCore

@Suite(.timeLimit(.minutes(1))) struct GateEvaluatorTests {
    func observe(_ states: [String: FakeNodeState]) async -> [NodeObservation] {
        let members = states.keys.sorted().map {
            ClusterObserver.Member(name: $0, info: FakeInfoSource(name: $0, state: states[$0]!))
        }
        return await ClusterObserver(members: members, namespaces: ["test", "bar"], timeout: .seconds(1)).observe()
    }

    func healthy(_ count: Int = 3) -> [String: FakeNodeState] {
        Dictionary(uniqueKeysWithValues: (1...count).map { ("aero-\($0)", FakeNodeState(clusterSize: count)) })
    }

    @Test func wholeQuietClusterPasses() async {
        let verdict = GateEvaluator.evaluate(await observe(healthy()), criteria: GateCriteria(expectedSize: 3))
        #expect(verdict.passed)
        #expect(verdict.clusterKey == "721D40EF7964")
        #expect(verdict.summary == "cluster whole and stable")
    }

    @Test func reportsTheSizeEachNodeSeesAgainstTheInventory() async {
        var states = healthy()
        states["aero-3"]?.clusterSize = 2
        let verdict = GateEvaluator.evaluate(await observe(states), criteria: GateCriteria(expectedSize: 3))
        #expect(!verdict.passed)
        #expect(verdict.problems.contains(.init(node: "aero-3", message: "cluster_size 2, expected 3")))
        #expect(verdict.problems.contains {
            $0.node == "aero-3" && $0.message.contains("ERROR:7:cluster not specified size")
        })
    }

    @Test func anUnreachableNodeFailsTheGateWithTheReason() async {
        var states = healthy()
        states["aero-2"]?.reachable = false
        let verdict = GateEvaluator.evaluate(await observe(states), criteria: GateCriteria(expectedSize: 3))
        #expect(verdict.problems.map(\.node) == ["aero-2"])
        #expect(verdict.problems[0].message.contains("refused the connection"))
    }

    @Test func migrationsRemainingFailUnlessOnlyWaitingForTheRejoin() async {
        var states = healthy()
        states["aero-1"]?.migrationsRemaining = 120
        let observations = await observe(states)
        let full = GateEvaluator.evaluate(observations, criteria: GateCriteria(expectedSize: 3))
        #expect(full.problems.contains(.init(node: "aero-1", message: "120 partition migrations remaining")))
        #expect(full.migrationsRemaining == 120)
        let rejoin = GateEvaluator.evaluate(observations,
                                            criteria: GateCriteria(expectedSize: 3, requireMigrationsComplete: false))
        #expect(rejoin.passed)
    }

    @Test func disagreeingClusterKeysFailEvenWhenEveryNodeLooksHealthy() async {
        var states = healthy()
        states["aero-3"]?.clusterKey = "1B2C3D"
        let verdict = GateEvaluator.evaluate(await observe(states), criteria: GateCriteria(expectedSize: 3))
        #expect(verdict.clusterKey == nil)
        #expect(verdict.problems.contains {
            $0.node == nil && $0.message.contains("aero-1,aero-2 see 721D40EF7964") && $0.message.contains("aero-3 sees")
                || $0.node == nil && $0.message.contains("aero-3 see 1B2C3D")
        })
    }

    @Test(arguments: ["ERROR::unstable-cluster", "ERROR:7:unstable cluster", "ERROR:7:unstable cluster721D40EF7964"])
    func clusterStableErrorsOfAnyVersionFail(reply: String) async {
        var states = healthy()
        states["aero-2"]?.clusterStable = reply
        let verdict = GateEvaluator.evaluate(await observe(states), criteria: GateCriteria(expectedSize: 3))
        #expect(verdict.problems == [.init(node: "aero-2", message: "cluster-stable answered \(reply)")])
    }

    @Test func strongConsistencyPartitionsMustBeAvailable() async {
        var states = healthy()
        states["aero-1"]?.strongConsistency = true
        states["aero-1"]?.unavailablePartitions = 7
        states["aero-1"]?.deadPartitions = 1
        let verdict = GateEvaluator.evaluate(await observe(states), criteria: GateCriteria(expectedSize: 3))
        #expect(verdict.problems.contains(.init(node: "aero-1", message: "namespace test: 7 unavailable partitions")))
        #expect(verdict.problems.contains(.init(node: "aero-1",
                                                message: "namespace bar: 1 dead partitions (needs revive)")))
    }

    @Test func unavailablePartitionsOfAnAPNamespaceDoNotCount() async {
        var states = healthy()
        states["aero-1"]?.unavailablePartitions = 7
        #expect(GateEvaluator.evaluate(await observe(states), criteria: GateCriteria(expectedSize: 3)).passed)
    }

    @Test func aNodeQuiescedBySomeoneElseFailsButOurOwnQuiesceDoesNot() async {
        var states = healthy()
        states["aero-2"]?.quiesced = true
        let observations = await observe(states)
        let foreign = GateEvaluator.evaluate(observations, criteria: GateCriteria(expectedSize: 3))
        #expect(foreign.problems == [.init(node: "aero-2", message: "quiesced, and not by this run")])
        let ours = GateEvaluator.evaluate(observations,
                                          criteria: GateCriteria(expectedSize: 3, quiescedByThisRun: ["aero-2"]))
        #expect(ours.passed)
    }

    @Test func integrityAndMigrateAllowedAreChecked() async {
        var states = healthy()
        states["aero-1"]?.integrity = false
        states["aero-2"]?.migrateAllowed = false
        let verdict = GateEvaluator.evaluate(await observe(states), criteria: GateCriteria(expectedSize: 3))
        #expect(verdict.problems.contains(.init(node: "aero-1", message: "cluster_integrity false")))
        #expect(verdict.problems.contains(.init(node: "aero-2", message: "migrate_allowed false (rebalance in progress)")))
    }
}

@Suite struct GateSummaryTests {
    @Test func summaryGroupsNodesAndFoldsTheMigrationsWithTheirUnstableReplies() {
        let verdict = GateVerdict(problems: [
            .init(node: "aero-1", message: "802 partition migrations remaining"),
            .init(node: "aero-1", message: "cluster-stable answered ERROR:7:unstable cluster"),
            .init(node: "aero-2", message: "801 partition migrations remaining"),
            .init(node: "aero-2", message: "cluster-stable answered ERROR:7:unstable cluster"),
            .init(node: "aero-3", message: "cluster_size 2, expected 3"),
            .init(node: "aero-3", message: "cluster-stable answered ERROR:7:cluster not specified size"),
            .init(node: "aero-1", message: "cluster_integrity false"),
            .init(node: "aero-2", message: "cluster_integrity false"),
        ], migrationsRemaining: 802, clusterKey: nil)
        #expect(verdict.summary == "partition migrations remaining: aero-1 802, aero-2 801; "
            + "aero-3: cluster_size 2, expected 3; aero-3: cluster-stable answered ERROR:7:cluster not specified size; "
            + "aero-1, aero-2: cluster_integrity false")
    }
}

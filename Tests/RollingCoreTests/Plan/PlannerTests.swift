import AerospikeInfo
import RollingCore
import Testing

@Suite struct PlannerTests {
    let harness = RollHarness(flags: ["aero-2": [.dimmFault], "aero-3": [.postExpansion]])

    @Test func warmNodeFollowsTheSpecCycleInOrder() throws {
        let plan = try harness.plan()
        #expect(plan.nodes.map(\.node.name) == ["aero-1", "aero-2", "aero-3"])
        #expect(plan.nodes[0].mode == .warm)
        #expect(plan.nodes[0].steps.map(\.kind) == [
            .quiesce, .disableAutostart, .stop, .backup, .maintenance, .reboot, .restore, .start, .verifyWarm, .rejoin,
            .migrations, .cleanup,
        ])
    }

    @Test func flaggedNodesGoColdWithTheirReasonAndNeverTouchAsmt() throws {
        let plan = try harness.plan()
        for node in plan.nodes.dropFirst() {
            #expect(!node.mode.isWarm)
            #expect(node.steps.map(\.kind) == [
                .quiesce, .disableAutostart, .stop, .discardBackup, .maintenance, .reboot, .start, .verifyCold,
                .rejoin, .migrations,
            ])
            #expect(!node.steps.flatMap(\.commands).contains { $0.text.hasPrefix("sudo asmt") })
        }
        #expect(plan.nodes[1].mode.coldReasons.map(\.kind) == [.dimmFault])
        #expect(plan.nodes[2].mode.coldReasons.map(\.kind) == [.postExpansion])
        let text = PlanRenderer.text(plan)
        #expect(text.contains("aero-2 (ssh root@127.0.99.2:22, info 127.0.99.2:3000): COLD restart"))
        #expect(text.contains("records deleted without durable deletes"))
    }

    @Test func theColdStartGetsTheColdStartTimeout() throws {
        let plan = try harness.plan()
        #expect(plan.nodes[0].step(.start)?.timeout == harness.playbook.timeouts.start)
        #expect(plan.nodes[1].step(.start)?.timeout == harness.playbook.timeouts.coldStart)
    }

    @Test func aWarmRestartRequiredOfAFlaggedNodeIsRefused() {
        #expect {
            _ = try Planner.plan(inventory: harness.inventory, playbook: harness.playbook, requireWarm: true)
        } throws: { error in
            guard let error = error as? PlanError else { return false }
            return error.kind == .warmRestartRefused && error.message.contains("aero-2")
                && error.message.contains("dimm-fault")
        }
        #expect(throws: Never.self) {
            _ = try Planner.plan(inventory: harness.inventory, playbook: harness.playbook, selected: ["aero-1"],
                                 requireWarm: true)
        }
    }

    @Test func unknownNodeIsInvalidInput() {
        #expect {
            _ = try Planner.plan(inventory: harness.inventory, playbook: harness.playbook, selected: ["aero-9"])
        } throws: { ($0 as? PlanError)?.kind == .unknownNode }
    }

    @Test func selectedNodesKeepInventoryOrder() throws {
        let plan = try Planner.plan(inventory: harness.inventory, playbook: harness.playbook,
                                    selected: ["aero-3", "aero-1"])
        #expect(plan.nodes.map(\.node.name) == ["aero-1", "aero-3"])
        #expect(plan.nodes.map(\.position) == [1, 3])
    }

    @Test(arguments: [
        (MemoryErrorCounts(corrected: 0, uncorrected: 1), nil as Int?, false),
        (MemoryErrorCounts(corrected: 500, uncorrected: 0), 100, false),
        (MemoryErrorCounts(corrected: 50, uncorrected: 0), 100, true),
        (MemoryErrorCounts(corrected: 100, uncorrected: 0), 100, false),
        (MemoryErrorCounts(corrected: 99, uncorrected: 0), 100, true),
        (MemoryErrorCounts(corrected: 5000, uncorrected: 0), nil, true),
    ])
    func memoryErrorsDecideColdAgainstTheInventoryThreshold(errors: MemoryErrorCounts, threshold: Int?, warm: Bool) {
        let mode = Planner.restartMode(of: harness.inventory.nodes[0], facts: PlanningFacts(memoryErrors: errors),
                                       policy: MemoryErrorPolicy(correctedThreshold: threshold))
        #expect(mode.isWarm == warm)
        if !warm { #expect(mode.coldReasons.first?.kind == .memoryErrors) }
    }

    @Test func communityEditionCannotWarmRestart() throws {
        let server = try ServerIdentity(build: "8.1.2.0", edition: "Aerospike Community Edition", release: nil)
        let mode = Planner.restartMode(of: harness.inventory.nodes[0], facts: PlanningFacts(server: server),
                                       policy: MemoryErrorPolicy())
        #expect(mode.coldReasons.map(\.kind) == [.communityEdition])
    }

    @Test func communityEditionNodesAreNotQuiescedBecauseQuiesceIsEnterpriseOnly() throws {
        let server = try ServerIdentity(build: "8.1.2.0", edition: "Aerospike Community Edition", release: nil)
        let plan = try Planner.plan(inventory: harness.inventory, playbook: harness.playbook,
                                    facts: ["aero-1": PlanningFacts(server: server)])
        #expect(plan.nodes[0].step(.quiesce) == nil)
        #expect(plan.nodes[0].step(.stop) != nil)
        #expect(plan.nodes[1].step(.quiesce) != nil, "an Enterprise node is still quiesced")
    }

    @Test func infoViaSSHShowsTheAsinfoLines() throws {
        var inventory = harness.inventory
        inventory.info.via = .ssh
        let plan = try Planner.plan(inventory: inventory, playbook: harness.playbook, selected: ["aero-1"])
        let quiesce = try #require(plan.nodes[0].step(.quiesce))
        #expect(quiesce.commands[0].text == "asinfo -v quiesce:")
        #expect(quiesce.commands[0].channel == .shell)
    }

    @Test func everyMutatingCommandIsMarkedSoADryRunCanSkipIt() throws {
        let plan = try harness.plan()
        let commands = plan.nodes.flatMap(\.steps).flatMap(\.commands)
        let mutating = Set(commands.filter(\.mutates).map(\.text))
        for line in ["sudo systemctl stop aerospike", FakeCluster.rebootCommand, "quiesce:", "recluster:",
                     "sudo asmt -b -v -z -p /var/aerospike/asmt -n test,bar", "maintenance-step"]
        {
            #expect(mutating.contains(line), "\(line) must be marked mutating")
        }
        for line in ["cat /proc/sys/kernel/random/boot_id", "ipcs -m", "systemctl is-active --quiet aerospike"] {
            #expect(!mutating.contains(line), "\(line) is read-only")
        }
    }
}

@Suite struct SingleNodePlanTests {
    @Test func aOneNodeClusterIsNotQuiesced() throws {
        let harness = RollHarness(nodes: 1)
        #expect(try harness.plan().nodes[0].step(.quiesce) == nil)
        #expect(try RollHarness(nodes: 2).plan().nodes[0].step(.quiesce) != nil)
    }
}

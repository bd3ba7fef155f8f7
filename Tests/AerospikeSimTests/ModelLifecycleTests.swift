import AerospikeSim
import Testing

/// The asd and machine lifecycle of the model, on a manual clock.
@Suite struct ModelLifecycleTests {
    @Test func formsAStableClusterWithEveryNodeRunningOnItsOwnSegments() {
        let host = ManualHost()
        let model = host.model
        #expect(model.cluster.members == ["aero-1", "aero-2", "aero-3"])
        #expect(model.cluster.keyHex.count >= 12)
        #expect(!model.cluster.keyHex.hasPrefix("0"))
        for node in model.nodes {
            #expect(node.asd.isRunning)
            #expect(node.unitEnabled)
            #expect(node.segments.count == 2 * 4)
            #expect(node.segments.allSatisfy { $0.attachments == 1 && !$0.cleanShutdown })
        }
        #expect(host.events("migrations_zero").count == 1)
        #expect(host.events("node_up").count == 3)
        #expect(host.actions.filter { if case .openInfoPort = $0 { true } else { false } }.count == 3)
    }

    @Test func cleanStopMarksTheBaseSegmentsCleanAndDetachesEverything() {
        let host = ManualHost()
        host.withModel { model, time in _ = model.stopAsd("aero-1", now: time) }
        #expect(host.model.node("aero-1")?.asd.word == "stopping")
        host.advance(1)
        let node = host.model.node("aero-1")!
        #expect(node.asd == .stopped)
        #expect(node.lastExit == .clean)
        #expect(node.segments.allSatisfy { $0.attachments == 0 })
        #expect(node.segments.filter { $0.kind == .base }.allSatisfy { $0.cleanShutdown })
        let stopped = host.events("asd_stopped", node: "aero-1")
        #expect(stopped.last?["clean"] == .bool(true))
        #expect(node.log.contains { $0.message.hasSuffix("finished clean shutdown - exiting") })
    }

    @Test func uncleanStopFaultLeavesTheSegmentsUncleanAndTheUnitFailed() {
        let host = ManualHost(ManualHost.configuration(faults: ["aero-2": [.uncleanStop]]))
        host.withModel { model, time in _ = model.stopAsd("aero-2", now: time) }
        host.advance(1)
        let node = host.model.node("aero-2")!
        #expect(node.lastExit == .unclean)
        #expect(node.segments.filter { $0.kind == .base }.allSatisfy { !$0.cleanShutdown })
        #expect(node.log.contains { $0.message.hasSuffix("failed clean shutdown - exiting") })
        #expect(!node.log.contains { $0.message.hasSuffix("finished clean shutdown - exiting") })
        #expect(host.events("asd_stopped", node: "aero-2").last?["clean"] == .bool(false))
    }

    @Test func startAfterACleanStopIsWarmAndKeepsTheDataGeneration() {
        let host = ManualHost()
        let before = host.model.node("aero-1")!.segments.map(\.generation)
        host.withModel { model, time in _ = model.stopAsd("aero-1", now: time) }
        host.advance(1)
        let outcome = host.withModel { model, time in model.startAsd("aero-1", now: time) }
        guard case .started = outcome else {
            Issue.record("asd did not start: \(outcome)")
            return
        }
        #expect(host.model.node("aero-1")?.asd.word == "starting")
        host.advance(0.31)
        let node = host.model.node("aero-1")!
        #expect(node.asd.isRunning)
        #expect(node.segments.map(\.generation) == before)
        let started = host.events("asd_started", node: "aero-1").last
        #expect(started?["mode"] == "warm")
        #expect(started?["at_boot"] == .bool(false))
        #expect(node.log.contains { $0.message.hasSuffix("{test} beginning warm restart") })
        #expect(node.log.contains { $0.message.hasSuffix("{bar} beginning warm restart") })
        #expect(node.log.contains { $0.message.hasSuffix("service ready: soon there will be cake!") })
    }

    @Test func startAfterAnUncleanStopIsColdAndBuildsANewGeneration() {
        let host = ManualHost(ManualHost.configuration(faults: ["aero-1": [.uncleanStop]]))
        let before = Set(host.model.node("aero-1")!.segments.map(\.generation))
        host.withModel { model, time in _ = model.stopAsd("aero-1", now: time) }
        host.advance(1)
        host.withModel { model, time in _ = model.startAsd("aero-1", now: time) }
        host.advance(0.5)
        #expect(host.model.node("aero-1")!.asd.word == "starting", "a cold start takes the cold-start time")
        host.advance(1.1)
        let node = host.model.node("aero-1")!
        #expect(node.asd.isRunning)
        #expect(Set(node.segments.map(\.generation)).isDisjoint(with: before))
        #expect(host.events("asd_started", node: "aero-1").last?["mode"] == "cold")
        #expect(host.events("segments_removed", node: "aero-1").last?["reason"] == "cold_start")
        #expect(node.log.contains { $0.message.hasSuffix("{test} beginning cold start") })
    }

    @Test func stopDuringStartupExitsAtOnceWithoutMarkingSegmentsClean() {
        let host = ManualHost()
        host.withModel { model, time in _ = model.stopAsd("aero-1", now: time) }
        host.advance(1)
        host.withModel { model, time in _ = model.startAsd("aero-1", now: time) }
        host.advance(0.1)
        let outcome = host.withModel { model, time in model.stopAsd("aero-1", now: time) }
        #expect(outcome == .abortedStartup)
        let node = host.model.node("aero-1")!
        #expect(node.asd == .stopped)
        #expect(node.segments.filter { $0.kind == .base }.allSatisfy { !$0.cleanShutdown })
        #expect(node.log.contains { $0.message.hasSuffix("startup was not complete, exiting immediately") })
        #expect(host.events("asd_stopped", node: "aero-1").last?["during_startup"] == .bool(true))
    }

    @Test func rebootStopsAsdCleanlyWipesSegmentsAndComesBackWithANewBootID() {
        let host = ManualHost()
        let oldBoot = host.model.node("aero-1")!.bootID
        host.withModel { model, time in _ = model.setUnitEnabled("aero-1", false, now: time) }
        host.withModel { model, time in _ = model.issueReboot("aero-1", command: ["reboot"], now: time) }
        #expect(host.model.node("aero-1")!.power.isUp, "reboot returns before the node goes down")
        host.advance(0.3)
        #expect(host.model.node("aero-1")!.asd.word == "stopping", "systemd stops asd first")
        host.advance(0.2)
        let down = host.model.node("aero-1")!
        #expect(!down.power.isUp)
        #expect(down.segments.isEmpty)
        #expect(host.actions.contains(.killNamespace(node: "aero-1")))
        #expect(host.events("asd_stopped", node: "aero-1").last?["clean"] == .bool(true))
        host.advance(0.6)
        let up = host.model.node("aero-1")!
        #expect(up.power.isUp)
        #expect(up.bootID != oldBoot)
        #expect(up.asd == .stopped, "a disabled unit does not start at boot")
        let all = host.events.filter { $0.node == "aero-1" }.map(\.name)
        let events = Array(all[(all.firstIndex(of: "reboot_issued") ?? 0)...])
        let order = ["reboot_issued", "asd_stopping", "asd_stopped", "segments_removed", "node_down", "node_up"]
        let positions = order.compactMap { events.firstIndex(of: $0) }
        #expect(positions == positions.sorted())
        #expect(host.events("node_up", node: "aero-1").last?["boot_id"] == .string(up.bootID))
    }

    @Test func anEnabledUnitStartsAsdAtBootColdBecauseTheSegmentsAreGone() {
        let host = ManualHost()
        host.withModel { model, time in _ = model.issueReboot("aero-2", command: ["systemctl", "reboot"], now: time) }
        host.advance(1.5)
        let starting = host.events("asd_starting", node: "aero-2").last
        #expect(starting?["at_boot"] == .bool(true))
        #expect(starting?["mode"] == "cold")
        host.advance(2)
        let started = host.events("asd_started", node: "aero-2").last
        #expect(started?["at_boot"] == .bool(true))
        #expect(started?["mode"] == "cold")
        #expect(host.model.node("aero-2")!.segments.count == 8)
    }

    @Test func neverReturnsFaultKeepsARebootedNodeDownUntilSwitchedOff() {
        let host = ManualHost(ManualHost.configuration(faults: ["aero-3": [.neverReturns]]))
        host.withModel { model, time in _ = model.issueReboot("aero-3", command: ["reboot"], now: time) }
        host.advance(10)
        #expect(host.model.node("aero-3")!.power == .down(returnsAt: nil))
        #expect(host.events("node_up", node: "aero-3").count == 1)
        host.withModel { model, time in model.setFault("aero-3", .neverReturns, on: false, now: time) }
        host.advance(1)
        #expect(host.model.node("aero-3")!.power.isUp)
    }

    @Test func slowStartFaultMultipliesTheStartTime() {
        let host = ManualHost(ManualHost.configuration(faults: ["aero-1": [.slowStart(factor: 4)]]))
        host.withModel { model, time in _ = model.stopAsd("aero-1", now: time) }
        host.advance(1)
        host.withModel { model, time in _ = model.startAsd("aero-1", now: time) }
        host.advance(1.0)
        #expect(host.model.node("aero-1")!.asd.word == "starting")
        host.advance(0.3)
        #expect(host.model.node("aero-1")!.asd.isRunning)
        #expect(host.events("asd_started", node: "aero-1").last?["duration"] == .double(1.2))
    }

    @Test func dimmFaultNodeWarmRestartingFromItsOwnSegmentsRecordsCorruption() {
        let host = ManualHost(ManualHost.configuration(faults: ["aero-2": [.dimmFault]]))
        host.withModel { model, time in _ = model.stopAsd("aero-2", now: time) }
        host.advance(1)
        host.withModel { model, time in _ = model.startAsd("aero-2", now: time) }
        host.advance(1)
        let corruption = host.events("corruption", node: "aero-2")
        #expect(corruption.count == 2)
        #expect(corruption.first?["namespace"] == "test")
        #expect(host.events("asd_started", node: "aero-2").last?["corruption"] == .bool(true))
    }

    @Test func communityEditionAlwaysColdStartsAndHasNoSharedMemory() {
        let host = ManualHost(ManualHost.configuration(edition: .community))
        #expect(host.model.node("aero-1")!.segments.isEmpty)
        host.withModel { model, time in _ = model.stopAsd("aero-1", now: time) }
        host.advance(1)
        host.withModel { model, time in _ = model.startAsd("aero-1", now: time) }
        host.advance(2)
        #expect(host.events("asd_started", node: "aero-1").last?["mode"] == "cold")
    }
}

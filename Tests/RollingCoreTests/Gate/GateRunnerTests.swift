import SystemSupport
import Testing
@testable import RollingCore

@Suite(.timeLimit(.minutes(1))) struct GateRunnerTests {
    struct Harness {
        let sources: [FakeInfoSource]
        let clock = VirtualClock()
        let events = CollectingSink()

        init(nodes: Int = 3) {
            sources = (1...nodes).map { FakeInfoSource(name: "aero-\($0)", state: FakeNodeState(clusterSize: nodes)) }
        }

        func runner(consecutive: Int = 3, interval: Duration = .seconds(2),
                    shouldStop: @escaping @Sendable () -> Bool = { false }) -> GateRunner
        {
            let observer = ClusterObserver(members: sources.map { .init(name: $0.name, info: $0) },
                                           namespaces: ["test"], timeout: .seconds(1))
            return GateRunner(observer: observer, interval: interval, consecutive: consecutive, clock: clock,
                              events: events, runID: "r1", shouldStop: shouldStop)
        }
    }

    @Test func passesAfterTheConsecutivePollsAndNoSooner() async {
        let harness = Harness()
        let runner = harness.runner()
        let outcome = await runner.waitImmediately(for: GateCriteria(expectedSize: 3), purpose: .preflight)
        guard case .passed(_, let polls, let waited) = outcome else {
            Issue.record("expected a pass, got \(outcome)")
            return
        }
        #expect(polls == 3)
        #expect(waited == .seconds(4))
        #expect(harness.sources.allSatisfy { $0.requestLog.count == 3 })
    }

    @Test func preflightGateThatFailsOnceCannotPassWithinItsBudget() async {
        let harness = Harness()
        harness.sources[2].update { $0.migrationsRemaining = 5 }
        let runner = harness.runner()
        let clock = harness.clock
        let source = harness.sources[2]
        let heal = Task {
            // Healthy from the second poll on.
            while clock.now() == .zero { await Task.yield() }
            source.update { $0.migrationsRemaining = 0 }
        }
        defer { heal.cancel() }
        let outcome = await runner.waitImmediately(for: GateCriteria(expectedSize: 3), purpose: .preflight)
        guard case .timedOut(_, let waited) = outcome else {
            Issue.record("a gate failing at its first poll must not pass within the immediate budget: \(outcome)")
            return
        }
        #expect(waited == .seconds(4))
    }

    @Test func waitsForMigrationsToDrainThenNeedsConsecutivePasses() async {
        let harness = Harness()
        harness.sources[0].update { $0.migrationsRemaining = 300 }
        let clock = harness.clock
        let source = harness.sources[0]
        let drain = Task {
            // Migrations reach zero after 30 virtual seconds.
            while clock.now() < .seconds(30) { await Task.yield() }
            source.update { $0.migrationsRemaining = 0 }
        }
        let outcome = await harness.runner().wait(for: GateCriteria(expectedSize: 3), timeout: .minutes(10),
                                                  purpose: .migrations, node: "aero-1")
        drain.cancel()
        guard case .passed(let verdict, _, let waited) = outcome else {
            Issue.record("expected a pass, got \(outcome)")
            return
        }
        #expect(verdict.passed)
        #expect(waited >= .seconds(34) && waited <= .seconds(40))
        let waiting = harness.events.events.filter { $0.event == .gateWaiting }
        #expect(!waiting.isEmpty)
        #expect(waiting[0].details["migrations_remaining"] == .int(300))
        #expect(waiting[0].message.contains("partition migrations remaining: aero-1 300"))
        #expect(harness.events.events.last?.event == .gate)
    }

    @Test func timesOutWithTheLastReasonWhenMigrationsNeverEnd() async {
        let harness = Harness()
        harness.sources[1].update { $0.migrationsRemaining = 42 }
        let outcome = await harness.runner().wait(for: GateCriteria(expectedSize: 3), timeout: .minutes(5),
                                                  purpose: .migrations)
        guard case .timedOut(let verdict, let waited) = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
        #expect(waited == .minutes(5))
        #expect(verdict.summary.contains("partition migrations remaining: aero-2 42"))
        // Unchanged reasons are re-announced every 10 s, not at every poll.
        let waiting = harness.events.events.filter { $0.event == .gateWaiting }
        #expect(waiting.count >= 25 && waiting.count <= 35)
    }

    @Test func aFlappingGateResetsItsConsecutiveCount() async {
        let harness = Harness()
        let source = harness.sources[0]
        let clock = harness.clock
        let flap = Task {
            // Healthy at 0 and 2 s, unstable at 4 s, healthy again from 6 s.
            while clock.now() < .seconds(4) { await Task.yield() }
            source.update { $0.migrateAllowed = false }
            while clock.now() < .seconds(6) { await Task.yield() }
            source.update { $0.migrateAllowed = true }
        }
        let outcome = await harness.runner().wait(for: GateCriteria(expectedSize: 3), timeout: .minutes(1),
                                                  purpose: .migrations)
        flap.cancel()
        guard case .passed(_, _, let waited) = outcome else {
            Issue.record("expected a pass, got \(outcome)")
            return
        }
        #expect(waited >= .seconds(8))
    }

    @Test func stopsAtOnceWhenTheOperatorInterrupts() async {
        let harness = Harness()
        harness.sources[0].update { $0.migrationsRemaining = 1 }
        let outcome = await harness.runner(shouldStop: { true }).wait(
            for: GateCriteria(expectedSize: 3), timeout: .hours(12), purpose: .migrations)
        guard case .stopped(let verdict) = outcome else {
            Issue.record("expected a stop, got \(outcome)")
            return
        }
        #expect(verdict?.passed == false)
        #expect(harness.clock.now() == .zero)
    }
}

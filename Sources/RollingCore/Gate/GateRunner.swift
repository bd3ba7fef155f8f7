import SystemSupport

/// Why a gate is being waited for; names the wait in events and messages.
public enum GatePurpose: String, Sendable, Codable {
    /// Before anything is touched: the cluster must already be whole and quiet.
    case preflight = "before the first node"
    /// Before a node is touched.
    case beforeNode = "before the node"
    /// After a node's restart: every node must see the full cluster again.
    case rejoin = "rejoin"
    /// After the rejoin: migrations must finish.
    case migrations = "migrations"
}

/// How a wait for the gate ended.
public enum GateOutcome: Sendable, Equatable {
    /// The gate passed `consecutive` polls in a row.
    case passed(GateVerdict, polls: Int, waited: Duration)
    /// The time budget ran out; the verdict is the last poll's.
    case timedOut(GateVerdict, waited: Duration)
    /// The operator asked the run to stop while it waited.
    case stopped(GateVerdict?)

    /// The last verdict, if any poll completed.
    public var verdict: GateVerdict? {
        switch self {
        case .passed(let verdict, _, _), .timedOut(let verdict, _): verdict
        case .stopped(let verdict): verdict
        }
    }
}

/// Polls the cluster until the gate holds for `consecutive` polls in a row, or the budget runs out (SPEC §4).
public struct GateRunner: Sendable {
    /// Gathers one observation per node.
    public var observer: ClusterObserver
    /// Time between polls.
    public var interval: Duration
    /// Passes in a row needed.
    public var consecutive: Int
    /// Time source.
    public var clock: any RunClock
    /// Where gate events go.
    public var events: any EventSink
    /// The run's id, for events.
    public var runID: String?
    /// Whether the operator asked the run to stop; a waiting gate is read-only and stops at once.
    public var shouldStop: @Sendable () -> Bool
    /// How often a still-failing gate re-announces itself when nothing changed.
    public var reminderInterval: Duration = .seconds(10)

    /// A gate runner.
    public init(observer: ClusterObserver, interval: Duration, consecutive: Int, clock: any RunClock,
                events: any EventSink, runID: String?, shouldStop: @escaping @Sendable () -> Bool = { false })
    {
        self.observer = observer
        self.interval = interval
        self.consecutive = max(1, consecutive)
        self.clock = clock
        self.events = events
        self.runID = runID
        self.shouldStop = shouldStop
    }

    /// Passes only when the gate holds at once: its `consecutive` polls, `interval` apart, must all pass, however long
    /// each poll takes (a loaded controller must not turn a healthy cluster into a refusal).
    public func waitImmediately(for criteria: GateCriteria, purpose: GatePurpose, node: String? = nil) async
        -> GateOutcome
    {
        await wait(for: criteria, timeout: .hours(24), purpose: purpose, node: node, pollLimit: consecutive)
    }

    /// Polls until the gate passes, `timeout` runs out (or `pollLimit` polls were made), or the operator stops the
    /// run.
    public func wait(for criteria: GateCriteria, timeout: Duration, purpose: GatePurpose, node: String? = nil,
                     pollLimit: Int? = nil) async -> GateOutcome
    {
        let start = clock.now()
        var passes = 0
        var polls = 0
        var announced: [GateVerdict.Problem]? = nil
        var lastAnnouncement = start
        while true {
            let verdict = GateEvaluator.evaluate(await observer.observe(), criteria: criteria)
            polls += 1
            passes = verdict.passed ? passes + 1 : 0
            let now = clock.now()
            let waited = now - start

            if !verdict.passed && (announced != verdict.problems || now - lastAnnouncement >= reminderInterval) {
                // Every change is an event (machines and the live view want them); the human renderer thins them.
                announce(.gateWaiting, verdict, purpose: purpose, node: node, waited: waited)
                announced = verdict.problems
                lastAnnouncement = now
            }
            if passes >= consecutive {
                announce(.gate, verdict, purpose: purpose, node: node, waited: waited)
                return .passed(verdict, polls: polls, waited: waited)
            }
            if waited >= timeout || polls >= pollLimit ?? .max {
                return .timedOut(verdict, waited: waited)
            }
            if shouldStop() {
                return .stopped(verdict)
            }
            let pause = min(interval, timeout - waited)
            do {
                try await clock.sleep(for: pause)
            } catch {
                return .stopped(verdict)
            }
        }
    }

    private func announce(_ kind: RunEvent.Kind, _ verdict: GateVerdict, purpose: GatePurpose, node: String?,
                          waited: Duration)
    {
        let message = verdict.passed
            ? "gate passed (\(purpose.rawValue)): \(consecutive) polls in a row, cluster key \(verdict.clusterKey ?? "?")"
            : "gate waiting (\(purpose.rawValue)): \(verdict.summary)"
        var details: [String: JSONValue] = [
            "purpose": .string(purpose.rawValue),
            "passed": .bool(verdict.passed),
            "migrations_remaining": .int(verdict.migrationsRemaining),
            "problems": .array(verdict.problems.map { problem in
                .object(["node": problem.node.map(JSONValue.string) ?? .null, "message": .string(problem.message)])
            }),
        ]
        if let key = verdict.clusterKey { details["cluster_key"] = .string(key) }
        events.emit(RunEvent(kind, runID: runID, node: node, step: "gate", duration: waited, message: message,
                             details: details))
    }
}

import SSHClient
import AerospikeInfo
import SystemSupport

extension NodeCycle {
    /// Stops asd; verified not running and `finished clean shutdown` in the log (SPEC §5 step 3).
    func stop(_ budget: Budget) async throws(StepFailure) -> StepResult {
        let clockBefore = try await notedClock("stop_clock", step: .stop)
        try await access.runChecked(lines.stop, step: .stop, timeout: budget.remaining, purpose: "stop asd")
        try await poll("asd to exit", step: .stop, budget: budget) {
            () async throws(StepFailure) -> (done: Bool, status: String) in
            let running = try await isRunning(step: .stop)
            return (!running, running ? "still running" : "stopped")
        }
        var evidence = ServerLogEvidence("")
        try await poll("the clean shutdown in the server log", step: .stop, budget: budget) {
            () async throws(StepFailure) -> (done: Bool, status: String) in
            evidence = try await serverLog(since: clockBefore, step: .stop)
            return (evidence.showsCleanShutdown || evidence.showsFailedShutdown, "no shutdown line yet")
        }
        guard evidence.showsCleanShutdown, !evidence.showsFailedShutdown else {
            throw StepFailure(
                node: name, step: .stop, kind: .verificationFailed,
                message: "asd stopped but did not shut down cleanly: its indexes are not marked clean, so asmt will "
                    + "not back them up and a warm restart is impossible",
                command: lines.stop, outputTail: evidence.tail(),
                hint: "asd is stopped on \(name). Start it again (`\(lines.enableAutostart) && \(lines.start)`; it "
                    + "cold starts), wait for the cluster to settle, then `asroll abandon` and plan this node again")
        }
        return StepResult(facts: ["stop_clock": .string(clockBefore)])
    }

    /// Re-enables autostart, starts asd and waits until its info port answers `status` with `ok` (SPEC §5 step 8).
    func start(_ budget: Budget, cold: Bool) async throws(StepFailure) -> StepResult {
        try await access.runChecked(lines.enableAutostart, step: .start, timeout: commandTimeout,
                                    purpose: "re-enable autostart")
        let clockBefore = try await notedClock("start_clock", step: .start)
        try await access.runChecked(lines.start, step: .start, timeout: commandTimeout, purpose: "start asd")
        var refusedSince: Duration?
        try await poll(cold ? "asd to rebuild its indexes (cold start)" : "asd to load its indexes (warm restart)",
                       step: .start, budget: budget) { () async throws(StepFailure) -> (done: Bool, status: String) in
            do {
                let response = try await access.info.request([InfoCommand.status], timeout: commandTimeout)
                if response[InfoCommand.status] == "ok" { return (true, "ok") }
                return (false, "status answered \(response[InfoCommand.status] ?? "nothing")")
            } catch {
                // The port opens only when loading is complete; meanwhile make sure asd is still alive.
                let now = clock.now()
                if refusedSince == nil { refusedSince = now }
                if let since = refusedSince, now - since >= pollInterval * 5 {
                    refusedSince = now
                    if !(try await isRunning(step: .start)) {
                        let log = try? await serverLog(since: clockBefore, step: .start)
                        throw StepFailure(node: name, step: .start, kind: .verificationFailed,
                                          message: "asd is not running any more: it exited while starting",
                                          command: lines.start, outputTail: log?.tail(15),
                                          hint: "read the server log on \(name), fix the cause, then `asroll resume`")
                    }
                }
                return (false, "info port not open yet (still loading)")
            }
        }
        return StepResult(facts: ["start_clock": .string(clockBefore)])
    }

    /// The server log since the start shows the expected kind of start for every namespace (SPEC §5 step 9).
    func verifyRestart(_ budget: Budget, expected: ServerLogEvidence.StartKind) async throws(StepFailure)
        -> StepResult
    {
        let step: StepKind = expected == .warm ? .verifyWarm : .verifyCold
        guard let since = recorded["start_clock"]?.stringValue else {
            throw StepFailure(node: name, step: step, kind: .unsafe,
                              message: "the journal holds no clock for the start, so the log cannot be checked",
                              hint: "read the server log on \(name) by hand; `asroll abandon` if in doubt")
        }
        var evidence = ServerLogEvidence("")
        var kinds: [String: ServerLogEvidence.StartKind] = [:]
        let shortBudget = Budget(clock: clock, total: min(budget.total, commandTimeout))
        do {
            try await poll("a start line for every namespace in the server log", step: step, budget: shortBudget) {
                () async throws(StepFailure) -> (done: Bool, status: String) in
                evidence = try await serverLog(since: since, step: step)
                kinds = Dictionary(uniqueKeysWithValues: namespaces.compactMap { ns in evidence.start(of: ns).map { (ns, $0) } })
                let missing = namespaces.filter { kinds[$0] == nil }
                return (missing.isEmpty, "no start line for \(missing.joined(separator: ", "))")
            }
        } catch {
            throw StepFailure(node: name, step: step, kind: .verificationFailed,
                              message: "the server log since the start shows no warm or cold start line for "
                                  + namespaces.filter { kinds[$0] == nil }.joined(separator: ", "),
                              outputTail: evidence.tail(),
                              hint: "check that `server_log` in the playbook shows asd's log on \(name)")
        }
        let facts: [String: JSONValue] = ["starts": .object(kinds.mapValues { .string($0.rawValue) })]
        switch expected {
        case .warm:
            let cold = namespaces.filter { kinds[$0] != .warm }
            guard cold.isEmpty else {
                return StepResult(
                    facts: facts.merging(["unexpected_cold": .strings(cold)]) { $1 },
                    warnings: ["\(name) was planned warm but COLD STARTED namespace(s) \(cold.joined(separator: ", ")): "
                        + RestartMode.coldRestartRisk])
            }
        case .cold, .cool:
            let warm = namespaces.filter { kinds[$0] == .warm }
            guard warm.isEmpty else {
                throw StepFailure(
                    node: name, step: step, kind: .verificationFailed,
                    message: "\(name) must cold restart (\(plan.mode.coldReasons.map(\.message).joined(separator: "; "))) "
                        + "but WARM RESTARTED namespace(s) \(warm.joined(separator: ", ")) from segments still in memory",
                    outputTail: evidence.tail(),
                    hint: "treat \(name)'s data as suspect: stop asd, remove its Aerospike segments (ipcrm), start it "
                        + "again cold, and check the data; then `asroll abandon`")
            }
        }
        return StepResult(facts: facts)
    }

    /// Waits for the gate after the node's restart: the rejoin (no migrations required), or the whole gate.
    func awaitGate(_ budget: Budget, step: StepKind) async throws(StepFailure) -> StepResult {
        let rejoin = step == .rejoin
        let criteria = GateCriteria(expectedSize: cluster.count, requireMigrationsComplete: !rejoin)
        let outcome = await gate.wait(for: criteria, timeout: budget.total, purpose: rejoin ? .rejoin : .migrations,
                                      node: name)
        guard case .passed(let verdict, _, let waited) = outcome else {
            throw gateFailure(outcome, step: step, what: rejoin ? "the rejoin of \(name)" : "migrations")
        }
        return StepResult(facts: ["cluster_key": verdict.clusterKey.map(JSONValue.string) ?? .null,
                                  "waited_seconds": .number(waited.seconds)])
    }

    /// The node's clock before `step`'s first mutating command, noted in the journal under `key`. A retried step keeps
    /// the clock noted by its first attempt, so that the log is still searched from before that attempt's command.
    func notedClock(_ key: String, step: StepKind) async throws(StepFailure) -> String {
        if let noted = recorded[key]?.stringValue { return noted }
        let clock = try await nodeClock(step: step)
        try record(step, [key: .string(clock)])
        return clock
    }

    /// Writes a mid-step fact to the journal, as a failure of `step` when the disk refuses.
    func record(_ step: StepKind, _ facts: [String: JSONValue]) throws(StepFailure) {
        do {
            try note(step, facts)
        } catch {
            throw StepFailure(node: name, step: step, kind: .unsafe,
                              message: "cannot write the journal: \(error)",
                              hint: "free space or fix permissions in the state dir, then `asroll resume`")
        }
    }
}

import Foundation
import SSHClient
import AerospikeInfo
import SystemSupport

/// What a finished step reports: facts for the journal, and warnings for the operator.
public struct StepResult: Sendable, Equatable {
    /// Facts recorded with the step's `step_end`.
    public var facts: [String: JSONValue]
    /// Things the operator must know even though the step succeeded.
    public var warnings: [String]

    /// A result.
    public init(facts: [String: JSONValue] = [:], warnings: [String] = []) {
        self.facts = facts
        self.warnings = warnings
    }
}

/// Runs the steps of one node's plan against the node (SPEC §5). Each step verifies its own result; any failure is a
/// `StepFailure` naming the node, the step, the command, its output and what to do next.
///
/// Every step can be run again after a crash of the controller: `recorded` carries the facts the journal holds
/// for the node (the boot id before the reboot, the node's clock before the start), and `retrying` says which step
/// was in flight, so that a step never repeats something harmful.
public struct NodeCycle: Sendable {
    /// The node's plan.
    public var plan: NodePlan
    /// The node.
    public var access: NodeAccess
    /// Every node of the inventory (the node itself included), for `recluster:`.
    public var cluster: [NodeAccess]
    /// The inventory's namespaces.
    public var namespaces: [String]
    /// The cluster gate, for the rejoin and migrations steps.
    public var gate: GateRunner
    /// Time source for polls and budgets.
    public var clock: any RunClock
    /// Pause between polls inside a step.
    public var pollInterval: Duration
    /// The budget of short commands.
    public var commandTimeout: Duration
    /// Facts the journal already holds for this node.
    public var recorded: [String: JSONValue]
    /// The step that was in flight when the controller died, if any.
    public var retrying: StepKind?
    /// With `--allow-rf1`: wait for migrations after the quiesce, before the stop.
    public var waitForMigrationsBeforeStop: Bool
    /// Writes a mid-step fact to the journal (synced) before the step's next mutating command.
    public var note: @Sendable (StepKind, [String: JSONValue]) throws -> Void
    /// Reports progress of long waits.
    public var progress: @Sendable (StepKind, String) -> Void

    /// A cycle for `plan`.
    public init(plan: NodePlan, access: NodeAccess, cluster: [NodeAccess], namespaces: [String], gate: GateRunner,
                clock: any RunClock, pollInterval: Duration, commandTimeout: Duration,
                recorded: [String: JSONValue] = [:], retrying: StepKind? = nil, waitForMigrationsBeforeStop: Bool = false,
                note: @escaping @Sendable (StepKind, [String: JSONValue]) throws -> Void,
                progress: @escaping @Sendable (StepKind, String) -> Void = { _, _ in })
    {
        self.plan = plan
        self.access = access
        self.cluster = cluster
        self.namespaces = namespaces
        self.gate = gate
        self.clock = clock
        self.pollInterval = pollInterval
        self.commandTimeout = commandTimeout
        self.recorded = recorded
        self.retrying = retrying
        self.waitForMigrationsBeforeStop = waitForMigrationsBeforeStop
        self.note = note
        self.progress = progress
    }

    var name: String { access.name }
    var lines: NodeCommandLines { plan.commands }

    /// Runs `step` and verifies its result.
    public func execute(_ step: PlannedStep) async throws(StepFailure) -> StepResult {
        let budget = Budget(clock: clock, total: step.timeout)
        switch step.kind {
        case .quiesce: return try await quiesce(budget)
        case .disableAutostart:
            try await access.runChecked(lines.disableAutostart, step: .disableAutostart, timeout: budget.remaining)
            return StepResult()
        case .stop: return try await stop(budget)
        case .backup: return try await backup(budget)
        case .discardBackup: return try await discardBackup(budget)
        case .maintenance: return try await maintenance(budget)
        case .reboot: return try await reboot(budget)
        case .removeSegments: return try await removeSegments(budget)
        case .restore: return try await restore(budget)
        case .start: return try await start(budget, cold: !plan.mode.isWarm)
        case .verifyWarm: return try await verifyRestart(budget, expected: .warm)
        case .verifyCold: return try await verifyRestart(budget, expected: .cold)
        case .rejoin: return try await awaitGate(budget, step: .rejoin)
        case .migrations: return try await awaitGate(budget, step: .migrations)
        case .cleanup:
            try await access.runChecked(lines.removeBackup, step: .cleanup, timeout: budget.remaining)
            return StepResult()
        }
    }

    // MARK: - Shared helpers

    /// Polls `probe` every `pollInterval` until it reports done or the budget runs out.
    func poll(_ what: String, step: StepKind, budget: Budget,
              _ probe: () async throws(StepFailure) -> (done: Bool, status: String)) async throws(StepFailure)
    {
        var lastProgress = clock.now()
        while true {
            let (done, status) = try await probe()
            if done { return }
            if budget.isExhausted {
                throw StepFailure(node: name, step: step, kind: .timedOut,
                                  message: "waited \(budget.elapsed.formattedSeconds) for \(what); last seen: \(status)",
                                  hint: "check \(name) (see its command log and server log); raise the playbook's "
                                      + "\(step.rawValue) timeout if it is just slow; then `asroll resume`")
            }
            if clock.now() - lastProgress >= .seconds(30) {
                progress(step, "waiting for \(what) (\(budget.elapsed.formattedSeconds)): \(status)")
                lastProgress = clock.now()
            }
            try? await clock.sleep(for: min(pollInterval, budget.remaining))
        }
    }

    /// The node's clock, as epoch seconds.
    func nodeClock(step: StepKind) async throws(StepFailure) -> String {
        let result = try await access.runChecked(lines.nodeClock, step: step, timeout: commandTimeout,
                                                 purpose: "\(step.rawValue): node clock")
        let value = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Int(value) != nil else {
            throw StepFailure(node: name, step: step, kind: .verificationFailed,
                              message: "`\(lines.nodeClock)` printed '\(value)', not epoch seconds",
                              command: lines.nodeClock, hint: "check `date` on \(name), then `asroll resume`")
        }
        return value
    }

    /// The server log since `epoch`.
    func serverLog(since epoch: String, step: StepKind) async throws(StepFailure) -> ServerLogEvidence {
        let result = try await access.runChecked(lines.serverLog(sinceEpoch: epoch), step: step,
                                                 timeout: commandTimeout, purpose: "\(step.rawValue): server log")
        return ServerLogEvidence(result.stdout)
    }

    /// Whether asd runs, by `is_running`'s exit status.
    func isRunning(step: StepKind) async throws(StepFailure) -> Bool {
        try await access.run(lines.isRunning, step: step, timeout: commandTimeout,
                             purpose: "\(step.rawValue): is asd running").succeeded
    }

    /// The node's Aerospike shared-memory segments.
    func aerospikeSegments(step: StepKind) async throws(StepFailure) -> [SharedMemorySegments.Segment] {
        let result = try await access.runChecked(lines.listSegments, step: step, timeout: commandTimeout,
                                                 purpose: "\(step.rawValue): list segments")
        return SharedMemorySegments(ipcsOutput: result.stdout).aerospike
    }

    /// Every namespace's status on this node.
    func namespaceStatuses(step: StepKind) async throws(StepFailure) -> [NamespaceStatus] {
        let response = try await access.info(namespaces.map(InfoCommand.namespace), step: step,
                                             timeout: commandTimeout)
        do {
            return try namespaces.map { namespace in
                try NamespaceStatus(name: namespace, parsing: response.value(for: InfoCommand.namespace(namespace)))
            }
        } catch {
            throw StepFailure(node: name, step: step, kind: .verificationFailed,
                              message: "unexpected namespace info: \(error)",
                              hint: "check the namespaces in the inventory against the node's configuration")
        }
    }
}

/// A step's time budget on the run's clock.
struct Budget: Sendable {
    let clock: any RunClock
    let start: Duration
    let total: Duration

    init(clock: any RunClock, total: Duration) {
        self.clock = clock
        self.start = clock.now()
        self.total = total
    }

    var elapsed: Duration { clock.now() - start }
    /// What is left, never less than a second, so that a last command still gets a chance to run.
    var remaining: Duration { max(.seconds(1), total - elapsed) }
    var isExhausted: Bool { elapsed >= total }
}

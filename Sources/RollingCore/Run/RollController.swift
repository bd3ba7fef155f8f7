import Foundation
import SystemSupport

/// Drives the roll: strictly one node at a time, each node's steps in order with the journal written around every
/// step, the gate between nodes, and a halt at the first failure (SPEC §4-6).
public final class RollController: Sendable {
    /// Everything the controller works with.
    public struct Setup: Sendable {
        /// The run's id.
        public var runID: String
        /// The plan of the selected nodes.
        public var plan: RollPlan
        /// Access to every node of the inventory, in inventory order.
        public var nodes: [NodeAccess]
        /// The journal.
        public var journal: Journal
        /// Where events go.
        public var events: any EventSink
        /// Time source.
        public var clock: any RunClock
        /// The operator's stop request.
        public var stop: StopSignal
        /// The operator's choices.
        public var options: RunOptions
        /// The lease this run writes on every node.
        public var lease: Lease

        /// A setup.
        public init(runID: String, plan: RollPlan, nodes: [NodeAccess], journal: Journal, events: any EventSink,
                    clock: any RunClock, stop: StopSignal, options: RunOptions, lease: Lease)
        {
            self.runID = runID
            self.plan = plan
            self.nodes = nodes
            self.journal = journal
            self.events = events
            self.clock = clock
            self.stop = stop
            self.options = options
            self.lease = lease
        }
    }

    private let setup: Setup

    /// A controller for `setup`.
    public init(_ setup: Setup) {
        self.setup = setup
    }

    private var plan: RollPlan { setup.plan }
    private var inventory: Inventory { setup.plan.inventory }
    private var playbook: Playbook { setup.plan.playbook }

    /// The gate over every node of the inventory.
    public var gate: GateRunner {
        Self.gate(plan: plan, nodes: setup.nodes, clock: setup.clock, events: setup.events, runID: setup.runID,
                  stop: setup.stop)
    }

    /// The gate over every node of `plan`'s inventory, with the playbook's interval and consecutive passes.
    public static func gate(plan: RollPlan, nodes: [NodeAccess], clock: any RunClock, events: any EventSink,
                            runID: String?, stop: StopSignal) -> GateRunner
    {
        let observer = ClusterObserver(members: nodes.map { .init(name: $0.name, info: $0.info) },
                                       namespaces: plan.inventory.namespaces, timeout: plan.inventory.info.timeout)
        return GateRunner(observer: observer, interval: plan.playbook.gate.interval,
                          consecutive: plan.playbook.gate.consecutive, clock: clock, events: events, runID: runID,
                          shouldStop: { stop.isRequested })
    }

    /// Runs the roll from the start, or continues it from `replay` (`asroll resume`).
    ///
    /// - Parameters:
    ///   - rf1Namespaces: whether some namespace has replication factor 1 (with `--allow-rf1`, the cycle then waits
    ///     for migrations after the quiesce).
    ///   - gateAlreadyPassed: the caller has just seen the gate pass (before writing the journal), so the first node
    ///     does not wait for it again.
    public func run(replay: JournalReplay? = nil, rf1Namespaces: Bool = false, gateAlreadyPassed: Bool = false)
        async -> RunOutcome
    {
        let started = setup.clock.now()
        let remaining = plan.nodes.filter { !(replay?.finishedNodes.contains($0.node.name) ?? false) }
        var coldSurprises: [String] = []
        var isFirstNodeOfThisProcess = true
        var previousNodeGatePassed = false

        for (index, nodePlan) in remaining.enumerated() {
            let name = nodePlan.node.name
            let inProgress = replay?.currentNode == name
            // The gate that ended the previous node is this node's gate "before": nothing happened in between.
            let gateJustPassed = isFirstNodeOfThisProcess ? gateAlreadyPassed : previousNodeGatePassed
            if !inProgress && !gateJustPassed {
                if let refusal = await gateBeforeNode(name, first: isFirstNodeOfThisProcess) {
                    return refusal
                }
                if setup.stop.isRequested { return interrupted(at: name) }
            }
            if isFirstNodeOfThisProcess && !(replay?.leaseWritten ?? false) {
                if let failure = await writeLeases() { return halt(failure) }
            }
            isFirstNodeOfThisProcess = false
            if !inProgress {
                journal(.nodeStarted, node: name, facts: [
                    "mode": .string(nodePlan.mode.isWarm ? "warm" : "cold"),
                    "cold_reasons": .strings(nodePlan.mode.coldReasons.map(\.message)),
                    "position": .int(nodePlan.position),
                ])
                emit(.nodeStarted, node: name, message: nodeStartMessage(nodePlan), details: [
                    "mode": .string(nodePlan.mode.isWarm ? "warm" : "cold"),
                    "cold_reasons": .strings(nodePlan.mode.coldReasons.map(\.message)),
                ])
            }
            let (outcome, coldSurprise) = await runCycle(nodePlan, replay: inProgress ? replay : nil,
                                                         rf1Namespaces: rf1Namespaces)
            // Every cycle ends with the migrations gate (then at most the cleanup of backup files).
            previousNodeGatePassed = true
            switch outcome {
            case .halted, .interrupted, .refused:
                return outcome
            case .finished:
                break
            }
            if let cold = coldSurprise {
                coldSurprises.append(name)
                let more = index < remaining.count - 1
                if more && !setup.options.continueOnCold {
                    let failure = StepFailure(
                        node: name, step: .verifyWarm, kind: .verificationFailed,
                        message: "\(name) was planned warm but cold started (\(cold)); the run stops before the "
                            + "next node so that you can look at it",
                        hint: "check why the indexes were not restored on \(name) (its command log and server log), "
                            + "then `asroll resume` to go on, or run with --continue-on-cold")
                    journal(.runHalted, node: name, facts: ["reason": "unexpected cold start"])
                    emit(.runHalted, node: name, message: failure.description)
                    return .halted(failure)
                }
            }
        }
        await releaseLeases()
        journal(.runFinished, facts: ["cold_surprises": .strings(coldSurprises)])
        emit(.runFinished, duration: setup.clock.now() - started,
             message: "roll finished: \(remaining.count) node(s) done"
                + (coldSurprises.isEmpty ? "" : "; COLD STARTED unexpectedly: \(coldSurprises.joined(separator: ", "))"),
             details: ["nodes": .strings(remaining.map(\.node.name)), "cold_surprises": .strings(coldSurprises)])
        return .finished
    }

    // MARK: - One node

    /// Runs one node's steps; also returns what cold started when the node was planned warm.
    private func runCycle(_ nodePlan: NodePlan, replay: JournalReplay?, rf1Namespaces: Bool) async
        -> (RunOutcome, coldSurprise: String?)
    {
        let name = nodePlan.node.name
        guard let access = setup.nodes.first(where: { $0.name == name }) else {
            preconditionFailure("no access to planned node \(name)")
        }
        let journalFile = setup.journal
        let runID = setup.runID
        let events = setup.events
        var cycle = NodeCycle(
            plan: nodePlan, access: access, cluster: setup.nodes, namespaces: inventory.namespaces, gate: gate,
            clock: setup.clock, pollInterval: playbook.gate.interval, commandTimeout: playbook.timeouts.command,
            recorded: replay?.facts ?? [:], retrying: replay?.inFlightStep,
            waitForMigrationsBeforeStop: setup.options.allowRF1 && rf1Namespaces,
            note: { step, facts in
                try journalFile.append(JournalRecord(.stepNote, runID: runID, node: name, step: step.rawValue, facts: facts))
            },
            progress: { step, message in
                events.emit(RunEvent(.stepProgress, runID: runID, node: name, step: step.rawValue,
                                     message: "\(name) \(step.rawValue): \(message)"))
            })
        var done = Set(replay?.completedSteps ?? [])
        var coldSurprise: String?

        for step in nodePlan.steps {
            if done.contains(step.kind) {
                emit(.stepSkipped, node: name, step: step.kind, message: "\(name) \(step.kind.rawValue): done before "
                    + "the interruption (journal)")
                continue
            }
            if setup.stop.isRequested { return (interrupted(at: name, step: step.kind), nil) }
            journal(.stepBegin, node: name, step: step.kind, facts: ["timeout_seconds": .number(step.timeout.seconds)])
            emit(.stepStarted, node: name, step: step.kind, message: "\(name) \(step.kind.rawValue): \(step.summary)",
                 details: ["timeout_seconds": .number(step.timeout.seconds)])
            let began = setup.clock.now()
            do {
                let result = try await cycle.execute(step)
                let took = setup.clock.now() - began
                journal(.stepEnd, node: name, step: step.kind, facts: result.facts)
                cycle.recorded.merge(result.facts) { $1 }
                cycle.retrying = nil
                done.insert(step.kind)
                emit(.stepFinished, node: name, step: step.kind, duration: took,
                     message: "\(name) \(step.kind.rawValue) done in \(took.formattedSeconds)", details: result.facts)
                for warning in result.warnings {
                    emit(.warning, node: name, step: step.kind, message: warning)
                }
                if let cold = result.facts["unexpected_cold"] {
                    coldSurprise = "namespaces \(cold)"
                }
            } catch {
                if error.kind == .interrupted {
                    return (interrupted(at: name, step: step.kind), nil)
                }
                let took = setup.clock.now() - began
                journal(.stepFailed, node: name, step: step.kind, facts: [
                    "kind": .string(error.kind.rawValue), "message": .string(error.message),
                    "command": error.command.map(JSONValue.string) ?? .null,
                    "exit_status": error.exitStatus.map { .int(Int($0)) } ?? .null,
                ])
                emit(.stepFailed, node: name, step: step.kind, duration: took, message: error.description, details: [
                    "kind": .string(error.kind.rawValue), "command": error.command.map(JSONValue.string) ?? .null,
                    "exit_status": error.exitStatus.map { .int(Int($0)) } ?? .null,
                    "output_tail": error.outputTail.map(JSONValue.string) ?? .null, "hint": .string(error.hint),
                ])
                await putBackInService(cycle, done: done, failedStep: step.kind)
                return (halt(error), nil)
            }
        }
        journal(.nodeFinished, node: name)
        emit(.nodeFinished, node: name, message: "\(name) done: "
             + (nodePlan.mode.isWarm ? "warm restarted" : "cold restarted") + ", rejoined, migrations finished")
        return (.finished, coldSurprise)
    }

    /// After a halt before asd stopped: undo this run's quiesce and re-enable autostart, so that the node serves
    /// and survives a reboot as before.
    private func putBackInService(_ cycle: NodeCycle, done: Set<StepKind>, failedStep: StepKind) async {
        let beforeStop: Set<StepKind> = [.quiesce, .disableAutostart, .stop]
        guard beforeStop.contains(failedStep) || !done.contains(.stop) else { return }
        guard (try? await cycle.isRunning(step: failedStep)) == true else { return }
        if done.contains(.quiesce) || failedStep == .quiesce {
            do {
                try await cycle.undoQuiesce()
                emit(.warning, node: cycle.name, message: "\(cycle.name): quiesce undone (quiesce-undo: + recluster:) "
                    + "because the run halted before the stop")
            } catch {
                emit(.warning, node: cycle.name, message: "\(cycle.name): could not undo the quiesce: \(error)")
            }
        }
        if done.contains(.disableAutostart) {
            _ = try? await cycle.access.runChecked(cycle.lines.enableAutostart, step: failedStep,
                                                   timeout: playbook.timeouts.command,
                                                   purpose: "halt: re-enable autostart on a running node")
        }
    }

    // MARK: - Gates, leases, journal

    private func gateBeforeNode(_ name: String, first: Bool) async -> RunOutcome? {
        let gate = gate
        let criteria = GateCriteria(expectedSize: inventory.nodes.count)
        if first {
            let outcome = await gate.waitImmediately(for: criteria, purpose: .preflight, node: name)
            switch outcome {
            case .passed:
                return nil
            case .stopped:
                return interrupted(at: name)
            case .timedOut(let verdict, _):
                let message = "the cluster gate does not pass, so nothing was touched: \(verdict.summary). "
                    + "Wait until the cluster is whole and migrations are finished, then run again."
                emit(.refused, node: name, message: message)
                journal(.runHalted, node: name, facts: ["reason": .string("gate before the first node: \(verdict.summary)")])
                return .refused(message)
            }
        }
        let outcome = await gate.wait(for: criteria, timeout: playbook.timeouts.rejoin + playbook.timeouts.migrations,
                                      purpose: .beforeNode, node: name)
        switch outcome {
        case .passed:
            return nil
        case .stopped:
            return interrupted(at: name)
        case .timedOut(let verdict, let waited):
            let failure = StepFailure(node: name, step: .quiesce, kind: .timedOut,
                                      message: "the gate before \(name) did not pass within \(waited.formattedSeconds): "
                                          + verdict.summary,
                                      hint: "nothing was touched on \(name); fix the cluster, then `asroll resume`")
            return halt(failure)
        }
    }

    private func writeLeases() async -> StepFailure? {
        let path = inventory.lease.path
        for node in setup.nodes {
            do {
                try await node.runChecked(setup.lease.writeCommand(path: path), step: .quiesce,
                                          timeout: playbook.timeouts.command, purpose: "write the lease")
            } catch {
                return StepFailure(node: node.name, step: error.step, kind: error.kind,
                                   message: "could not write the lease \(path): \(error.message)",
                                   command: error.command, exitStatus: error.exitStatus, outputTail: error.outputTail,
                                   hint: "check that \(path) is writable on \(node.name), then `asroll resume`")
            }
        }
        journal(.leaseWritten, facts: ["path": .string(path), "holder": .string(setup.lease.holder)])
        emit(.leaseWritten, message: "lease written on \(setup.nodes.count) node(s) at \(path) (\(setup.lease.summary))")
        return nil
    }

    private func releaseLeases() async {
        let command = Lease.releaseCommand(path: inventory.lease.path, runID: setup.runID)
        for node in setup.nodes {
            _ = try? await node.runChecked(command, step: .cleanup, timeout: playbook.timeouts.command,
                                           purpose: "release the lease")
        }
        emit(.leaseReleased, message: "lease released on every node")
    }

    private func halt(_ failure: StepFailure) -> RunOutcome {
        journal(.runHalted, node: failure.node, step: failure.step, facts: ["message": .string(failure.message)])
        emit(.runHalted, node: failure.node, step: failure.step, message: "run halted: \(failure.node) "
            + "\(failure.step.rawValue) \(failure.kind.rawValue). Nothing further was touched; the lease is kept. "
            + "After fixing the cause: asroll resume")
        return .halted(failure)
    }

    private func interrupted(at node: String, step: StepKind? = nil) -> RunOutcome {
        journal(.runInterrupted, node: node, step: step)
        emit(.interrupted, node: node, step: step, message: "interrupted by the operator"
             + (step.map { " before \(node) \($0.rawValue)" } ?? " before \(node)")
             + ": nothing further was started; the lease is kept. Continue with: asroll resume")
        return .interrupted
    }

    private func nodeStartMessage(_ plan: NodePlan) -> String {
        let header = "node \(plan.position)/\(inventory.nodes.count) \(plan.node.name)"
        switch plan.mode {
        case .warm:
            return "\(header): warm restart"
        case .cold(let reasons):
            return "\(header): COLD restart because " + reasons.map(\.message).joined(separator: "; ")
                + ". Risk: " + RestartMode.coldRestartRisk
        }
    }

    private func journal(_ kind: JournalRecord.Kind, node: String? = nil, step: StepKind? = nil,
                         facts: [String: JSONValue] = [:])
    {
        do {
            try setup.journal.append(JournalRecord(kind, runID: setup.runID, node: node, step: step?.rawValue,
                                                   facts: facts))
        } catch {
            // A journal that cannot be written makes resume unsafe; say so loudly but keep the node consistent.
            emit(.warning, node: node, message: "CANNOT WRITE THE JOURNAL \(setup.journal.path): \(error)")
        }
    }

    private func emit(_ kind: RunEvent.Kind, node: String? = nil, step: StepKind? = nil, duration: Duration? = nil,
                      message: String, details: [String: JSONValue] = [:])
    {
        setup.events.emit(RunEvent(kind, runID: setup.runID, node: node, step: step?.rawValue, duration: duration,
                                   message: message, details: details))
    }
}

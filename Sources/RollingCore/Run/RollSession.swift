import AerospikeInfo
import Foundation
import Logging
import SystemSupport

/// What `asroll run` was asked to do.
public struct RunRequest: Sendable {
    /// The inventory file.
    public var inventoryPath: String
    /// The playbook file.
    public var playbookPath: String
    /// `--node`: the nodes to roll (all when empty).
    public var nodes: [String]
    /// `--dry-run`: only read-only commands.
    public var dryRun: Bool
    /// `--yes`: do not ask.
    public var assumeYes: Bool
    /// The operator's choices.
    public var options: RunOptions
    /// `--state-dir`.
    public var stateDir: String
    /// `--accept-new-host-keys`.
    public var acceptNewHostKeys: Bool

    /// A request.
    public init(inventoryPath: String, playbookPath: String, nodes: [String] = [], dryRun: Bool = false,
                assumeYes: Bool = false, options: RunOptions = RunOptions(), stateDir: String = ".asroll",
                acceptNewHostKeys: Bool = false)
    {
        self.inventoryPath = inventoryPath
        self.playbookPath = playbookPath
        self.nodes = nodes
        self.dryRun = dryRun
        self.assumeYes = assumeYes
        self.options = options
        self.stateDir = stateDir
        self.acceptNewHostKeys = acceptNewHostKeys
    }
}

/// The commands of asroll, from files to exit code: loading, planning, preflight, confirmation and the roll.
/// The executable only parses flags and calls these.
public struct RollSession: Sendable {
    /// Where output goes.
    public var console: Console
    /// Logs of the SSH layer (off unless `--log-level` asks).
    public var logger: Logger
    /// The operator's stop request.
    public var stop: StopSignal

    /// A session.
    public init(console: Console, logger: Logger, stop: StopSignal) {
        self.console = console
        self.logger = logger
        self.stop = stop
    }

    // MARK: - plan

    /// `asroll plan`: the plan from the files alone; no network.
    public func plan(inventoryPath: String, playbookPath: String, nodes: [String]) -> Int32 {
        guard let (inventory, playbook) = load(inventoryPath, playbookPath) else { return 2 }
        switch makePlan(inventory, playbook, nodes: nodes, facts: [:], options: RunOptions()) {
        case .failure(let code): return code
        case .success(let plan):
            console.json(PlanRenderer.json(plan))
            console.say(PlanRenderer.text(plan))
            console.say("\nThis plan comes from the files alone. `asroll run --dry-run` adds what the nodes say "
                + "(edition, memory errors, leases, free space) and the live gate, without changing anything.")
            return 0
        }
    }

    // MARK: - run

    /// `asroll run` (and `--dry-run`).
    public func run(_ request: RunRequest) async -> Int32 {
        guard let (inventory, playbook) = load(request.inventoryPath, request.playbookPath) else { return 2 }
        // The plan from the files alone first: a bad --node or --require-warm is refused before anything is contacted.
        if case .failure(let code) = makePlan(inventory, playbook, nodes: request.nodes, facts: [:],
                                              options: request.options)
        {
            return code
        }
        if !request.dryRun && !request.assumeYes && !console.canAsk {
            console.error("asroll: refusing to roll without confirmation: stdin is not a terminal. Review the plan "
                + "(`asroll plan` or `asroll run --dry-run`), then run again with --yes.")
            return 2
        }
        let state: StateDirectory?
        if request.dryRun {
            state = nil
        } else {
            do {
                state = try StateDirectory(path: request.stateDir)
            } catch {
                console.error("asroll: \(error)")
                return 3
            }
            if let state, state.hasUnfinishedRun {
                let runID = (try? Journal.read(path: state.journalPath).records.first?.runID) ?? "?"
                console.error("asroll: refused: an unfinished run (\(runID)) exists in \(state.path). Continue it with "
                    + "`asroll resume --state-dir \(request.stateDir)`, or give it up with `asroll abandon --state-dir "
                    + "\(request.stateDir)` after checking the cluster.")
                return 3
            }
        }
        let runID = StateDirectory.newRunID() + (request.dryRun ? "-dry-run" : "")
        let runDirectory = (state?.path ?? URL(fileURLWithPath: request.stateDir).standardizedFileURL.path)
            + "/runs/\(runID)"
        let events: FanOutSink
        let collector = CollectingSink()
        do {
            try FileManager.default.createDirectory(atPath: runDirectory + "/nodes", withIntermediateDirectories: true)
            events = FanOutSink(console.eventSinks + [try JSONLinesFileSink(path: runDirectory + "/events.jsonl"),
                                                       collector])
        } catch {
            console.error("asroll: cannot write into the state dir \(runDirectory): \(error)")
            return 3
        }
        let nodes: [NodeAccess]
        do {
            nodes = try NodeConnector.access(for: inventory, playbook: playbook, logDirectory: runDirectory + "/nodes",
                                             acceptNewHostKeys: request.acceptNewHostKeys, logger: logger)
        } catch {
            console.error("asroll: cannot open the command logs in \(runDirectory): \(error)")
            return 3
        }
        // Connections are closed before the process exits: exiting while a connection's thread is still inside
        // libssh2 or OpenSSL can crash in their cleanup.
        let code = await run(request, inventory: inventory, playbook: playbook, nodes: nodes, state: state,
                             runID: runID, runDirectory: runDirectory, events: events, collector: collector)
        await close(nodes)
        return code
    }

    private func run(_ request: RunRequest, inventory: Inventory, playbook: Playbook, nodes: [NodeAccess],
                     state: StateDirectory?, runID: String, runDirectory: String, events: FanOutSink,
                     collector: CollectingSink) async -> Int32
    {

        // Read-only preflight: facts, refusals, and the live plan.
        let preflight = Preflight(inventory: inventory, playbook: playbook)
        let local = preflight.localProblems(acceptNewHostKeys: request.acceptNewHostKeys)
        guard local.isEmpty else {
            for problem in local { events.emit(RunEvent(.refused, runID: runID, message: problem.description)) }
            console.error("asroll: refused before contacting any node; nothing was changed.")
            return 3
        }
        events.emit(RunEvent(.preflight, runID: runID, message: "preflight: asking \(inventory.nodes.count) node(s), "
            + "read-only"))
        let facts = await preflight.gather(nodes)
        for fact in facts { events.emit(RunEvent(.preflight, runID: runID, node: fact.node, message: FactsRenderer.line(fact))) }
        let plan: RollPlan
        switch makePlan(inventory, playbook, nodes: request.nodes, facts: Preflight.planningFacts(facts),
                        options: request.options)
        {
        case .failure(let code): return code
        case .success(let live): plan = live
        }
        let refusals = preflight.refusals(facts: facts, plan: plan, options: request.options)
        let gate = RollController.gate(plan: plan, nodes: nodes, clock: SystemRunClock(), events: events, runID: runID,
                                       stop: stop)
        let gateOutcome = await gate.waitImmediately(for: GateCriteria(expectedSize: inventory.nodes.count),
                                                     purpose: .preflight)
        var reasons = refusals.map(\.description)
        if case .passed = gateOutcome {} else {
            reasons.append("the cluster gate does not pass: \(gateOutcome.verdict?.summary ?? "interrupted")")
        }

        if request.dryRun {
            console.say("")
            console.say(PlanRenderer.text(plan, preflightCommands: preflight.probeCommands + preflight.infoCommands
                .map { "info: \($0)" }))
            console.json(PlanRenderer.json(plan))
            console.say("")
            if reasons.isEmpty {
                console.say("Dry run: nothing was changed on any node. The gate passes and nothing would be refused; "
                    + "`asroll run` without --dry-run would execute the plan above.")
                return 0
            }
            console.say("Dry run: nothing was changed on any node. A real run would be REFUSED:")
            for reason in reasons { console.say("  - \(reason)") }
            return 3
        }
        guard reasons.isEmpty else {
            for reason in reasons {
                events.emit(RunEvent(.refused, runID: runID, message: reason))
            }
            console.error("asroll: refused before touching anything (\(reasons.count) reason(s) above). Nothing was "
                + "changed.")
            return 3
        }
        if !request.assumeYes {
            console.say(PlanRenderer.text(plan))
            guard console.confirm("\nRoll \(plan.nodes.count) node(s) of cluster '\(inventory.cluster)' as planned?")
            else {
                console.say("Not confirmed; nothing was changed.")
                return 2
            }
        }
        guard let state else { preconditionFailure("a real run has a state dir") }
        return await execute(plan: plan, nodes: nodes, state: state, runID: runID, runDirectory: runDirectory,
                             request: request, events: events, collector: collector, facts: facts, replay: nil)
    }

    /// Starts (or continues) the controller and turns its outcome into an exit code, a summary and a report.
    func execute(plan: RollPlan, nodes: [NodeAccess], state: StateDirectory, runID: String, runDirectory: String,
                 request: RunRequest, events: FanOutSink, collector: CollectingSink, facts: [NodeFacts],
                 replay: JournalReplay?) async -> Int32
    {
        let journal: Journal
        do {
            journal = try Journal(path: state.journalPath)
            if replay == nil {
                let inventoryCopy = runDirectory + "/inventory.yml"
                let playbookCopy = runDirectory + "/playbook.yml"
                try? FileManager.default.removeItem(atPath: inventoryCopy)
                try? FileManager.default.removeItem(atPath: playbookCopy)
                try FileManager.default.copyItem(atPath: plan.inventory.sourcePath, toPath: inventoryCopy)
                try FileManager.default.copyItem(atPath: plan.playbook.sourcePath, toPath: playbookCopy)
                let options = (try? JSONLines.line(request.options)).flatMap { try? JSONLines.decode(JSONValue.self, from: $0) }
                try journal.append(JournalRecord(.runStarted, runID: runID, facts: [
                    "cluster": .string(plan.inventory.cluster),
                    "inventory": .string(plan.inventory.sourcePath), "playbook": .string(plan.playbook.sourcePath),
                    "inventory_copy": .string(inventoryCopy), "playbook_copy": .string(playbookCopy),
                    "nodes": .strings(plan.nodes.map(\.node.name)), "options": options ?? .null,
                    "accept_new_host_keys": .bool(request.acceptNewHostKeys),
                    "holder": .string(Lease.forThisProcess(cluster: plan.inventory.cluster, runID: runID).holder),
                ]))
            } else {
                try journal.append(JournalRecord(.runResumed, runID: runID, facts: [
                    "holder": .string(Lease.forThisProcess(cluster: plan.inventory.cluster, runID: runID).holder),
                ]))
            }
        } catch {
            console.error("asroll: cannot write the journal in \(state.path): \(error); nothing was changed")
            return 3
        }
        let started = Date()
        events.emit(RunEvent(.runStarted, runID: runID, message: (replay == nil ? "run \(runID) started" :
            "run \(runID) resumed") + ": \(plan.nodes.count) node(s), playbook '\(plan.playbook.name)', state "
            + runDirectory, details: ["nodes": .strings(plan.nodes.map(\.node.name))]))
        let stop = self.stop
        let console = self.console
        stop.install { _ in
            console.error("\nasroll: interrupt received: finishing the current step, then stopping (press Ctrl-C again "
                + "to stop at once)")
        }
        let rf1 = facts.contains { $0.namespaces.contains { $0.replicationFactor == 1 } }
        let controller = RollController(.init(
            runID: runID, plan: plan, nodes: nodes, journal: journal, events: events, clock: SystemRunClock(),
            stop: stop, options: request.options,
            lease: Lease.forThisProcess(cluster: plan.inventory.cluster, runID: runID, started: started)))
        let outcome = await controller.run(replay: replay, rf1Namespaces: rf1, gateAlreadyPassed: replay == nil)
        ReportWriter.write(events: collector.events, plan: plan, outcome: outcome, directory: runDirectory)
        switch outcome {
        case .finished:
            try? state.archiveJournal(runID: runID)
            console.say("Run \(runID) finished. Report: \(runDirectory)/report.md (timeline: report.html); command "
                + "logs: \(runDirectory)/nodes/")
        case .halted(let failure):
            console.error("\nasroll: HALTED on \(failure.node) at step \(failure.step.rawValue):\n\(failure)\n\n"
                + "Nothing further was touched. The journal and the lease are kept; after fixing the cause run:\n"
                + "  asroll resume --state-dir \(request.stateDir)\nCommand log: \(runDirectory)/nodes/\(failure.node).log")
        case .interrupted:
            console.error("asroll: interrupted. Continue with: asroll resume --state-dir \(request.stateDir)")
        case .refused(let reason):
            console.error("asroll: refused: \(reason)")
        }
        return outcome.exitCode
    }

    // MARK: - helpers

    func load(_ inventoryPath: String, _ playbookPath: String) -> (Inventory, Playbook)? {
        var problems: [ConfigProblem] = []
        var inventory: Inventory?
        var playbook: Playbook?
        do {
            inventory = try ConfigLoader.loadInventory(at: inventoryPath)
        } catch {
            problems += error.problems
        }
        do {
            playbook = try ConfigLoader.loadPlaybook(at: playbookPath)
        } catch {
            problems += error.problems
        }
        guard let inventory, let playbook, problems.isEmpty else {
            console.error(ConfigError(problems: problems).description)
            console.error("asroll: invalid input; nothing was executed on any node.")
            return nil
        }
        return (inventory, playbook)
    }

    enum PlanResult {
        case success(RollPlan)
        case failure(Int32)

        var code: Int32 {
            if case .failure(let code) = self { return code }
            return 0
        }
    }

    func makePlan(_ inventory: Inventory, _ playbook: Playbook, nodes: [String], facts: [String: PlanningFacts],
                  options: RunOptions) -> PlanResult
    {
        do {
            return .success(try Planner.plan(inventory: inventory, playbook: playbook, selected: nodes, facts: facts,
                                             requireWarm: options.requireWarm))
        } catch {
            console.error("asroll: \(error.kind == .unknownNode ? "invalid input" : "refused"): \(error.message)")
            return .failure(error.kind == .unknownNode ? 2 : 3)
        }
    }
}

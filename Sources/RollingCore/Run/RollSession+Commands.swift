import AerospikeInfo
import SSHClient
import Foundation
import SystemSupport

extension RollSession {
    // MARK: - check

    /// `asroll check`: the read-only preflight, the plan's refusals and the gate; exit 0 when a roll could start.
    public func check(inventoryPath: String, playbookPath: String?) async -> Int32 {
        guard let (inventory, playbook) = loadForInspection(inventoryPath, playbookPath) else { return 2 }
        guard let nodes = inspectionAccess(inventory, playbook) else { return 3 }
        let preflight = Preflight(inventory: inventory, playbook: playbook)
        let facts = await preflight.gather(nodes)
        for fact in facts { console.say(FactsRenderer.line(fact)) }
        var reasons: [String] = preflight.localProblems().map(\.description)
        switch makePlan(inventory, playbook, nodes: [], facts: Preflight.planningFacts(facts), options: RunOptions()) {
        case .failure(let code): return code
        case .success(let plan):
            reasons += preflight.refusals(facts: facts, plan: plan, options: RunOptions()).map(\.description)
            for node in plan.nodes where !node.mode.isWarm {
                console.say("\(node.node.name) would COLD restart: "
                    + node.mode.coldReasons.map(\.message).joined(separator: "; ") + ". Risk: "
                    + RestartMode.coldRestartRisk)
            }
        }
        let events = FanOutSink(console.eventSinks)
        let gate = RollController.gate(plan: RollPlan(inventory: inventory, playbook: playbook, nodes: []),
                                       nodes: nodes, clock: SystemRunClock(), events: events, runID: nil, stop: stop)
        let outcome = await gate.waitImmediately(for: GateCriteria(expectedSize: inventory.nodes.count),
                                                     purpose: .preflight)
        if case .passed = outcome {} else {
            reasons.append("the cluster gate does not pass: \(outcome.verdict?.summary ?? "interrupted")")
        }
        await close(nodes)
        console.json(.object(["refusals": .strings(reasons), "ok": .bool(reasons.isEmpty)]))
        if reasons.isEmpty {
            console.say("check: a roll could start now (gate passes, nothing to refuse).")
            return 0
        }
        console.say("check: a roll would be REFUSED:")
        for reason in reasons { console.say("  - \(reason)") }
        return 3
    }

    // MARK: - status

    /// `asroll status`: one row per node.
    public func status(inventoryPath: String) async -> Int32 {
        guard let (inventory, playbook) = loadForInspection(inventoryPath, nil),
            let nodes = inspectionAccess(inventory, playbook)
        else { return 2 }
        let facts = await Preflight(inventory: inventory, playbook: playbook).gather(nodes)
        await close(nodes)
        console.say(FactsRenderer.table(facts))
        for fact in facts {
            if let problem = fact.sshProblem { console.say("\(fact.node): SSH \(problem.kind): \(problem.message)") }
            if let lease = fact.lease { console.say("\(fact.node): lease held by \(lease.summary)") }
        }
        console.json(.array(facts.map { fact in
            .object([
                "node": .string(fact.node), "reachable": .bool(fact.isReachable),
                "asd_running": fact.asdRunning.map(JSONValue.bool) ?? .null,
                "cluster_size": fact.statistics.map { .int($0.clusterSize) } ?? .null,
                "cluster_key": fact.statistics.map { .string($0.clusterKey) } ?? .null,
                "migrations_remaining": fact.statistics.map { .int($0.migratePartitionsRemaining) } ?? .null,
                "quiesced": .bool(fact.isQuiesced),
                "lease": fact.lease.map { .string($0.summary) } ?? .null,
            ])
        }))
        return 0
    }

    // MARK: - unlock

    /// `asroll unlock --force`: prints every lease and who held it, then removes it.
    public func unlock(inventoryPath: String) async -> Int32 {
        guard let (inventory, playbook) = loadForInspection(inventoryPath, nil),
            let nodes = inspectionAccess(inventory, playbook)
        else { return 2 }
        var failures = 0
        for node in nodes {
            do {
                let read = try await node.runChecked(Lease.readCommand(path: inventory.lease.path), step: .cleanup,
                                                     timeout: playbook.timeouts.command)
                let lease = try? Lease.parse(read.stdout)
                if read.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    console.say("\(node.name): no lease")
                    continue
                }
                console.say("\(node.name): removing the lease held by "
                    + (lease?.summary ?? "an unreadable holder (\(read.stdout.prefix(80)))"))
                try await node.runChecked(Lease.forceRemoveCommand(path: inventory.lease.path), step: .cleanup,
                                          timeout: playbook.timeouts.command)
            } catch {
                failures += 1
                console.error("\(node.name): could not remove the lease: \(error)")
            }
        }
        await close(nodes)
        return failures == 0 ? 0 : 1
    }

    // MARK: - abandon

    /// `asroll abandon`: archives the unfinished run's journal after confirmation.
    public func abandon(stateDir: String, assumeYes: Bool) -> Int32 {
        let state: StateDirectory
        do {
            state = try StateDirectory(path: stateDir)
        } catch {
            console.error("asroll: \(error)")
            return 3
        }
        guard state.hasUnfinishedRun else {
            console.error("asroll: no unfinished run in \(state.path); nothing to abandon")
            return 2
        }
        let records = (try? Journal.read(path: state.journalPath).records) ?? []
        let replay = try? JournalReplay(records: records)
        let runID = replay?.runID ?? records.first?.runID ?? "unknown"
        console.say(ResumeSummary.text(replay, records: records))
        console.say("Abandoning leaves every node as it is now; the leases stay until `asroll unlock -i INVENTORY "
            + "--force`.")
        if !assumeYes {
            guard console.canAsk, console.confirm("Abandon run \(runID)?") else {
                console.say("Not abandoned.")
                return 2
            }
        }
        do {
            try Journal(path: state.journalPath).append(JournalRecord(.runAbandoned, runID: runID))
            try state.archiveJournal(runID: runID)
        } catch {
            console.error("asroll: could not archive the journal: \(error)")
            return 3
        }
        console.say("Run \(runID) abandoned; its journal is in \(state.runDirectory(runID))/journal.jsonl.")
        return 0
    }

    // MARK: - resume

    /// `asroll resume`: continues the unfinished run of the state dir.
    public func resume(stateDir: String, assumeYes: Bool) async -> Int32 {
        let state: StateDirectory
        do {
            state = try StateDirectory(path: stateDir)
        } catch {
            console.error("asroll: \(error)")
            return 3
        }
        guard state.hasUnfinishedRun else {
            console.error("asroll: no unfinished run in \(state.path); nothing to resume")
            return 2
        }
        let replay: JournalReplay
        do {
            replay = try JournalReplay(records: Journal.read(path: state.journalPath).records)
        } catch {
            console.error("asroll: refused: cannot resume from \(state.journalPath): \(error)")
            return 3
        }
        guard replay.isResumable else {
            try? state.archiveJournal(runID: replay.runID)
            console.say("Run \(replay.runID) had already \(replay.ending == .runFinished ? "finished" : "been abandoned"); "
                + "its journal is now archived.")
            return 0
        }
        guard let inventoryCopy = replay.startFacts["inventory_copy"]?.stringValue,
            let playbookCopy = replay.startFacts["playbook_copy"]?.stringValue,
            let (inventory, playbook) = load(inventoryCopy, playbookCopy)
        else {
            console.error("asroll: refused: the run's copies of its inventory and playbook are missing from \(state.path)")
            return 3
        }
        let selected = replay.startFacts["nodes"].flatMap { value -> [String]? in
            guard case .array(let items) = value else { return nil }
            return items.compactMap(\.stringValue)
        } ?? []
        let options = replay.startFacts["options"].flatMap { try? JSONLines.line($0) }
            .flatMap { try? JSONLines.decode(RunOptions.self, from: $0) } ?? RunOptions()
        let acceptNew = replay.startFacts["accept_new_host_keys"]?.boolValue ?? false
        let runDirectory = state.runDirectory(replay.runID)
        let collector = CollectingSink()
        let events: FanOutSink
        let nodes: [NodeAccess]
        do {
            events = FanOutSink(console.eventSinks + [try JSONLinesFileSink(path: runDirectory + "/events.jsonl"),
                                                       collector])
            nodes = try NodeConnector.access(for: inventory, playbook: playbook, logDirectory: runDirectory + "/nodes",
                                             acceptNewHostKeys: acceptNew, logger: logger)
        } catch {
            console.error("asroll: cannot write into \(runDirectory): \(error)")
            return 3
        }
        console.say(ResumeSummary.text(replay, records: []))
        let preflight = Preflight(inventory: inventory, playbook: playbook)
        let facts = await preflight.gather(nodes)
        for fact in facts { events.emit(RunEvent(.preflight, runID: replay.runID, node: fact.node, message: FactsRenderer.line(fact))) }
        let plan: RollPlan
        switch makePlan(inventory, playbook, nodes: selected, facts: Preflight.planningFacts(facts), options: options) {
        case .failure(let code): return code
        case .success(let live): plan = live
        }
        if let current = replay.currentNode, let recordedMode = replay.currentNodeFacts["mode"]?.stringValue,
            let nodePlan = plan.node(named: current), (nodePlan.mode.isWarm ? "warm" : "cold") != recordedMode
        {
            console.error("asroll: refused: \(current) was being rolled \(recordedMode) but would now be "
                + "\(nodePlan.mode.isWarm ? "warm" : "cold") (\(nodePlan.mode.coldReasons.map(\.message).joined(separator: "; "))). "
                + "Finish \(current) by hand, then `asroll abandon` and plan again.")
            return 3
        }
        let quiescedByUs = replay.completedSteps.contains(.quiesce) || replay.inFlightStep == .quiesce
        let refusals = preflight.refusals(facts: facts, plan: plan, options: options, ownRunID: replay.runID,
                                          ownQuiescedNode: quiescedByUs ? replay.currentNode : nil,
                                          inProgressNode: replay.currentNode,
                                          rebootingNode: replay.inFlightStep == .reboot ? replay.currentNode : nil)
        guard refusals.isEmpty else {
            for refusal in refusals { events.emit(RunEvent(.refused, runID: replay.runID, message: refusal.description)) }
            console.error("asroll: resume refused (\(refusals.count) reason(s) above); nothing was changed.")
            await close(nodes)
            return 3
        }
        if !assumeYes {
            guard console.canAsk, console.confirm("Resume run \(replay.runID)?") else {
                console.error("asroll: not confirmed (no terminal? use --yes); nothing was changed.")
                await close(nodes)
                return 2
            }
        }
        let request = RunRequest(inventoryPath: inventory.sourcePath, playbookPath: playbook.sourcePath,
                                 nodes: selected, assumeYes: true, options: options, stateDir: stateDir,
                                 acceptNewHostKeys: acceptNew)
        let code = await execute(plan: plan, nodes: nodes, state: state, runID: replay.runID,
                                 runDirectory: runDirectory, request: request, events: events, collector: collector,
                                 facts: facts, replay: replay)
        await close(nodes)
        return code
    }

    // MARK: - helpers

    /// The inventory, and the playbook or the SPEC's defaults, for the read-only commands.
    func loadForInspection(_ inventoryPath: String, _ playbookPath: String?) -> (Inventory, Playbook)? {
        if let playbookPath { return load(inventoryPath, playbookPath) }
        do {
            return (try ConfigLoader.loadInventory(at: inventoryPath), Playbook(name: "defaults"))
        } catch {
            console.error(error.description)
            console.error("asroll: invalid input; nothing was executed on any node.")
            return nil
        }
    }

    /// Access to every node without command logs, for the read-only commands.
    func inspectionAccess(_ inventory: Inventory, _ playbook: Playbook) -> [NodeAccess]? {
        do {
            return try NodeConnector.access(for: inventory, playbook: playbook, logDirectory: nil,
                                            acceptNewHostKeys: false, logger: logger)
        } catch {
            console.error("asroll: \(error)")
            return nil
        }
    }

    func close(_ nodes: [NodeAccess]) async {
        for node in nodes {
            await node.shell.close()
            await node.info.close()
        }
    }
}

/// Where an unfinished run stands, in words.
enum ResumeSummary {
    static func text(_ replay: JournalReplay?, records: [JournalRecord]) -> String {
        guard let replay else {
            return "The journal cannot be replayed (\(records.count) records)."
        }
        var lines = ["Run \(replay.runID): nodes done: "
            + (replay.finishedNodes.isEmpty ? "none" : replay.finishedNodes.joined(separator: ", "))]
        if let current = replay.currentNode {
            lines.append("\(current) was in progress: steps done: "
                + (replay.completedSteps.isEmpty ? "none" : replay.completedSteps.map(\.rawValue).joined(separator: ", ")))
            if let inFlight = replay.inFlightStep {
                lines.append("\(current): step \(inFlight.rawValue) was in flight; resume re-probes the node before "
                    + "repeating anything")
            }
        }
        if let ending = replay.ending { lines.append("The run ended with \(ending.rawValue).") }
        if let current = replay.currentNode, let advice = advice(for: current, done: Set(replay.completedSteps)) {
            lines.append("To bring \(current) back by hand before abandoning: \(advice)")
        }
        return lines.joined(separator: "\n")
    }

    /// What an operator does by hand to put a node left mid-cycle back in service (docs/operations.md).
    static func advice(for node: String, done: Set<StepKind>) -> String? {
        if done.contains(.start) { return nil }
        if !done.contains(.stop) {
            return done.contains(.quiesce)
                ? "it may still be quiesced: `asinfo -v quiesce-undo:` then `asinfo -v recluster:` on \(node)" : nil
        }
        let start = "`sudo systemctl enable aerospike && sudo systemctl start aerospike`"
        if !done.contains(.reboot) {
            return "asd is stopped and the host was not rebooted, so its indexes are still in memory: \(start) "
                + "(it warm restarts)"
        }
        if done.contains(.backup) && !done.contains(.restore) {
            return "the host was rebooted after the index backup: restore it first (`sudo asmt -r -v -p <backup_dir> "
                + "-n <namespaces>`), then \(start)"
        }
        return "\(start)"
    }
}

import Foundation
import AerospikeInfo
import SystemSupport

extension NodeCycle {
    /// `quiesce:`, verified `pending_quiesce`; `recluster:` on every node (one `ok` needed); wait for
    /// `effective_is_quiesced` and `nodes_quiesced >= 1`; then for traffic to drain (SPEC §5 step 1).
    func quiesce(_ budget: Budget) async throws(StepFailure) -> StepResult {
        if retrying == .quiesce, !(try await isRunning(step: .quiesce)) {
            // The controller died after the stop had begun: there is nothing left to quiesce.
            return StepResult(facts: ["skipped": "asd already stopped"])
        }
        let reply = try await access.info([InfoCommand.quiesce], step: .quiesce, timeout: commandTimeout)
        let answer = reply[InfoCommand.quiesce] ?? ""
        guard answer == "ok" else {
            throw StepFailure(node: name, step: .quiesce, kind: .commandFailed,
                              message: "`quiesce:` answered '\(answer)'", command: InfoCommand.quiesce,
                              hint: quiesceHint(for: answer))
        }
        try await poll("pending_quiesce=true in every namespace", step: .quiesce, budget: budget) {
            () async throws(StepFailure) -> (done: Bool, status: String) in
            let statuses = try await namespaceStatuses(step: .quiesce)
            let pending = statuses.filter { !$0.pendingQuiesce }.map(\.name)
            return (pending.isEmpty, pending.isEmpty ? "pending" : "not pending in \(pending.joined(separator: ", "))")
        }
        try await recluster(step: .quiesce)
        try await poll("the quiesce to take effect", step: .quiesce, budget: budget) {
            () async throws(StepFailure) -> (done: Bool, status: String) in
            let statuses = try await namespaceStatuses(step: .quiesce)
            let waiting = statuses.filter { !$0.effectiveIsQuiesced || $0.nodesQuiesced < 1 }
            return (waiting.isEmpty, waiting.map {
                "\($0.name): effective_is_quiesced=\($0.effectiveIsQuiesced) nodes_quiesced=\($0.nodesQuiesced)"
            }.joined(separator: ", "))
        }
        try await poll("client traffic to drain", step: .quiesce, budget: budget) {
            () async throws(StepFailure) -> (done: Bool, status: String) in
            let response = try await access.info([InfoCommand.statistics, InfoCommand.latencies], step: .quiesce,
                                                 timeout: commandTimeout)
            let proxies = (try? NodeStatistics(parsing: response[InfoCommand.statistics] ?? ""))?.proxyInProgress ?? 0
            let ops = (try? LatenciesReply(parsing: response[InfoCommand.latencies] ?? ""))?.totalOpsPerSecond ?? 0
            return (proxies == 0 && ops < 1, "proxy_in_progress=\(proxies), \(String(format: "%.1f", ops)) ops/s")
        }
        if waitForMigrationsBeforeStop {
            // Replication factor 1: the node's partitions exist nowhere else until the handoff's migrations finish.
            let outcome = await gate.wait(for: GateCriteria(expectedSize: cluster.count, quiescedByThisRun: [name]),
                                          timeout: budget.remaining, purpose: .migrations, node: name)
            guard case .passed = outcome else {
                throw gateFailure(outcome, step: .quiesce, what: "migrations after the quiesce (replication factor 1)")
            }
        }
        return StepResult(facts: ["quiesced": true])
    }

    /// `recluster:` on every node; the principal answers `ok`, the others `ignored-by-non-principal`.
    func recluster(step: StepKind) async throws(StepFailure) {
        var answers: [String] = []
        for node in cluster {
            let reply = try? await node.info([InfoCommand.recluster], step: step, timeout: commandTimeout)
            answers.append("\(node.name): \(reply?[InfoCommand.recluster] ?? "no answer")")
            if reply?[InfoCommand.recluster] == "ok" { return }
        }
        throw StepFailure(node: name, step: step, kind: .commandFailed,
                          message: "no node answered ok to `recluster:` (\(answers.joined(separator: "; ")))",
                          command: InfoCommand.recluster,
                          hint: "the principal must answer ok; check that every node is up and that the info user "
                              + "may run service-ctrl commands, then `asroll resume`")
    }

    /// Undoes this run's quiesce of the node (a halt before the stop): `quiesce-undo:` then `recluster:`.
    public func undoQuiesce() async throws(StepFailure) {
        let reply = try await access.info([InfoCommand.quiesceUndo], step: .quiesce, timeout: commandTimeout)
        guard reply[InfoCommand.quiesceUndo] == "ok" else {
            throw StepFailure(node: name, step: .quiesce, kind: .commandFailed,
                              message: "`quiesce-undo:` answered '\(reply[InfoCommand.quiesceUndo] ?? "")'",
                              command: InfoCommand.quiesceUndo,
                              hint: "run `asinfo -v quiesce-undo:` then `asinfo -v recluster:` on \(name) by hand")
        }
        try await recluster(step: .quiesce)
    }

    private func quiesceHint(for answer: String) -> String {
        switch InfoErrorReply(answer)?.reason {
        case .permanentlyQuiesced?: "\(name) is configured stay-quiesced; remove that setting or leave the node out"
        case .enterpriseOnly?: "quiesce needs Enterprise Edition; set `quiesce: false` in the playbook for this cluster"
        case .roleViolation?: "the info user lacks the service-ctrl permission; grant it, then `asroll resume`"
        default: "check \(name)'s info port and server log, then `asroll resume`"
        }
    }

    /// A gate wait that did not pass, as a failure of `step`.
    func gateFailure(_ outcome: GateOutcome, step: StepKind, what: String) -> StepFailure {
        switch outcome {
        case .stopped:
            return StepFailure(node: name, step: step, kind: .interrupted, message: "stopped while waiting for \(what)",
                               hint: "`asroll resume` waits again")
        case .timedOut(let verdict, let waited):
            return StepFailure(node: name, step: step, kind: .timedOut,
                               message: "\(what) did not complete within \(waited.formattedSeconds): \(verdict.summary)",
                               hint: "look at the nodes named above (asd running? network? migrations stuck?); "
                                   + "nothing further was touched. `asroll resume` waits again")
        case .passed:
            preconditionFailure("a passed gate is not a failure")
        }
    }
}

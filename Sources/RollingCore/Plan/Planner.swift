import AerospikeInfo
import SystemSupport

/// What is known about a node beyond the files: gathered live by `check`, `run` and `--dry-run`.
public struct PlanningFacts: Sendable, Equatable {
    /// The server's version and edition.
    public var server: ServerIdentity?
    /// Memory-error counters from EDAC, when the node has them.
    public var memoryErrors: MemoryErrorCounts?

    /// Facts about one node.
    public init(server: ServerIdentity? = nil, memoryErrors: MemoryErrorCounts? = nil) {
        self.server = server
        self.memoryErrors = memoryErrors
    }
}

/// Corrected and uncorrected memory errors summed over a node's memory controllers
/// (`/sys/devices/system/edac/mc/mc*/{ce_count,ue_count}`).
public struct MemoryErrorCounts: Sendable, Equatable, Codable {
    /// Corrected errors.
    public var corrected: Int
    /// Uncorrected errors.
    public var uncorrected: Int

    /// Counts.
    public init(corrected: Int, uncorrected: Int) {
        self.corrected = corrected
        self.uncorrected = uncorrected
    }
}

/// A plan that cannot be made.
public struct PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why.
    public enum Kind: Sendable, Equatable {
        /// `--node` names a node the inventory does not have (invalid input, exit 2).
        case unknownNode
        /// A warm restart was required for a node that must go cold (refused for safety, exit 3).
        case warmRestartRefused
    }

    /// Why.
    public var kind: Kind
    /// What to tell the operator.
    public var message: String

    public var description: String { message }
}

/// Turns an inventory, a playbook and what is known about the nodes into the exact per-node plan (SPEC §5).
///
/// Pure: `asroll plan` calls it with the files alone, `run` and `--dry-run` with live facts added, and the roll
/// executes the commands it lists.
public enum Planner {
    /// Plans the roll of `selected` nodes (all when empty), in inventory order.
    ///
    /// - Parameters:
    ///   - requireWarm: refuse when any selected node would cold restart (`--require-warm`).
    /// - Throws: `PlanError` for an unknown node, or when a warm restart is required of a node that must go cold.
    public static func plan(inventory: Inventory, playbook: Playbook, selected: [String] = [],
                            facts: [String: PlanningFacts] = [:], requireWarm: Bool = false) throws(PlanError)
        -> RollPlan
    {
        let known = Set(inventory.nodes.map(\.name))
        let unknown = selected.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw PlanError(kind: .unknownNode, message: "--node \(unknown.joined(separator: ", ")): not in "
                + "\(inventory.sourcePath) (its nodes: \(inventory.nodes.map(\.name).joined(separator: ", ")))")
        }
        let chosen = selected.isEmpty ? inventory.nodes : inventory.nodes.filter { selected.contains($0.name) }
        let commands = NodeCommandLines(inventory: inventory, playbook: playbook)
        var plans: [NodePlan] = []
        for node in chosen {
            let position = inventory.nodes.firstIndex(of: node).map { $0 + 1 } ?? 0
            let mode = restartMode(of: node, facts: facts[node.name], policy: inventory.memoryErrors)
            if requireWarm, case .cold(let reasons) = mode {
                throw PlanError(kind: .warmRestartRefused, message: "\(node.name): a warm restart was required "
                    + "(--require-warm) but is refused: \(reasons.map(\.message).joined(separator: "; ")). "
                    + "Restoring this node's segments could bring back corrupt or oversized indexes; let it cold "
                    + "restart (drop --require-warm), or leave it out of this run with --node.")
            }
            plans.append(NodePlan(node: node, position: position, mode: mode,
                                  steps: steps(for: node, mode: mode, inventory: inventory, playbook: playbook,
                                               commands: commands),
                                  commands: commands))
        }
        return RollPlan(inventory: inventory, playbook: playbook, nodes: plans)
    }

    /// Warm unless something makes restoring the node's segments unsafe or impossible.
    public static func restartMode(of node: NodeSpec, facts: PlanningFacts?, policy: MemoryErrorPolicy)
        -> RestartMode
    {
        var reasons: [ColdReason] = []
        if node.flags.contains(.dimmFault) {
            reasons.append(ColdReason(.dimmFault, "flagged dimm-fault in the inventory: segments saved from suspect "
                + "memory may hold corrupt data and must never be restored"))
        }
        if node.flags.contains(.postExpansion) {
            reasons.append(ColdReason(.postExpansion, "flagged post-expansion in the inventory: a cold restart "
                + "reclaims the shared memory left oversized by the cluster expansion"))
        }
        if let errors = facts?.memoryErrors {
            if errors.uncorrected > 0 {
                reasons.append(ColdReason(.memoryErrors, "EDAC reports \(errors.uncorrected) uncorrected memory "
                    + "errors: its segments may hold corrupt data"))
            } else if let threshold = policy.correctedThreshold, errors.corrected >= threshold {
                reasons.append(ColdReason(.memoryErrors, "EDAC reports \(errors.corrected) corrected memory "
                    + "errors, at or above the inventory's threshold of \(threshold): treating its memory as suspect"))
            }
        }
        if let server = facts?.server, !server.isEnterprise {
            reasons.append(ColdReason(.communityEdition, "runs \(server.edition), which has no warm restart"))
        }
        return reasons.isEmpty ? .warm : .cold(reasons)
    }

    private static func steps(for node: NodeSpec, mode: RestartMode, inventory: Inventory, playbook: Playbook,
                              commands c: NodeCommandLines) -> [PlannedStep]
    {
        let t = playbook.timeouts
        let infoTarget = inventory.info.via == .direct ? "\(node.host):\(node.infoPort)" : "asinfo on \(node.name)"
        func info(_ command: String, mutates: Bool, _ purpose: String, target: String? = nil) -> PlannedCommand {
            inventory.info.via == .direct
                ? PlannedCommand(.info(target: target ?? infoTarget), command, mutates: mutates, purpose: purpose)
                : PlannedCommand(.shell, c.asinfo(command), mutates: mutates,
                                 purpose: purpose + (target.map { " (\($0))" } ?? ""))
        }
        func shell(_ line: String, mutates: Bool, _ purpose: String) -> PlannedCommand {
            PlannedCommand(.shell, line, mutates: mutates, purpose: purpose)
        }
        func wait(_ condition: String) -> PlannedCommand {
            PlannedCommand(.wait, condition, mutates: false, purpose: "poll")
        }
        let namespaces = inventory.namespaces
        let isWarm = mode.isWarm
        var steps: [PlannedStep] = []

        // A one-node cluster cannot quiesce its only node (the server ignores it); there is nowhere for clients to go.
        // Quiesce is Enterprise-only: Community Edition answers `ERROR:25:enterprise only`.
        let isCommunity = mode.coldReasons.contains { $0.kind == .communityEdition }
        if playbook.quiesce && inventory.nodes.count > 1 && !isCommunity {
            steps.append(PlannedStep(
                kind: .quiesce,
                summary: "quiesce the node so clients and masters move away; wait until traffic has drained",
                commands: [
                    info(InfoCommand.quiesce, mutates: true, "quiesce at the next rebalance"),
                    wait("pending_quiesce=true in " + namespaces.map(InfoCommand.namespace).joined(separator: ", ")),
                    info(InfoCommand.recluster, mutates: true, "rebalance; at least one node (the principal) answers ok",
                         target: "every node"),
                    wait("effective_is_quiesced=true and nodes_quiesced>=1"),
                    wait("proxy_in_progress=0 (statistics) and no operations in latencies:"),
                ],
                timeout: t.quiesce))
        }
        steps.append(PlannedStep(
            kind: .disableAutostart,
            summary: "keep asd from starting at boot before asroll starts it",
            commands: [shell(c.disableAutostart, mutates: true, "disable autostart")],
            timeout: t.command))
        steps.append(PlannedStep(
            kind: .stop,
            summary: "stop asd; verified not running and a clean shutdown in the server log",
            commands: [
                shell(c.nodeClock, mutates: false, "the node's clock, to read the log from"),
                shell(c.stop, mutates: true, "stop asd"),
                shell(c.isRunning, mutates: false, "must report not running"),
                shell(c.serverLog(sinceEpoch: "<clock before the stop>"), mutates: false,
                      "must show 'finished clean shutdown - exiting'"),
            ],
            timeout: t.stop))
        if isWarm && playbook.reboot {
            steps.append(PlannedStep(
                kind: .backup,
                summary: "back up the indexes; verified by exit 0 and 'Successfully backed up' for every namespace",
                commands: [
                    shell(c.removeBackup, mutates: true, "empty the backup directory of stale files"),
                    shell(c.analyzeBackup, mutates: false, "asmt dry run"),
                    shell(c.backup, mutates: true, "asmt backup"),
                ],
                timeout: t.backup))
        }
        if !isWarm {
            steps.append(PlannedStep(
                kind: .discardBackup,
                summary: "delete any backup files of this node so its segments can never be restored",
                commands: [shell(c.removeBackup, mutates: true, "delete stale backup files")],
                timeout: t.command))
        }
        if !c.maintenance.isEmpty {
            steps.append(PlannedStep(
                kind: .maintenance,
                summary: "the playbook's maintenance, in order; each must exit 0",
                commands: c.maintenance.map { shell($0, mutates: true, "maintenance") },
                timeout: t.maintenance))
        }
        if playbook.reboot {
            steps.append(PlannedStep(
                kind: .reboot,
                summary: "reboot; verified by SSH coming back with a different boot id",
                commands: [
                    shell(c.bootID, mutates: false, "boot id before"),
                    shell(c.markedReboot, mutates: true, "mark the reboot in /run (emptied by the boot), reboot"),
                    wait("SSH drops and comes back"),
                    shell(c.bootID, mutates: false, "must differ from the boot id before"),
                ],
                timeout: t.reboot))
        } else if !isWarm {
            steps.append(PlannedStep(
                kind: .removeSegments,
                summary: "remove the node's Aerospike segments so that it really cold starts",
                commands: [
                    shell(c.listSegments, mutates: false, "find keys 0xae*, 0xa2*, 0xad*"),
                    shell(c.removeSegment(key: "<each key>"), mutates: true, "remove each segment"),
                ],
                timeout: t.command))
        }
        if isWarm && playbook.reboot {
            steps.append(PlannedStep(
                kind: .restore,
                summary: "restore the indexes; verified by exit 0 and 'Successfully restored' for every namespace",
                commands: [
                    shell(c.isRunning, mutates: false, "asd must not be running"),
                    shell(c.listSegments, mutates: false, "no Aerospike segments may exist yet"),
                    shell(c.analyzeRestore, mutates: false, "asmt dry run"),
                    shell(c.restore, mutates: true, "asmt restore"),
                ],
                timeout: t.restore))
        }
        steps.append(PlannedStep(
            kind: .start,
            summary: isWarm ? "start asd; it answers status=ok once its indexes are loaded (seconds when warm)"
                : "start asd; it answers status=ok once it has rebuilt its indexes (can take hours)",
            commands: [
                shell(c.enableAutostart, mutates: true, "re-enable autostart"),
                shell(c.nodeClock, mutates: false, "the node's clock, to read the log from"),
                shell(c.start, mutates: true, "start asd"),
                info(InfoCommand.status, mutates: false, "poll until ok"),
            ],
            timeout: isWarm ? t.start : t.coldStart))
        let expected = isWarm ? "beginning warm restart" : "beginning cold start"
        steps.append(PlannedStep(
            kind: isWarm ? .verifyWarm : .verifyCold,
            summary: "the server log since the start shows '{ns} \(expected)' for every namespace",
            commands: [shell(c.serverLog(sinceEpoch: "<clock before the start>"), mutates: false,
                             "look for '\(expected)' per namespace")],
            timeout: t.command))
        steps.append(PlannedStep(
            kind: .rejoin,
            summary: "every node sees \(inventory.nodes.count) nodes and one cluster key",
            commands: [wait("gate without migrations on every node, \(playbook.gate.consecutive) polls in a row")],
            timeout: t.rejoin))
        steps.append(PlannedStep(
            kind: .migrations,
            summary: "migrations finished and the whole gate holds",
            commands: [wait("gate on every node (statistics, cluster-stable, namespaces), "
                            + "\(playbook.gate.consecutive) polls \(playbook.gate.interval.formattedSeconds) apart")],
            timeout: t.migrations))
        if isWarm && playbook.reboot {
            steps.append(PlannedStep(
                kind: .cleanup,
                summary: "remove the node's backup files (asmt never overwrites them next time)",
                commands: [shell(c.removeBackup, mutates: true, "delete the backup files")],
                timeout: t.command))
        }
        return steps
    }
}

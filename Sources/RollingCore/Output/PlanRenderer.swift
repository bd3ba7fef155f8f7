import SystemSupport

/// The plan as an operator reads it: every node in order, warm or cold and why, every step with its budget and its
/// exact command lines.
public enum PlanRenderer {
    /// The plan as text.
    public static func text(_ plan: RollPlan, preflightCommands: [String] = []) -> String {
        let inventory = plan.inventory
        let playbook = plan.playbook
        var out: [String] = []
        out.append("Plan: playbook '\(playbook.name)' (\(playbook.sourcePath)) on cluster '\(inventory.cluster)' "
            + "(\(inventory.sourcePath))")
        if let description = playbook.description { out.append("  \(description)") }
        out.append("  \(plan.nodes.count) of \(inventory.nodes.count) node(s), strictly one at a time, in this order: "
            + plan.nodes.map(\.node.name).joined(separator: ", "))
        out.append("  namespaces: \(inventory.namespaces.joined(separator: ", ")); reboot: \(playbook.reboot ? "yes" : "no"); "
            + "quiesce: \(playbook.quiesce ? "yes" : "no")")
        out.append("  gate before the first node, between nodes and after each node: on every node, statistics + "
            + "cluster-stable + namespaces, \(playbook.gate.consecutive) passes in a row, "
            + "\(playbook.gate.interval.formattedSeconds) apart")
        if !preflightCommands.isEmpty {
            out.append("")
            out.append("Read-only preflight on every node:")
            for command in preflightCommands { out.append("    $ \(command)") }
        }
        for node in plan.nodes {
            out.append("")
            let spec = node.node
            let where_ = "ssh \(spec.sshUser)@\(spec.host):\(spec.sshPort), info \(spec.host):\(spec.infoPort)"
            switch node.mode {
            case .warm:
                out.append("node \(node.position)/\(inventory.nodes.count) \(spec.name) (\(where_)): WARM restart")
            case .cold(let reasons):
                out.append("node \(node.position)/\(inventory.nodes.count) \(spec.name) (\(where_)): COLD restart")
                for reason in reasons { out.append("  why: \(reason.message)") }
                out.append("  risk: \(RestartMode.coldRestartRisk)")
                out.append("  its index backup is never taken or restored; stale backup files are deleted")
            }
            for (index, step) in node.steps.enumerated() {
                out.append("  \(index + 1). \(step.kind.rawValue) (timeout \(step.timeout.formattedSeconds)): "
                    + step.summary)
                for command in step.commands {
                    out.append("       " + line(for: command))
                }
            }
        }
        return out.joined(separator: "\n")
    }

    static func line(for command: PlannedCommand) -> String {
        switch command.channel {
        case .shell: "$ \(command.text)"
        case .info(let target): "info \(target): \(command.text)"
        case .wait: "wait: \(command.text)"
        }
    }

    /// The plan as JSON values, for `--json`.
    public static func json(_ plan: RollPlan) -> JSONValue {
        .object([
            "cluster": .string(plan.inventory.cluster),
            "playbook": .string(plan.playbook.name),
            "nodes": .array(plan.nodes.map { node in
                .object([
                    "name": .string(node.node.name),
                    "position": .int(node.position),
                    "mode": .string(node.mode.isWarm ? "warm" : "cold"),
                    "cold_reasons": .strings(node.mode.coldReasons.map(\.message)),
                    "steps": .array(node.steps.map { step in
                        .object([
                            "step": .string(step.kind.rawValue),
                            "summary": .string(step.summary),
                            "timeout_seconds": .number(step.timeout.seconds),
                            "commands": .array(step.commands.map { command in
                                .object(["line": .string(line(for: command)), "mutates": .bool(command.mutates),
                                         "purpose": .string(command.purpose)])
                            }),
                        ])
                    }),
                ])
            }),
        ])
    }
}

import Foundation
import AerospikeInfo

/// One line per node of what the preflight found, and the `status` table.
public enum FactsRenderer {
    /// A one-line summary of `facts`.
    public static func line(_ facts: NodeFacts) -> String {
        if let problem = facts.sshProblem {
            return "\(facts.node): SSH \(problem.kind): \(problem.message)"
        }
        // Every fact gathered is shown, also when it is fine, so that the output proves it was checked.
        var parts: [String] = ["ssh ok" + (facts.hostKeyFingerprint.map { " (host key \($0))" } ?? "")]
        if let server = facts.server { parts.append("\(server.edition) \(server.build)") }
        if let running = facts.asdRunning { parts.append(running ? "asd running" : "asd NOT running") }
        if let stats = facts.statistics {
            parts.append("cluster_size \(stats.clusterSize) key \(stats.clusterKey)")
            if stats.migratePartitionsRemaining > 0 { parts.append("migrations \(stats.migratePartitionsRemaining)") }
        }
        for namespace in facts.namespaces {
            parts.append("\(namespace.name): RF \(namespace.replicationFactor)"
                + (namespace.strongConsistency ? " SC" : "") + (namespace.pendingQuiesce ? " QUIESCED" : ""))
        }
        if !facts.segments.isEmpty {
            parts.append("segments \(Preflight.bytes(facts.segments.reduce(0) { $0 + $1.bytes }))")
        }
        if let free = facts.backupFreeBytes { parts.append("backup dir free \(Preflight.bytes(free))") }
        if let errors = facts.memoryErrors { parts.append("EDAC ce=\(errors.corrected) ue=\(errors.uncorrected)") }
        if let sudo = facts.sudoWithoutPassword { parts.append(sudo ? "sudo ok" : "sudo WANTS A PASSWORD") }
        if !facts.missingTools.isEmpty {
            parts.append("missing \(facts.missingTools.joined(separator: ","))")
        } else if facts.toolsChecked {
            parts.append("tools ok")
        }
        if let unit = facts.unitEnabled { parts.append("unit \(unit)") }
        if let lease = facts.lease {
            parts.append("LEASE \(lease.summary)")
        } else if facts.leaseChecked && facts.leaseProblem == nil {
            parts.append("no lease")
        }
        if let problem = facts.infoProblem { parts.append("info: \(problem)") }
        return "\(facts.node): " + parts.joined(separator: "; ")
    }

    /// The `status` table: one row per node.
    public static func table(_ facts: [NodeFacts]) -> String {
        let header = ["NODE", "SSH", "ASD", "CLUSTER", "KEY", "MIGRATIONS", "QUIESCED", "LEASE"]
        let rows: [[String]] = facts.map { fact in
            [
                fact.node,
                fact.sshProblem.map { $0.kind } ?? "ok",
                fact.asdRunning.map { $0 ? "running" : "stopped" } ?? (fact.infoProblem == nil ? "?" : "down"),
                fact.statistics.map { "\($0.clusterSize)" } ?? "-",
                fact.statistics?.clusterKey ?? "-",
                fact.statistics.map { "\($0.migratePartitionsRemaining)" } ?? "-",
                fact.statistics == nil ? "-" : (fact.isQuiesced ? "yes" : "no"),
                fact.lease.map { "\($0.holder) run \($0.runID)" } ?? "-",
            ]
        }
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

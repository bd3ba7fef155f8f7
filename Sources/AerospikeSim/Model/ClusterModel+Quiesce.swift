/// The answer to `recluster:`.
public enum ReclusterOutcome: String, Sendable, Hashable {
    /// On the principal: a rebalance runs and pending quiesces take effect.
    case ok
    /// On any other node.
    case ignoredByNonPrincipal = "ignored-by-non-principal"
}

extension ClusterModel {
    /// `quiesce:` on `name`: pending until the next recluster.
    public mutating func quiesce(_ name: String, source: String, now time: Double) {
        advance(to: time)
        guard let index = index(of: name) else { return }
        nodes[index].quiesce.pending = true
        log(index, asd: "INFO (info): (thr_info.c:1604) quiesced this node")
        record("quiesce", node: name, [("source", .string(source))])
    }

    /// `quiesce-undo:` on `name`: no longer pending; an effective quiesce ends at the next recluster.
    public mutating func quiesceUndo(_ name: String, source: String, now time: Double) {
        advance(to: time)
        guard let index = index(of: name) else { return }
        nodes[index].quiesce.pending = false
        log(index, asd: "INFO (info): (thr_info.c:1630) un-quiesced this node")
        record("quiesce_undo", node: name, [("source", .string(source))])
    }

    /// `recluster:` on `name`. On the principal, pending quiesces take effect (unless every member would be
    /// quiesced), the cluster rebalances with a new key and quiesced masters hand off with a few migrations.
    public mutating func recluster(_ name: String, source: String, now time: Double) -> ReclusterOutcome {
        advance(to: time)
        guard let index = index(of: name), cluster.principal == name else {
            record("recluster", node: name, [("result", "ignored-by-non-principal"), ("source", .string(source))])
            return .ignoredByNonPrincipal
        }
        let members = nodes.indices.filter { cluster.members.contains(nodes[$0].name) }
        let allQuiesced = !members.isEmpty && members.allSatisfy { nodes[$0].quiesce.pending }
        var changed = false
        if allQuiesced {
            for namespace in configuration.namespaces {
                log(index, asd: "WARNING (partition): (partition_balance_ee.c:412) {\(namespace.name)} can't quiesce "
                    + "all nodes - ignoring")
            }
        } else {
            for member in members where nodes[member].quiesce.effective != nodes[member].quiesce.pending {
                changed = true
                nodes[member].quiesce.effective = nodes[member].quiesce.pending
                nodes[member].quiesce.effectiveSince = nodes[member].quiesce.pending ? now : nil
            }
        }
        let quiesced = members.filter { nodes[$0].quiesce.effective }.map { nodes[$0].name }
        record("recluster", node: name, [
            ("result", "ok"), ("source", .string(source)), ("quiesced", .strings(quiesced)),
            ("ignored_all_quiesced", .bool(allQuiesced)),
        ])
        let handoff = changed ? max(1, configuration.timing.migrationsPerChange / 8) : 0
        rebalance(reason: "recluster", migrations: handoff, force: true)
        return .ok
    }

    /// Members effectively quiesced (`nodes_quiesced`).
    public var nodesQuiesced: Int {
        nodes.filter { cluster.members.contains($0.name) && $0.quiesce.effective }.count
    }

    /// The share of normal client traffic node `index` still serves at `time` (falls to 0 once quiesced).
    func trafficShare(_ index: Int, at time: Double) -> Double {
        guard nodes[index].quiesce.effective, let since = nodes[index].quiesce.effectiveSince else { return 1 }
        let drain = max(configuration.timing.trafficDrain, 0.001)
        return max(0, 1 - (time - since) / drain)
    }
}

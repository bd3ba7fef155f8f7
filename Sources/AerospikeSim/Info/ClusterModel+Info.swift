import Foundation

extension ClusterModel {
    /// The value node `name` answers to info command `command`, or `nil` when a ≤7.1 server would silently omit it.
    ///
    /// Replies follow the reference: `statistics`, `namespace/<ns>`, `cluster-stable:` in the 7.2+ or ≤7.1 error
    /// forms, `quiesce:`/`quiesce-undo:`/`recluster:` (EE only), `latencies:` with client load that drains off an
    /// effectively quiesced node, and `ERROR:4:unrecognized command` for anything else.
    public mutating func answerInfo(_ command: String, node name: String, now time: Double) -> String? {
        advance(to: time)
        guard let index = index(of: name) else { return nil }
        let (verb, parameters) = Self.split(command)
        let modern = configuration.usesModernInfoErrors
        let enterprise = configuration.edition == .enterprise
        switch verb {
        case "status": return "ok"
        case "node": return nodes[index].nodeID
        case "build": return configuration.build
        case "version": return "Aerospike \(enterprise ? "Enterprise" : "Community") Edition build "
            + "\(configuration.build)"
        case "edition": return configuration.edition.infoName
        case "release" where configuration.supportsReleaseCommand:
            return "edition=\(configuration.edition.infoName);version=\(configuration.build);os=debian12;arch=x86_64;"
                + "sha=5b4a7e1" + (enterprise ? ";ee-sha=c1d2e3f" : "")
        case "namespaces": return configuration.namespaces.map(\.name).joined(separator: ";")
        case "statistics": return statistics(index)
        case "cluster-stable": return clusterStable(index, parameters: parameters)
        case "quiesce":
            guard enterprise else { return modern ? "ERROR:25:enterprise only" : "ERROR::enterprise-only" }
            quiesce(name, source: "info", now: now)
            return "ok"
        case "quiesce-undo":
            guard enterprise else { return modern ? "ERROR:25:enterprise only" : "ERROR::enterprise-only" }
            quiesceUndo(name, source: "info", now: now)
            return "ok"
        case "recluster": return recluster(name, source: "info", now: now).rawValue
        case "latencies": return latencies(index)
        case "peers-clear-std", "peers-clear-alt": return peers(index)
        case "services", "services-alumni": return cluster.members.filter { $0 != name }
            .map { "\(configuration.address(of: $0)):\(configuration.infoPort)" }.joined(separator: ";")
        case "get-config":
            let context = Self.fields(parameters)
            guard context["context"] == "namespace" else { return "ok" }
            let nsName = context["namespace"] ?? context["id"] ?? ""
            guard let position = configuration.namespaces.firstIndex(where: { $0.name == nsName }) else {
                return modern ? "ERROR:20:namespace not found" : "ERROR::namespace not found"
            }
            return namespaceConfig(position)
        case "set-config": return "ok"
        case "roster":
            let nsName = Self.fields(parameters)["namespace"] ?? ""
            guard let position = configuration.namespaces.firstIndex(where: { $0.name == nsName }) else {
                return modern ? "ERROR:20:namespace not found" : "ERROR::unknown-namespace"
            }
            guard configuration.namespaces[position].strongConsistency else {
                return "roster=null:pending_roster=null:observed_nodes=null"
            }
            let roster = nodes.map(\.nodeID).joined(separator: ",")
            let observed = nodes.filter { cluster.members.contains($0.name) }.map(\.nodeID).joined(separator: ",")
            return "roster=\(roster):pending_roster=\(roster):observed_nodes=\(observed.isEmpty ? "null" : observed)"
        default:
            if verb.hasPrefix("namespace/") {
                let nsName = String(verb.dropFirst("namespace/".count))
                guard let position = configuration.namespaces.firstIndex(where: { $0.name == nsName }) else {
                    return "type=unknown"
                }
                return namespaceInfo(index, position: position)
            }
            return modern ? "ERROR:4:unrecognized command" : nil
        }
    }

    static func split(_ command: String) -> (verb: String, parameters: String) {
        guard let colon = command.firstIndex(of: ":") else { return (command, "") }
        return (String(command[..<colon]), String(command[command.index(after: colon)...]))
    }

    static func fields(_ parameters: String) -> [String: String] {
        var result: [String: String] = [:]
        for piece in parameters.split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        return result
    }

    private func members(_ index: Int) -> [Int] { nodes.indices.filter { cluster.members.contains(nodes[$0].name) } }

    private func statistics(_ index: Int) -> String {
        let node = nodes[index]
        let isMember = cluster.members.contains(node.name)
        let uptime = max(0, Int(now - (node.asd.process?.startedAt ?? now)))
        let share = trafficShare(index, at: now)
        let proxies = share > 0 && share < 1 ? 3 : 0
        let size = cluster.members.count
        let pairs: [(String, String)] = [
            ("failed_best_practices", "false"),
            ("cluster_size", String(size)),
            ("cluster_key", cluster.keyHex),
            ("cluster_generation", String(cluster.generation)),
            ("cluster_principal", cluster.principal.flatMap { self.node($0)?.nodeID } ?? "0"),
            ("cluster_min_compatibility_id", "14"),
            ("cluster_max_compatibility_id", "14"),
            ("cluster_integrity", "true"),
            ("cluster_is_member", String(isMember)),
            ("cluster_duplicate_nodes", "null"),
            ("cluster_clock_skew_stop_writes_sec", "0"),
            ("cluster_clock_skew_ms", "0"),
            ("cluster_clock_skew_outliers", "null"),
            ("uptime", String(uptime)),
            ("system_total_cpu_pct", "4"),
            ("system_free_mem_pct", "87"),
            ("process_cpu_pct", "2"),
            ("threads_joinable", "6"),
            ("threads_detached", "68"),
            ("heap_efficiency_pct", "93"),
            ("objects", String(configuration.namespaces.indices.reduce(0) { $0 + objectCount($1) })),
            ("tombstones", "0"),
            ("info_queue", "0"),
            ("rw_in_progress", "0"),
            ("proxy_in_progress", String(proxies)),
            ("tree_gc_queue", "0"),
            ("client_connections", String(Int((40 * share).rounded()) + 2)),
            ("client_connections_opened", "1833"),
            ("client_connections_closed", "1791"),
            ("heartbeat_connections", String(max(0, size - 1))),
            ("fabric_connections", String(max(0, size - 1) * 24)),
            ("reaped_fds", "0"),
            ("migrate_allowed", String(migrateAllowed(at: now))),
            ("migrate_partitions_remaining", String(node.migrationsRemaining)),
            ("fabric_bulk_send_rate", node.migrationsRemaining > 0 ? "18500" : "0"),
            ("fabric_bulk_recv_rate", node.migrationsRemaining > 0 ? "18200" : "0"),
        ]
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: ";")
    }

    private func clusterStable(_ index: Int, parameters: String) -> String {
        let modern = configuration.usesModernInfoErrors
        let unstable = modern ? "ERROR:7:unstable cluster" : "ERROR::unstable-cluster"
        guard migrateAllowed(at: now) else { return unstable }
        let fields = Self.fields(parameters)
        if let sizeText = fields["size"] {
            if sizeText.count > 3 { return modern ? "ERROR:4:'size' value too long" : "ERROR::bad-size" }
            guard let size = Int(sizeText) else { return modern ? "ERROR:4:bad size" : "ERROR::bad-size" }
            if size != cluster.members.count {
                return modern ? "ERROR:7:cluster not specified size" : "ERROR::cluster-not-specified-size"
            }
        }
        var ignoreMigrations = false
        if let text = fields["ignore-migrations"] {
            let accepted = modern ? ["true": true, "false": false]
                : ["true": true, "false": false, "yes": true, "no": false]
            guard let value = accepted[text] else {
                return modern ? "ERROR:4:bad ignore migrations" : "ERROR::bad-ignore-migrations"
            }
            ignoreMigrations = value
        }
        var positions = Array(configuration.namespaces.indices)
        if let nsName = fields["namespace"] {
            guard let position = configuration.namespaces.firstIndex(where: { $0.name == nsName }) else {
                return modern ? "ERROR:20:namespace not found on node" : "ERROR::unknown-namespace"
            }
            positions = [position]
        }
        if !ignoreMigrations {
            for position in positions {
                let (unavailable, dead) = partitionHealth(position)
                if nodes[index].migrations[position].remaining + unavailable + dead != 0 { return unstable }
            }
        }
        return cluster.keyHex
    }

    /// (unavailable, dead) partitions of namespace `position`: an SC namespace loses partitions when at least RF
    /// roster nodes are out of the cluster, and has the dead partitions `ctl dead-partitions` gave it.
    func partitionHealth(_ position: Int) -> (Int, Int) {
        let namespace = configuration.namespaces[position]
        guard namespace.strongConsistency else { return (0, 0) }
        let dead = deadPartitions[namespace.name] ?? 0
        let missing = nodes.count - cluster.members.count
        guard missing >= namespace.replicationFactor, !cluster.members.isEmpty else { return (0, dead) }
        return (4096 * missing / max(nodes.count, 1), dead)
    }

    private func namespaceInfo(_ index: Int, position: Int) -> String {
        let node = nodes[index]
        let namespace = configuration.namespaces[position]
        let migrations = node.migrations[position]
        let size = cluster.members.count
        let (unavailable, dead) = partitionHealth(position)
        let masters = objectCount(position) / max(1, namespace.replicationFactor)
        var pairs: [(String, String)] = [
            ("ns_cluster_size", String(size)),
            ("effective_replication_factor", String(min(namespace.replicationFactor, max(size, 1)))),
            ("effective_is_quiesced", String(node.quiesce.effective)),
            ("nodes_quiesced", String(nodesQuiesced)),
            ("effective_prefer_uniform_balance", "true"),
            ("effective_active_rack", "0"),
            ("objects", String(objectCount(position))),
            ("tombstones", "0"),
            ("master_objects", String(masters)),
            ("prole_objects", String(objectCount(position) - masters)),
            ("non_replica_objects", "0"),
            ("unreplicated_records", "0"),
            ("stop_writes", "false"),
            ("hwm_breached", "false"),
            ("migrate_tx_partitions_imbalance", "0"),
            ("migrate_tx_instances", "0"),
            ("migrate_rx_instances", "0"),
            ("migrate_tx_partitions_active", migrations.transmit > 0 ? "1" : "0"),
            ("migrate_rx_partitions_active", migrations.receive > 0 ? "1" : "0"),
            ("migrate_tx_partitions_initial", String(migrations.initial / 2)),
            ("migrate_tx_partitions_remaining", String(Int(migrations.transmit.rounded(.up)))),
            ("migrate_tx_partitions_lead_remaining", "0"),
            ("migrate_rx_partitions_initial", String(migrations.initial - migrations.initial / 2)),
            ("migrate_rx_partitions_remaining", String(Int(migrations.receive.rounded(.up)))),
            ("migrate_records_skipped", "0"),
            ("migrate_records_transmitted", "0"),
            ("migrate_signals_active", "0"),
            ("migrate_signals_remaining", "0"),
            ("appeals_tx_active", "0"),
            ("appeals_rx_active", "0"),
            ("appeals_tx_remaining", "0"),
            ("unavailable_partitions", String(unavailable)),
            ("dead_partitions", String(dead)),
            ("pending_quiesce", String(node.quiesce.pending)),
        ]
        pairs.append(contentsOf: configPairs(position))
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: ";")
    }

    private func configPairs(_ position: Int) -> [(String, String)] {
        let namespace = configuration.namespaces[position]
        return [
            ("replication-factor", String(namespace.replicationFactor)),
            ("strong-consistency", String(namespace.strongConsistency)),
            ("strong-consistency-allow-expunge", "false"),
            ("active-rack", "0"),
            ("allow-ttl-without-nsup", "false"),
            ("default-ttl", "0"),
            ("disable-cold-start-eviction", "false"),
            ("index-type", "shmem"),
            ("migrate-order", "5"),
            ("prefer-uniform-balance", "true"),
            ("rack-id", "0"),
            ("stay-quiesced", "false"),
            ("storage-engine", "memory"),
            ("storage-engine.data-size", String(4 << 30)),
            ("storage-engine.cold-start-empty", "false"),
        ]
    }

    private func namespaceConfig(_ position: Int) -> String {
        configPairs(position).map { "\($0.0)=\($0.1)" }.joined(separator: ";")
    }

    private func latencies(_ index: Int) -> String {
        let share = trafficShare(index, at: now)
        let running = cluster.members.count
        let quiesced = nodesQuiesced
        let spread = running > quiesced && !nodes[index].quiesce.effective
            ? Double(running) / Double(max(1, running - quiesced)) : 1
        var histograms: [String] = ["batch-index:"]
        for (position, namespace) in configuration.namespaces.enumerated() {
            let jitter = Double((nodes[index].index * 37 + position * 11 + Int(now)) % 17) / 100
            let reads = 1200 * (1 + jitter) * share * spread / Double(position + 1)
            let writes = 400 * (1 + jitter) * share * spread / Double(position + 1)
            for (kind, ops) in [("read", reads), ("write", writes)] {
                if ops < 0.05 {
                    histograms.append("{\(namespace.name)}-\(kind):msec,0.0,0.00,0.00,0.00")
                } else {
                    histograms.append(String(format: "{%@}-%@:msec,%.1f,%.2f,%.2f,0.00", namespace.name, kind, ops,
                                             1.2 + jitter, 0.05))
                }
            }
            histograms.append("{\(namespace.name)}-udf:")
            histograms.append("{\(namespace.name)}-query:")
        }
        return histograms.joined(separator: ";")
    }

    private func peers(_ index: Int) -> String {
        let others = cluster.members.filter { $0 != nodes[index].name }.compactMap { node($0) }
        let port = configuration.infoPort == 3000 ? "" : ":\(configuration.infoPort)"
        let entries = others.map { "[\($0.nodeID),,[\($0.address)\(port)]]" }
        return "\(cluster.generation),\(configuration.infoPort),[\(entries.joined(separator: ","))]"
    }
}

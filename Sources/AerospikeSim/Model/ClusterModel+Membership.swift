extension ClusterModel {
    /// Recomputes membership; on a change (or when `force`d by a recluster) the cluster gets a new key and
    /// generation, migrations pause briefly and every member gets `migrations` partitions remaining per namespace.
    mutating func rebalance(reason: String, migrations: Int, force: Bool = false) {
        let members = nodes.filter { $0.asd.isRunning }.map(\.name)
        let previous = cluster.members
        guard force || members != previous else { return }
        drainMigrations(until: now)
        var key = generator.next() & 0xFFFF_FFFF_FFFF
        while key < 0x1000_0000_0000 { key = generator.next() & 0xFFFF_FFFF_FFFF }
        cluster.key = key
        cluster.generation += 1
        cluster.members = members
        cluster.principal = nodes.filter { members.contains($0.name) }.max { $0.nodeID < $1.nodeID }?.name
        cluster.migrateAllowedAt = now + (reason == "formation" ? 0 : configuration.timing.rebalanceTime)
        let perNamespace = members.count >= 2 ? migrations : 0
        for index in nodes.indices {
            let isMember = members.contains(nodes[index].name)
            for position in nodes[index].migrations.indices {
                var counters = NamespaceMigrations()
                if isMember && perNamespace > 0 {
                    counters.transmit = Double(perNamespace / 2)
                    counters.receive = Double(perNamespace - perNamespace / 2)
                    counters.initial = perNamespace
                }
                nodes[index].migrations[position] = counters
            }
        }
        cluster.zeroRecorded = false
        let view: [(String, JSONValue)] = [("cluster_key", .string(cluster.keyHex)),
                                           ("cluster_size", .int(members.count))]
        for name in members where !previous.contains(name) { record("joined", node: name, view) }
        for name in previous where !members.contains(name) { record("left", node: name, view) }
        record("cluster_changed", node: nil, [
            ("cluster_key", .string(cluster.keyHex)), ("cluster_size", .int(members.count)),
            ("cluster_generation", .int(cluster.generation)), ("members", .strings(members)),
            ("principal", cluster.principal.map(JSONValue.string) ?? .null), ("reason", .string(reason)),
            ("migrations_per_namespace", .int(perNamespace)),
        ])
        for name in members {
            guard let index = index(of: name) else { continue }
            log(index, asd: "INFO (clustering): (clustering.c:5797) applied new cluster key "
                + "\(cluster.keyHex.lowercased())")
            log(index, asd: "INFO (clustering): (clustering.c:5807) applied cluster size \(members.count)")
        }
        checkMigrationsZero(at: now)
    }

    /// Whether the stall fault holds migrations on every member.
    var migrationsStalled: Bool {
        nodes.contains { cluster.members.contains($0.name) && $0.stallEngaged && $0.has("migrations-stall") }
    }

    /// Drains migrations on every member from `cluster.drainedUntil` to `time`.
    mutating func drainMigrations(until time: Double) {
        let start = max(cluster.drainedUntil, cluster.migrateAllowedAt)
        defer { cluster.drainedUntil = max(cluster.drainedUntil, time) }
        guard time > start, !migrationsStalled else { return }
        let rate = configuration.timing.migrationRate
        var latestZero = start
        for index in nodes.indices where cluster.members.contains(nodes[index].name) {
            var budget = rate * (time - start)
            let before = nodes[index].migrations.reduce(0.0) { $0 + $1.transmit + $1.receive }
            if before > 0 { latestZero = max(latestZero, start + before / rate) }
            for position in nodes[index].migrations.indices where budget > 0 {
                let transmit = min(budget, nodes[index].migrations[position].transmit)
                nodes[index].migrations[position].transmit -= transmit
                budget -= transmit
                let receive = min(budget, nodes[index].migrations[position].receive)
                nodes[index].migrations[position].receive -= receive
                budget -= receive
            }
        }
        checkMigrationsZero(at: min(latestZero, time))
    }

    private mutating func checkMigrationsZero(at time: Double) {
        guard !cluster.zeroRecorded, !cluster.members.isEmpty,
              nodes.allSatisfy({ !cluster.members.contains($0.name) || $0.migrationsRemaining == 0 })
        else { return }
        cluster.zeroRecorded = true
        outbox.events.append(SimEvent(time: max(time, cluster.migrateAllowedAt), node: nil, name: "migrations_zero",
                                      details: [("cluster_key", .string(cluster.keyHex)),
                                                ("cluster_size", .int(cluster.members.count))]))
    }

    /// Whether migrations are allowed at `time` (false for a moment after each rebalance).
    func migrateAllowed(at time: Double) -> Bool { time >= cluster.migrateAllowedAt }
}

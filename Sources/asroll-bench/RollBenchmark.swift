import Foundation

/// `asroll-bench roll`: a 3-node warm roll of the simulator with fast timings. Prints the wall time and asroll's own
/// overhead per node: the node's wall time minus the time the simulated cluster itself spent in the stop, the
/// backup, the reboot, the restore, the start, the quiesce's traffic drain and the migrations (read from the
/// simulator's record).
enum RollBenchmark {
    /// How long the simulator takes to move client traffic off a quiesced node.
    static let trafficDrain = 0.5

    static func run() async throws {
        let simulator = try Bench.Simulator.up(nodes: 3, baseAddress: "127.0.121.1",
                                               options: ["--fast", "--traffic-drain", "\(Int(trafficDrain * 1000))ms"])
        defer { simulator.down() }
        let playbook = simulator.directory + "/bench-playbook.yml"
        try """
            name: bench
            reboot: true
            quiesce: true
            timeouts: {quiesce: 30s, stop: 30s, backup: 30s, reboot: 30s, restore: 30s, start: 30s, cold_start: 60s,
                       rejoin: 30s, migrations: 60s, command: 15s}
            gate: {interval: 100ms, consecutive: 2}

            """.write(toFile: playbook, atomically: true, encoding: .utf8)
        let started = Date()
        let result = try Bench.run(Bench.product("asroll"), [
            "run", "-i", simulator.directory + "/inventory.yml", "-p", playbook, "--yes", "--json",
            "--state-dir", simulator.directory + "/state",
        ])
        let wall = Date().timeIntervalSince(started)
        guard result.status == 0 else {
            throw BenchError(message: "the roll exited \(result.status):\n\(result.stderr.suffix(2000))")
        }
        let events = result.stdout.split(separator: "\n")
            .compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        let record = try simulator.record()

        print("roll: 3-node warm roll of asroll-sim --fast (gate every 100ms, 2 in a row), total wall time "
            + String(format: "%.2f s", wall))
        print(Bench.row("node", "", "wall", "cluster", "asroll overhead (target <= 1 s per node)"))
        var overheads: [Double] = []
        for node in ["aero-1", "aero-2", "aero-3"] {
            guard let begin = time(of: "node_started", node: node, in: events),
                let end = time(of: "node_finished", node: node, in: events)
            else { throw BenchError(message: "no node_started/node_finished events for \(node)") }
            let nodeWall = end - begin
            let cluster = clusterTime(of: node, record: record, from: begin, to: end)
            let overhead = nodeWall - cluster.total
            overheads.append(overhead)
            print(Bench.row(node, "", String(format: "%.2f s", nodeWall), String(format: "%.2f s", cluster.total),
                            String(format: "%.2f s  ", overhead) + (overhead <= 1 ? "ok" : "MISSED")
                                + "   (" + cluster.parts.map { String(format: "%@ %.2f", $0.0, $0.1) }
                                .joined(separator: ", ") + ")"))
        }
        let average = overheads.reduce(0, +) / Double(overheads.count)
        print(Bench.row("mean", "", "", "", String(format: "%.2f s per node", average)))
    }

    private static func time(of event: String, node: String, in events: [[String: Any]]) -> Double? {
        events.first { $0["event"] as? String == event && $0["node"] as? String == node }
            .flatMap { $0["ts"] as? String }.flatMap(parse)
    }

    private static func parse(_ text: String) -> Double? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))?.timeIntervalSince1970
    }

    /// Seconds the simulated cluster spent on its own in each phase of `node`'s cycle.
    private static func clusterTime(of node: String, record: [[String: Any]], from begin: Double, to end: Double)
        -> (total: Double, parts: [(String, Double)])
    {
        let mine = record.filter { ($0["t"] as? Double).map { $0 >= begin && $0 <= end } ?? false }
        func at(_ event: String, _ match: ([String: Any]) -> Bool = { _ in true }) -> Double? {
            mine.first { $0["event"] as? String == event && $0["node"] as? String == node && match($0) }?["t"] as? Double
        }
        func span(_ from: String, _ to: String, _ match: ([String: Any]) -> Bool = { _ in true }) -> Double {
            guard let start = at(from), let stop = mine.first(where: {
                $0["event"] as? String == to && $0["node"] as? String == node && match($0)
                    && ($0["t"] as? Double ?? 0) >= start
            })?["t"] as? Double else { return 0 }
            return stop - start
        }
        func asmt(_ flag: String) -> Double {
            mine.filter { event in
                guard event["event"] as? String == "command", event["node"] as? String == node,
                    let argv = event["argv"] as? [String]
                else { return false }
                return argv.first == "asmt" && argv.contains(flag) && !argv.contains("-a")
            }.compactMap { $0["duration"] as? Double }.reduce(0, +)
        }
        var migrations = 0.0
        if let back = at("asd_started"),
            let zero = mine.first(where: { $0["event"] as? String == "migrations_zero" && ($0["t"] as? Double ?? 0) > back })?["t"] as? Double
        {
            migrations = zero - back
        }
        let drain = at("quiesce") == nil ? 0 : trafficDrain
        let parts: [(String, Double)] = [
            ("drain", drain),
            ("stop", span("asd_stopping", "asd_stopped")),
            ("backup", asmt("-b")),
            ("reboot", span("reboot_issued", "node_up")),
            ("restore", asmt("-r")),
            ("start", span("asd_starting", "asd_started")),
            ("migrations", migrations),
        ]
        return (parts.map(\.1).reduce(0, +), parts)
    }
}

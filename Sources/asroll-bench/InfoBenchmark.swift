import AerospikeInfo
import Foundation

/// `asroll-bench info`: info round trips against a simulated node's info port (real TCP, the real wire protocol).
enum InfoBenchmark {
    static let samples = 300

    static func run() async throws {
        let simulator = try Bench.Simulator.up(nodes: 1, baseAddress: "127.0.120.1")
        defer { simulator.down() }
        let connection = InfoConnection(host: "127.0.120.1", port: 3000)
        let gate = [InfoCommand.statistics, InfoCommand.clusterStable(size: 1), InfoCommand.namespace("test"),
                    InfoCommand.namespace("bar")]
        for _ in 0..<20 { _ = try await connection.request(gate, timeout: .seconds(2)) }
        var status: [Duration] = []
        var poll: [Duration] = []
        for _ in 0..<samples {
            status.append(try await Bench.measure { _ = try await connection.request(InfoCommand.status, timeout: .seconds(2)) })
            poll.append(try await Bench.measure { _ = try await connection.request(gate, timeout: .seconds(2)) })
        }
        await connection.close()
        print("info: simulated asd at 127.0.120.1:3000, one reused connection, \(samples) samples each")
        print(Bench.row("measurement", "n", "median", "p90", "target"))
        print(Bench.row("info round trip (`status`)", status, target: 1))
        print(Bench.row("gate poll of one node (4 commands)", poll, target: 2))
    }
}

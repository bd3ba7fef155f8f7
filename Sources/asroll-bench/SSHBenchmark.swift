import Foundation
import Logging
import SSHClient
import SystemSupport

/// `asroll-bench ssh`: connection and command latencies of SSHClient against a loopback sshd.
///
/// The sshd host is started with `scripts/sshd-test-host.sh`, the same script the integration tests use, so the
/// benchmark measures exactly the hosts the tests check (root login, lean HOME, ed25519 keys).
enum SSHBenchmark {
    static let samples = 40

    static func run() async throws {
        let host = try BenchHost.start()
        defer { host.stop() }
        let endpoint = SSHEndpoint(host: host.address, port: host.port, user: "root", name: "bench")
        let logger = Logger(label: "asroll-bench.ssh") { _ in SwiftLogNoOpLogHandler() }
        func connection() -> SSHConnection {
            SSHConnection(endpoint: endpoint,
                          authentication: .keyFile(privateKeyPath: host.root + "/client/id_ed25519"),
                          hostKeys: HostKeyPolicy(knownHostsPath: host.root + "/known_hosts"), logger: logger)
        }

        var connect: [Duration] = []
        var firstCommand: [Duration] = []
        for _ in 0..<samples {
            let fresh = connection()
            connect.append(try await Bench.measure { try await fresh.connect() })
            firstCommand.append(try await Bench.measure { _ = try await fresh.run("true", timeout: .seconds(10)) })
            await fresh.close()
        }
        let reused = connection()
        for _ in 0..<5 { _ = try await reused.run("true", timeout: .seconds(10)) }
        var reusedCommand: [Duration] = []
        for _ in 0..<(samples * 2) {
            reusedCommand.append(try await Bench.measure { _ = try await reused.run("true", timeout: .seconds(10)) })
        }
        await reused.close()

        print("ssh: loopback sshd \(host.address):\(host.port), ed25519 keys, \(samples)+ samples each")
        print(Bench.row("measurement", "n", "median", "p90", "target"))
        print(Bench.row("connect + handshake + auth", connect, target: 30))
        print(Bench.row("command `true`, reused session", reusedCommand, target: 3))
        print(Bench.row("first command on a new session", firstCommand, target: 6))
    }
}

/// An sshd test host run through `scripts/sshd-test-host.sh` for the length of a benchmark.
private struct BenchHost {
    let root: String
    let address = "127.0.10.250"
    let port: Int
    private static let script = ProcessInfo.processInfo.environment["ASROLL_SSHD_SCRIPT"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/sshd-test-host.sh").path

    static func start() throws -> BenchHost {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("asroll-bench-ssh-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        let output = try shell([script, "start", root, "bench", "127.0.10.250", "0", String(getpid())])
        guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchError(message: "\(script) printed no port: \(output)")
        }
        return BenchHost(root: root, port: port)
    }

    func stop() {
        _ = try? Self.shell([Self.script, "stop", root, "bench"])
        try? FileManager.default.removeItem(atPath: root)
    }

    private static func shell(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError(message: "\(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}


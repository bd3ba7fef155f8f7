import Foundation

/// A simulated Aerospike cluster (`asroll-sim up`) for tests, always torn down (`asroll-sim down`) afterwards.
///
/// ```swift
/// try await SimulatedCluster.withCluster(nodes: 3, baseAddress: "127.0.81.1", options: ["--fast"]) { cluster in
///     let result = try cluster.ssh("aero-1", "sudo systemctl is-active aerospike")
///     #expect(result.stdout == "active\n")
///     #expect(try cluster.record().contains { $0.name == "asd_started" })
/// }
/// ```
/// Give each test its own `baseAddress` (127.x.y.1, not 127.0.77.x nor 127.0.10.x) so tests can run in parallel.
public struct SimulatedCluster: Sendable {
    /// The simulator directory (a fresh temporary directory).
    public let directory: String
    /// The `asroll-sim` executable.
    public let executable: String
    /// Node names, `aero-1` first.
    public let nodes: [String]
    /// Each node's address.
    public let addresses: [String: String]
    /// Every node's sshd port.
    public let sshPort: Int
    /// Every node's info port.
    public let infoPort: Int

    /// `DIR/inventory.yml`.
    public var inventoryPath: String { directory + "/inventory.yml" }
    /// `DIR/id_ed25519`.
    public var identityFile: String { directory + "/id_ed25519" }
    /// `DIR/known_hosts`.
    public var knownHostsFile: String { directory + "/known_hosts" }
    /// `DIR/record.jsonl`.
    public var recordPath: String { directory + "/record.jsonl" }
    /// `DIR/sim.log` (the daemon's log).
    public var daemonLogPath: String { directory + "/sim.log" }

    /// A failure to start, run or stop the simulator.
    public struct Failure: Error, CustomStringConvertible {
        /// What happened, with the simulator's output.
        public var description: String

        /// A failure described by `description`.
        public init(description: String) { self.description = description }
    }

    /// The `asroll-sim` binary: `$ASROLL_SIM_BINARY`, or the one next to the running test bundle in the build
    /// products directory.
    public static func locateExecutable() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["ASROLL_SIM_BINARY"] { return explicit }
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: running).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("asroll-sim").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw Failure(description: "asroll-sim is not built next to \(running); run `swift build` (or set "
                      + "ASROLL_SIM_BINARY)")
    }

    /// Starts a cluster, runs `body` with it, and always stops it, also when `body` throws or the test is cancelled.
    /// Every helper runs its programs on threads of their own, never blocking the cooperative pool.
    ///
    /// - Parameters:
    ///   - nodes: number of nodes.
    ///   - baseAddress: address of `aero-1` (node k gets this plus k-1).
    ///   - sshPort: every node's sshd port (2222 by default, so a host sshd on port 22 does not collide).
    ///   - options: further `asroll-sim up` options, e.g. `["--fast", "--fault", "aero-2:dimm-fault"]`.
    public static func withCluster<Result>(
        nodes: Int, baseAddress: String, sshPort: Int = 2222, options: [String] = [],
        _ body: (SimulatedCluster) async throws -> Result
    ) async throws -> Result {
        let cluster = try await start(nodes: nodes, baseAddress: baseAddress, sshPort: sshPort, options: options)
        do {
            let result = try await body(cluster)
            await cluster.down()
            return result
        } catch {
            await cluster.down()
            throw error
        }
    }

    /// Starts a cluster; the caller must call `down()`.
    public static func start(nodes: Int, baseAddress: String, sshPort: Int = 2222,
                             options: [String] = []) async throws -> SimulatedCluster {
        let executable = try locateExecutable()
        let directory = "/tmp/asroll-sim-test-" + UUID().uuidString.prefix(8).lowercased()
        let names = (1...nodes).map { "aero-\($0)" }
        var addresses: [String: String] = [:]
        let octets = baseAddress.split(separator: ".").compactMap { Int($0) }
        for (offset, name) in names.enumerated() where octets.count == 4 {
            addresses[name] = "\(octets[0]).\(octets[1]).\(octets[2]).\(octets[3] + offset)"
        }
        let infoPort = options.firstIndex(of: "--info-port").flatMap { Int(options[$0 + 1]) } ?? 3000
        let cluster = SimulatedCluster(directory: directory, executable: executable, nodes: names, addresses: addresses,
                                       sshPort: sshPort, infoPort: infoPort)
        let up = try await Self.run([executable, "up", "--nodes", String(nodes), "--dir", directory,
                                         "--base-address", baseAddress, "--ssh-port", String(sshPort)] + options)
        guard up.status == 0 else {
            await cluster.down()
            throw Failure(description: "asroll-sim up failed (\(up.status)): \(up.stderr)\(up.stdout)")
        }
        return cluster
    }

    /// Stops the cluster (idempotent) and removes its directory.
    public func down() async {
        _ = try? await Self.run([executable, "down", "--dir", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a program off the cooperative pool and returns its output (see `SimulatorProcess`).
    public static func run(_ arguments: [String]) async throws -> SimulatorProcess.Output {
        try await SimulatorProcess.run(arguments)
    }

    /// Every record event so far.
    public func record() throws -> [SimRecordEvent] {
        let text = try String(contentsOfFile: recordPath, encoding: .utf8)
        return text.split(separator: "\n").compactMap { SimRecordEvent(line: String($0)) }
    }

    /// Record events named `name` (on `node`, when given).
    public func events(_ name: String, node: String? = nil) throws -> [SimRecordEvent] {
        try record().filter { $0.name == name && (node == nil || $0.node == node) }
    }

    /// Waits up to `timeout` seconds for a record event satisfying `predicate`, polling every 50 ms.
    public func waitForEvent(timeout: Double, _ predicate: (SimRecordEvent) -> Bool) async throws -> SimRecordEvent {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let event = try record().first(where: predicate) { return event }
            guard Date() < deadline else {
                throw Failure(description: "no matching record event within \(timeout)s; record:\n"
                              + ((try? record().suffix(20).map(\.description).joined(separator: "\n")) ?? ""))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs `command` on `node` with the OpenSSH client, the simulator's key and strict host-key checking.
    public func ssh(_ node: String, _ command: String, timeout: Int = 30) async throws -> SimulatorProcess.Output {
        try await Self.run(["timeout", String(timeout), "ssh", "-i", identityFile, "-o",
                                "UserKnownHostsFile=\(knownHostsFile)", "-o", "StrictHostKeyChecking=yes", "-o",
                                "BatchMode=yes", "-o", "ConnectTimeout=5", "-p", String(sshPort),
                                "root@\(addresses[node] ?? node)", command])
    }

    /// `asroll-sim ctl --dir DIR arguments...`.
    @discardableResult
    public func ctl(_ arguments: [String]) async throws -> SimulatorProcess.Output {
        try await Self.run([executable, "ctl", "--dir", directory] + arguments)
    }

    /// `asroll-sim status --dir DIR`.
    public func status() async throws -> String {
        try await Self.run([executable, "status", "--dir", directory]).stdout
    }
}

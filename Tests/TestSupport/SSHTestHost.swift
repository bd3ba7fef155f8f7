import Foundation
import Synchronization

/// One running OpenSSH test host on a loopback address.
public struct SSHTestHost: Sendable, Hashable {
    /// Name of the host inside its lab (`h1`).
    public let name: String
    /// Loopback address it listens on (`127.0.10.7`).
    public let address: String
    /// Port it listens on.
    public let port: Int
    /// Directory with its config, host keys, pid file and `sshd.log`.
    public let directory: String

    /// Path of its ed25519 host public key.
    public var hostPublicKeyPath: String { directory + "/ssh_host_ed25519_key.pub" }
    /// Path of the host public key of `type` (`ed25519`, `ecdsa`).
    public func hostPublicKeyPath(type: String) -> String { directory + "/ssh_host_\(type)_key.pub" }
    /// sshd's log, worth attaching to a failing test.
    public var logPath: String { directory + "/sshd.log" }
}

/// sshd test hosts sharing one temporary directory: a client key (`client/id_ed25519`), `authorized_keys`,
/// `known_hosts` (with a `[address]:port` line per started host) and the sessions' `HOME`.
///
/// Hosts are started and stopped by `scripts/sshd-test-host.sh`, which `asroll-bench ssh` uses as well. Each host gets
/// an address of its own in 127.0.10.0/24 and a free port, so tests can run in parallel, also with other test runs.
/// Use `withSSHTestLab`, which stops every host (listener, sessions and their children) however the test ends;
/// should the test process die, the script's watchdog stops them.
public final class SSHTestLab: Sendable {
    /// The temporary directory everything lives in.
    public let root: String
    private let hosts = Mutex<[String: SSHTestHost]>([:])
    private let agentProcesses = Mutex<[pid_t]>([])
    private static let nextAddress = Mutex(0)
    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/sshd-test-host.sh").path

    init() throws {
        // Short, because ssh-agent's socket lives in here and Unix socket paths are limited to 108 bytes.
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("asroll-ssh-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
    }

    /// The client's ed25519 private key (authorized on every host).
    public var clientKeyPath: String { root + "/client/id_ed25519" }
    /// The known_hosts file holding every started host's key under `[address]:port`.
    public var knownHostsPath: String { root + "/known_hosts" }
    /// The authorized_keys file every host reads (at each login, so keys can be added any time).
    public var authorizedKeysPath: String { root + "/authorized_keys" }

    /// Starts a host named `name` on a fresh loopback address; `hostKeyTypes` are generated (`ed25519`, `ecdsa`).
    public func start(_ name: String, hostKeyTypes: [String] = ["ed25519"]) async throws -> SSHTestHost {
        let address = Self.nextAddress.withLock { counter in
            counter = counter % 250 + 1
            return "127.0.10.\(counter)"
        }
        return try await launch(name, address: address, port: 0, hostKeyTypes: hostKeyTypes)
    }

    /// Starts a stopped host again on its address and port, with the same host keys.
    public func restart(_ host: SSHTestHost) async throws {
        _ = try await launch(host.name, address: host.address, port: host.port, hostKeyTypes: [])
    }

    /// Kills the host's listener, its sessions and everything they started, and waits until they are gone.
    public func stop(_ host: SSHTestHost) async throws {
        try await SSHTestProcess.check([Self.script, "stop", root, host.name])
    }

    /// Stops every host ever started and every agent, and removes the directory; errors are ignored (cleanup).
    func tearDown() async {
        for host in hosts.withLock({ Array($0.values) }) { _ = try? await stop(host) }
        // SIGKILL: children of Foundation's Process inherit a signal mask that blocks SIGTERM.
        for agent in agentProcesses.withLock({ $0 }) { kill(agent, SIGKILL) }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Generates a client key of `type` (`ed25519`, `ecdsa`, `rsa`) named `name` under `client/`, optionally with a
    /// passphrase, and authorizes it on every host unless `authorize` is false. Returns the private key's path.
    public func makeClientKey(_ name: String, type: String, passphrase: String = "", authorize: Bool = true)
        async throws -> String
    {
        let path = root + "/client/" + name
        try await SSHTestProcess.check(["ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", name, "-f", path])
        if authorize {
            let publicKey = try String(contentsOfFile: path + ".pub", encoding: .utf8)
            try append(publicKey, to: authorizedKeysPath)
        }
        return path
    }

    /// Starts an ssh-agent listening on `agent.sock` in the lab, adds `keys` to it and returns the socket's path.
    public func startAgent(adding keys: [String]) async throws -> String {
        let socket = root + "/agent.sock"
        // In the foreground (-D): a daemonized agent keeps descriptors Foundation's Process waits on.
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        agent.arguments = ["ssh-agent", "-D", "-a", socket]
        agent.standardInput = FileHandle.nullDevice
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        agentProcesses.withLock { $0.append(agent.processIdentifier) }
        let deadline = ContinuousClock.now + .seconds(5)
        while !FileManager.default.fileExists(atPath: socket) {
            guard ContinuousClock.now < deadline else {
                throw SSHTestProcess.Failure(description: "ssh-agent did not create \(socket) within 5 s")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        for key in keys {
            try await SSHTestProcess.check(["ssh-add", "-q", key], environment: ["SSH_AUTH_SOCK": socket])
        }
        return socket
    }

    /// Replaces the known_hosts file's content.
    public func writeKnownHosts(_ lines: [String]) throws {
        try (lines.map { $0 + "\n" }.joined()).write(toFile: knownHostsPath, atomically: true, encoding: .utf8)
    }

    /// `[address]:port <type> <base64>` for the host's key of `type`, or with `name` in place of `[address]:port`.
    public func knownHostsLine(_ host: SSHTestHost, type: String = "ed25519", name: String? = nil) throws -> String {
        let key = try String(contentsOfFile: host.hostPublicKeyPath(type: type), encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        return "\(name ?? "[\(host.address)]:\(host.port)") \(key)"
    }

    private func launch(_ name: String, address: String, port: Int, hostKeyTypes: [String]) async throws
        -> SSHTestHost
    {
        var environment: [String: String] = [:]
        if !hostKeyTypes.isEmpty { environment["HOSTKEY_TYPES"] = hostKeyTypes.joined(separator: " ") }
        let output = try await SSHTestProcess.check(
            [Self.script, "start", root, name, address, String(port), String(getpid())], environment: environment)
        guard let actualPort = Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SSHTestProcess.Failure(description: "sshd-test-host.sh printed no port: \(output.stdout)")
        }
        let host = SSHTestHost(name: name, address: address, port: actualPort, directory: root + "/hosts/" + name)
        hosts.withLock { $0[name] = host }
        return host
    }

    private func append(_ text: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw SSHTestProcess.Failure(description: "cannot open \(path) for appending")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}

/// Runs `body` with a fresh `SSHTestLab` and always tears it down afterwards, also when `body` throws.
public func withSSHTestLab<Result>(_ body: (SSHTestLab) async throws -> Result) async throws -> Result {
    let lab = try SSHTestLab()
    let result: Result
    do {
        result = try await body(lab)
    } catch {
        await lab.tearDown()
        throw error
    }
    await lab.tearDown()
    return result
}

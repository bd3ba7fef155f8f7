import Foundation
import Logging
import SSHClient
import Testing
import TestSupport

/// Timeouts short enough for tests, long enough for a loaded 2-core machine.
let sshTestOptions = SSHOptions(connectTimeout: .seconds(5), reconnectInitialDelay: .milliseconds(50),
                                reconnectMaxDelay: .milliseconds(400))

/// Tests check errors and results, not log lines.
let sshTestLogger = Logger(label: "ssh-test") { _ in SwiftLogNoOpLogHandler() }

extension SSHTestLab {
    /// A connection as root to `host`, with the lab's client key and known_hosts unless told otherwise.
    func connection(to host: SSHTestHost, authentication: SSHAuthentication? = nil, knownHostsPath: String? = nil,
                    acceptNewKeys: Bool = false, options: SSHOptions = sshTestOptions) -> SSHConnection
    {
        SSHConnection(
            endpoint: SSHEndpoint(host: host.address, port: host.port, user: "root", name: host.name),
            authentication: authentication ?? .keyFile(privateKeyPath: clientKeyPath),
            hostKeys: HostKeyPolicy(knownHostsPath: knownHostsPath ?? self.knownHostsPath,
                                    acceptNewKeys: acceptNewKeys),
            options: options, logger: sshTestLogger)
    }

    /// `SHA256:…` of the host's key of `type`, as `ssh-keygen -l` prints it.
    func fingerprint(of host: SSHTestHost, type: String = "ed25519") async throws -> String {
        let output = try await SSHTestProcess.check(["ssh-keygen", "-l", "-f", host.hostPublicKeyPath(type: type)])
        return String(output.stdout.split(separator: " ")[1])
    }
}

/// PIDs of processes on this machine (where the test hosts run) whose command line contains `pattern`.
func processes(matching pattern: String) async throws -> [String] {
    let output = try await SSHTestProcess.run(["pgrep", "-f", pattern])
    return output.stdout.split(separator: "\n").map(String.init)
}

/// Waits (at most `limit`) until no process matches `pattern`; returns those still there.
func waitUntilGone(_ pattern: String, limit: Duration = .seconds(3)) async throws -> [String] {
    let deadline = ContinuousClock.now + limit
    var left = try await processes(matching: pattern)
    while !left.isEmpty && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(50))
        left = try await processes(matching: pattern)
    }
    return left
}

/// A number unique to this run, to tag remote processes (`sleep 30.<tag>`) so the host side can look for them.
func uniqueTag() -> String {
    String(UInt32.random(in: 100_000...999_999))
}

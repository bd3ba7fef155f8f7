import Foundation
import SSHClient
import SystemSupport
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(1))) struct SSHTimeoutTests {
    @Test func timedOutCommandIsKilledOnTheHostAndTheSessionKeepsWorking() async throws {
        try await withSSHTestLab { lab in
            let connection = lab.connection(to: try await lab.start("h1"))
            let session = try await connection.run("echo $PPID", timeout: .seconds(10)).stdout
            let sleeper = "sleep 30.\(uniqueTag())"
            let started = ContinuousClock.now
            let error = await #expect(throws: SSHError.self) {
                try await connection.run("echo started; \(sleeper); echo never", timeout: .seconds(1))
            }
            let elapsed = started.duration(to: .now)
            #expect(error?.kind == .commandTimeout)
            // Measured on the connection's thread: from opening the channel to the killed command's end.
            let duration = error?.partialResult?.duration ?? .seconds(99)
            #expect(duration < .milliseconds(1500), "took \(duration)")
            // The caller's wall clock adds scheduling on a loaded 2-core machine.
            #expect(elapsed < .milliseconds(2500), "took \(elapsed)")
            #expect(error?.partialResult?.stdout == "started\n")
            #expect(error?.partialResult?.exitSignal == "TERM")
            #expect(error?.message.contains("was sent SIGTERM") == true)
            #expect(try await waitUntilGone(sleeper).isEmpty)
            // Same session afterwards: the same sshd process is the login shell's parent.
            #expect(try await connection.run("echo $PPID", timeout: .seconds(10)).stdout == session)
        }
    }

    @Test func commandIgnoringSIGTERMIsKilledAfterTheGracePeriod() async throws {
        try await withSSHTestLab { lab in
            let connection = lab.connection(to: try await lab.start("h1"))
            let sleeper = "sleep 30.\(uniqueTag())"
            let started = ContinuousClock.now
            let error = await #expect(throws: SSHError.self) {
                try await connection.run("trap '' TERM; \(sleeper)", timeout: .seconds(1))
            }
            let elapsed = started.duration(to: .now)
            #expect(error?.kind == .commandTimeout)
            #expect(error?.partialResult?.exitSignal == "KILL")
            #expect(error?.message.contains("was sent SIGTERM, then SIGKILL after 500ms") == true)
            // 1 s timeout, 0.5 s grace after SIGTERM, then SIGKILL ends it at once.
            let duration = error?.partialResult?.duration ?? .seconds(99)
            #expect(duration < .milliseconds(2000), "took \(duration)")
            // The whole call also connects; under a loaded CI machine that can take a while, but never the 30 s of
            // the command itself.
            #expect(elapsed < .seconds(5), "took \(elapsed)")
            #expect(try await waitUntilGone(sleeper).isEmpty)
            #expect(try await connection.run("echo still here", timeout: .seconds(10)).stdout == "still here\n")
        }
    }

    @Test func channelHeldOpenByAnEscapedProcessIsAbandonedAndTheSessionKeepsWorking() async throws {
        try await withSSHTestLab { lab in
            let connection = lab.connection(to: try await lab.start("h1"))
            let session = try await connection.run("echo $PPID", timeout: .seconds(10)).stdout
            // The setsid'd sleep leaves the process group but keeps the channel's stdout open, so no kill of the
            // group can make sshd close the channel; it ends by itself after 3 s.
            let escaped = "sleep 3.\(uniqueTag())"
            let started = ContinuousClock.now
            let error = await #expect(throws: SSHError.self) {
                try await connection.run("setsid \(escaped) & sleep 30", timeout: .seconds(1))
            }
            #expect(error?.kind == .commandTimeout)
            #expect(error?.message.contains("the channel was abandoned") == true)
            #expect(started.duration(to: .now) < .seconds(3))
            #expect(try await connection.run("echo $PPID", timeout: .seconds(10)).stdout == session)
            #expect(try await waitUntilGone(escaped, limit: .seconds(5)).isEmpty)
            // The server has closed the abandoned channel by now; freeing it before this command must not disturb it.
            #expect(try await connection.run("echo $PPID", timeout: .seconds(10)).stdout == session)
        }
    }

    @Test func silentServerTripsTheConnectTimeoutInsteadOfHanging() async throws {
        // The kernel completes the TCP handshake for the backlog, so the client gets a connection that never
        // sends an SSH banner.
        let listener = try TCPListener(host: "127.0.10.251", port: 0)
        defer { listener.close() }
        try await withSSHTestLab { lab in
            let connection = SSHConnection(
                endpoint: SSHEndpoint(host: "127.0.10.251", port: listener.port, user: "root"),
                authentication: .keyFile(privateKeyPath: lab.clientKeyPath),
                hostKeys: HostKeyPolicy(knownHostsPath: lab.knownHostsPath, acceptNewKeys: true),
                options: SSHOptions(connectTimeout: .seconds(1)), logger: sshTestLogger)
            let started = ContinuousClock.now
            let error = await #expect(throws: SSHError.self) { try await connection.connect() }
            let elapsed = started.duration(to: .now)
            #expect(error?.kind == .connectTimeout)
            #expect(error?.message.contains("did not complete the handshake") == true)
            // At the 1 s deadline, not before; the upper bound leaves room for scheduling on a loaded machine.
            #expect(elapsed >= .milliseconds(900) && elapsed < .milliseconds(2000), "took \(elapsed)")
        }
    }

    @Test func closedPortIsRefusedAtOnce() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            try await lab.stop(host)
            let started = ContinuousClock.now
            let error = await #expect(throws: SSHError.self) { try await lab.connection(to: host).connect() }
            #expect(error?.kind == .connectionRefused)
            #expect(error?.isRetryable == true)
            #expect(started.duration(to: .now) < .seconds(1))
        }
    }
}

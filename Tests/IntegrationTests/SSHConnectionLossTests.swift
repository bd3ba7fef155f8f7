import Foundation
import SSHClient
import SystemSupport
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(1))) struct SSHConnectionLossTests {
    @Test func sshdKilledMidCommandIsReportedAsConnectionLostWithinTwoSeconds() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let connection = lab.connection(to: host)
            try await connection.connect()
            async let outcome: Result<CommandResult, any Error> = {
                do { return .success(try await connection.run("echo started; sleep 20", timeout: .seconds(30))) }
                catch { return .failure(error) }
            }()
            try await Task.sleep(for: .milliseconds(500))
            try await lab.stop(host)
            let stopped = ContinuousClock.now
            let result = await outcome
            let detectedAfter = stopped.duration(to: .now)
            guard case .failure(let failure) = result, let error = failure as? SSHError else {
                Issue.record("the command finished although sshd was killed: \(result)")
                return
            }
            #expect(error.kind == .connectionLost)
            #expect(error.partialResult?.stdout == "started\n")
            #expect(detectedAfter < .seconds(2), "detected \(detectedAfter) after the kill")
            #expect(await connection.isConnected == false)
        }
    }

    @Test func reconnectWaitsForTheRestartedServerAndVerifiesItsKeyAgain() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let connection = lab.connection(to: host)
            let before = try await connection.run("echo $PPID", timeout: .seconds(10)).stdout
            try await lab.stop(host)
            let restart = Task {
                try await Task.sleep(for: .seconds(1))
                try await lab.restart(host)
            }
            try await connection.reconnect(until: .after(.seconds(15)))
            try await restart.value
            let after = try await connection.run("echo $PPID", timeout: .seconds(10)).stdout
            #expect(after != before)
            let expected = try await lab.fingerprint(of: host)
            #expect(await connection.hostKeyFingerprint == expected)
        }
    }

    @Test func nextCommandReconnectsByItselfAfterTheConnectionWasLost() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let connection = lab.connection(to: host)
            try await connection.connect()
            try await lab.stop(host)
            try await lab.restart(host)
            let lost = await #expect(throws: SSHError.self) { try await connection.run("true", timeout: .seconds(10)) }
            #expect(lost?.kind == .connectionLost)
            #expect(try await connection.run("echo back", timeout: .seconds(10)).stdout == "back\n")
        }
    }

    @Test func reconnectGivesUpAtOnceOnAnUnknownHostKey() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            try lab.writeKnownHosts([])
            let started = ContinuousClock.now
            let error = await #expect(throws: SSHError.self) {
                try await lab.connection(to: host).reconnect(until: .after(.seconds(20)))
            }
            #expect(error?.kind == .hostKeyUnknown)
            #expect(started.duration(to: .now) < .seconds(2))
        }
    }

    @Test func reconnectStopsAtItsDeadlineWhenTheServerStaysDown() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            try await lab.stop(host)
            let started = ContinuousClock.now
            let error = await #expect(throws: SSHError.self) {
                try await lab.connection(to: host).reconnect(until: .after(.seconds(1)))
            }
            let elapsed = started.duration(to: .now)
            #expect(error?.kind == .connectionRefused)
            #expect(error?.message.contains("gave up reconnecting") == true)
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(3), "took \(elapsed)")
        }
    }
}

import Foundation
import SSHClient
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(1))) struct SSHCommandTests {
    @Test func commandReportsStdoutStderrAndExitStatusSeparately() async throws {
        try await withSSHTestLab { lab in
            let connection = lab.connection(to: try await lab.start("h1"))
            let result = try await connection.run("echo hello; echo err >&2; exit 3", timeout: .seconds(10))
            #expect(result.stdout == "hello\n")
            #expect(result.stderr == "err\n")
            #expect(result.exitStatus == 3)
            #expect(result.exitSignal == nil)
            #expect(!result.succeeded)
            #expect(result.command == "echo hello; echo err >&2; exit 3")
        }
    }

    @Test func commandKilledBySignalReportsTheSignalRatherThanAStatus() async throws {
        try await withSSHTestLab { lab in
            let connection = lab.connection(to: try await lab.start("h1"))
            let result = try await connection.run("echo before; kill -TERM $$", timeout: .seconds(10))
            #expect(result.exitSignal == "TERM")
            #expect(result.exitStatus == -1)
            #expect(result.stdout == "before\n")
            #expect(!result.succeeded)
        }
    }

    @Test func awkwardCommandsRunOnTheHostExactlyAsTyped() async throws {
        try await withSSHTestLab { lab in
            let connection = lab.connection(to: try await lab.start("h1"))
            let commands = [
                "printf '%s\\n' \"it's\" 'a \"quoted\" word'",
                "x='$HOME'; echo \"$x\" '$PATH' \\$notexpanded",
                "printf 'back\\\\slash\\n'; echo 'tab\there'",
                "echo first\necho second\n",
                "echo 'line one\nline two' >&2; exit 7",
            ]
            for command in commands {
                // root's login shell on the test hosts is this machine's: bash.
                let local = try await SSHTestProcess.run(["bash", "-c", command])
                let remote = try await connection.run(command, timeout: .seconds(10))
                #expect(remote.stdout == local.stdout, "\(command)")
                #expect(remote.stderr == local.stderr, "\(command)")
                #expect(remote.exitStatus == local.status, "\(command)")
            }
        }
    }

    @Test func oneSessionServesManyCommands() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let connection = lab.connection(to: host)
            // The login shell's parent is sshd's process for the connection: one value means one session.
            var parents: Set<String> = []
            for _ in 0..<20 {
                parents.insert(try await connection.run("echo $PPID", timeout: .seconds(10)).stdout)
            }
            #expect(parents.count == 1)
            let expected = try await lab.fingerprint(of: host)
            #expect(await connection.hostKeyFingerprint == expected)
            let log = try String(contentsOfFile: host.logPath, encoding: .utf8)
            #expect(log.components(separatedBy: "Accepted publickey").count - 1 == 1)
        }
    }

    @Test func largeStderrBeforeStdoutDoesNotStallTheReader() async throws {
        try await withSSHTestLab { lab in
            let connection = lab.connection(to: try await lab.start("h1"))
            // 3 MB on stderr first exceeds the 2 MiB channel window: a reader waiting on stdout alone would stall.
            let result = try await connection.run(
                "head -c 3000000 /dev/zero | tr '\\0' e >&2; head -c 3000000 /dev/zero | tr '\\0' o",
                timeout: .seconds(20))
            #expect(result.stderr.utf8.count == 3_000_000)
            #expect(result.stdout.utf8.count == 3_000_000)
            #expect(result.succeeded)
        }
    }

    @Test func outputReachesTheCallbackLineByLineWhileTheCommandRuns() async throws {
        try await withSSHTestLab { lab in
            let connection = lab.connection(to: try await lab.start("h1"))
            let lines = SSHTestLines()
            let result = try await connection.run("echo one; echo warn >&2; sleep 0.2; printf two",
                                                  timeout: .seconds(10)) { stream, text in
                lines.add("\(stream): \(text)")
            }
            #expect(Set(lines.all) == ["stdout: one\n", "stderr: warn\n", "stdout: two"])
            #expect(lines.all.last == "stdout: two")
            #expect(result.stdout == "one\ntwo")
        }
    }
}

import Foundation
import Testing
import TestSupport

@testable import SSHClient

@Suite struct PIDMarkerTests {
    static let awkwardCommands = [
        "printf '%s\\n' \"it's\" 'a \"quoted\" word'",
        "x='$HOME'; echo \"$x\" '$PATH' \\$notexpanded",
        "printf 'back\\\\slash\\n'; echo 'tab\there'",
        "echo first\necho second\n",
        "echo 'line one\nline two' >&2; exit 7",
    ]

    @Test func quotingMakesOneShellWordOfAnything() {
        #expect(ShellQuoting.quote("plain") == "'plain'")
        #expect(ShellQuoting.quote("it's") == #"'it'\''s'"#)
        #expect(ShellQuoting.quote("") == "''")
    }

    @Test(.timeLimit(.minutes(1)), arguments: awkwardCommands)
    func wrappedCommandRunsExactlyAsTheBareCommand(command: String) async throws {
        // The login shell on the node runs the wrapped line; bash and dash stand in for it here.
        for shell in ["bash", "dash"] {
            let bare = try await SSHTestProcess.run([shell, "-c", command])
            let wrapped = try await SSHTestProcess.run([shell, "-c", PIDMarker.wrap(command)])
            #expect(wrapped.stdout == bare.stdout, "\(shell)")
            #expect(wrapped.status == bare.status, "\(shell)")
            var scanner = PIDMarkerScanner()
            var stderr = scanner.consume(Array(wrapped.stderr.utf8))
            stderr += scanner.flush()
            #expect(String(decoding: stderr, as: UTF8.self) == bare.stderr, "\(shell)")
            #expect(scanner.pid != nil, "\(shell)")
        }
    }

    @Test func scannerFindsAMarkerSplitAcrossReadsAndKeepsWhatCameBefore() {
        var scanner = PIDMarkerScanner()
        #expect(scanner.consume(Array("motd noise\n__asroll_p".utf8)).isEmpty)
        #expect(scanner.consume(Array("id=4242".utf8)).isEmpty)
        let passed = scanner.consume(Array("\nreal stderr\n".utf8))
        #expect(scanner.pid == 4242)
        #expect(String(decoding: passed, as: UTF8.self) == "motd noise\nreal stderr\n")
        #expect(String(decoding: scanner.consume(Array("more".utf8)), as: UTF8.self) == "more")
    }

    @Test func scannerReleasesEverythingWhenNoMarkerCame() {
        var scanner = PIDMarkerScanner()
        #expect(scanner.consume(Array("fish: unknown variable $$\n".utf8)).isEmpty)
        #expect(String(decoding: scanner.flush(), as: UTF8.self) == "fish: unknown variable $$\n")
        #expect(scanner.pid == nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func killCommandTargetsTheProcessGroupInASpellingDashAccepts() async throws {
        #expect(PIDMarker.killCommand(processGroup: 4242, signal: "TERM")
            == "kill -s TERM -- -4242 2>/dev/null; exit 0")
        let command = PIDMarker.killCommand(processGroup: 999_999, signal: "TERM")
        let output = try await SSHTestProcess.run(["dash", "-c", command])
        #expect(output.status == 0)
    }

    @Test func collectorHandsCompleteLinesToTheCallbackAndStripsTheMarker() {
        let lines = SSHTestLines()
        var collector = OutputCollector(expectsMarker: true) { stream, text in lines.add("\(stream): \(text)") }
        collector.append(Array("__asroll_pid=17\nwarn".utf8), from: .stderr)
        collector.append(Array("one\ntw".utf8), from: .stdout)
        collector.append(Array("o\n".utf8), from: .stdout)
        collector.append(Array("ing\n".utf8), from: .stderr)
        collector.finish()
        #expect(collector.pid == 17)
        #expect(lines.all == ["stdout: one\n", "stdout: two\n", "stderr: warning\n"])
        let result = collector.result(command: "c", exitStatus: 0, exitSignal: nil, duration: .zero)
        #expect(result.stdout == "one\ntwo\n")
        #expect(result.stderr == "warning\n")
    }
}

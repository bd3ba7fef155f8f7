import Foundation
import RollingCore
import Testing

@Suite("Shell quoting")
struct ShellQuoteTests {
    @Test(arguments: ["users,sessions", "/var/aerospike/asmt", "0xae000100", "a=b", "user@host:22", "-z", "50%"])
    func safeWordsStayUnquoted(word: String) {
        #expect(ShellQuote.quote(word) == word)
    }

    @Test func emptyStringBecomesAnEmptyWord() {
        #expect(ShellQuote.quote("") == "''")
    }

    @Test func singleQuotesAreClosedEscapedAndReopened() {
        #expect(ShellQuote.quote("it's") == #"'it'\''s'"#)
        #expect(ShellQuote.quote("~/x") == "'~/x'")
    }

    @Test(.timeLimit(.minutes(1)), arguments: [
        #"it's "quoted" $HOME `id` $(id) \ back\slash"#,
        "line one\nline two\n",
        "  spaces  and\ttabs ",
        "*.dat ? [a-z] {a,b} ~root",
        "; rm -rf / && echo pwned | cat > /tmp/x &",
        "'",
        "''''",
        "-n",
        "ünïcødé ✓",
        "",
    ])
    func nastyStringsSurviveARealShellUnchanged(value: String) throws {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "printf %s " + ShellQuote.quote(value)]
        let output = Pipe()
        shell.standardOutput = output
        try shell.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self) == value)
    }
}

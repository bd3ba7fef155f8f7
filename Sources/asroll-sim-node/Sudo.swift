#if canImport(Glibc)
import Glibc
#endif

/// `sudo` on a simulated node: everyone is already root, so it handles `-n`, `-u user`, `-E`, `-H`, `-S`, `--` and
/// `VAR=value` prefixes and then runs the command (PATH preserved). With the `sudo-password` fault it asks for a
/// password the way sudo does and fails, never waiting forever.
enum Sudo {
    static func run(_ arguments: [String], node: NodeInfo) -> Never {
        var nonInteractive = false
        var readsStdin = false
        var index = 0
        parsing: while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                index += 1
                break parsing
            }
            guard argument.hasPrefix("-"), argument.count > 1 else { break }
            index += 1
            if argument.hasPrefix("--") {
                switch argument {
                case "--non-interactive": nonInteractive = true
                case "--stdin": readsStdin = true
                case "--preserve-env", "--set-home", "--login", "--reset-timestamp": continue
                case "--user", "--group":
                    index += 1
                default:
                    if argument.hasPrefix("--user=") || argument.hasPrefix("--preserve-env=") { continue }
                    fail("sudo: unrecognized option '\(argument)'\n" + usage)
                }
                continue
            }
            var letters = Substring(argument.dropFirst())
            while let letter = letters.popFirst() {
                switch letter {
                case "n": nonInteractive = true
                case "S": readsStdin = true
                case "E", "H", "k", "i", "s", "b", "P": continue
                case "u", "g", "C", "D", "p", "T", "R":
                    if letters.isEmpty { index += 1 }
                    letters = ""
                case "h":
                    if letters.isEmpty && index >= arguments.count {
                        _ = writeAll(1, Array((usage + "\n").utf8))
                        exit(0)
                    }
                    if letters.isEmpty { index += 1 }
                    letters = ""
                case "V":
                    _ = writeAll(1, Array("Sudo version 1.9.13p3\n".utf8))
                    exit(0)
                default:
                    fail("sudo: invalid option -- '\(letter)'\n" + usage)
                }
            }
        }
        var command = Array(arguments[index...])
        while let first = command.first, let equals = first.firstIndex(of: "="),
              first[..<equals].allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) {
            setenv(String(first[..<equals]), String(first[first.index(after: equals)...]), 1)
            command.removeFirst()
        }
        if node.faults.contains("sudo-password") {
            askForPassword(nonInteractive: nonInteractive, readsStdin: readsStdin)
        }
        guard let program = command.first else {
            if arguments.contains("-k") || arguments.contains("-K") { exit(0) }
            fail(usage)
        }
        setenv("SUDO_USER", "root", 1)
        setenv("SUDO_UID", "0", 1)
        setenv("SUDO_GID", "0", 1)
        setenv("SUDO_COMMAND", command.joined(separator: " "), 1)
        setenv("ASROLL_SIM_SUDO", "1", 1)
        let name = String(program.split(separator: "/").last ?? Substring(program))
        if !simulated.contains(name) { Forward.notify(command, node: node) }
        let argv = command.map { strdup($0) } + [nil]
        execvp(program, argv)
        fail("sudo: \(program): command not found")
    }

    /// Programs the daemon runs (and records) itself.
    static let simulated: Set<String> = ["systemctl", "asmt", "journalctl", "ipcs", "ipcrm", "asinfo", "apt-get", "apt",
                                         "reboot", "shutdown", "halt", "poweroff", "sudo"]

    static let usage = [
        "usage: sudo -h | -K | -k | -V",
        "usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]",
        "usage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command [arg ...]]",
        "usage: sudo [-ABbEHkNnPS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] "
            + "[-T timeout] [-u user] [VAR=value] [-i | -s] [command [arg ...]]",
        "usage: sudo -e [-ABkNnS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] "
            + "[-T timeout] [-u user] file ...",
    ].joined(separator: "\n")

    /// sudo's password prompt on a node whose sudo needs one: it always fails, and reads at most one line.
    private static func askForPassword(nonInteractive: Bool, readsStdin: Bool) -> Never {
        if nonInteractive { fail("sudo: a password is required") }
        guard readsStdin || isatty(0) == 1 else {
            fail("sudo: a terminal is required to read the password; either use the -S option to read from "
                 + "standard input or configure an askpass helper")
        }
        _ = writeAll(2, Array("[sudo] password for root: ".utf8))
        var byte: UInt8 = 0
        while read(0, &byte, 1) == 1 && byte != 10 {}
        fail("\nsudo: 1 incorrect password attempt")
    }
}

import ArgumentParser
import Foundation
import Logging
import RollingCore

/// `asroll`: rolling maintenance of an Aerospike Enterprise cluster, one node at a time, with warm restarts.
@main
struct Asroll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asroll",
        abstract: "Rolling maintenance of an Aerospike Enterprise cluster, one node at a time, with warm restarts.",
        discussion: """
            asroll quiesces a node, stops asd cleanly, backs up its shared-memory indexes with asmt, runs the \
            maintenance, reboots, restores the indexes, starts asd so that it warm restarts, and waits until the \
            cluster is whole and migrations are finished before it touches the next node. Nodes flagged dimm-fault \
            or post-expansion (or with memory errors) cold restart, and their indexes are never restored.

            Start with `asroll plan -i INVENTORY -p PLAYBOOK`, then `asroll run --dry-run`, then `asroll run`.

            Exit codes:
              0    finished; every selected node done
              1    halted: a step failed or timed out; nothing further was touched; `asroll resume` continues
              2    invalid input: bad flags, unreadable or invalid inventory/playbook (file, line and key named)
              3    refused for safety: gate not passing, lease held by another controller, unknown or changed host \
            key, an unfinished run in the state dir, a warm restart required of a flagged node, ...
              130  interrupted (SIGINT/SIGTERM) at a step boundary; `asroll resume` continues
            """,
        subcommands: [PlanCommand.self, CheckCommand.self, RunCommand.self, ResumeCommand.self, StatusCommand.self,
                      UnlockCommand.self, AbandonCommand.self]
    )

    /// Parses and runs, mapping flag errors to exit code 2 as the SPEC asks (ArgumentParser's own is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Options every command that talks to the cluster takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The controller's state dir: lock, journal, events, command logs, reports.")
    var stateDir: String = ".asroll"

    @Flag(name: .long, help: "Machine-readable output: JSON Lines events on stdout, human text on stderr.")
    var json = false

    @Option(name: .long, help: "Diagnostic logging of the SSH layer on stderr (trace, debug, info, warning, error).")
    var logLevel: Logger.Level = .error

    /// A session wired to the terminal.
    func session() -> RollSession {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return RollSession(console: Console(json: json), logger: Logger(label: "asroll"), stop: StopSignal())
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Ends the process with `code`.
func finish(_ code: Int32) -> Never {
    Foundation.exit(code)
}

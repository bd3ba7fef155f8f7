import ArgumentParser
import RollingCore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Roll the cluster: one node at a time, warm restarts, the gate between nodes.",
        discussion: """
            Reads the nodes (read-only preflight), refuses if anything is unsafe (exit 3), shows the plan and asks \
            for confirmation on a terminal (--yes to skip; without a terminal and without --yes it refuses, exit 2), \
            then rolls. A failed step halts the run (exit 1) with the node, the step, the command and its output; \
            `asroll resume` continues after the cause is fixed. Ctrl-C finishes the current step and stops (exit \
            130); a second Ctrl-C stops at once.

            --dry-run does everything `check` does and prints the exact plan, and executes no mutating command on \
            any node.
            """)

    @Option(name: [.short, .long], help: "The inventory file.")
    var inventory: String

    @Option(name: [.short, .long], help: "The playbook file.")
    var playbook: String

    @Option(name: .long, help: "Roll only this node (repeatable); inventory order is kept.")
    var node: [String] = []

    @Flag(name: .long, help: "Show what would happen; change nothing on any node.")
    var dryRun = false

    @Flag(name: [.short, .long], help: "Do not ask for confirmation.")
    var yes = false

    @Flag(name: .long, help: "Allow namespaces with replication-factor 1 (waits for migrations before each stop).")
    var allowRF1 = false

    @Flag(name: .long, help: "Go on after a node planned warm cold started (by default the run halts).")
    var continueOnCold = false

    @Flag(name: .long, help: "Refuse (exit 3) if any selected node would cold restart.")
    var requireWarm = false

    @Flag(name: .long, help: "Roll Community Edition nodes with cold restarts (hours per node).")
    var allowColdCommunity = false

    @Flag(name: .long, help: "Record host keys missing from known_hosts (a changed key is always refused).")
    var acceptNewHostKeys = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let request = RunRequest(
            inventoryPath: inventory, playbookPath: playbook, nodes: node, dryRun: dryRun, assumeYes: yes,
            options: RunOptions(allowRF1: allowRF1, continueOnCold: continueOnCold, requireWarm: requireWarm,
                                allowColdCommunity: allowColdCommunity),
            stateDir: common.stateDir, acceptNewHostKeys: acceptNewHostKeys)
        finish(await common.session().run(request))
    }
}

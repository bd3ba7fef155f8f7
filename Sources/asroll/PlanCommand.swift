import ArgumentParser
import Logging
import RollingCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the per-node plan from the files alone (no network).",
        discussion: """
            For every selected node, in roll order: warm or cold and why, and every step with its exact remote \
            command lines and its timeout. Nothing is contacted; `asroll run --dry-run` adds the live facts.
            """)

    @Option(name: [.short, .long], help: "The inventory file.")
    var inventory: String

    @Option(name: [.short, .long], help: "The playbook file.")
    var playbook: String

    @Option(name: .long, help: "Plan only this node (repeatable); inventory order is kept.")
    var node: [String] = []

    @Flag(name: .long, help: "Print the plan as JSON on stdout (the text goes to stderr).")
    var json = false

    func run() throws {
        let session = RollSession(console: Console(json: json), logger: .init(label: "asroll"), stop: StopSignal())
        finish(session.plan(inventoryPath: inventory, playbookPath: playbook, nodes: node))
    }
}

import ArgumentParser
import RollingCore

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Live, read-only preflight of the whole cluster.",
        discussion: """
            SSH reachability and host keys, sudo without a password, tools present, the cluster gate, and per node: \
            edition, build, namespaces with replication factor and strong consistency, shared-memory sizes, free \
            space in the backup directory, memory-error counters, leases. Exit 0 when a roll could start, 3 when it \
            would be refused.
            """)

    @Option(name: [.short, .long], help: "The inventory file.")
    var inventory: String

    @Option(name: [.short, .long], help: "A playbook, to check its commands and plan (default: the SPEC defaults).")
    var playbook: String?

    @OptionGroup var common: CommonOptions

    func run() async throws {
        finish(await common.session().check(inventoryPath: inventory, playbookPath: playbook))
    }
}

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an unfinished run from its journal.",
        discussion: """
            Re-probes the node that was in progress (asd running? boot id? segments? backup files?) and continues at \
            the first step that is not verifiably done. A reboot is never issued twice unless the boot id proves the \
            first did not happen; the next node never starts before the interrupted one passed its gate.
            """)

    @Flag(name: [.short, .long], help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        finish(await common.session().resume(stateDir: common.stateDir, assumeYes: yes))
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "One table: each node's reachability, asd, cluster view, migrations, quiesce and lease.")

    @Option(name: [.short, .long], help: "The inventory file.")
    var inventory: String

    @OptionGroup var common: CommonOptions

    func run() async throws {
        finish(await common.session().status(inventoryPath: inventory))
    }
}

struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Remove a lease left by a dead controller, after printing who held it and since when.")

    @Option(name: [.short, .long], help: "The inventory file.")
    var inventory: String

    @Flag(name: .long, help: "Required: you checked that the holder is gone.")
    var force = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard force else {
            throw ValidationError("--force is required: removing a lease lets another roll start; check first that "
                + "its holder is gone (`asroll status -i \(inventory)` shows it)")
        }
    }

    func run() async throws {
        finish(await common.session().unlock(inventoryPath: inventory))
    }
}

struct AbandonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abandon",
        abstract: "Give up an unfinished run: archive its journal after confirmation.",
        discussion: """
            Prints where the run stopped and what state the node in progress may be in, asks for confirmation, and \
            archives the journal so that a new run can start. The leases stay on the nodes until `asroll unlock \
            --force`.
            """)

    @Flag(name: [.short, .long], help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        finish(common.session().abandon(stateDir: common.stateDir, assumeYes: yes))
    }
}

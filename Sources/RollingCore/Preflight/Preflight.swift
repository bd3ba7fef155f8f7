import AerospikeInfo
import Foundation
import SSHClient

/// The read-only look at every node before anything is touched: reachability and host keys, sudo, tools, the
/// server, its namespaces, shared memory and room for the backup, memory errors and leases (SPEC §1 `check`).
///
/// Every command it runs is read-only; `probeCommands` lists them for the dry run.
public struct Preflight: Sendable {
    /// The inventory.
    public var inventory: Inventory
    /// The playbook.
    public var playbook: Playbook
    /// The node commands.
    public var lines: NodeCommandLines

    /// A preflight of `inventory` with `playbook`'s commands.
    public init(inventory: Inventory, playbook: Playbook) {
        self.inventory = inventory
        self.playbook = playbook
        self.lines = NodeCommandLines(inventory: inventory, playbook: playbook)
    }

    /// `sudo -n true`: fails at once instead of prompting when sudo wants a password.
    public static let sudoProbe = "sudo -n true"
    /// The tools the default commands need.
    public static let requiredTools = ["systemctl", "journalctl", "ipcs", "asmt"]
    /// `systemctl is-enabled aerospike`.
    public static let unitProbe = "systemctl is-enabled aerospike"
    /// Sums the EDAC counters of every memory controller; prints `<found> <corrected> <uncorrected>`.
    public static let memoryErrorProbe = "found=0; ce=0; ue=0; for d in /sys/devices/system/edac/mc/mc*; do "
        + "[ -r \"$d/ce_count\" ] || continue; found=1; ce=$((ce + $(cat \"$d/ce_count\"))); "
        + "ue=$((ue + $(cat \"$d/ue_count\" 2>/dev/null || echo 0))); done; echo \"$found $ce $ue\""

    /// The tool check.
    public static var toolProbe: String {
        "for t in \(requiredTools.joined(separator: " ")); do command -v \"$t\" >/dev/null 2>&1 || "
            + "echo \"missing $t\"; done; true"
    }

    /// Free space where the backup directory is, or where it would be created.
    public var freeSpaceProbe: String {
        "d=\(ShellQuote.quote(inventory.asmt.backupDir)); while [ ! -e \"$d\" ]; do d=$(dirname \"$d\"); done; "
            + "df -Pk \"$d\""
    }

    /// Every shell command the preflight runs, for the dry run's listing.
    public var probeCommands: [String] {
        [Self.sudoProbe, Self.toolProbe, Self.unitProbe, lines.isRunning, lines.bootID, lines.listSegments,
         freeSpaceProbe, Self.memoryErrorProbe, Lease.readCommand(path: inventory.lease.path)]
    }

    /// The info commands the preflight sends to every node.
    public var infoCommands: [String] {
        [InfoCommand.build, InfoCommand.edition, InfoCommand.release, InfoCommand.statistics]
            + inventory.namespaces.map(InfoCommand.namespace)
    }

    /// Gathers the facts of every node in parallel.
    public func gather(_ nodes: [NodeAccess]) async -> [NodeFacts] {
        await withTaskGroup(of: (Int, NodeFacts).self) { group in
            for (index, node) in nodes.enumerated() {
                group.addTask { (index, await gather(node)) }
            }
            var facts: [(Int, NodeFacts)] = []
            for await result in group { facts.append(result) }
            return facts.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Gathers one node's facts; failures become facts, never errors.
    public func gather(_ node: NodeAccess) async -> NodeFacts {
        var facts = NodeFacts(node: node.name)
        let timeout = playbook.timeouts.command
        func run(_ command: String) async -> CommandResult? {
            try? await node.run(command, step: .quiesce, timeout: timeout, purpose: "preflight")
        }
        do {
            _ = try await node.shell.run("true", timeout: timeout, onOutput: nil)
        } catch let error as SSHError {
            let isHostKey = error.kind == .hostKeyUnknown || error.kind == .hostKeyChanged
                || error.kind == .knownHostsUnreadable
            facts.sshProblem = .init(kind: error.kind.description, message: error.message, isHostKey: isHostKey,
                                     fingerprint: error.hostKeyFingerprint)
        } catch {
            facts.sshProblem = .init(kind: "error", message: "\(error)", isHostKey: false, fingerprint: nil)
        }
        if facts.isReachable {
            facts.hostKeyFingerprint = await node.shell.hostKeyFingerprint
            facts.sudoWithoutPassword = await run(Self.sudoProbe)?.succeeded
            if let tools = await run(Self.toolProbe) {
                facts.toolsChecked = true
                facts.missingTools = tools.stdout.split(separator: "\n")
                    .compactMap { $0.hasPrefix("missing ") ? String($0.dropFirst(8)) : nil }
            }
            facts.unitEnabled = await run(Self.unitProbe).map { $0.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
            facts.asdRunning = await run(lines.isRunning)?.succeeded
            facts.bootID = await run(lines.bootID).flatMap { $0.succeeded ? $0.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil }
            if let segments = await run(lines.listSegments), segments.succeeded {
                facts.segments = SharedMemorySegments(ipcsOutput: segments.stdout).aerospike
            }
            if let df = await run(freeSpaceProbe), df.succeeded {
                facts.backupFreeBytes = Self.availableBytes(dfOutput: df.stdout)
            }
            if let edac = await run(Self.memoryErrorProbe), edac.succeeded {
                let numbers = edac.stdout.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
                if numbers.count == 3, numbers[0] == 1 {
                    facts.memoryErrors = MemoryErrorCounts(corrected: numbers[1], uncorrected: numbers[2])
                }
            }
            if let lease = await run(Lease.readCommand(path: inventory.lease.path)) {
                facts.leaseChecked = true
                do {
                    facts.lease = try Lease.parse(lease.stdout)
                } catch {
                    facts.leaseProblem = "\(inventory.lease.path) holds something that is not an asroll lease"
                }
            }
        }
        do {
            let response = try await node.info.request(infoCommands, timeout: inventory.info.timeout)
            facts.server = try ServerIdentity(build: response.value(for: InfoCommand.build),
                                              edition: response[InfoCommand.edition],
                                              release: response[InfoCommand.release])
            facts.statistics = try NodeStatistics(parsing: response.value(for: InfoCommand.statistics))
            facts.namespaces = try inventory.namespaces.map { namespace in
                try NamespaceStatus(name: namespace, parsing: response.value(for: InfoCommand.namespace(namespace)))
            }
        } catch {
            facts.infoProblem = ClusterObserver.describe(error)
        }
        return facts
    }

    /// The `Available` column of `df -Pk`, in bytes.
    public static func availableBytes(dfOutput: String) -> Int? {
        guard let row = dfOutput.split(separator: "\n").dropFirst().first else { return nil }
        let columns = row.split(whereSeparator: \.isWhitespace)
        guard columns.count >= 4, let kilobytes = Int(columns[3]) else { return nil }
        return kilobytes * 1024
    }

    /// The live facts the planner uses.
    public static func planningFacts(_ facts: [NodeFacts]) -> [String: PlanningFacts] {
        Dictionary(uniqueKeysWithValues: facts.map {
            ($0.node, PlanningFacts(server: $0.server, memoryErrors: $0.memoryErrors))
        })
    }
}

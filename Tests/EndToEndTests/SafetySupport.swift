import Foundation
import Testing
import TestSupport

/// Record events that change a node by themselves, whatever command caused them.
private let changingEvents: Set<String> = [
    "asd_starting", "asd_started", "asd_stopping", "asd_stopped", "unit_enabled", "unit_disabled", "unit_masked",
    "unit_unmasked", "segments_removed", "quiesce", "quiesce_undo", "recluster", "reboot_issued", "node_down",
    "corruption",
]

/// Programs a node runs that only read, as the record names them (`argv[0]`).
private let readingPrograms: Set<String> = ["true", "cat", "df", "ls", "test", "ipcs", "journalctl", "stat", "date"]

/// Whether `event` changed `node` itself: a mutation on it other than `recluster:`, which asroll sends to every node
/// to make another node's quiesce take effect.
func touches(_ event: SimRecordEvent, node: String) -> Bool {
    event.node == node && event.name != "recluster" && isMutation(event)
}

/// Whether one record event shows something changed on a node: a mutating command (anything not known to only
/// read), a non-analyze asmt run, or a state change such as a stop, a quiesce or a reboot.
func isMutation(_ event: SimRecordEvent) -> Bool {
    switch event.name {
    case "command":
        guard let argv = event["argv"]?.strings, let program = argv.first else { return false }
        switch program {
        case "systemctl":
            return !["is-active", "is-enabled", "is-failed", "status", "show"].contains(argv.dropFirst().first ?? "")
        case "asmt": return !argv.contains("-a")
        case "asinfo":
            return argv.contains { ["quiesce:", "quiesce-undo:", "recluster:"].contains($0) || $0.hasPrefix("set-") }
        case "find": return argv.contains("-delete")
        default: return !readingPrograms.contains(program)
        }
    case "asmt_backup", "asmt_restore": return event.bool("analyze") != true
    default: return changingEvents.contains(event.name)
    }
}

/// A snapshot of the simulator's record, to prove that a command changed nothing on any node.
struct RecordMark {
    /// How many record lines existed when the mark was taken.
    let count: Int

    /// Marks the current end of `cluster`'s record.
    init(_ cluster: SimulatedCluster) throws {
        count = try cluster.record().count
    }

    /// Every event after the mark.
    func events(_ cluster: SimulatedCluster) throws -> [SimRecordEvent] {
        Array(try cluster.record().dropFirst(count))
    }

    /// Every event after the mark that changed something, one line each.
    func mutations(_ cluster: SimulatedCluster) throws -> [String] {
        try events(cluster).filter(isMutation).map(\.description)
    }
}

/// Nodes holding a lease file at the inventory's lease path (which a refused or dry run must never write), read
/// from the host side of each node's `/var/tmp` bind mount so that it works whatever SSH thinks of the node.
func nodesWithLease(_ cluster: SimulatedCluster) -> [String] {
    cluster.nodes.filter {
        FileManager.default.fileExists(atPath: cluster.directory + "/nodes/\($0)/var-tmp/asroll.lease")
    }
}

/// Asserts that nothing changed on any node since `mark`: no mutating record event and no lease file.
func expectUntouched(_ cluster: SimulatedCluster, since mark: RecordMark, _ context: String,
                     sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let mutations = try mark.mutations(cluster)
    #expect(mutations.isEmpty, """
        nothing may change on any node, but the record shows:
        \(mutations.joined(separator: "\n"))
        \(context)
        """, sourceLocation: sourceLocation)
    let leases = nodesWithLease(cluster)
    #expect(leases.isEmpty, "no lease may be written, but \(leases) hold one\n\(context)",
            sourceLocation: sourceLocation)
}

/// `asroll run` against the cluster with the test playbook; refusals are expected to come back quickly.
func safetyRun(_ cluster: SimulatedCluster, playbook: String? = nil, stateDir: String = freshStateDir(),
               _ extra: [String] = []) async throws -> AsrollProcess.Result
{
    try await roll(cluster, playbook: playbook ?? testPlaybook(in: cluster.directory), stateDir: stateDir,
                   extra: extra, timeout: .seconds(120))
}

extension AsrollProcess.Result {
    /// Everything it printed, stdout then stderr.
    var output: String { stdout + "\n" + stderr }
}

extension SimulatedCluster {
    /// Rewrites the inventory: adds `flags` to `node`'s entry and, when given, a `memory_errors.corrected_threshold`.
    func editInventory(flags: [String: [String]] = [:], correctedThreshold: Int? = nil) throws {
        var text = try String(contentsOfFile: inventoryPath, encoding: .utf8)
        for (node, added) in flags {
            let entry = "  - name: \(node)\n    host: \(addresses[node] ?? "")\n"
            guard let range = text.range(of: entry) else {
                throw Failure(description: "no entry for \(node) in the inventory:\n\(text)")
            }
            let existing = text[range.upperBound...].hasPrefix("    flags: [")
            if existing {
                text = text.replacingOccurrences(of: entry + "    flags: [",
                                                 with: entry + "    flags: [" + added.joined(separator: ", ") + ", ")
            } else {
                text.replaceSubrange(range, with: entry + "    flags: [\(added.joined(separator: ", "))]\n")
            }
        }
        if let correctedThreshold {
            let section = "\nmemory_errors:\n  corrected_threshold: \(correctedThreshold)\nnodes:\n"
            text = text.replacingOccurrences(of: "\nnodes:\n", with: section)
        }
        try text.write(toFile: inventoryPath, atomically: true, encoding: .utf8)
    }

    /// The `known_hosts` line of `node`.
    func knownHostsLine(_ node: String) throws -> String {
        let lines = try String(contentsOfFile: knownHostsFile, encoding: .utf8).split(separator: "\n").map(String.init)
        let prefix = "[\(addresses[node] ?? node)]:\(sshPort) "
        guard let line = lines.first(where: { $0.hasPrefix(prefix) }) else {
            throw Failure(description: "no known_hosts line for \(node) (\(prefix))")
        }
        return line
    }

    /// The SHA256 fingerprint (`SHA256:...`) of a known_hosts line's key, as `ssh-keygen -l` prints it.
    func fingerprint(ofKnownHostsLine line: String) async throws -> String {
        let file = directory + "/fingerprint-\(UUID().uuidString.prefix(8))"
        try (line + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let output = try await SimulatedCluster.run(["ssh-keygen", "-l", "-f", file])
        guard let fingerprint = output.stdout.split(separator: " ").first(where: { $0.hasPrefix("SHA256:") }) else {
            throw Failure(description: "ssh-keygen printed no fingerprint: \(output.stdout)\(output.stderr)")
        }
        return String(fingerprint)
    }

    /// Replaces the known_hosts file's lines with `transform` of them.
    func rewriteKnownHosts(_ transform: ([String]) throws -> [String]) throws {
        let lines = try String(contentsOfFile: knownHostsFile, encoding: .utf8).split(separator: "\n").map(String.init)
        try (transform(lines).joined(separator: "\n") + "\n").write(toFile: knownHostsFile, atomically: true,
                                                                     encoding: .utf8)
    }
}

extension Array where Element == SimRecordEvent {
    /// The first event named `name` on `node` (any node when `nil`) at or after `time`.
    func first(_ name: String, node: String?, after time: Double = 0) -> SimRecordEvent? {
        first { $0.name == name && (node == nil || $0.node == node) && $0.time >= time }
    }
}

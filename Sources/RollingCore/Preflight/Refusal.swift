import AerospikeInfo
import Foundation
import SystemSupport

/// A reason not to touch the cluster at all (exit 3), found before anything is done.
public struct Refusal: Sendable, Equatable, CustomStringConvertible {
    /// The node concerned, when it is one node's.
    public var node: String?
    /// Why, and what to do about it.
    public var reason: String

    /// A refusal.
    public init(node: String?, reason: String) {
        self.node = node
        self.reason = reason
    }

    public var description: String { node.map { "\($0): \(reason)" } ?? reason }
}

extension Preflight {
    /// Every reason to refuse the run, from the facts of every node (SPEC §4 "further refusals").
    ///
    /// - Parameters:
    ///   - ownRunID: the run being resumed, whose lease and quiesce are not someone else's.
    ///   - ownQuiescedNode: the node this run quiesced before it was interrupted.
    ///   - inProgressNode: the node a resumed run left mid-cycle; it may be stopped or rebooting, so only the checks
    ///     of SSH, sudo, tools and leases apply to it.
    ///   - rebootingNode: the node a resumed run left in the middle of its reboot: it may still be down, and the
    ///     reboot step waits for it to come back, so only a host-key problem refuses it.
    public func refusals(facts: [NodeFacts], plan: RollPlan, options: RunOptions, ownRunID: String? = nil,
                         ownQuiescedNode: String? = nil, inProgressNode: String? = nil,
                         rebootingNode: String? = nil) -> [Refusal]
    {
        var refusals: [Refusal] = []
        for fact in facts {
            let name = fact.node
            func refuse(_ reason: String) { refusals.append(Refusal(node: name, reason: reason)) }
            let nodePlan = plan.node(named: name)

            if let problem = fact.sshProblem {
                if problem.isHostKey {
                    // The SSH layer's message usually names the fingerprint, the file and what to check already.
                    let fingerprint = problem.fingerprint.flatMap { problem.message.contains($0) ? nil : $0 }
                        .map { " (the node presented \($0))" } ?? ""
                    let remedy = problem.kind.contains("unknown")
                        ? "To record the key after checking it, run with --accept-new-host-keys."
                        : "asroll never accepts a changed key: if the host was reinstalled, verify the new key out "
                            + "of band and replace the old entry."
                    refuse("\(problem.kind)\(fingerprint): \(problem.message) \(remedy)")
                } else if name != rebootingNode {
                    refuse("not reachable over SSH (\(problem.kind)): \(problem.message)")
                }
                continue
            }
            if fact.sudoWithoutPassword == false {
                refuse("sudo asks for a password (`\(Self.sudoProbe)` failed); asroll never types passwords. Allow the "
                    + "SSH user passwordless sudo for the playbook's commands")
            }
            let needed = neededTools(for: nodePlan)
            let missing = fact.missingTools.filter(needed.contains)
            if !missing.isEmpty {
                refuse("required tool(s) missing: \(missing.joined(separator: ", ")); install them or change the "
                    + "playbook's commands")
            }
            if let lease = fact.lease, lease.runID != ownRunID {
                refuse("the cluster is leased by another roll: \(lease.summary). If that controller is gone, "
                    + "`asroll unlock -i \(inventory.sourcePath) --force` removes the lease")
            }
            if let problem = fact.leaseProblem {
                refuse(problem + "; remove it by hand if it is stale")
            }
            if name == inProgressNode { continue }
            if let problem = fact.infoProblem {
                refuse("info port not answering: \(problem)")
                continue
            }
            if let server = fact.server, !server.isEnterprise, !options.allowColdCommunity {
                refuse("runs \(server.edition): there is no warm restart, no quiesce and no asmt outside Enterprise "
                    + "Edition, so a warm restart cannot be done. To roll it with cold restarts (hours per node), "
                    + "run with --allow-cold-community")
            }
            for namespace in fact.namespaces {
                if namespace.replicationFactor == 1 && !options.allowRF1 {
                    refuse("namespace \(namespace.name) has replication-factor 1: its data is unavailable while the "
                        + "node is down. Run with --allow-rf1 to accept that (asroll then waits for migrations after "
                        + "the quiesce, before the stop)")
                }
                if namespace.strongConsistency && (namespace.unavailablePartitions > 0 || namespace.deadPartitions > 0) {
                    refuse("strong-consistency namespace \(namespace.name) has \(namespace.unavailablePartitions) "
                        + "unavailable and \(namespace.deadPartitions) dead partitions; taking a node down now would "
                        + "make more data unavailable. Repair the roster or revive first")
                }
            }
            if fact.isQuiesced && ownQuiescedNode != name {
                refuse("already quiesced by someone else (pending_quiesce or effective_is_quiesced); find out who "
                    + "and why, and undo it (`quiesce-undo:` + `recluster:`) before rolling")
            }
            if let nodePlan, nodePlan.step(.backup) != nil, let free = fact.backupFreeBytes {
                let needed = fact.segments.reduce(0) { $0 + $1.bytes }
                if needed > free {
                    refuse("the backup directory \(inventory.asmt.backupDir) has \(Self.bytes(free)) free but the "
                        + "node's Aerospike segments take \(Self.bytes(needed)); free space or point asmt.backup_dir "
                        + "at a bigger disk")
                }
            }
        }
        return refusals
    }

    /// Problems on the controller itself that make every node unreachable: the key file, its passphrase variable,
    /// the known_hosts file. Checked before any connection, so that the operator gets one clear message instead of
    /// one authentication failure per node.
    public func localProblems(acceptNewHostKeys: Bool = false,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> [Refusal]
    {
        var problems: [Refusal] = []
        let ssh = inventory.ssh
        if !ssh.useAgent, let key = ssh.identityFile, !FileManager.default.isReadableFile(atPath: key) {
            problems.append(Refusal(node: nil, reason: "the SSH key \(key) (ssh.identity_file in "
                + "\(inventory.sourcePath)) cannot be read"))
        }
        if let variable = ssh.passphraseEnv, environment[variable] == nil {
            problems.append(Refusal(node: nil, reason: "ssh.passphrase_env names \(variable), but that variable is "
                + "not set; export it with the key's passphrase"))
        }
        if ssh.useAgent && environment["SSH_AUTH_SOCK"] == nil {
            problems.append(Refusal(node: nil, reason: "ssh.use_agent is true but SSH_AUTH_SOCK is not set: no "
                + "ssh-agent is reachable"))
        }
        if !acceptNewHostKeys && !FileManager.default.isReadableFile(atPath: ssh.knownHosts) {
            problems.append(Refusal(node: nil, reason: "the known_hosts file \(ssh.knownHosts) cannot be read; "
                + "asroll checks host keys strictly (record them with ssh-keyscan after verifying them, or run "
                + "with --accept-new-host-keys)"))
        }
        return problems
    }

    /// The tools the node's commands run, among those the preflight checks.
    func neededTools(for plan: NodePlan?) -> Set<String> {
        guard let plan else { return [] }
        let programs = plan.steps.flatMap(\.commands).filter { $0.channel == .shell }.flatMap { Self.programs(in: $0.text) }
        return Set(Self.requiredTools.filter(programs.contains))
    }

    /// The programs a shell line runs: the first word of each `;`, `&&`, `||` or `|` part, after `sudo`, its
    /// options and `NAME=value` assignments, without the directory.
    static func programs(in line: String) -> [String] {
        line.replacingOccurrences(of: "&&", with: ";").replacingOccurrences(of: "||", with: ";")
            .split(whereSeparator: { $0 == ";" || $0 == "|" })
            .compactMap { part in
                part.split(separator: " ").map(String.init).first { word in
                    !(word == "sudo" || word.hasPrefix("-") || word.contains("="))
                }
            }
            .map { ($0 as NSString).lastPathComponent }
    }

    /// Bytes in binary units, for messages.
    public static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}

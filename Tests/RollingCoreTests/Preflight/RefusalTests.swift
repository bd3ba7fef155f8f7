import AerospikeInfo
import Foundation
import RollingCore
import Testing

@Suite struct RefusalTests {
    let harness = RollHarness()

    func healthyFacts(_ name: String) throws -> NodeFacts {
        var facts = NodeFacts(node: name)
        facts.sudoWithoutPassword = true
        facts.asdRunning = true
        facts.server = try ServerIdentity(build: "8.1.2.0", edition: "Aerospike Enterprise Edition", release: nil)
        facts.namespaces = try ["test", "bar"].map {
            try NamespaceStatus(name: $0, parsing: "replication-factor=2;migrate_tx_partitions_remaining=0;"
                + "migrate_rx_partitions_remaining=0;strong-consistency=false")
        }
        facts.segments = [.init(key: "0xae001000", id: "1", bytes: 1 << 30, attached: 1)]
        facts.backupFreeBytes = 10 << 30
        return facts
    }

    func refusals(_ change: (inout [NodeFacts]) throws -> Void, options: RunOptions = RunOptions(),
                  ownRunID: String? = nil) throws -> [Refusal]
    {
        var facts = try ["aero-1", "aero-2", "aero-3"].map(healthyFacts)
        try change(&facts)
        let preflight = Preflight(inventory: harness.inventory, playbook: harness.playbook)
        return preflight.refusals(facts: facts, plan: try harness.plan(), options: options, ownRunID: ownRunID)
    }

    @Test func aHealthyClusterIsNotRefused() throws {
        #expect(try refusals { _ in }.isEmpty)
    }

    @Test func unknownAndChangedHostKeysAreRefusedWithTheFingerprint() throws {
        let found = try refusals { facts in
            facts[0].sshProblem = .init(kind: "host key unknown", message: "not in known_hosts", isHostKey: true,
                                        fingerprint: "SHA256:abc")
            facts[1].sshProblem = .init(kind: "host key changed", message: "mismatch", isHostKey: true,
                                        fingerprint: "SHA256:def")
        }
        #expect(found.count == 2)
        #expect(found[0].node == "aero-1" && found[0].reason.contains("SHA256:abc")
            && found[0].reason.contains("--accept-new-host-keys"))
        #expect(found[1].reason.contains("SHA256:def") && found[1].reason.contains("never accepts a changed key"))
    }

    @Test func sudoWantingAPasswordIsRefused() throws {
        let found = try refusals { $0[2].sudoWithoutPassword = false }
        #expect(found.map(\.node) == ["aero-3"])
        #expect(found[0].reason.contains("sudo asks for a password"))
    }

    @Test func aMissingToolIsRefusedOnlyWhenThePlanUsesIt() throws {
        #expect(try refusals { $0[0].missingTools = ["asmt"] }.map(\.node) == ["aero-1"])
        let cold = RollHarness(flags: ["aero-1": [.dimmFault]])
        var facts = try ["aero-1", "aero-2", "aero-3"].map(healthyFacts)
        facts[0].missingTools = ["asmt"]
        let found = Preflight(inventory: cold.inventory, playbook: cold.playbook)
            .refusals(facts: facts, plan: try cold.plan(), options: RunOptions())
        #expect(found.isEmpty, "a cold node never runs asmt")
    }

    @Test func replicationFactorOneIsRefusedUnlessAllowed() throws {
        let rf1 = { (facts: inout [NodeFacts]) throws in
            facts[1].namespaces[0] = try NamespaceStatus(name: "test", parsing: "replication-factor=1;"
                + "migrate_tx_partitions_remaining=0;migrate_rx_partitions_remaining=0")
        }
        #expect(try refusals(rf1).first?.reason.contains("replication-factor 1") == true)
        #expect(try refusals(rf1, options: RunOptions(allowRF1: true)).isEmpty)
    }

    @Test func strongConsistencyWithUnavailablePartitionsIsRefused() throws {
        let found = try refusals { facts in
            facts[0].namespaces[1] = try NamespaceStatus(name: "bar", parsing: "replication-factor=2;"
                + "strong-consistency=true;unavailable_partitions=12;dead_partitions=0;"
                + "migrate_tx_partitions_remaining=0;migrate_rx_partitions_remaining=0")
        }
        #expect(found.first?.reason.contains("12 unavailable") == true)
    }

    @Test func communityEditionIsRefusedUnlessColdRestartsAreAccepted() throws {
        let community = { (facts: inout [NodeFacts]) throws in
            facts[0].server = try ServerIdentity(build: "8.1.2.0", edition: "Aerospike Community Edition", release: nil)
        }
        #expect(try refusals(community).first?.reason.contains("Community Edition") == true)
        #expect(try refusals(community, options: RunOptions(allowColdCommunity: true)).isEmpty)
    }

    @Test func tooLittleRoomForTheBackupIsRefused() throws {
        let found = try refusals { $0[1].backupFreeBytes = 100 << 20 }
        #expect(found.map(\.node) == ["aero-2"])
        #expect(found[0].reason.contains("100.0 MiB free") && found[0].reason.contains("1.0 GiB"))
    }

    @Test func aNodeQuiescedBySomeoneElseIsRefused() throws {
        let found = try refusals { facts in
            facts[2].namespaces[0] = try NamespaceStatus(name: "test", parsing: "replication-factor=2;"
                + "pending_quiesce=true;migrate_tx_partitions_remaining=0;migrate_rx_partitions_remaining=0")
        }
        #expect(found.map(\.node) == ["aero-3"])
    }

    @Test func anotherRunsLeaseIsRefusedNamingItsHolderButOurOwnIsNot() throws {
        let lease = Lease(cluster: "unit", runID: "other", holder: "alice@bastion", pid: 4242, started: Date())
        let found = try refusals { $0[0].lease = lease }
        #expect(found.first?.reason.contains("alice@bastion") == true)
        #expect(found.first?.reason.contains("asroll unlock") == true)
        #expect(try refusals({ $0[0].lease = lease }, ownRunID: "other").isEmpty)
    }

    @Test func aResumedNodeStillDownFromItsRebootIsNotRefusedUnlessItsHostKeyIsWrong() throws {
        var facts = try ["aero-1", "aero-2", "aero-3"].map(healthyFacts)
        facts[0] = NodeFacts(node: "aero-1")
        facts[0].sshProblem = .init(kind: "connection refused", message: "connect: Connection refused",
                                    isHostKey: false, fingerprint: nil)
        let preflight = Preflight(inventory: harness.inventory, playbook: harness.playbook)
        let plan = try harness.plan()
        let rebooting = preflight.refusals(facts: facts, plan: plan, options: RunOptions(), ownRunID: "run-1",
                                           inProgressNode: "aero-1", rebootingNode: "aero-1")
        #expect(rebooting.isEmpty, "the reboot step waits for the node: \(rebooting)")
        let stopped = preflight.refusals(facts: facts, plan: plan, options: RunOptions(), ownRunID: "run-1",
                                         inProgressNode: "aero-1")
        #expect(stopped.map(\.node) == ["aero-1"], "unreachable outside a reboot is refused: \(stopped)")
        facts[0].sshProblem = .init(kind: "host key changed", message: "mismatch", isHostKey: true,
                                    fingerprint: "SHA256:new")
        let changedKey = preflight.refusals(facts: facts, plan: plan, options: RunOptions(), ownRunID: "run-1",
                                            inProgressNode: "aero-1", rebootingNode: "aero-1")
        #expect(changedKey.map(\.node) == ["aero-1"], "a changed host key is refused even mid-reboot: \(changedKey)")
    }

    @Test func leaseCommandsRoundTripThroughAShell() throws {
        let path = NSTemporaryDirectory() + "lease-\(UUID().uuidString)"
        let lease = Lease(cluster: "c'1", runID: "r1", holder: "ops@host", pid: 7, started: Date())
        func sh(_ command: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            process.waitUntilExit()
            return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        #expect(try Lease.parse(sh(Lease.readCommand(path: path))) == nil)
        _ = try sh(lease.writeCommand(path: path))
        #expect(try Lease.parse(sh(Lease.readCommand(path: path)))?.runID == "r1")
        _ = try sh(Lease.releaseCommand(path: path, runID: "someone-else"))
        #expect(try Lease.parse(sh(Lease.readCommand(path: path))) != nil, "another run's lease is not released")
        _ = try sh(Lease.releaseCommand(path: path, runID: "r1"))
        #expect(try Lease.parse(sh(Lease.readCommand(path: path))) == nil)
    }
}

@Suite struct LocalProblemTests {
    @Test func anUnreadableKeyAMissingPassphraseVariableAndMissingKnownHostsAreRefusedBeforeAnyConnection() {
        let harness = RollHarness()
        var inventory = harness.inventory
        inventory.ssh.identityFile = "/nonexistent/id_ed25519"
        inventory.ssh.passphraseEnv = "ASROLL_UNIT_PASSPHRASE"
        inventory.ssh.knownHosts = "/nonexistent/known_hosts"
        let problems = Preflight(inventory: inventory, playbook: harness.playbook)
            .localProblems(environment: [:]).map(\.reason)
        #expect(problems.count == 3)
        #expect(problems[0].contains("/nonexistent/id_ed25519"))
        #expect(problems[1].contains("ASROLL_UNIT_PASSPHRASE"))
        #expect(problems[2].contains("known_hosts"))
        let accepting = Preflight(inventory: inventory, playbook: harness.playbook)
            .localProblems(acceptNewHostKeys: true, environment: ["ASROLL_UNIT_PASSPHRASE": "x"])
        #expect(accepting.count == 1, "only the key is left: known_hosts may be created, the variable is set")
    }
}

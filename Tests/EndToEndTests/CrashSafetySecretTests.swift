import Foundation
import RollingCore
import Testing
import TestSupport

/// No secret in the journal or in any log (SPEC §6, issue 6 item 1).
@Suite(.timeLimit(.minutes(3))) struct CrashSafetySecretTests {
    @Test func theKeyPassphraseAppearsNowhereInTheStateDirNorInTheOutput() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.157.1", options: ["--fast"]) { cluster in
            let secret = "asroll-test-secret-\(UUID().uuidString)"
            // A passphrase-protected copy of the simulator's key: same public key, so the nodes accept it. The .pub
            // file next to it spares libssh2 a second run of the key derivation per connection.
            let key = cluster.directory + "/protected_ed25519"
            try FileManager.default.copyItem(atPath: cluster.identityFile, toPath: key)
            try FileManager.default.copyItem(atPath: cluster.identityFile + ".pub", toPath: key + ".pub")
            let protect = try await SimulatedCluster.run(["ssh-keygen", "-q", "-p", "-P", "", "-N", secret, "-f", key])
            #expect(protect.status == 0, "ssh-keygen -p: \(protect.stdout)\(protect.stderr)")
            let locked = try await SimulatedCluster.run(["ssh-keygen", "-y", "-P", "", "-f", key])
            #expect(locked.status != 0, "the copy cannot be read without its passphrase")

            let inventory = cluster.directory + "/protected-inventory.yml"
            let original = try String(contentsOfFile: cluster.inventoryPath, encoding: .utf8)
            // Deriving the key's cipher key takes a while on a loaded machine: a connect timeout with room for it.
            let edited = original.replacingOccurrences(
                of: "  identity_file: \(cluster.identityFile)\n",
                with: "  identity_file: \(key)\n  passphrase_env: ASROLL_TEST_PASSPHRASE\n")
                .replacingOccurrences(of: "  connect_timeout: 5s\n", with: "  connect_timeout: 30s\n")
            #expect(edited != original, "the inventory names the protected key:\n\(edited)")
            try edited.write(toFile: inventory, atomically: true, encoding: .utf8)

            let state = CrashStateDir(path: freshStateDir())
            let playbook = try testPlaybook(in: cluster.directory)
            let result = try await AsrollProcess.run(
                ["run", "-i", inventory, "-p", playbook, "--yes", "--state-dir", state.path, "--log-level", "trace"],
                environment: ["ASROLL_TEST_PASSPHRASE": secret], timeout: .seconds(120))
            #expect(result.exitCode == 0, "the roll authenticates with the protected key\n\(result)")

            let files = FileManager.default.enumerator(atPath: state.path)?.compactMap { $0 as? String } ?? []
            #expect(files.contains { $0.hasSuffix("journal.jsonl") } && files.contains { $0.hasSuffix("aero-1.log") },
                    "the state dir holds the journal and the command logs: \(files)")
            let leaking = files.filter { file in
                let data = FileManager.default.contents(atPath: state.path + "/" + file) ?? Data()
                return data.range(of: Data(secret.utf8)) != nil
            }
            #expect(leaking.isEmpty, "the passphrase is written into \(leaking)")
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret),
                    "the passphrase is printed (trace logging on)")
            let record = try String(contentsOfFile: cluster.recordPath, encoding: .utf8)
            #expect(!record.contains(secret), "the passphrase reached a node")
        }
    }
}

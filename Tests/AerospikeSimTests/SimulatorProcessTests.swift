import AerospikeInfo
import AerospikeSim
import Foundation
import Testing
import TestSupport

/// A real `asroll-sim up`: real sshd per node, the real OpenSSH client, the real info protocol. Each test has its
/// own loopback addresses, so they run in parallel, and always runs `down`.
@Suite(.timeLimit(.minutes(2)))
struct SimulatorProcessTests {
    private static let backup = "sudo asmt -b -v -z -p /var/aerospike/asmt -n test,bar"
    private static let restore = "sudo asmt -r -v -p /var/aerospike/asmt -n test,bar"

    /// Waits until `node` answers SSH with a boot id other than `old`.
    private func waitForNewBootID(_ cluster: SimulatedCluster, _ node: String, old: String) async throws -> String {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let result = try await cluster.ssh(node, "cat /proc/sys/kernel/random/boot_id", timeout: 5)
            let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if result.status == 0, !id.isEmpty, id != old { return id }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SimulatedCluster.Failure(description: "\(node) did not come back with a new boot id")
    }

    private func bootID(_ cluster: SimulatedCluster, _ node: String) async throws -> String {
        try await cluster.ssh(node, "cat /proc/sys/kernel/random/boot_id").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func upWritesTheFilesAndEveryNodeAnswersOnSSHAndInfo() async throws {
        let hostBootID = try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
        let hostSudo = try? FileManager.default.destinationOfSymbolicLink(atPath: "/usr/bin/sudo")
        try await SimulatedCluster.withCluster(nodes: 3, baseAddress: "127.0.91.1", options: ["--fast"]) { cluster in
            let inventory = try String(contentsOfFile: cluster.inventoryPath, encoding: .utf8)
            #expect(inventory.contains("cluster: sim\n"))
            #expect(inventory.contains("namespaces: [test, bar]\n"))
            #expect(inventory.contains("  - name: aero-3\n    host: 127.0.91.3\n"))
            #expect(inventory.contains("identity_file: \(cluster.identityFile)\n"))
            let knownHosts = try String(contentsOfFile: cluster.knownHostsFile, encoding: .utf8)
            #expect(knownHosts.split(separator: "\n").count == 3)
            #expect(knownHosts.hasPrefix("[127.0.91.1]:2222 ssh-ed25519 AAAA"))
            #expect(FileManager.default.fileExists(atPath: cluster.identityFile + ".pub"))

            let active = try await cluster.ssh("aero-1", "sudo systemctl is-active aerospike")
            #expect(active.stdout == "active\n")
            #expect(active.status == 0)

            let connection = InfoConnection(host: "127.0.91.1", port: 3000)
            let statistics = try NodeStatistics(parsing: try await connection.request(InfoCommand.statistics,
                                                                                      timeout: .seconds(5)))
            await connection.close()
            #expect(statistics.clusterSize == 3)
            #expect(statistics.migratePartitionsRemaining == 0)

            let view = try await cluster.ssh("aero-2", "hostname; cat /sys/devices/system/edac/mc/mc0/ce_count; "
                                       + "df -P /var/aerospike/asmt | tail -1; asinfo -v namespaces")
            #expect(view.stdout.hasPrefix("aero-2\n0\ntmpfs "))
            #expect(view.stdout.hasSuffix("test;bar\n"))
            #expect(try await cluster.status().contains("aero-3  127.0.91.3  up   running  3"))
            try await cluster.ctl(["quiesce", "aero-2"])
            let quiesced = try await cluster.status().split(separator: "\n").first { $0.hasPrefix("aero-2") }
            #expect(quiesced?.contains("  yes  ") == true, "someone else quiesced aero-2: \(quiesced ?? "")")
            #expect(try cluster.events("recluster").last?.string("source") == "ctl")
        }
        #expect(try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) == hostBootID)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: "/usr/bin/sudo")) == hostSudo)
    }

    @Test func warmCycleByHandWithTheDefaultCommandsEndsWarm() async throws {
        try await SimulatedCluster.withCluster(nodes: 3, baseAddress: "127.0.92.1", options: ["--fast"]) { cluster in
            let prepare = try await cluster.ssh("aero-1", "sudo systemctl disable aerospike && sudo systemctl stop "
                + "aerospike "
                                          + "&& ! systemctl is-active --quiet aerospike && \(Self.backup)")
            #expect(prepare.status == 0, "\(prepare.stderr)")
            #expect(prepare.stdout.components(separatedBy: "Successfully backed up 4 Aerospike database segments.")
                .count == 3)
            let old = try await bootID(cluster, "aero-1")
            _ = try await cluster.ssh("aero-1", "sudo systemctl reboot", timeout: 10)
            _ = try await waitForNewBootID(cluster, "aero-1", old: old)
            let segments = try await cluster.ssh("aero-1", "ipcs -m | grep -c ^0xae")
            #expect(segments.stdout == "0\n")
            let finish = try await cluster.ssh("aero-1", "\(Self.restore) && sudo systemctl enable aerospike && "
                                         + "sudo systemctl start aerospike")
            #expect(finish.status == 0, "\(finish.stderr)")
            #expect(finish.stdout.components(separatedBy: "Successfully restored 4 Aerospike database segment files.")
                .count == 3)
            let started = try await cluster.waitForEvent(timeout: 20) {
                $0.name == "asd_started" && $0.node == "aero-1"
            }
            #expect(started.string("mode") == "warm")
            #expect(started.bool("at_boot") == false)
            #expect(try cluster.events("corruption").isEmpty)
            let log = try await cluster.ssh("aero-1", "sudo journalctl -u aerospike --no-pager --since "
                + "@\(Int(started.time) - 1)")
            #expect(log.stdout.contains("{test} beginning warm restart"))
            _ = try await cluster.waitForEvent(timeout: 20) { $0.name == "migrations_zero" && $0.time > started.time }
        }
    }

    @Test func theSameCycleWithoutBackupAndRestoreEndsCold() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.93.1", options: ["--fast"]) { cluster in
            _ = try await cluster.ssh("aero-2", "sudo systemctl disable aerospike && sudo systemctl stop aerospike")
            let old = try await bootID(cluster, "aero-2")
            _ = try await cluster.ssh("aero-2", "sudo reboot", timeout: 10)
            _ = try await waitForNewBootID(cluster, "aero-2", old: old)
            #expect(try cluster.events("asd_starting", node: "aero-2").isEmpty, "a disabled unit stays down at boot")
            _ = try await cluster.ssh("aero-2", "sudo systemctl enable aerospike && sudo systemctl start aerospike")
            let started = try await cluster.waitForEvent(timeout: 20) {
                $0.name == "asd_started" && $0.node == "aero-2"
            }
            #expect(started.string("mode") == "cold")
        }
    }

    @Test func anEnabledUnitStartsAtBootAndTheRestoreIsThenRefused() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.94.1", options: ["--fast"]) { cluster in
            let backup = try await cluster.ssh("aero-1", "sudo systemctl stop aerospike && \(Self.backup)")
            #expect(backup.status == 0)
            let old = try await bootID(cluster, "aero-1")
            _ = try await cluster.ssh("aero-1", "sudo systemctl reboot", timeout: 10)
            _ = try await waitForNewBootID(cluster, "aero-1", old: old)
            let started = try await cluster.waitForEvent(timeout: 20) {
                $0.name == "asd_started" && $0.node == "aero-1"
            }
            #expect(started.bool("at_boot") == true)
            #expect(started.string("mode") == "cold")
            let restore = try await cluster.ssh("aero-1", Self.restore)
            #expect(restore.status == 1)
            #expect(restore.stdout.contains("Found existing Aerospike primary index segment 0xae001000 with instance "
                + "0, "
                                            + "namespace 'test' (nsid 1): cannot restore associated file."))
        }
    }

    @Test func aRebootDropsOpenSessionsAndDropSSHKeepsTheListener() async throws {
        try await SimulatedCluster.withCluster(nodes: 1, baseAddress: "127.0.95.1", options: ["--fast"]) { cluster in
            let held = try await holdSession(cluster)
            try await cluster.ctl(["drop-ssh", "aero-1"])
            #expect(try await exitStatus(held, within: 10) != nil, "drop-ssh ends the session")
            #expect(try await cluster.ssh("aero-1", "echo still here").stdout == "still here\n")

            let second = try await holdSession(cluster)
            _ = try await cluster.ssh("aero-1", "sudo systemctl reboot")
            let status = try await exitStatus(second, within: 10)
            #expect(status != nil && status != 0, "a reboot drops the session")
        }
    }

    /// Opens an SSH session to aero-1 that stays open, and returns once it is established (its marker command, a
    /// simulated `systemctl is-enabled`, shows up in the record).
    private func holdSession(_ cluster: SimulatedCluster) async throws -> SimulatorProcess.Running {
        let marker = ["systemctl", "is-enabled", "aerospike"]
        let before = try cluster.events("command", node: "aero-1").filter { $0["argv"]?.strings == marker }.count
        let session = try SimulatorProcess.start([
            "ssh", "-i", cluster.identityFile, "-o", "UserKnownHostsFile=\(cluster.knownHostsFile)", "-o",
            "BatchMode=yes", "-p", "2222", "root@127.0.95.1", "systemctl is-enabled aerospike >/dev/null; sleep 60",
        ])
        let deadline = Date().addingTimeInterval(20)
        while try cluster.events("command", node: "aero-1").filter({ $0["argv"]?.strings == marker }).count == before {
            guard Date() < deadline else {
                session.kill()
                throw SimulatedCluster.Failure(description: "the held SSH session did not start")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return session
    }

    /// The session's exit status once it ended, or `nil` (and the session killed) after `seconds`.
    private func exitStatus(_ process: SimulatorProcess.Running, within seconds: Double) async throws -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let status = process.exitStatus() { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.kill()
        return nil
    }

    @Test func upOnALiveDirectoryIsRefusedAndDownLeavesNothingBehind() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.96.1", options: ["--fast"]) { cluster in
            let again = try await SimulatedCluster.run([cluster.executable, "up", "--nodes", "2", "--dir",
                                                        cluster.directory, "--base-address", "127.0.96.1",
                                                        "--ssh-port", "2222", "--fast"])
            #expect(again.status == 2)
            #expect(again.stderr.contains("is already up"))
            let down = try await SimulatedCluster.run([cluster.executable, "down", "--dir", cluster.directory])
            #expect(down.status == 0)
            #expect(down.stdout.contains("stopped \(cluster.directory)"))
            let living = ProcessTable.pids().filter { pid in
                let line = ProcessTable.commandLine(pid).joined(separator: " ")
                return line.contains(cluster.directory) && ChildProcess.isAlive(pid)
            }
            let still = living.map { ProcessTable.commandLine($0).joined(separator: " ") }
            #expect(living.isEmpty, "still running: \(still)")
            #expect(ProcessTable.listeningSockets().filter { $0.address.hasPrefix("127.0.96.") }.isEmpty)
            let ss = try await SimulatedCluster.run(["ss", "-ltn"])
            #expect(!ss.stdout.contains("127.0.96."))
            let repeated = try await SimulatedCluster.run([cluster.executable, "down", "--dir", cluster.directory])
            #expect(repeated.status == 0)
            #expect(repeated.stdout.contains("nothing was running"))
            #expect(try cluster.record().last?.name == "sim_stopped")
        }
    }

    @Test func nodeCommandsSpeakTheRealProtocolsAndFaultsReachTheShim() async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: "127.0.97.1",
                                               options: ["--fast", "--fault", "aero-2:sudo-password",
                                                         "--edac", "aero-1:ce=5,ue=0"]) { cluster in
            let edac = "cat /sys/devices/system/edac/mc/mc0/ce_count /sys/devices/system/edac/mc/mc0/ue_count"
            #expect(try await cluster.ssh("aero-1", edac).stdout == "5\n0\n")
            try await cluster.ctl(["edac", "aero-1", "ce=7,ue=1"])
            #expect(try await cluster.ssh("aero-1", edac).stdout == "7\n1\n", "counters change under a running node")
            let stats = try await cluster.ssh("aero-1", "asinfo -v statistics -l | grep ^cluster_size")
            #expect(stats.stdout == "cluster_size=2\n")
            let password = try await cluster.ssh("aero-2", "sudo -n true")
            #expect(password.status == 1)
            #expect(password.stderr == "sudo: a password is required\n")
            let terminal = try await cluster.ssh("aero-2", "sudo true")
            #expect(terminal.stderr.hasPrefix("sudo: a terminal is required to read the password"))
            try await cluster.ctl(["fault", "aero-2", "sudo-password", "off"])
            #expect(try await cluster.ssh("aero-2", "sudo -n true").status == 0)
            _ = try await cluster.ssh("aero-1", "sudo systemctl stop aerospike")
            let down = try await cluster.ssh("aero-1", "asinfo -v status")
            #expect(down.status == 1)
            #expect(down.stderr.contains("connection refused"))
            let lease = try await cluster.ssh("aero-1", "echo held | sudo tee /var/tmp/asroll.lease >/dev/null; "
                                        + "sudo systemctl reboot")
            #expect(lease.status == 0)
            let old = try String(contentsOfFile: cluster.directory + "/nodes/aero-1/boot_id", encoding: .utf8)
            _ = try await waitForNewBootID(cluster, "aero-1", old: old.trimmingCharacters(in: .whitespacesAndNewlines))
            let kept = try await cluster.ssh("aero-1", "cat /var/tmp/asroll.lease")
            #expect(kept.stdout == "held\n", "the lease survives")
            let tee = try cluster.events("command", node: "aero-1").first {
                $0["argv"]?.strings == ["tee", "/var/tmp/asroll.lease"]
            }
            #expect(tee?.string("source") == "sudo", "host programs run under sudo are recorded too")
            #expect(tee?["exit"] == .null)
        }
    }
}

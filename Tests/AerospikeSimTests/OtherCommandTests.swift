import AerospikeSim
import Testing

/// `journalctl`, `ipcs`, `ipcrm` and `apt-get` on a simulated node.
@Suite struct OtherCommandTests {
    @Test func journalctlPrintsTheUnitLogSinceAGivenTime() {
        let host = ManualHost()
        host.advance(1.5)
        let since = host.now()
        host.run("systemctl stop aerospike")
        let result = host.run(["journalctl", "-u", "aerospike", "--no-pager", "--since", "@\(Int(since))"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.contains("aero-1 systemd[1]: Stopping aerospike.service - Aerospike Server...") == true)
        #expect(lines.contains { $0.contains(" asd[") && $0.hasSuffix("GMT: INFO (as): (as.c:536) finished clean "
            + "shutdown - exiting") })
        #expect(lines.last?.hasSuffix("Stopped aerospike.service - Aerospike Server.") == true)
        #expect(host.run("journalctl -u aerospike -n 2").stdout.split(separator: "\n").count == 2)
    }

    @Test func journalctlMarksBootsAndSaysNoEntriesWhenThereAreNone() {
        let host = ManualHost()
        host.run("reboot")
        host.advance(2)
        let all = host.run("journalctl -u aerospike -o short-iso").stdout
        #expect(all.contains("-- Boot "))
        let future = host.run(["journalctl", "-u", "aerospike", "--since", "@\(Int(host.now()) + 100)"])
        #expect(future.stdout == "-- No entries --\n")
        #expect(host.run(["journalctl", "-u", "aerospike", "--since", "not a time"]).status == 1)
    }

    @Test func ipcsListsSegmentsInUtilLinuxFormat() {
        let host = ManualHost()
        let lines = host.run("ipcs -m").stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "")
        #expect(lines[1] == "------ Shared Memory Segments --------")
        #expect(lines[2] == "key        shmid      owner      perms      bytes      nattch     status      ")
        #expect(lines[3].hasPrefix("0xae001000 32768      root       666        65536      1          "))
        #expect(lines[3].count == 79)
        #expect(lines.count == 3 + 8 + 2)
    }

    @Test func ipcrmRemovesUnattachedSegmentsAndMarksAttachedOnes() {
        let host = ManualHost()
        let attached = host.run("ipcrm -M 0xae001000")
        #expect(attached.status == 0)
        #expect(host.run("ipcs -m").stdout.contains("0x00000000 32768      root       666        65536      1        "
            + "  dest"))
        #expect(host.run("ipcrm -M 0xae001000").stderr == "ipcrm: invalid key (0xae001000)\n")
        #expect(host.run("ipcrm -m 999").stderr == "ipcrm: invalid id (999)\n")
        host.run("systemctl stop aerospike")
        #expect(host.model.node("aero-1")!.segments.count == 7)
        #expect(host.run("ipcrm -M 0xae002000").status == 0)
        #expect(host.model.node("aero-1")!.segments.count == 6)
        #expect(host.events("segments_removed", node: "aero-1").count == 2)
    }

    @Test func aptGetTakesAMomentAndChangesNothing() {
        let host = ManualHost()
        let before = host.now()
        #expect(host.run("apt-get update -q").status == 0)
        let upgrade = host.run("apt-get -y upgrade")
        #expect(upgrade.status == 0)
        #expect(upgrade.stdout.contains("3 upgraded"))
        #expect(host.now() > before)
        #expect(host.run("apt-get frob").status == 100)
    }
}

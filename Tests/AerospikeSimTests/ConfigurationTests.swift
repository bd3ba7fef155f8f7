import SimWire
import AerospikeSim
import Foundation
import Testing

/// `up`'s options, the files it writes, and the record's line format.
@Suite struct ConfigurationTests {
    @Test func upOptionsBecomeAConfiguration() throws {
        var request = UpRequest()
        request.nodes = 4
        request.fast = true
        request.faults = ["aero-2:dimm-fault", "aero-3:slow-start=3", "aero-3:unclean-stop"]
        request.namespaces = "test,bar,sc"
        request.replicationFactors = ["bar=3"]
        request.strongConsistency = ["sc"]
        request.edac = ["aero-4:ce=12,ue=1"]
        request.backupSpace = ["2G", "aero-1=64M"]
        request.timing = ["reboot-delay": "1.5s", "backup-rate": "32M", "migrations-per-change": "10"]
        request.build = "7.1.0.0"
        let configuration = try request.configuration().get()
        #expect(configuration.nodeNames == ["aero-1", "aero-2", "aero-3", "aero-4"])
        #expect(configuration.address(of: "aero-4") == "127.0.77.4")
        #expect(configuration.faults(of: "aero-2") == [.dimmFault])
        #expect(configuration.faults(of: "aero-3") == [.slowStart(factor: 3), .uncleanStop])
        #expect(configuration.namespaces.map(\.replicationFactor) == [2, 3, 2])
        #expect(configuration.namespaces.map(\.strongConsistency) == [false, false, true])
        #expect(configuration.edac["aero-4"] == EdacCounters(correctable: 12, uncorrectable: 1))
        #expect(configuration.backupSpace(of: "aero-1") == 64 << 20)
        #expect(configuration.backupSpace(of: "aero-2") == 2 << 30)
        #expect(configuration.timing.rebootDelay == 1.5)
        #expect(configuration.timing.backupRate == 32 * 1024 * 1024)
        #expect(configuration.timing.migrationsPerChange == 10)
        #expect(configuration.timing.warmStart == SimTiming.fast.warmStart)
        #expect(!configuration.usesModernInfoErrors)
    }

    @Test func upReportsEveryProblemAtOnce() {
        var request = UpRequest()
        request.baseAddress = "10.0.0.1"
        request.faults = ["aero-2:melted", "aero-9:dimm-fault"]
        request.namespaces = "test,bad name"
        request.timing = ["reboot-delay": "soon", "warp-speed": "9"]
        request.edition = "platinum"
        guard case .failure(let problems) = request.configuration() else {
            Issue.record("an invalid request was accepted")
            return
        }
        let text = problems.description
        #expect(text.contains("not a loopback address"))
        #expect(text.contains("--fault 'aero-2:melted'"))
        #expect(text.contains("'aero-9' is not a node of this cluster"))
        #expect(text.contains("namespace 'bad name' is not a valid name"))
        #expect(text.contains("--reboot-delay 'soon' is not a valid value"))
        #expect(text.contains("--warp-speed is not a timing option"))
        #expect(text.contains("--edition must be enterprise or community"))
    }

    @Test func directoriesThatNodesCoverAreRefused() {
        #expect(SimDirectory("/var/tmp/sim").problem?.contains("under /var") == true)
        #expect(SimDirectory("/root/sim").problem != nil)
        #expect(SimDirectory("/usr/local/sim").problem != nil)
        #expect(SimDirectory("/").problem != nil)
        #expect(SimDirectory("/tmp/" + String(repeating: "x", count: 120)).problem?.contains("too long") == true)
        #expect(SimDirectory("/tmp/sim").problem == nil)
        #expect(SimDirectory("/tmp/a/../sim/").path == "/tmp/sim")
    }

    @Test func inventoryNamesEveryNodeAndFlagsTheDimmFaultOne() throws {
        var request = UpRequest()
        request.faults = ["aero-2:dimm-fault"]
        request.sshPort = 2222
        let configuration = try request.configuration().get()
        let text = InventoryWriter.inventory(configuration, directory: SimDirectory("/tmp/sim"))
        #expect(text.contains("cluster: sim\nnamespaces: [test, bar]\n"))
        #expect(text.contains("ssh:\n  user: root\n  port: 2222\n  identity_file: /tmp/sim/id_ed25519\n"
                              + "  known_hosts: /tmp/sim/known_hosts\n  connect_timeout: 5s\n"))
        #expect(text.contains("info:\n  via: direct\n  port: 3000\n"))
        #expect(text.contains("asmt:\n  backup_dir: /var/aerospike/asmt\n  compress: true\n"))
        #expect(text.contains("lease:\n  path: /var/tmp/asroll.lease\n"))
        #expect(text.contains("  - name: aero-1\n    host: 127.0.77.1\n  - name: aero-2\n    host: 127.0.77.2\n"
                              + "    flags: [dimm-fault]\n  - name: aero-3\n"))
    }

    @Test func knownHostsLinesAreWrittenAsOpenSSHWritesThem() {
        #expect(SimKeys.knownHostsLine(host: "127.0.77.1", port: 22, key: "ssh-ed25519 AAAA") == "127.0.77.1 "
            + "ssh-ed25519 AAAA")
        #expect(SimKeys.knownHostsLine(host: "127.0.77.1", port: 2222, key: "ssh-ed25519 AAAA")
                == "[127.0.77.1]:2222 ssh-ed25519 AAAA")
    }

    @Test func faultsParseWithTheirParameter() {
        #expect(NodeFault(parsing: "slow-start") == .slowStart(factor: 10))
        #expect(NodeFault(parsing: "slow-start=2.5")?.description == "slow-start=2.5")
        #expect(NodeFault(parsing: "slow-start=0.5") == nil)
        #expect(NodeFault(parsing: "never-returns")?.kind == "never-returns")
        #expect(NodeFault(parsing: "gremlins") == nil)
    }

    @Test func recordLinesAreJSONObjectsWithTimeNodeAndEvent() throws {
        let event = SimEvent(time: 1_750_000_000.25, node: "aero-1", name: "asd_started",
                             details: [("mode", "warm"), ("at_boot", false), ("modes", .object([("test", "warm")])),
                                       ("note", "a \"quoted\"\nline")])
        #expect(event.jsonLine.hasPrefix(#"{"ts":"2025-06-15T15:06:40.250Z","t":1750000000.25,"node":"aero-1","#
                                         + #""event":"asd_started","mode":"warm","at_boot":false"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(event.jsonLine.utf8)) as? [String: Any])
        #expect(object["note"] as? String == "a \"quoted\"\nline")
        #expect((object["modes"] as? [String: String])?["test"] == "warm")
    }

    @Test func controlRequestsSurviveTheirFraming() {
        let request = ControlRequest(kind: "exec", node: "aero-2", workingDirectory: "/root", viaSudo: true,
                                     arguments: ["asmt", "-b", "-n", "test,bar", ""])
        #expect(ControlRequest(payload: request.payload) == request)
        #expect(ControlRequest(payload: Array("garbage".utf8)) == nil)
        #expect(ControlFrame.status(Array(ControlFrame.exitFrame(-3).dropFirst(5))) == -3)
    }

    @Test func segmentKeysFollowTheAsmtLayout() {
        #expect(SegmentKind.base.key(nsid: 1) == 0xAE00_1000)
        #expect(SegmentKind.treex.key(nsid: 2) == 0xAE00_2001)
        #expect(SegmentKind.stage(0x101).key(nsid: 1) == 0xAE00_1101)
        #expect(SegmentKind.hex(0xAE00_1000) == "0xae001000")
        #expect(SegmentKind.decode(0xAE00_1100)?.kind == .stage(0x100))
        #expect(SegmentKind.decode(0xA200_1000) == nil)
    }

    @Test func valuesParseAsOperatorsWriteThem() {
        #expect(SimValueParsing.seconds("500ms") == 0.5)
        #expect(SimValueParsing.seconds("2m") == 120)
        #expect(SimValueParsing.seconds("-1s") == nil)
        #expect(SimValueParsing.bytes("1G") == 1 << 30)
        #expect(SimValueParsing.bytes("64MiB") == 64 << 20)
        #expect(SimValueParsing.bytes("lots") == nil)
    }
}

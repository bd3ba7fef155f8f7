import AerospikeSim
import Testing

/// `systemctl`, `reboot` and friends as a node runs them.
@Suite struct SystemctlCommandTests {
    @Test func isActivePrintsActiveAndExitsZeroWhileAsdRuns() {
        let host = ManualHost()
        let result = host.run("systemctl is-active aerospike")
        #expect(result.stdout == "active\n")
        #expect(result.status == 0)
        #expect(host.run("systemctl is-active --quiet aerospike").stdout.isEmpty)
    }

    @Test func stopReturnsOnlyOnceAsdHasExitedAndIsActiveThenSaysInactive() {
        let host = ManualHost()
        let before = host.now()
        #expect(host.run("systemctl stop aerospike").status == 0)
        #expect(host.now() - before >= 0.2)
        #expect(host.model.node("aero-1")!.asd == .stopped)
        let result = host.run("systemctl is-active aerospike")
        #expect(result.stdout == "inactive\n")
        #expect(result.status == 3)
        #expect(host.run("systemctl stop aerospike").status == 0, "stopping a stopped unit is fine")
    }

    @Test func stopStillCompletesWhenItsClientIsKilled() {
        let host = ManualHost()
        let result = host.run("systemctl stop aerospike", killAfterPauses: 1)
        #expect(result.status == 0)
        #expect(host.model.node("aero-1")!.asd.word == "stopping", "the client left before asd exited")
        host.advance(0.5)
        #expect(host.model.node("aero-1")!.asd == .stopped, "systemd finishes the stop job anyway")
        #expect(host.events("asd_stopped", node: "aero-1").last?["clean"] == .bool(true))
    }

    @Test func startReturnsAsSoonAsTheProcessRunsNotWhenStartupCompletes() {
        let host = ManualHost()
        host.run("systemctl stop aerospike")
        #expect(host.run("systemctl start aerospike.service").status == 0)
        #expect(host.model.node("aero-1")!.asd.word == "starting")
        #expect(host.run("systemctl is-active aerospike").stdout == "active\n", "Type=simple: active while loading")
        #expect(host.run("systemctl start aerospike").status == 0, "starting a started unit is a no-op")
        #expect(host.events("asd_starting", node: "aero-1").count == 1)
    }

    @Test func enableAndDisablePrintWhatSystemdPrintsOnlyWhenSomethingChanges() {
        let host = ManualHost()
        let disable = host.run("systemctl disable aerospike")
        #expect(disable.stderr == "Removed \"/etc/systemd/system/multi-user.target.wants/aerospike.service\".\n")
        #expect(host.run("systemctl disable aerospike").stderr.isEmpty)
        let isEnabled = host.run("systemctl is-enabled aerospike")
        #expect(isEnabled.stdout == "disabled\n")
        #expect(isEnabled.status == 1)
        let enable = host.run("systemctl enable aerospike")
        #expect(enable.stderr == "Created symlink /etc/systemd/system/multi-user.target.wants/aerospike.service → "
                + "/lib/systemd/system/aerospike.service.\n")
        #expect(host.run("systemctl is-enabled aerospike").stdout == "enabled\n")
        #expect(host.events("unit_disabled", node: "aero-1").count == 1)
        #expect(host.events("unit_enabled", node: "aero-1").count == 1)
    }

    @Test func unknownUnitsGetSystemdsErrors() {
        let host = ManualHost()
        let start = host.run("systemctl start nosuch")
        #expect(start.stderr == "Failed to start nosuch.service: Unit nosuch.service not found.\n")
        #expect(start.status == 5)
        let status = host.run("systemctl status nosuch.service")
        #expect(status.stderr == "Unit nosuch.service could not be found.\n")
        #expect(status.status == 4)
        #expect(host.run("systemctl is-active nosuch").stdout == "inactive\n")
        #expect(host.run("systemctl frobnicate aerospike").stderr == "Unknown command verb 'frobnicate'.\n")
    }

    @Test func statusShowsTheUnitStateMainPidAndRecentLog() {
        let host = ManualHost()
        let running = host.run("systemctl status aerospike")
        #expect(running.status == 0)
        #expect(running.stdout.hasPrefix("● aerospike.service - Aerospike Server\n"))
        #expect(running.stdout.contains("Active: active (running) since "))
        #expect(running.stdout.contains("Main PID: "))
        #expect(running.stdout.contains("service ready: soon there will be cake!"))
        host.run("systemctl stop aerospike")
        let stopped = host.run("systemctl status aerospike")
        #expect(stopped.status == 3)
        #expect(stopped.stdout.contains("Active: inactive (dead) since "))
    }

    @Test func uncleanExitLeavesTheUnitFailed() {
        let host = ManualHost(ManualHost.configuration(faults: ["aero-1": [.uncleanStop]]))
        #expect(host.run("systemctl stop aerospike").status == 0)
        #expect(host.run("systemctl is-active aerospike").stdout == "failed\n")
        #expect(host.run("systemctl is-failed aerospike").status == 0)
    }

    @Test func maskedUnitCannotStart() {
        let host = ManualHost()
        host.run("systemctl stop aerospike")
        #expect(host.run("systemctl mask aerospike").stderr.hasPrefix("Created symlink "
            + "/etc/systemd/system/aerospike.service"))
        let start = host.run("systemctl start aerospike")
        #expect(start.status == 1)
        #expect(start.stderr == "Failed to start aerospike.service: Unit aerospike.service is masked.\n")
        host.run("systemctl unmask aerospike")
        #expect(host.run("systemctl start aerospike").status == 0)
    }

    @Test func rebootReturnsZeroAtOnceAndTheNodeGoesDownMomentsLater() {
        let host = ManualHost()
        for line in ["reboot", "systemctl reboot", "shutdown -r now"] {
            let node = ["reboot": "aero-1", "systemctl reboot": "aero-2", "shutdown -r now": "aero-3"][line]!
            let result = host.run(line, on: node)
            #expect(result.status == 0)
            let command = JSONValue.strings(line.split(separator: " ").map(String.init))
            #expect(host.events("reboot_issued", node: node).last?["command"] == command)
        }
        host.advance(0.5)
        #expect(host.model.nodes.allSatisfy { !$0.power.isUp })
    }

    @Test func startDuringShutdownIsRefusedLikeADestructiveTransaction() {
        let host = ManualHost()
        host.run("systemctl stop aerospike")
        host.run("reboot")
        let start = host.run("systemctl start aerospike")
        #expect(start.status == 1)
        #expect(start.stderr.contains("is destructive"))
    }

    @Test func powerOffIsRefused() {
        let host = ManualHost()
        for line in ["poweroff", "halt", "shutdown -h now", "systemctl poweroff"] {
            let result = host.run(line)
            #expect(result.status == 1)
            #expect(result.stderr.contains("only reboots are simulated"))
        }
        #expect(host.events("reboot_issued").isEmpty)
    }
}

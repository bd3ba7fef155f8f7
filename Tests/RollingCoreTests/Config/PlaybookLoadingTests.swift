import RollingCore
import Testing

@Suite("Playbook loading")
struct PlaybookLoadingTests {
    @Test func emptyMappingGetsEveryDefaultAndTheFileName() throws {
        let playbook = try loadPlaybook("description: nothing but defaults\n", named: "nightly.yml")
        #expect(playbook.name == "nightly")
        #expect(playbook.description == "nothing but defaults")
        #expect(playbook.reboot)
        #expect(playbook.quiesce)
        #expect(playbook.maintenance.isEmpty)
        #expect(playbook.timeouts == PhaseTimeouts())
        #expect(playbook.timeouts.quiesce == .seconds(120))
        #expect(playbook.timeouts.coldStart == .seconds(12 * 3_600))
        #expect(playbook.timeouts.command == .seconds(60))
        #expect(playbook.gate == GateSettings(interval: .seconds(2), consecutive: 3))
        #expect(playbook.commands == NodeCommands())
        #expect(playbook.commands.backup.text == "sudo asmt -b -v {compress} -p {backup_dir} -n {namespaces}")
        #expect(playbook.commands.removeSegment.text == "sudo ipcrm -M {key}")
    }

    @Test func everyKeyIsRead() throws {
        let playbook = try loadPlaybook("""
            name: kernel
            description: Kernel update
            reboot: false
            quiesce: false
            maintenance:
              - sudo apt-get update -q
              - |
                sudo DEBIAN_FRONTEND=noninteractive apt-get -y install linux-image-generic
            timeouts:
              quiesce: 1m
              stop: 2m
              backup: 3m
              maintenance: 4m
              reboot: 5m
              restore: 6m
              start: 7m
              cold_start: 8h
              rejoin: 9m
              migrations: 10h
              command: 30s
            gate:
              interval: 500ms
              consecutive: 5
            commands:
              stop: sudo service aerospike stop
              start: sudo service aerospike start
              disable_autostart: sudo chkconfig aerospike off
              enable_autostart: sudo chkconfig aerospike on
              is_running: pgrep -x asd
              backup: sudo /opt/asmt/asmt -b {compress} -p {backup_dir} -n {namespaces}
              restore: sudo /opt/asmt/asmt -r -p {backup_dir} -n {namespaces}
              analyze_backup: sudo /opt/asmt/asmt -a -b -p {backup_dir} -n {namespaces}
              analyze_restore: sudo /opt/asmt/asmt -a -r -p {backup_dir} -n {namespaces}
              reboot: sudo shutdown -r now
              boot_id: sudo cat /proc/sys/kernel/random/boot_id
              server_log: sudo grep -h . /var/log/aerospike/aerospike.log --since {since}
              list_segments: sudo ipcs -m
              asinfo: asinfo -p 3100 -v {command}
              remove_segment: sudo /usr/bin/ipcrm -M {key}
              list_backup: sudo ls {backup_dir}
              remove_backup: sudo rm -f {backup_dir}/*.dat
            """)
        #expect(playbook.name == "kernel")
        #expect(!playbook.reboot && !playbook.quiesce)
        #expect(playbook.maintenance == [
            "sudo apt-get update -q",
            "sudo DEBIAN_FRONTEND=noninteractive apt-get -y install linux-image-generic\n",
        ])
        #expect(playbook.timeouts == PhaseTimeouts(
            quiesce: .seconds(60), stop: .seconds(120), backup: .seconds(180), maintenance: .seconds(240),
            reboot: .seconds(300), restore: .seconds(360), start: .seconds(420), coldStart: .seconds(8 * 3_600),
            rejoin: .seconds(540), migrations: .seconds(10 * 3_600), command: .seconds(30)
        ))
        #expect(playbook.gate == GateSettings(interval: .milliseconds(500), consecutive: 5))
        #expect(playbook.commands.stop.text == "sudo service aerospike stop")
        #expect(playbook.commands[.isRunning].text == "pgrep -x asd")
        #expect(playbook.commands.asinfo.text == "asinfo -p 3100 -v {command}")
        #expect(playbook.commands.removeBackup.text == "sudo rm -f {backup_dir}/*.dat")
        for name in NodeCommands.Name.allCases {
            #expect(playbook.commands[name] != NodeCommands()[name], "\(name.rawValue) kept its default")
        }
    }

    @Test func placeholdersNotAllowedInACommandAreReportedAtTheirLine() throws {
        let problems = try playbookProblems("""
            name: p
            commands:
              stop: sudo systemctl stop {unit}
              restore: sudo asmt -r {compress} -p {backup_dir} -n {namespaces}
              server_log: sudo journalctl --since {sinse}
              backup: sudo asmt -b -p /data -n {namespaces}
            """)
        #expect(problems.map(\.keyPath) == ["commands.stop", "commands.restore", "commands.server_log",
                                            "commands.backup"])
        #expect(problems.map(\.line) == [3, 4, 5, 6])
        #expect(problems[0].message == "unknown placeholder {unit}; stop takes no placeholders")
        #expect(problems[1].message.hasPrefix("placeholder {compress} is not available here"))
        #expect(problems[2].suggestion == "did you mean {since}?")
        #expect(problems[3].message.hasPrefix("backup must contain {backup_dir}"))
    }

    @Test func doubledBracesAreLiteralAndNeedNoPlaceholder() throws {
        let playbook = try loadPlaybook("""
            commands:
              is_running: pgrep -x asd | awk '{{print $1}}' | grep -q .
            """)
        #expect(playbook.commands.isRunning.placeholders.isEmpty)
        #expect(playbook.commands.isRunning.render([:]) == "pgrep -x asd | awk '{print $1}' | grep -q .")
    }

    @Test func badTimeoutsGateAndTypesAreAllReported() throws {
        let problems = try playbookProblems("""
            name: p
            reboot: yes please
            maintenance: sudo apt-get upgrade
            timeouts:
              stop: 10
              cold-start: 12h
              migrations: 1.5h
            gate:
              interval: 0s
              consecutive: 0
            commands:
              start: ""
            password: x
            """)
        #expect(problems.map(\.keyPath) == [
            "reboot", "maintenance", "timeouts.stop", "timeouts.cold-start", "timeouts.migrations", "gate.interval",
            "gate.consecutive", "commands.start", "password",
        ])
        #expect(problems.map(\.line) == [2, 3, 5, 6, 7, 9, 10, 12, 13])
        #expect(problems[3].suggestion == "did you mean 'cold_start'?")
        #expect(problems[4].message.contains("fractions are not accepted"))
        #expect(problems[6].message.contains("at least 1"))
        #expect(problems[8].kind == .secret)
    }

    @Test func emptyMaintenanceEntryIsRefused() throws {
        let problems = try playbookProblems("maintenance:\n  - uname -r\n  - \"  \"\n")
        let problem = try #require(onlyProblem(problems))
        #expect(problem.keyPath == "maintenance[1]")
        #expect(problem.line == 3)
    }
}

import Foundation
import RollingCore
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Where the controller is killed: when `trigger` is seen (plus `delay`), with simulator timings and playbook commands
/// that make the step around the point long enough for the kill to land there, and where the journal must say the
/// run was when it died (what proves the point was hit).
struct KillPoint: Sendable, CustomTestStringConvertible {
    /// What the test waits for before the kill.
    enum Trigger: Sendable {
        /// asroll's own event (`events.jsonl`) for `step` on `node`.
        case event(RunEvent.Kind, node: String, step: StepKind?)
        /// A simulator record event on `node` whose line holds every one of `fields`.
        case record(String, node: String, fields: [String])
    }

    /// Short name of the point.
    let name: String
    /// The cluster's first address (a /24 of its own).
    let baseAddress: String
    /// What the kill waits for.
    let trigger: Trigger
    /// Pause between the trigger and the kill.
    var delay: Duration = .zero
    /// Further `asroll-sim up` options (timings).
    var simOptions: [String] = []
    /// The playbook's maintenance commands.
    var maintenance = ["uname -r"]
    /// Playbook command overrides that slow the step after a boundary.
    var commands: [String: String] = [:]
    /// Where the journal may say the run was, as `node/step in flight` (`none` for no node or no step).
    let landsIn: [String]
    /// A record event on aero-1 to wait for between the kill and the resume.
    var resumeAfter: String?

    var testDescription: String { name }

    /// Killed at a step boundary: the next step had not begun, or had begun and not ended.
    static func boundary(_ step: StepKind, on node: String = "aero-1") -> [String] {
        ["\(node)/none", "\(node)/\(step.rawValue)"]
    }

    /// A `sleep` before the boot id is read: the reboot step's first probe and its wait for the new boot id.
    static let slowBootID = ["boot_id": "sleep 0.5; cat /proc/sys/kernel/random/boot_id"]

    /// Every point: each step boundary of aero-1's cycle, the middle of its long steps, and between the two nodes.
    static let all: [KillPoint] = [
        KillPoint(name: "mid-quiesce (traffic draining)", baseAddress: "127.0.130.1",
                  trigger: .event(.stepStarted, node: "aero-1", step: .quiesce), delay: .milliseconds(300),
                  simOptions: ["--traffic-drain", "1500ms"], landsIn: ["aero-1/quiesce"]),
        KillPoint(name: "quiesce finished, before disable_autostart", baseAddress: "127.0.131.1",
                  trigger: .event(.stepFinished, node: "aero-1", step: .quiesce),
                  commands: ["disable_autostart": "sleep 0.5; sudo systemctl disable aerospike"],
                  landsIn: boundary(.disableAutostart)),
        KillPoint(name: "disable_autostart finished, before stop", baseAddress: "127.0.132.1",
                  trigger: .event(.stepFinished, node: "aero-1", step: .disableAutostart),
                  simOptions: ["--stop-time", "1s"], landsIn: boundary(.stop)),
        KillPoint(name: "mid-stop (asd shutting down)", baseAddress: "127.0.133.1",
                  trigger: .record("asd_stopping", node: "aero-1", fields: []),
                  simOptions: ["--stop-time", "1500ms"], landsIn: ["aero-1/stop"]),
        KillPoint(name: "stop finished, before backup", baseAddress: "127.0.134.1",
                  trigger: .event(.stepFinished, node: "aero-1", step: .stop),
                  simOptions: ["--backup-rate", "64M"], landsIn: boundary(.backup)),
        KillPoint(name: "mid-backup (asmt writing)", baseAddress: "127.0.135.1",
                  trigger: .event(.stepStarted, node: "aero-1", step: .backup), delay: .milliseconds(500),
                  simOptions: ["--backup-rate", "16M"], landsIn: ["aero-1/backup"]),
        KillPoint(name: "backup finished, before maintenance", baseAddress: "127.0.136.1",
                  trigger: .event(.stepFinished, node: "aero-1", step: .backup), maintenance: ["sleep 1"],
                  landsIn: boundary(.maintenance)),
        KillPoint(name: "mid-maintenance (sleep 2)", baseAddress: "127.0.137.1",
                  trigger: .event(.stepStarted, node: "aero-1", step: .maintenance), delay: .milliseconds(400),
                  maintenance: ["sleep 2"], landsIn: ["aero-1/maintenance"]),
        KillPoint(name: "maintenance finished, before the reboot", baseAddress: "127.0.138.1",
                  trigger: .event(.stepFinished, node: "aero-1", step: .maintenance), commands: slowBootID,
                  landsIn: boundary(.reboot)),
        KillPoint(name: "mid-reboot (issued; resumed while the node is down)", baseAddress: "127.0.139.1",
                  trigger: .record("reboot_issued", node: "aero-1", fields: []), simOptions: ["--reboot-delay", "2s"],
                  landsIn: ["aero-1/reboot"], resumeAfter: "node_down"),
        KillPoint(name: "mid-reboot (node back, step not ended)", baseAddress: "127.0.140.1",
                  trigger: .record("node_up", node: "aero-1", fields: ["\"initial\":false"]), commands: slowBootID,
                  landsIn: ["aero-1/reboot"]),
        KillPoint(name: "reboot finished, before restore", baseAddress: "127.0.141.1",
                  trigger: .event(.stepFinished, node: "aero-1", step: .reboot),
                  simOptions: ["--restore-rate", "64M"], landsIn: boundary(.restore)),
        KillPoint(name: "mid-restore (asmt writing segments)", baseAddress: "127.0.142.1",
                  trigger: .event(.stepStarted, node: "aero-1", step: .restore), delay: .milliseconds(400),
                  simOptions: ["--restore-rate", "16M"], landsIn: ["aero-1/restore"]),
        KillPoint(name: "mid-start (asd loading its indexes)", baseAddress: "127.0.143.1",
                  trigger: .record("asd_starting", node: "aero-1", fields: ["\"at_boot\":false"]),
                  simOptions: ["--warm-start", "2s"], landsIn: ["aero-1/start"]),
        KillPoint(name: "start finished, before verify_warm", baseAddress: "127.0.144.1",
                  trigger: .event(.stepFinished, node: "aero-1", step: .start),
                  commands: ["server_log": "sleep 0.4; sudo journalctl -u aerospike --no-pager --since {since}"],
                  landsIn: boundary(.verifyWarm)),
        KillPoint(name: "verify_warm finished, in the rejoin", baseAddress: "127.0.145.1",
                  trigger: .event(.stepFinished, node: "aero-1", step: .verifyWarm),
                  simOptions: ["--migration-rate", "800"], landsIn: boundary(.rejoin) + ["aero-1/migrations"]),
        KillPoint(name: "mid-migrations (waiting for the gate)", baseAddress: "127.0.146.1",
                  trigger: .event(.stepStarted, node: "aero-1", step: .migrations), delay: .milliseconds(300),
                  simOptions: ["--migration-rate", "200"], landsIn: ["aero-1/migrations"]),
        KillPoint(name: "migrations finished, before cleanup", baseAddress: "127.0.147.1",
                  trigger: .event(.stepFinished, node: "aero-1", step: .migrations),
                  commands: ["remove_backup": "sleep 0.5; sudo find {backup_dir} -maxdepth 1 -type f -name '*.dat*' "
                      + "-delete"],
                  landsIn: boundary(.cleanup)),
        KillPoint(name: "between the nodes (aero-1 done)", baseAddress: "127.0.148.1",
                  trigger: .event(.nodeFinished, node: "aero-1", step: nil),
                  simOptions: ["--traffic-drain", "1s"], landsIn: ["none/none", "aero-2/none", "aero-2/quiesce"]),
    ]
}

/// The controller killed with SIGKILL at every step boundary of a node's cycle and in the middle of its long steps,
/// then `asroll resume --yes` (SPEC §6, issue 6 item 5).
@Suite(.timeLimit(.minutes(3))) struct CrashSafetyKillTests {
    @Test(arguments: KillPoint.all)
    func sigkillThenResumeWarmRestartsEveryNodeOnceAndRebootsNoneTwice(_ point: KillPoint) async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: point.baseAddress,
                                               options: ["--fast"] + point.simOptions) { cluster in
            let state = CrashStateDir(path: freshStateDir())
            let playbook = try testPlaybook(in: cluster.directory, maintenance: point.maintenance,
                                            commands: point.commands)
            let run = try startRoll(cluster, playbook: playbook, state: state)
            switch point.trigger {
            case .event(let kind, let node, let step):
                _ = try await waitForEvent(in: state, of: run, "\(kind.rawValue) \(node) \(step?.rawValue ?? "")") {
                    isEvent($0, kind, node, step)
                }
            case .record(let name, let node, let fields):
                try await cluster.waitForRecord(name, node: node, fields: fields)
            }
            try await Task.sleep(for: point.delay)
            run.send(SIGKILL)
            let killed = try await run.wait(timeout: .seconds(10))
            #expect(killed.exitCode == 128 + SIGKILL, "the run was killed, not ended by itself: \(killed)")

            // Where the kill landed, by the journal the resume starts from.
            let replay = try JournalReplay(records: state.journal())
            let landed = "\(replay.currentNode ?? "none")/\(replay.inFlightStep?.rawValue ?? "none")"
            #expect(point.landsIn.contains(landed), "the kill at '\(point.name)' landed in \(landed)\n\(state)")

            if let event = point.resumeAfter { try await cluster.waitForRecord(event, node: "aero-1") }
            try await expectResumeFinishesTheRoll(cluster, state, "kill point: \(point.name)\n\(state)\n"
                + transcript([("run", killed)]))
        }
    }
}

import Foundation
import RollingCore
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Where the controller is killed, and where the journal must then say the run was (what proves the point was hit).
///
/// At a step boundary the first command of the next step is held (`CommandHold`), so the kill lands in that step
/// however loaded the machine is; in the middle of a long step the kill comes a moment after the step started, with
/// simulator timings that make the step last seconds.
struct KillPoint: Sendable, CustomTestStringConvertible {
    /// Something the test waits for.
    enum Trigger: Sendable {
        /// asroll's own event (`events.jsonl`) on `node` for `step` (any when `nil`).
        case event(RunEvent.Kind, node: String?, step: StepKind?)
        /// A simulator record event on `node` whose line holds every one of `fields`.
        case record(String, node: String, fields: [String])
        /// A command is held.
        case held
    }

    /// Which remote command is held.
    enum Hold: Sendable {
        /// The playbook command `template`.
        case command(NodeCommands.Name)
        /// The maintenance command written as `KillPoint.heldMaintenance`.
        case maintenance
    }

    /// Short name of the point.
    let name: String
    /// The cluster's first address (a /24 of its own).
    let baseAddress: String
    /// What the kill waits for.
    var trigger = Trigger.held
    /// Pause between the trigger and the kill.
    var delay: Duration = .zero
    /// Further `asroll-sim up` options (timings).
    var simOptions: [String] = []
    /// The playbook's maintenance commands.
    var maintenance = ["uname -r"]
    /// The held command, if any.
    var hold: Hold?
    /// When the hold is armed: at the start when `nil`, else once this is seen (the command also runs earlier).
    var armHoldAt: Trigger?
    /// Where the journal may say the run was, as `node/step in flight` (`none` for no node or no step).
    let landsIn: [String]
    /// A record event on aero-1 to wait for between the kill and the resume.
    var resumeAfter: String?

    var testDescription: String { name }

    /// Stands for the held command in `maintenance`.
    static let heldMaintenance = "<held>"

    /// The in-flight step at a boundary: the next step had not begun, or had begun and not ended.
    static func boundary(_ step: StepKind, on node: String = "aero-1") -> [String] {
        ["\(node)/none", "\(node)/\(step.rawValue)"]
    }

    static let quiesceAndStop = [
        KillPoint(name: "mid-quiesce (traffic draining)", baseAddress: "127.0.130.1",
                  trigger: .event(.stepStarted, node: "aero-1", step: .quiesce), delay: .milliseconds(300),
                  simOptions: ["--traffic-drain", "3s"], landsIn: ["aero-1/quiesce"]),
        KillPoint(name: "quiesce finished, disable_autostart held", baseAddress: "127.0.131.1",
                  hold: .command(.disableAutostart), landsIn: boundary(.disableAutostart)),
        KillPoint(name: "disable_autostart finished, stop held before systemctl stop", baseAddress: "127.0.132.1",
                  hold: .command(.stop), landsIn: boundary(.stop)),
        KillPoint(name: "mid-stop (asd shutting down)", baseAddress: "127.0.133.1",
                  trigger: .record("asd_stopping", node: "aero-1", fields: []), simOptions: ["--stop-time", "3s"],
                  landsIn: ["aero-1/stop"]),
    ]

    static let backup = [
        KillPoint(name: "stop finished, backup held before emptying the directory", baseAddress: "127.0.134.1",
                  hold: .command(.removeBackup), landsIn: boundary(.backup)),
        KillPoint(name: "mid-backup (asmt writing files)", baseAddress: "127.0.135.1",
                  trigger: .event(.stepStarted, node: "aero-1", step: .backup), delay: .milliseconds(500),
                  simOptions: ["--backup-rate", "12M"], landsIn: ["aero-1/backup"]),
        KillPoint(name: "backup finished, first maintenance command held", baseAddress: "127.0.136.1",
                  maintenance: [heldMaintenance, "uname -r"], hold: .maintenance, landsIn: boundary(.maintenance)),
    ]

    static let maintenanceAndReboot = [
        KillPoint(name: "mid-maintenance (second command held)", baseAddress: "127.0.137.1",
                  maintenance: ["uname -r", heldMaintenance], hold: .maintenance, landsIn: ["aero-1/maintenance"]),
        KillPoint(name: "maintenance finished, boot id read held before the reboot", baseAddress: "127.0.138.1",
                  hold: .command(.bootID), armHoldAt: .event(.leaseWritten, node: nil, step: nil),
                  landsIn: boundary(.reboot)),
        KillPoint(name: "mid-reboot (issued; resumed while the node is down)", baseAddress: "127.0.139.1",
                  trigger: .record("reboot_issued", node: "aero-1", fields: []), simOptions: ["--reboot-delay", "3s"],
                  landsIn: ["aero-1/reboot"], resumeAfter: "node_down"),
    ]

    static let rebootAndRestore = [
        KillPoint(name: "mid-reboot (node back, new boot id read held)", baseAddress: "127.0.140.1",
                  simOptions: ["--reboot-delay", "2s"], hold: .command(.bootID),
                  armHoldAt: .record("node_down", node: "aero-1", fields: []), landsIn: ["aero-1/reboot"]),
        KillPoint(name: "reboot finished, restore held before asmt", baseAddress: "127.0.141.1",
                  hold: .command(.analyzeRestore), landsIn: boundary(.restore)),
        KillPoint(name: "mid-restore (asmt writing segments)", baseAddress: "127.0.142.1",
                  trigger: .event(.stepStarted, node: "aero-1", step: .restore), delay: .milliseconds(400),
                  simOptions: ["--restore-rate", "12M"], landsIn: ["aero-1/restore"]),
    ]

    static let startAndVerify = [
        KillPoint(name: "mid-start (asd loading its indexes)", baseAddress: "127.0.143.1",
                  trigger: .record("asd_starting", node: "aero-1", fields: ["\"at_boot\":false"]),
                  simOptions: ["--warm-start", "3s"], landsIn: ["aero-1/start"]),
        KillPoint(name: "start finished, verify_warm's log read held", baseAddress: "127.0.144.1",
                  hold: .command(.serverLog), armHoldAt: .event(.stepFinished, node: "aero-1", step: .stop),
                  landsIn: boundary(.verifyWarm)),
        KillPoint(name: "verify_warm finished, in the rejoin", baseAddress: "127.0.145.1",
                  trigger: .event(.stepFinished, node: "aero-1", step: .verifyWarm),
                  simOptions: ["--migration-rate", "150"], landsIn: boundary(.rejoin) + ["aero-1/migrations"]),
    ]

    static let migrationsAndNextNode = [
        KillPoint(name: "mid-migrations (waiting for the gate)", baseAddress: "127.0.146.1",
                  trigger: .event(.stepStarted, node: "aero-1", step: .migrations), delay: .milliseconds(300),
                  simOptions: ["--migration-rate", "150"], landsIn: ["aero-1/migrations"]),
        KillPoint(name: "migrations finished, cleanup held", baseAddress: "127.0.147.1",
                  hold: .command(.removeBackup), armHoldAt: .event(.stepFinished, node: "aero-1", step: .backup),
                  landsIn: boundary(.cleanup)),
        KillPoint(name: "between the nodes (aero-1 done)", baseAddress: "127.0.148.1",
                  trigger: .event(.nodeFinished, node: "aero-1", step: nil), simOptions: ["--traffic-drain", "3s"],
                  landsIn: ["none/none", "aero-2/none", "aero-2/quiesce"]),
    ]

    /// The points in groups by phase: the groups run at the same time, the points of a group one after the other.
    static let groups = [
        KillGroup(name: "quiesce and stop", points: quiesceAndStop), KillGroup(name: "backup", points: backup),
        KillGroup(name: "maintenance and reboot", points: maintenanceAndReboot),
        KillGroup(name: "reboot and restore", points: rebootAndRestore),
        KillGroup(name: "start and verification", points: startAndVerify),
        KillGroup(name: "migrations and the next node", points: migrationsAndNextNode),
    ]

    /// Every point: each step boundary of aero-1's cycle, the middle of its long steps, and between the two nodes.
    static let all = groups.flatMap(\.points)
}

/// Kill points run one after the other, with a cluster each.
struct KillGroup: Sendable, CustomTestStringConvertible {
    /// The phase they cover.
    let name: String
    /// The points.
    let points: [KillPoint]

    var testDescription: String { "\(name): " + points.map(\.name).joined(separator: "; ") }
}

/// The controller killed with SIGKILL at every step boundary of a node's cycle and in the middle of its long steps,
/// then `asroll resume --yes` (SPEC §6, issue 6 item 5). The points run in six groups at once, each group one point
/// at a time, so that a loaded machine does not run nineteen clusters at once.
@Suite(.timeLimit(.minutes(5))) struct CrashSafetyKillTests {
    @Test func theKillPointsCoverEveryStepOfTheCycleAndTheWayToTheNextNode() {
        let steps = Set(KillPoint.all.flatMap(\.landsIn).compactMap { $0.split(separator: "/").last.map(String.init) })
        let cycle: [StepKind] = [.quiesce, .disableAutostart, .stop, .backup, .maintenance, .reboot, .restore, .start,
                                 .verifyWarm, .rejoin, .migrations, .cleanup]
        #expect(cycle.filter { !steps.contains($0.rawValue) }.isEmpty, "steps without a kill point: \(steps)")
        #expect(KillPoint.all.count >= 12)
        #expect(Set(KillPoint.all.map(\.baseAddress)).count == KillPoint.all.count, "one cluster address per point")
    }

    @Test(arguments: KillPoint.groups)
    func sigkillAtEachPointThenResumeWarmRestartsEveryNodeOnceRebootsNoneTwiceAndNeverTwoAreDown(_ group: KillGroup)
        async throws
    {
        for point in group.points {
            do {
                try await killThenResume(point)
            } catch {
                Issue.record("kill point '\(point.name)': \(error)")
            }
        }
    }

    /// Starts a 2-node roll, kills it with SIGKILL at `point`, checks where it landed, then resumes it and checks the
    /// roll as a whole.
    func killThenResume(_ point: KillPoint) async throws {
        try await SimulatedCluster.withCluster(nodes: 2, baseAddress: point.baseAddress,
                                               options: ["--fast"] + point.simOptions) { cluster in
            let hold = try CommandHold(cluster, armed: point.hold != nil && point.armHoldAt == nil)
            var commands: [String: String] = [:]
            if case .command(let template) = point.hold { commands = hold.command(template) }
            let maintenance = point.maintenance.map { $0 == KillPoint.heldMaintenance ? hold.maintenanceCommand : $0 }
            let state = CrashStateDir(path: freshStateDir())
            let playbook = try testPlaybook(in: cluster.directory, maintenance: maintenance, commands: commands)
            let run = try startRoll(cluster, playbook: playbook, state: state)

            /// A watcher that runs `action` once `trigger` shows.
            func watch(_ trigger: KillPoint.Trigger, delay: Duration = .zero, action: String) throws -> ShellWatcher {
                let (files, pattern) = switch trigger {
                case .event(let kind, let node, let step):
                    (state.path + "/runs/*/events.jsonl", eventPattern(kind, node: node, step: step))
                case .record(let name, let node, let fields):
                    (cluster.recordPath, recordPattern(name, node: node, fields: fields))
                case .held:
                    (hold.holdingFile, "held")
                }
                return try ShellWatcher("\(trigger)", files: files, pattern: pattern, delay: delay, action: action)
            }
            let arming = try point.armHoldAt.map { try watch($0, action: hold.armCommand) }
            let killer = try watch(point.trigger, delay: point.delay, action: "kill -9 \(run.pid)")
            let killed = try await run.wait(timeout: .seconds(150))
            let fired = await killer.finish()
            _ = await arming?.finish()
            hold.release(abort: true)
            #expect(fired && killed.exitCode == 128 + SIGKILL,
                    "'\(point.name)': the run was killed at \(killer.what), not ended by itself: \(killed)")
            guard killed.exitCode == 128 + SIGKILL else { return }

            // Where the kill landed, by the journal the resume starts from.
            let replay = try JournalReplay(records: state.journal())
            let landed = "\(replay.currentNode ?? "none")/\(replay.inFlightStep?.rawValue ?? "none")"
            #expect(point.landsIn.contains(landed), "the kill at '\(point.name)' landed in \(landed)\n\(state)")

            if let event = point.resumeAfter {
                _ = try await cluster.waitForEvent(timeout: 60) { $0.name == event && $0.node == "aero-1" }
            }
            try await expectResumeFinishesTheRoll(cluster, state, "kill point: \(point.name)\n\(state)\n"
                + transcript([("run", killed)]))
        }
    }
}

import Foundation

/// `systemctl`, for the `aerospike` unit (and power verbs), with systemd 252's output, streams and exit codes.
struct SystemctlCommand {
    let context: CommandContext

    init(_ context: CommandContext) { self.context = context }

    /// Where the unit file lives on Debian 12.
    static let unitPath = "/lib/systemd/system/aerospike.service"
    /// The symlink `enable` creates.
    static let wantsLink = "/etc/systemd/system/multi-user.target.wants/aerospike.service"
    /// systemd's `TimeoutStopSec` for the packaged unit.
    static let stopTimeout = 600.0

    private enum Unit {
        case aerospike
        case ssh
        case missing(String)
    }

    func run() -> Int32 {
        var quiet = false
        var now = false
        var verb: String?
        var units: [String] = []
        var properties: [String] = []
        var iterator = context.parameters.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "-q", "--quiet": quiet = true
            case "--now": now = true
            case "--no-pager", "--no-block", "--no-legend", "-l", "--full", "--system", "-f", "--force",
                 "--no-ask-password", "--value":
                continue
            case "-p", "--property":
                if let value = iterator.next() { properties += value.split(separator: ",").map(String.init) }
            case "-n", "--lines": _ = iterator.next()
            default:
                if argument.hasPrefix("--property=") {
                    properties += argument.dropFirst(11).split(separator: ",").map(String.init)
                } else if argument.hasPrefix("--lines=") || argument.hasPrefix("--signal=") {
                    continue
                } else if argument.hasPrefix("-") {
                    context.complain("systemctl: unrecognized option '\(argument)'")
                    return 1
                } else if verb == nil {
                    verb = argument
                } else {
                    units.append(argument)
                }
            }
        }
        guard let verb else {
            context.complain("asroll-sim: systemctl without a verb lists units on a real host; "
                             + "the simulator only models aerospike.service")
            return 1
        }
        switch verb {
        case "reboot": return PowerCommand(context).reboot()
        case "poweroff", "halt", "kexec", "suspend", "hibernate": return PowerCommand(context).refusePowerOff(verb)
        case "daemon-reload", "daemon-reexec", "reset-failed": return 0
        case "start", "stop", "restart", "try-restart", "reload-or-restart", "enable", "disable", "mask", "unmask",
             "is-active", "is-enabled", "is-failed", "status", "show", "reload", "kill":
            break
        default:
            context.complain("Unknown command verb '\(verb)'.")
            return 1
        }
        guard !units.isEmpty || verb == "status" || verb == "show" else {
            context.complain("Too few arguments.")
            return 1
        }
        var status: Int32 = 0
        for unitName in units.isEmpty ? ["aerospike"] : units {
            let code = run(verb, unit: resolve(unitName), quiet: quiet, now: now, properties: properties)
            if code != 0 { status = code }
        }
        return status
    }

    private func resolve(_ name: String) -> Unit {
        let base = name.hasSuffix(".service") ? String(name.dropLast(8)) : name
        switch base {
        case "aerospike": return .aerospike
        case "ssh", "sshd": return .ssh
        default: return .missing(name.contains(".") ? name : name + ".service")
        }
    }

    // swiftlint:disable:next cyclomatic_complexity
    private func run(_ verb: String, unit: Unit, quiet: Bool, now: Bool, properties: [String]) -> Int32 {
        switch unit {
        case .missing(let name): return missing(verb, name: name, quiet: quiet)
        case .ssh: return ssh(verb, quiet: quiet)
        case .aerospike: break
        }
        switch verb {
        case "start": return start()
        case "stop": return stop()
        case "restart", "try-restart", "reload-or-restart":
            if verb == "try-restart", state().word == "inactive" { return 0 }
            let stopped = stop()
            return stopped == 0 ? start() : stopped
        case "reload":
            context.complain("Failed to reload aerospike.service: Job type reload is not applicable for unit "
                             + "aerospike.service.")
            return 1
        case "kill":
            context.complain("asroll-sim: systemctl kill is not simulated; use systemctl stop")
            return 1
        case "enable":
            let changed = context.host.withModel { model, time in model.setUnitEnabled(context.node, true, now: time) }
            if changed && !quiet { context.complain("Created symlink \(Self.wantsLink) → \(Self.unitPath).") }
            return now ? start() : 0
        case "disable":
            let changed = context.host.withModel { model, time in model.setUnitEnabled(context.node, false, now: time) }
            if changed && !quiet { context.complain("Removed \"\(Self.wantsLink)\".") }
            return now ? stop() : 0
        case "mask":
            let changed = context.host.withModel { model, time in model.setUnitMasked(context.node, true, now: time) }
            if changed && !quiet {
                context.complain("Created symlink /etc/systemd/system/aerospike.service → /dev/null.")
            }
            return now ? stop() : 0
        case "unmask":
            let changed = context.host.withModel { model, time in model.setUnitMasked(context.node, false, now: time) }
            if changed && !quiet { context.complain("Removed \"/etc/systemd/system/aerospike.service\".") }
            return 0
        case "is-active":
            let word = state().word
            if !quiet { context.say(word) }
            return word == "active" ? 0 : 3
        case "is-failed":
            let word = state().word
            if !quiet { context.say(word) }
            return word == "failed" ? 0 : 1
        case "is-enabled":
            let node = context.host.withModel { model, _ in model.node(context.node) }
            let word = node?.unitMasked == true ? "masked" : node?.unitEnabled == true ? "enabled" : "disabled"
            if !quiet { context.say(word) }
            return word == "enabled" ? 0 : 1
        case "status": return status()
        case "show": return show(properties)
        default: return 1
        }
    }

    private func missing(_ verb: String, name: String, quiet: Bool) -> Int32 {
        switch verb {
        case "is-active", "is-failed":
            if !quiet { context.say(verb == "is-active" ? "inactive" : "inactive") }
            return verb == "is-active" ? 3 : 1
        case "is-enabled":
            context.complain("Failed to get unit file state for \(name): No such file or directory")
            return 1
        case "status":
            context.complain("Unit \(name) could not be found.")
            return 4
        case "enable", "disable":
            context.complain("Failed to \(verb) unit: Unit file \(name) does not exist.")
            return 1
        case "stop":
            context.complain("Failed to stop \(name): Unit \(name) not loaded.")
            return 5
        default:
            context.complain("Failed to \(verb) \(name): Unit \(name) not found.")
            return 5
        }
    }

    private func ssh(_ verb: String, quiet: Bool) -> Int32 {
        switch verb {
        case "is-active":
            if !quiet { context.say("active") }
            return 0
        case "is-enabled":
            if !quiet { context.say("enabled") }
            return 0
        case "status":
            context.say("● ssh.service - OpenBSD Secure Shell server")
            context.say("     Loaded: loaded (/lib/systemd/system/ssh.service; enabled; preset: enabled)")
            context.say("     Active: active (running)")
            return 0
        default:
            context.complain("asroll-sim: only aerospike.service can be controlled on a simulated node")
            return 1
        }
    }

    /// The unit's state as systemd reports it.
    private struct UnitState {
        var word: String
        var sub: String
        var since: Double
        var process: AsdProcess?
        var enabled: Bool
        var masked: Bool
        var log: [LogEntry]
    }

    private func state() -> UnitState {
        context.host.withModel { model, _ in
            guard let node = model.node(context.node) else {
                return UnitState(word: "inactive", sub: "dead", since: 0, process: nil, enabled: false, masked: false,
                                 log: [])
            }
            let (word, sub): (String, String)
            switch node.asd {
            case .starting, .running: (word, sub) = ("active", "running")
            case .stopping: (word, sub) = ("deactivating", "stop-sigterm")
            case .stopped: (word, sub) = node.lastExit == .unclean ? ("failed", "failed") : ("inactive", "dead")
            }
            return UnitState(word: word, sub: sub, since: node.asdStateChangedAt, process: node.asd.process,
                             enabled: node.unitEnabled, masked: node.unitMasked, log: Array(node.log.suffix(10)))
        }
    }

    private func start() -> Int32 {
        while true {
            let outcome = context.host.withModel { model, time in model.startAsd(context.node, now: time) }
            switch outcome {
            case .started, .alreadyActive: return 0
            case .masked:
                context.complain("Failed to start aerospike.service: Unit aerospike.service is masked.")
                return 1
            case .shuttingDown:
                context.complain("Failed to start aerospike.service: Transaction for aerospike.service/start is "
                                 + "destructive (reboot.target has 'start' job queued, but 'stop' is included in "
                                 + "transaction).")
                return 1
            case .mustWaitForStop:
                guard waitForExit() else { return 0 }
            }
        }
    }

    private func stop() -> Int32 {
        _ = context.host.withModel { model, time in model.stopAsd(context.node, reason: .systemctl, now: time) }
        _ = waitForExit()
        return 0
    }

    /// Waits (bounded by the unit's stop timeout) until asd has exited; false when the client left first (the stop
    /// still completes in the model, as systemd would finish the job).
    private func waitForExit() -> Bool {
        context.wait(timeout: Self.stopTimeout) { model in
            guard let node = model.node(context.node) else { return true }
            if case .stopping = node.asd { return false }
            return true
        }
    }

    private func status() -> Int32 {
        let unit = state()
        let now = context.host.now()
        let symbol = unit.word == "active" ? "●" : unit.word == "failed" ? "×" : "○"
        context.say("\(symbol) aerospike.service - Aerospike Server")
        if unit.masked {
            context.say("     Loaded: masked (Reason: Unit aerospike.service is masked.)")
        } else {
            context.say("     Loaded: loaded (\(Self.unitPath); \(unit.enabled ? "enabled" : "disabled"); "
                        + "preset: enabled)")
        }
        let since = "since \(SimClockFormat.systemdTimestamp(unit.since)); "
            + "\(SystemdTimespan.format(now - unit.since)) ago"
        switch unit.word {
        case "failed": context.say("     Active: failed (Result: exit-code) \(since)")
        default: context.say("     Active: \(unit.word) (\(unit.sub)) \(since)")
        }
        if let process = unit.process {
            context.say("   Main PID: \(process.pid) (asd)")
            context.say("      Tasks: 87 (limit: 19065)")
            context.say("     Memory: 1.1G")
            context.say("        CPU: \(String(format: "%.3f", max(0.05, (now - process.startedAt) * 0.01)))s")
            context.say("     CGroup: /system.slice/aerospike.service")
            context.say("             └─\(process.pid) /usr/bin/asd --config-file /etc/aerospike/aerospike.conf "
                + "--fgdaemon")
        }
        if !unit.log.isEmpty {
            context.say("")
            for entry in unit.log { context.say(entry.journalLine(host: context.node, iso: false)) }
        }
        return unit.word == "active" ? 0 : 3
    }

    private func show(_ properties: [String]) -> Int32 {
        let unit = state()
        let all: [(String, String)] = [
            ("Type", "simple"), ("MainPID", String(unit.process?.pid ?? 0)), ("ActiveState", unit.word),
            ("SubState", unit.sub), ("UnitFileState", unit.masked ? "masked" : unit.enabled ? "enabled" : "disabled"),
            ("LoadState", unit.masked ? "masked" : "loaded"), ("TimeoutStopUSec", "10min"),
            ("FragmentPath", Self.unitPath), ("Description", "Aerospike Server"),
        ]
        for (key, value) in all where properties.isEmpty || properties.contains(key) { context.say("\(key)=\(value)") }
        return 0
    }
}

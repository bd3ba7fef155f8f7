/// `reboot`, `shutdown`, `halt`, `poweroff` (and `systemctl reboot`): a reboot returns 0 at once and the node goes
/// down a moment later; powering off is refused, since a simulated node has no power button to come back with.
struct PowerCommand {
    let context: CommandContext

    init(_ context: CommandContext) { self.context = context }

    func run() -> Int32 {
        let parameters = context.parameters
        switch context.programName {
        case "reboot": return reboot()
        case "shutdown":
            if parameters.contains("-c") {
                context.complain("No scheduled shutdown.")
                return 1
            }
            let rebooting = parameters.contains("-r") || parameters.contains("--reboot")
            guard rebooting else { return refusePowerOff("shutdown") }
            if let when = parameters.first(where: { !$0.hasPrefix("-") }), when != "now", when != "+0" {
                context.complain("asroll-sim: scheduled shutdowns ('\(when)') are not simulated; rebooting now")
            }
            return reboot()
        default: return refusePowerOff(context.programName)
        }
    }

    /// Issues the reboot; the daemon takes the node down after the grace period.
    func reboot() -> Int32 {
        _ = context.host.withModel { model, time in
            model.issueReboot(context.node, command: context.arguments, now: time)
        }
        return 0
    }

    /// Refuses to power the node off.
    func refusePowerOff(_ verb: String) -> Int32 {
        context.complain("asroll-sim: '\(verb)' would power the simulated node off for good; only reboots are "
                         + "simulated (use reboot, or asroll-sim down to stop the whole cluster)")
        return 1
    }
}

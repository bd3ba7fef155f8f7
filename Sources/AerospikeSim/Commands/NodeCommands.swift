/// The commands a simulated node forwards to the daemon, by program name.
public enum NodeCommands {
    /// Program names the node overlays on `/usr/bin` (besides `sudo`, which the shim handles itself).
    public static let binPrograms = ["systemctl", "asmt", "journalctl", "ipcs", "ipcrm", "asinfo", "apt-get", "apt"]
    /// Program names the node overlays on `/usr/sbin`.
    public static let sbinPrograms = ["reboot", "shutdown", "halt", "poweroff"]

    /// Runs the command and returns its exit status.
    public static func run(_ context: CommandContext) -> Int32 {
        switch context.programName {
        case "systemctl": return SystemctlCommand(context).run()
        case "reboot", "shutdown", "halt", "poweroff": return PowerCommand(context).run()
        case "asmt":
            guard !(context.host.withModel { model, _ in model.node(context.node)?.has("no-asmt") ?? false }) else {
                context.complain("bash: asmt: command not found")
                return 127
            }
            return AsmtCommand(context).run()
        case "journalctl": return JournalctlCommand(context).run()
        case "ipcs": return IpcsCommand(context).run()
        case "ipcrm": return IpcrmCommand(context).run()
        case "asinfo": return AsinfoCommand(context).run()
        case "apt-get", "apt": return AptCommand(context).run()
        default:
            context.complain("asroll-sim: '\(context.programName)' is not a simulated command")
            return 127
        }
    }
}

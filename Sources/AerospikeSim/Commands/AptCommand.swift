/// `apt-get` / `apt`: harmless stand-ins that print what a small patch run prints, take a moment and change nothing,
/// so OS-patch playbooks can be rehearsed.
struct AptCommand {
    let context: CommandContext

    init(_ context: CommandContext) { self.context = context }

    func run() -> Int32 {
        let verb = context.parameters.first { !$0.hasPrefix("-") && !$0.contains("=") } ?? ""
        let delay = context.host.withModel { model, _ in model.configuration.timing.aptTime }
        switch verb {
        case "update":
            let lines = ["Hit:1 http://deb.debian.org/debian bookworm InRelease",
                         "Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]",
                         "Get:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]",
                         "Get:4 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages [262 kB]",
                         "Fetched 365 kB in 1s (412 kB/s)", "Reading package lists..."]
            for line in lines {
                guard context.pause(delay / Double(lines.count)) else { return 130 }
                context.say(line)
            }
            return 0
        case "upgrade", "dist-upgrade", "full-upgrade":
            context.say("Reading package lists...")
            context.say("Building dependency tree...")
            context.say("Reading state information...")
            context.say("Calculating upgrade...")
            guard context.pause(delay / 2) else { return 130 }
            context.say("The following packages will be upgraded:")
            context.say("  libc-bin libc6 openssl")
            context.say("3 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")
            context.say("Need to get 4,711 kB of archives.")
            guard context.pause(delay / 2) else { return 130 }
            context.say("Setting up libc6:amd64 (2.36-9+deb12u10) ...")
            context.say("Setting up libc-bin (2.36-9+deb12u10) ...")
            context.say("Setting up openssl (3.0.16-1~deb12u1) ...")
            context.say("Processing triggers for libc-bin (2.36-9+deb12u10) ...")
            context.say("asroll-sim: simulated upgrade, nothing on the host was changed")
            return 0
        case "install", "remove", "purge", "autoremove", "clean", "autoclean":
            context.say("Reading package lists...")
            context.say("Building dependency tree...")
            context.say("Reading state information...")
            guard context.pause(delay / 2) else { return 130 }
            context.say("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")
            context.say("asroll-sim: simulated \(context.programName) \(verb), nothing on the host was changed")
            return 0
        default:
            context.complain("E: Invalid operation \(verb)")
            return 100
        }
    }
}

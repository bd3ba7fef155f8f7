import Foundation

/// `journalctl -u aerospike [--no-pager] [--since T] [--until T] [-n N] [-o short|short-iso] [-b] [-q]`: the unit's
/// log across boots, with journald's `-- Boot <id> --` separators.
struct JournalctlCommand {
    let context: CommandContext

    init(_ context: CommandContext) { self.context = context }

    /// Options that change nothing in the output the simulator prints.
    static let ignoredOptions: Set<String> = ["--no-pager", "--no-hostname", "--utc", "-a", "--all", "-x", "--catalog",
                                              "-e"]

    func run() -> Int32 {
        var unit: String?
        var since: Double?
        var until: Double?
        var lines: Int?
        var iso = false
        var thisBoot = false
        var quiet = false
        var arguments = context.parameters[...]
        func value(_ option: String, _ argument: String) -> String? {
            if argument.hasPrefix(option + "=") { return String(argument.dropFirst(option.count + 1)) }
            if argument == option { return arguments.popFirst() }
            return nil
        }
        while let argument = arguments.popFirst() {
            if let text = value("-u", argument) ?? value("--unit", argument) {
                unit = text
            } else if argument.hasPrefix("-u"), argument.count > 2 {
                unit = String(argument.dropFirst(2))
            } else if let text = value("--since", argument) ?? value("-S", argument) {
                guard let time = parseTime(text) else {
                    context.complain("Failed to parse timestamp: \(text)")
                    return 1
                }
                since = time
            } else if let text = value("--until", argument) ?? value("-U", argument) {
                guard let time = parseTime(text) else {
                    context.complain("Failed to parse timestamp: \(text)")
                    return 1
                }
                until = time
            } else if let text = value("-n", argument) ?? value("--lines", argument) {
                guard let count = Int(text), count >= 0 else {
                    context.complain("Failed to parse lines '\(text)'.")
                    return 1
                }
                lines = count
            } else if argument.hasPrefix("-n"), let count = Int(argument.dropFirst(2)) {
                lines = count
            } else if let text = value("-o", argument) ?? value("--output", argument) {
                iso = text == "short-iso" || text == "short-iso-precise"
            } else if argument == "-b" || argument == "--boot" {
                thisBoot = true
            } else if argument == "-q" || argument == "--quiet" {
                quiet = true
            } else if Self.ignoredOptions.contains(argument) {
                continue
            } else if argument == "-f" || argument == "--follow" {
                context.complain("asroll-sim: journalctl --follow is not simulated (it would never return)")
                return 1
            } else {
                context.complain("asroll-sim: journalctl \(argument) is not simulated; use -u aerospike with "
                                 + "--since, --until, -n, -o short-iso, -b")
                return 1
            }
        }
        guard let unit, unit == "aerospike" || unit == "aerospike.service" else {
            if !quiet { context.say("-- No entries --") }
            return 0
        }
        let (entries, bootID) = context.host.withModel { model, _ in
            (model.node(context.node)?.log ?? [], model.node(context.node)?.bootID ?? "")
        }
        var selected = entries.filter { entry in
            (since.map { entry.time >= $0 } ?? true) && (until.map { entry.time <= $0 } ?? true)
                && (!thisBoot || entry.bootID == bootID)
        }
        if let lines { selected = Array(selected.suffix(lines)) }
        if selected.isEmpty {
            if !quiet { context.say("-- No entries --") }
            return 0
        }
        var previousBoot = selected[0].bootID
        var text = ""
        for entry in selected {
            if entry.bootID != previousBoot {
                text += "-- Boot \(entry.bootID.replacingOccurrences(of: "-", with: "")) --\n"
                previousBoot = entry.bootID
            }
            text += entry.journalLine(host: context.node, iso: iso) + "\n"
        }
        context.output.out(text)
        return 0
    }

    /// journalctl's timestamp forms: `@EPOCH`, `YYYY-MM-DD [HH:MM[:SS]]`, `today`, `yesterday`, `now`, `-5min`.
    private func parseTime(_ text: String) -> Double? {
        let now = context.host.now()
        if text.hasPrefix("@") { return Double(text.dropFirst()) }
        switch text {
        case "now": return now
        case "today", "yesterday", "tomorrow":
            let today = SimClockFormat.parseLocal(String(SimClockFormat.journalISO(now).prefix(10))) ?? now
            return today + (text == "yesterday" ? -86400 : text == "tomorrow" ? 86400 : 0)
        default: break
        }
        if text.hasPrefix("-") || text.hasPrefix("+") {
            let sign: Double = text.hasPrefix("-") ? -1 : 1
            let body = String(text.dropFirst())
            let units: [(String, Double)] = [("min", 60), ("ms", 0.001), ("s", 1), ("h", 3600), ("d", 86400),
                                             ("m", 60)]
            for (suffix, scale) in units where body.hasSuffix(suffix) {
                guard let value = Double(body.dropLast(suffix.count)) else { return nil }
                return now + sign * value * scale
            }
            return Double(body).map { now + sign * $0 }
        }
        return SimClockFormat.parseLocal(text)
    }
}

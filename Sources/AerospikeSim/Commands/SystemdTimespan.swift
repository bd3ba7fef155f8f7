/// systemd's way of writing an elapsed time (`5s`, `1min 3s`, `2h 5min`, `3 days`), as `systemctl status` uses it.
enum SystemdTimespan {
    /// `seconds` in systemd's short form, at most two units.
    static func format(_ seconds: Double) -> String {
        var left = Int(max(0, seconds))
        if left == 0 { return "\(Int(max(0, seconds) * 1000))ms" }
        let units: [(String, Int)] = [("month", 2_629_800), ("week", 604_800), ("day", 86400), ("h", 3600),
                                      ("min", 60), ("s", 1)]
        var pieces: [String] = []
        for (unit, size) in units where left >= size && pieces.count < 2 {
            let count = left / size
            left -= count * size
            let plural = unit.count > 3 && count > 1 ? "s" : ""
            pieces.append(unit.count > 3 ? "\(count) \(unit)\(plural)" : "\(count)\(unit)")
        }
        return pieces.joined(separator: " ")
    }
}

/// Parsing of the duration and size values the simulator's options take (`500ms`, `2s`, `1G`).
public enum SimValueParsing {
    /// Seconds from `500ms`, `2s`, `1.5s`, `10m`, `2h` or a bare number of seconds.
    public static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0, value.isFinite else { return nil }
            return value * scale
        }
        guard let value = Double(text), value >= 0, value.isFinite else { return nil }
        return value
    }

    /// Bytes from `1G`, `512M`, `64K`, `1GiB`, `2000000` (binary multiples, as `df -h` shows them).
    public static func bytes(_ text: String) -> Int64? {
        var body = Substring(text)
        for suffix in ["iB", "B"] where body.hasSuffix(suffix) {
            body = body.dropLast(suffix.count)
            break
        }
        let scales: [Character: Int64] = ["K": 1 << 10, "k": 1 << 10, "M": 1 << 20, "m": 1 << 20, "G": 1 << 30,
                                          "g": 1 << 30, "T": 1 << 40, "t": 1 << 40]
        var scale: Int64 = 1
        if let last = body.last, let unit = scales[last] {
            scale = unit
            body = body.dropLast()
        }
        guard let value = Double(body), value > 0, value.isFinite else { return nil }
        let result = value * Double(scale)
        guard result < Double(Int64.max) else { return nil }
        return Int64(result)
    }

    /// `2s`, `500ms`, `1.5s`: the short form used in messages and the inventory.
    public static func format(seconds: Double) -> String {
        if seconds < 1, seconds > 0 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return "\(seconds)s"
    }
}

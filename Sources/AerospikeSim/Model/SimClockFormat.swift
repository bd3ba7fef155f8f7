import Foundation

/// The time formats the simulator writes: ISO 8601 for the record, Aerospike's log stamp, journald's short forms.
public enum SimClockFormat {
    /// `2026-06-05T12:34:56.789Z`.
    public static func iso8601(_ time: Double) -> String {
        let (parts, millis) = utcParts(time)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, millis)
    }

    /// Aerospike's log stamp, always GMT: `Jun 05 2026 12:34:56 GMT`.
    public static func aerospikeStamp(_ time: Double) -> String {
        let (parts, _) = utcParts(time)
        return String(format: "%@ %02d %04d %02d:%02d:%02d GMT", monthName(parts.tm_mon), parts.tm_mday,
                      parts.tm_year + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// journalctl's default stamp in local time: `Jun 05 12:34:56`.
    public static func journalShort(_ time: Double) -> String {
        let parts = localParts(time)
        return String(format: "%@ %02d %02d:%02d:%02d", monthName(parts.tm_mon), parts.tm_mday, parts.tm_hour,
                      parts.tm_min, parts.tm_sec)
    }

    /// journalctl's `-o short-iso` stamp in local time: `2026-06-05T12:34:56+00:00`.
    public static func journalISO(_ time: Double) -> String {
        let parts = localParts(time)
        let offset = parts.tm_gmtoff
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, sign, minutes / 60, minutes % 60)
    }

    /// `Thu 2026-06-05 12:34:56 UTC`, as `systemctl status` shows times.
    public static func systemdTimestamp(_ time: Double) -> String {
        let parts = localParts(time)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let zone = parts.tm_zone.map { String(cString: $0) } ?? "UTC"
        return String(format: "%@ %04d-%02d-%02d %02d:%02d:%02d %@", days[Int(parts.tm_wday)], parts.tm_year + 1900,
                      parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, zone)
    }

    /// Epoch seconds of a local `YYYY-MM-DD[ HH:MM[:SS]]`, as journalctl's `--since` reads it.
    public static func parseLocal(_ text: String) -> Double? {
        let pieces = text.split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(pieces.count) else { return nil }
        let date = pieces[0].split(separator: "-").compactMap { Int32($0) }
        guard date.count == 3 else { return nil }
        var clock: [Int32] = [0, 0, 0]
        if pieces.count == 2 {
            let fields = pieces[1].split(separator: ":").compactMap { Int32($0) }
            guard (2...3).contains(fields.count) else { return nil }
            for (index, field) in fields.enumerated() { clock[index] = field }
        }
        var parts = tm()
        parts.tm_year = date[0] - 1900
        parts.tm_mon = date[1] - 1
        parts.tm_mday = date[2]
        parts.tm_hour = clock[0]
        parts.tm_min = clock[1]
        parts.tm_sec = clock[2]
        parts.tm_isdst = -1
        let seconds = mktime(&parts)
        return seconds == -1 ? nil : Double(seconds)
    }

    private static func monthName(_ month: Int32) -> String {
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Int(month)]
    }

    private static func utcParts(_ time: Double) -> (tm, Int32) {
        var seconds = time_t(time.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return (parts, Int32(((time - time.rounded(.down)) * 1000).rounded(.down)))
    }

    private static func localParts(_ time: Double) -> tm {
        var seconds = time_t(time.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        return parts
    }
}

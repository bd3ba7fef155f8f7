/// One line of a node's aerospike unit log, kept across reboots.
public struct LogEntry: Sendable, Hashable {
    /// Who wrote it.
    public enum Source: Sendable, Hashable {
        /// asd itself (with its pid); the line carries Aerospike's own stamp.
        case asd(pid: Int)
        /// systemd, about the unit.
        case systemd
    }

    /// Epoch seconds.
    public let time: Double
    /// The boot the line was written in.
    public let bootID: String
    /// asd or systemd.
    public let source: Source
    /// The text after the stamp, e.g. `INFO (as): (as.c:475) service ready: soon there will be cake!`.
    public let message: String

    /// An entry.
    public init(time: Double, bootID: String, source: Source, message: String) {
        self.time = time
        self.bootID = bootID
        self.source = source
        self.message = message
    }

    /// The line as `/var/log/aerospike/aerospike.log` holds it (asd lines only carry Aerospike's stamp).
    public var fileLine: String {
        switch source {
        case .asd: "\(SimClockFormat.aerospikeStamp(time)): \(message)"
        case .systemd: "\(SimClockFormat.aerospikeStamp(time)): systemd: \(message)"
        }
    }

    /// The line as `journalctl` prints it (`short` or `short-iso`).
    public func journalLine(host: String, iso: Bool) -> String {
        let stamp = iso ? SimClockFormat.journalISO(time) : SimClockFormat.journalShort(time)
        switch source {
        case .asd(let pid): return "\(stamp) \(host) asd[\(pid)]: \(SimClockFormat.aerospikeStamp(time)): \(message)"
        case .systemd: return "\(stamp) \(host) systemd[1]: \(message)"
        }
    }
}

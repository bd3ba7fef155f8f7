/// The time budget of each phase of the node cycle; a phase that exceeds its budget halts the run.
public struct PhaseTimeouts: Sendable, Equatable {
    /// Quiesce, recluster and wait for traffic to drain (`quiesce`, default 2m).
    public var quiesce: Duration
    /// Stop asd and see it stopped cleanly (`stop`, default 10m).
    public var stop: Duration
    /// The asmt analysis and backup (`backup`, default 30m).
    public var backup: Duration
    /// All maintenance commands together (`maintenance`, default 60m).
    public var maintenance: Duration
    /// Reboot until SSH answers with a new boot id (`reboot`, default 20m).
    public var reboot: Duration
    /// The asmt analysis and restore (`restore`, default 30m).
    public var restore: Duration
    /// A warm start until the info port answers `ok` (`start`, default 30m).
    public var start: Duration
    /// A cold start until the info port answers `ok` (`cold_start`, default 12h).
    public var coldStart: Duration
    /// After the start, until the node is back in a whole cluster (`rejoin`, default 10m).
    public var rejoin: Duration
    /// After the rejoin, until migrations are finished (`migrations`, default 12h).
    public var migrations: Duration
    /// Each short command: enable/disable, probes, cleanup (`command`, default 1m; an asroll extension).
    public var command: Duration

    /// The phase keys under `timeouts:`, in the order of the node cycle.
    static var keys: [(key: String, path: WritableKeyPath<PhaseTimeouts, Duration>)] {
        [
            ("quiesce", \.quiesce), ("stop", \.stop), ("backup", \.backup), ("maintenance", \.maintenance),
            ("reboot", \.reboot), ("restore", \.restore), ("start", \.start), ("cold_start", \.coldStart),
            ("rejoin", \.rejoin), ("migrations", \.migrations), ("command", \.command),
        ]
    }

    /// Budgets for every phase; the defaults are SPEC §3's, plus `command: 1m`.
    public init(
        quiesce: Duration = .seconds(2 * 60), stop: Duration = .seconds(10 * 60), backup: Duration = .seconds(30 * 60),
        maintenance: Duration = .seconds(60 * 60), reboot: Duration = .seconds(20 * 60),
        restore: Duration = .seconds(30 * 60), start: Duration = .seconds(30 * 60),
        coldStart: Duration = .seconds(12 * 3_600), rejoin: Duration = .seconds(10 * 60),
        migrations: Duration = .seconds(12 * 3_600), command: Duration = .seconds(60)
    ) {
        self.quiesce = quiesce
        self.stop = stop
        self.backup = backup
        self.maintenance = maintenance
        self.reboot = reboot
        self.restore = restore
        self.start = start
        self.coldStart = coldStart
        self.rejoin = rejoin
        self.migrations = migrations
        self.command = command
    }
}

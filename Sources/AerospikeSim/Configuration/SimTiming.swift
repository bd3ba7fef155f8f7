/// How long things take on the simulated nodes. The defaults look real enough for a demo; `fast` lets a whole
/// 3-node warm roll finish in seconds for tests.
public struct SimTiming: Sendable, Hashable, Codable {
    /// Seconds a rebooted node stays down before its SSH comes back.
    public var rebootDelay: Double
    /// Seconds between `reboot` returning and the node going down (the command's session sees its exit status).
    public var rebootGrace: Double
    /// Seconds a warm start (every namespace warm) takes until the info port opens.
    public var warmStart: Double
    /// Seconds a cold start takes until the info port opens.
    public var coldStart: Double
    /// Seconds a clean shutdown takes after SIGTERM.
    public var stopTime: Double
    /// Bytes per second `asmt -b` copies.
    public var backupRate: Double
    /// Bytes per second `asmt -r` copies.
    public var restoreRate: Double
    /// Partitions per second each node drains from its remaining migrations.
    public var migrationRate: Double
    /// Partitions remaining per namespace on every member after a membership change.
    public var migrationsPerChange: Int
    /// Seconds `migrate_allowed` stays false after a rebalance starts.
    public var rebalanceTime: Double
    /// Seconds client traffic takes to move off a node once its quiesce is in effect.
    public var trafficDrain: Double
    /// Seconds `apt-get update`/`upgrade` take.
    public var aptTime: Double

    /// Defaults that look like a small real cluster in a demo.
    public static let realistic = SimTiming(
        rebootDelay: 8, rebootGrace: 0.2, warmStart: 2, coldStart: 20, stopTime: 2,
        backupRate: 64 * 1024 * 1024, restoreRate: 128 * 1024 * 1024, migrationRate: 150, migrationsPerChange: 1200,
        rebalanceTime: 1, trafficDrain: 1, aptTime: 2)

    /// Short times for tests: a full 3-node warm roll finishes in well under a minute.
    public static let fast = SimTiming(
        rebootDelay: 0.5, rebootGrace: 0.2, warmStart: 0.3, coldStart: 1.5, stopTime: 0.2,
        backupRate: 2 * 1024 * 1024 * 1024, restoreRate: 2 * 1024 * 1024 * 1024, migrationRate: 4000,
        migrationsPerChange: 400, rebalanceTime: 0.1, trafficDrain: 0.5, aptTime: 0.2)

    /// Every value given explicitly.
    public init(rebootDelay: Double, rebootGrace: Double, warmStart: Double, coldStart: Double, stopTime: Double,
                backupRate: Double, restoreRate: Double, migrationRate: Double, migrationsPerChange: Int,
                rebalanceTime: Double, trafficDrain: Double, aptTime: Double) {
        self.rebootDelay = rebootDelay
        self.rebootGrace = rebootGrace
        self.warmStart = warmStart
        self.coldStart = coldStart
        self.stopTime = stopTime
        self.backupRate = backupRate
        self.restoreRate = restoreRate
        self.migrationRate = migrationRate
        self.migrationsPerChange = migrationsPerChange
        self.rebalanceTime = rebalanceTime
        self.trafficDrain = trafficDrain
        self.aptTime = aptTime
    }
}

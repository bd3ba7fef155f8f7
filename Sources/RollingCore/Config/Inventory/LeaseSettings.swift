/// Where the run's lease is written on every node (`lease:`).
public struct LeaseSettings: Sendable, Equatable {
    /// Absolute path of the lease file on each node (`path`, default `/var/tmp/asroll.lease`).
    public var path: String

    /// Lease settings with the documented default.
    public init(path: String = "/var/tmp/asroll.lease") {
        self.path = path
    }
}

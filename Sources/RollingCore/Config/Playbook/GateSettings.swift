/// How the cluster gate polls: every `interval`, passing only after `consecutive` passes in a row.
public struct GateSettings: Sendable, Equatable {
    /// Time between two polls of every node (`interval`, default 2s).
    public var interval: Duration
    /// Passes in a row needed, at least 1 (`consecutive`, default 3).
    public var consecutive: Int

    /// A gate polling every `interval` that needs `consecutive` passes in a row.
    public init(interval: Duration = .seconds(2), consecutive: Int = 3) {
        self.interval = interval
        self.consecutive = consecutive
    }
}

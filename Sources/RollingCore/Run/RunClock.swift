import Foundation

/// The time source of a run: monotonic time and sleeping, injected so that gates and waits are unit-tested
/// without sleeping.
public protocol RunClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Sleeps for `duration`; throws when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct SystemRunClock: RunClock {
    private let origin = ContinuousClock.now

    /// A clock starting now.
    public init() {}

    public func now() -> Duration { origin.duration(to: .now) }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

import RollingCore
import Synchronization

/// A clock whose sleeps return at once and advance virtual time, so that waits of hours take no time in tests.
final class VirtualClock: RunClock {
    private let elapsed = Mutex<Duration>(.zero)

    func now() -> Duration { elapsed.withLock { $0 } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        elapsed.withLock { $0 += duration }
        await Task.yield()
    }

    /// Moves time forward without sleeping (what a slow remote command does to the run).
    func advance(by duration: Duration) {
        elapsed.withLock { $0 += duration }
    }
}

import Foundation

/// A point in time after which an operation must give up, measured on the monotonic clock.
///
/// Timeouts in asroll are enforced below Swift concurrency: blocking work polls its file descriptors against a
/// `Deadline` rather than relying on task cancellation, which a blocking C call cannot observe.
public struct Deadline: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The monotonic instant at which the deadline expires.
    public let instant: ContinuousClock.Instant

    /// A deadline at `instant`.
    public init(_ instant: ContinuousClock.Instant) {
        self.instant = instant
    }

    /// A deadline `duration` from now.
    public static func after(_ duration: Duration) -> Deadline {
        Deadline(ContinuousClock.now.advanced(by: duration))
    }

    /// The time left before the deadline; zero once it has passed.
    public var remaining: Duration {
        let left = ContinuousClock.now.duration(to: instant)
        return left > .zero ? left : .zero
    }

    /// Whether the deadline has passed.
    public var hasPassed: Bool { ContinuousClock.now >= instant }

    /// The time left, in whole milliseconds rounded up, clamped for `poll(2)`; zero once the deadline has passed.
    public var pollTimeout: Int32 {
        let left = remaining
        if left == .zero { return 0 }
        let millis = left.components.seconds * 1000 + (left.components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: millis)
    }

    /// The earlier of two deadlines.
    public func earlier(_ other: Deadline?) -> Deadline {
        guard let other else { return self }
        return Swift.min(self, other)
    }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.instant < rhs.instant }

    public var description: String { "deadline in \(remaining.formattedSeconds)" }
}

extension Duration {
    /// `count` minutes.
    public static func minutes(_ count: Int) -> Duration { .seconds(count * 60) }

    /// `count` hours.
    public static func hours(_ count: Int) -> Duration { .seconds(count * 3600) }

    /// Seconds as a decimal number, for messages and events.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Milliseconds as a decimal number, for benchmarks.
    public var milliseconds: Double { seconds * 1000 }

    /// A short human form: `850ms`, `12.3s`, `4m05s`, `2h03m`.
    public var formattedSeconds: String {
        let total = seconds
        if total < 1 { return "\(Int((total * 1000).rounded()))ms" }
        if total < 60 { return String(format: "%.1fs", total) }
        let whole = Int(total.rounded())
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
    }
}

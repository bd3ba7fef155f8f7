import Synchronization

/// Collects lines from `@Sendable` callbacks (output streaming) for later checks.
public final class SSHTestLines: Sendable {
    private let lines = Mutex<[String]>([])

    /// An empty collection.
    public init() {}

    /// Records `line`.
    public func add(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    /// Everything recorded, in order.
    public var all: [String] { lines.withLock { $0 } }
}

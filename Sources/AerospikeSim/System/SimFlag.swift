import Synchronization

/// A boolean shared between threads (a stop request, a "still open" mark).
public final class SimFlag: Sendable {
    private let value: Mutex<Bool>

    /// A flag with the initial `value`.
    public init(_ value: Bool) { self.value = Mutex(value) }

    /// The current value.
    public var isSet: Bool { value.withLock { $0 } }

    /// Sets the value.
    public func set(_ newValue: Bool) { value.withLock { $0 = newValue } }
}

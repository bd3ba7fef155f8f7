/// When memory-error counters force a cold restart, in addition to uncorrected errors (`memory_errors:`).
public struct MemoryErrorPolicy: Sendable, Equatable {
    /// Corrected errors at or above which a node is treated like `dimm-fault` (`corrected_threshold`); nil means
    /// corrected errors alone never force a cold restart, only uncorrected ones do.
    public var correctedThreshold: Int?

    /// A policy with the given threshold (default: none).
    public init(correctedThreshold: Int? = nil) {
        self.correctedThreshold = correctedThreshold
    }
}

/// Memory-error counters a node exposes under `/sys/devices/system/edac/mc/mc0/{ce_count,ue_count}`.
public struct EdacCounters: Sendable, Hashable, Codable {
    /// Corrected errors.
    public var correctable: Int
    /// Uncorrected errors.
    public var uncorrectable: Int

    /// Counters with the given values.
    public init(correctable: Int = 0, uncorrectable: Int = 0) {
        self.correctable = correctable
        self.uncorrectable = uncorrectable
    }

    /// Parses `ce=N,ue=M` (either part may be omitted).
    public init?(parsing text: String) {
        self.init()
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let value = Int(pair[1]), value >= 0 else { return nil }
            switch pair[0] {
            case "ce": correctable = value
            case "ue": uncorrectable = value
            default: return nil
            }
        }
    }
}

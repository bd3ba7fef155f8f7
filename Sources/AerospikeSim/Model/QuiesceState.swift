/// A node's quiesce: asked for (`pending_quiesce`) and in effect since the last recluster (`effective_is_quiesced`).
/// Both live in asd's memory only, so a restarted asd comes back un-quiesced.
public struct QuiesceState: Sendable, Hashable {
    /// `quiesce:` received and not undone.
    public var pending = false
    /// In effect since the last recluster.
    public var effective = false
    /// When it took effect (client traffic drains from then on).
    public var effectiveSince: Double?

    /// Not quiesced.
    public init() {}
}

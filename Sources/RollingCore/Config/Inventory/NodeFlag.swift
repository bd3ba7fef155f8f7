/// A reason recorded in the inventory why a node must never warm restart from its own shared-memory indexes.
public enum NodeFlag: String, Sendable, CaseIterable {
    /// Suspect memory (DIMM) errors: the in-memory index may be corrupt, so the node cold restarts.
    case dimmFault = "dimm-fault"
    /// The cluster was just expanded: a cold restart reclaims shared memory the node no longer needs.
    case postExpansion = "post-expansion"
}

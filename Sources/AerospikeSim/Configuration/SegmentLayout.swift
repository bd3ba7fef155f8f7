/// The sizes of the shared-memory segments a simulated asd builds per namespace: one base, one treex and
/// `stageCount` arena stages. Small by default so that backups fit the per-node backup space quickly.
public struct SegmentLayout: Sendable, Hashable, Codable {
    /// Size of the base segment in bytes (must hold the namespace name at 1024 and the stage count at 2152).
    public var baseSize: Int
    /// Size of the treex segment in bytes.
    public var treexSize: Int
    /// Size of each arena stage in bytes.
    public var stageSize: Int
    /// Number of arena stages per namespace (1...2048).
    public var stageCount: Int

    /// The default layout: 1 MiB base, 2 MiB treex, two 8 MiB stages (19 MiB per namespace).
    public init(baseSize: Int = 1 << 20, treexSize: Int = 2 << 20, stageSize: Int = 8 << 20, stageCount: Int = 2) {
        self.baseSize = baseSize
        self.treexSize = treexSize
        self.stageSize = stageSize
        self.stageCount = stageCount
    }

    /// Bytes of shared memory one namespace occupies.
    public var bytesPerNamespace: Int { baseSize + treexSize + stageSize * stageCount }
}

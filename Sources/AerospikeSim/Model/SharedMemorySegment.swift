/// One System V shared-memory segment on a simulated node, as `ipcs -m` and asmt see it, plus what the simulator
/// needs to judge warm restarts: which node built the data, in which generation, and whether it is whole.
public struct SharedMemorySegment: Sendable, Hashable {
    /// The key; 0 (IPC_PRIVATE) once removed while still attached, as the kernel shows it.
    public var key: UInt32
    /// The key the segment was created with.
    public let originalKey: UInt32
    /// The segment id (`shmid`).
    public let shmid: Int
    /// Size in bytes.
    public let size: Int
    /// The namespace name.
    public let namespace: String
    /// The namespace id (position in the configuration, from 1).
    public let nsid: Int
    /// Base, treex or stage.
    public let kind: SegmentKind
    /// Processes attached (1 while asd runs).
    public var attachments: Int
    /// Base segment only: the clean-shutdown status at offset 4 is 1.
    public var cleanShutdown: Bool
    /// The data generation: a new one per cold start, carried through backups and restores.
    public let generation: Int
    /// The node whose asd built the data.
    public let origin: String
    /// False while asmt is still filling the segment (and forever if it was killed midway).
    public var complete: Bool
    /// `ipcrm` was asked to remove it while attached: it goes away at the last detach (`dest` in `ipcs`).
    public var markedForRemoval: Bool
    /// Permission bits.
    public let mode: Int

    /// A segment.
    public init(originalKey: UInt32, shmid: Int, size: Int, namespace: String, nsid: Int, kind: SegmentKind,
                attachments: Int, cleanShutdown: Bool, generation: Int, origin: String, complete: Bool = true,
                mode: Int = 0o666) {
        self.key = originalKey
        self.originalKey = originalKey
        self.shmid = shmid
        self.size = size
        self.namespace = namespace
        self.nsid = nsid
        self.kind = kind
        self.attachments = attachments
        self.cleanShutdown = cleanShutdown
        self.generation = generation
        self.origin = origin
        self.complete = complete
        self.markedForRemoval = false
        self.mode = mode
    }
}

/// Which segment `ipcrm` names.
public enum SegmentSelector: Sendable, Hashable {
    /// `ipcrm -M key`.
    case key(UInt32)
    /// `ipcrm -m shmid`.
    case id(Int)
}

/// A segment asmt restores from a file.
public struct RestoredSegment: Sendable, Hashable {
    /// The key from the file name.
    public var key: UInt32
    /// Bytes.
    public var size: Int
    /// Namespace name and id.
    public var namespace: String
    /// The namespace id.
    public var nsid: Int
    /// Base, treex or stage.
    public var kind: SegmentKind
    /// The generation the file carries (0 when its metadata is unreadable).
    public var generation: Int
    /// The node whose asd built the data.
    public var origin: String
    /// The base file's shutdown status was 1.
    public var cleanShutdown: Bool

    /// A segment to restore.
    public init(key: UInt32, size: Int, namespace: String, nsid: Int, kind: SegmentKind, generation: Int,
                origin: String, cleanShutdown: Bool) {
        self.key = key
        self.size = size
        self.namespace = namespace
        self.nsid = nsid
        self.kind = kind
        self.generation = generation
        self.origin = origin
        self.cleanShutdown = cleanShutdown
    }
}

extension ClusterModel {
    /// `ipcrm`: removes the segment, or marks it for removal at the last detach when attached. Returns false when
    /// no segment matches (ipcrm then says `invalid key` / `invalid id`).
    public mutating func removeSegment(_ name: String, _ selector: SegmentSelector, now time: Double) -> Bool {
        advance(to: time)
        guard let index = index(of: name) else { return false }
        let position = nodes[index].segments.firstIndex { segment in
            switch selector {
            case .key(let key): segment.key == key && key != 0
            case .id(let id): segment.shmid == id
            }
        }
        guard let position else { return false }
        let segment = nodes[index].segments[position]
        if segment.attachments > 0 {
            nodes[index].segments[position].markedForRemoval = true
            nodes[index].segments[position].key = 0
        } else {
            nodes[index].segments.remove(at: position)
            record("segments_removed", node: name, [("reason", "ipcrm"),
                                                    ("keys", .strings([SegmentKind.hex(segment.originalKey)]))])
        }
        return true
    }

    /// asmt creates the segments it restores (`shmget IPC_CREAT|IPC_EXCL`), still empty; returns their shmids, or
    /// `nil` when a key exists already.
    public mutating func createRestoredSegments(_ name: String, _ specs: [RestoredSegment],
                                                now time: Double) -> [Int]? {
        advance(to: time)
        guard let index = index(of: name) else { return nil }
        let existing = Set(nodes[index].segments.map(\.key))
        guard specs.allSatisfy({ !existing.contains($0.key) }) else { return nil }
        var ids: [Int] = []
        for spec in specs {
            let id = makeShmid()
            ids.append(id)
            nodes[index].segments.append(SharedMemorySegment(
                originalKey: spec.key, shmid: id, size: spec.size, namespace: spec.namespace, nsid: spec.nsid,
                kind: spec.kind, attachments: 0, cleanShutdown: spec.cleanShutdown, generation: spec.generation,
                origin: spec.origin, complete: false))
        }
        return ids
    }

    /// asmt finished filling segment `shmid`.
    public mutating func completeRestoredSegment(_ name: String, shmid: Int, now time: Double) {
        advance(to: time)
        guard let index = index(of: name),
              let position = nodes[index].segments.firstIndex(where: { $0.shmid == shmid })
        else { return }
        nodes[index].segments[position].complete = true
    }

    /// asmt failed: it removes every segment it created.
    public mutating func discardRestoredSegments(_ name: String, shmids: [Int], now time: Double) {
        advance(to: time)
        guard let index = index(of: name) else { return }
        nodes[index].segments.removeAll { shmids.contains($0.shmid) && $0.attachments == 0 }
    }

    /// Switches `fault` on or off for `name`.
    public mutating func setFault(_ name: String, _ fault: NodeFault, on: Bool, now time: Double) {
        advance(to: time)
        guard let index = index(of: name) else { return }
        nodes[index].faults.removeAll { $0.kind == fault.kind }
        if on { nodes[index].faults.append(fault) }
        if fault.kind == "migrations-stall", !on { nodes[index].stallEngaged = false }
        if fault.kind == "never-returns", case .down(let returnsAt) = nodes[index].power {
            if on, returnsAt != nil { nodes[index].power = .down(returnsAt: nil) }
            if !on, returnsAt == nil { nodes[index].power = .down(returnsAt: now + configuration.timing.rebootDelay) }
        }
        record("fault", node: name, [("fault", .string(fault.description)), ("on", .bool(on))])
        outbox.actions.append(.writeFaults(node: name))
    }

    /// Sets `name`'s memory-error counters.
    public mutating func setEdac(_ name: String, _ counters: EdacCounters, now time: Double) {
        advance(to: time)
        guard let index = index(of: name) else { return }
        nodes[index].edac = counters
        record("edac", node: name, [("ce", .int(counters.correctable)), ("ue", .int(counters.uncorrectable))])
    }

    /// Records an event that happened outside the model (asmt results, commands, ssh drops).
    public mutating func recordExternal(_ event: String, node: String?, _ details: [(String, JSONValue)],
                                        now time: Double) {
        advance(to: time)
        record(event, node: node, details)
    }
}

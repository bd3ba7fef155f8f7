/// The shared-memory segments a node lists with `ipcs -m`.
public struct SharedMemorySegments: Sendable, Equatable {
    /// One segment.
    public struct Segment: Sendable, Equatable {
        /// The key, lowercase hex with `0x`.
        public var key: String
        /// The segment id.
        public var id: String
        /// Its size in bytes.
        public var bytes: Int
        /// Processes attached (asd, while it runs).
        public var attached: Int

        /// A segment.
        public init(key: String, id: String, bytes: Int, attached: Int) {
            self.key = key
            self.id = id
            self.bytes = bytes
            self.attached = attached
        }
    }

    /// Every segment listed.
    public var all: [Segment]

    /// Parses the table `ipcs -m` prints; lines that are not segment rows (headers, blanks) are skipped.
    public init(ipcsOutput: String) {
        all = ipcsOutput.split(separator: "\n").compactMap { line in
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard columns.count >= 6, columns[0].lowercased().hasPrefix("0x"),
                let bytes = Int(columns[4]), let attached = Int(columns[5])
            else { return nil }
            return Segment(key: columns[0].lowercased(), id: String(columns[1]), bytes: bytes, attached: attached)
        }
    }

    /// Aerospike's segments: primary index (`0xae`), secondary index (`0xa2`) and data (`0xad`) keys.
    public var aerospike: [Segment] {
        all.filter { segment in ["0xae", "0xa2", "0xad"].contains { segment.key.hasPrefix($0) } }
    }

    /// The bytes Aerospike's segments take: what an uncompressed asmt backup needs on disk.
    public var aerospikeBytes: Int { aerospike.reduce(0) { $0 + $1.bytes } }
}

import Foundation

/// The files `asmt -b` writes and `asmt -r` reads, laid out as the real tool's where it matters.
///
/// Uncompressed files (`%08x.dat`) are the segment's size. A base file carries the real fields at the real offsets
/// (format version at 0, shutdown status at 4, namespace name at 1024, stage count at 2152), so a restore reads it
/// the way asmt does. Compressed files (`%08x.dat.gz`, never the base) start with asmt's 24-byte header (magic
/// `ASMT`, version 1, segment size, crc32) and are about 72% of the segment size. Every file also carries a small
/// `asroll-sim` metadata line (node, namespace, generation, checksum) so a restore can tell whose data it brings
/// back; the compressed payload is not a real gzip stream.
struct AsmtSegmentFile: Equatable {
    var key: UInt32
    var node: String
    var namespace: String
    var nsid: Int
    var kind: SegmentKind
    var generation: Int
    var size: Int
    var cleanShutdown: Bool
    var stageCount: Int

    static let baseVersion: UInt32 = 12
    static let namespaceOffset = 1024
    static let stageCountOffset = 2152
    static let baseMetadataOffset = 4096
    static let compressedHeaderSize = 24
    static let compressedMagic: UInt32 = 0x544D_5341
    static let compressionRatio = 0.72

    /// The file name: `ae001000.dat` or `ae001100.dat.gz`.
    static func fileName(key: UInt32, compressed: Bool) -> String {
        String(SegmentKind.hex(key).dropFirst(2)) + (compressed ? ".dat.gz" : ".dat")
    }

    /// The key a file name stands for, asmt's `validate_file_name`: 8 hex digits, `.dat` or `.dat.gz`, a
    /// primary-index key. Returns (key, compressed-by-name).
    static func parseName(_ name: String) -> (UInt32, Bool)? {
        guard let dot = name.firstIndex(of: ".") else { return nil }
        let ext = name[dot...]
        guard ext == ".dat" || ext == ".dat.gz" else { return nil }
        let stem = name[..<dot]
        guard stem.count == 8, let key = UInt32(stem, radix: 16), SegmentKind.decode(key) != nil else { return nil }
        return (key, ext == ".dat.gz")
    }

    private var metadataLine: String {
        let fields = "key=\(SegmentKind.hex(key));node=\(node);namespace=\(namespace);nsid=\(nsid);"
            + "generation=\(generation);size=\(size);clean=\(cleanShutdown ? 1 : 0)"
        return "asroll-sim-segment;\(fields);checksum=\(Self.checksum(fields))\n"
    }

    static func checksum(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    /// The bytes written at the start of the file (the rest is allocated, not written).
    func header(compressed: Bool) -> [UInt8] {
        var bytes: [UInt8]
        if kind == .base {
            bytes = [UInt8](repeating: 0, count: Self.baseMetadataOffset)
            Self.put(Self.baseVersion, into: &bytes, at: 0)
            Self.put(cleanShutdown ? 1 : 0, into: &bytes, at: 4)
            for (offset, byte) in namespace.utf8.prefix(31).enumerated() { bytes[Self.namespaceOffset + offset] = byte }
            Self.put(UInt32(stageCount), into: &bytes, at: Self.stageCountOffset)
        } else if compressed {
            bytes = [UInt8](repeating: 0, count: Self.compressedHeaderSize)
            Self.put(Self.compressedMagic, into: &bytes, at: 0)
            Self.put(1, into: &bytes, at: 4)
            Self.put(UInt32(truncatingIfNeeded: size), into: &bytes, at: 8)
            Self.put(UInt32(truncatingIfNeeded: size >> 32), into: &bytes, at: 12)
        } else {
            bytes = []
        }
        return bytes + Array(metadataLine.utf8)
    }

    /// The file's full length.
    func fileLength(compressed: Bool) -> Int {
        compressed ? Self.compressedHeaderSize + Int(Double(size) * Self.compressionRatio) : size
    }

    /// Reads what a restore needs from `path`; `nil` when the file cannot be read as a segment file.
    static func read(path: String, key: UInt32, compressed: Bool) -> AsmtSegmentFile? {
        guard let decoded = SegmentKind.decode(key),
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: baseMetadataOffset + 512)) ?? Data()
        let bytes = [UInt8](head)
        var file = AsmtSegmentFile(key: key, node: "unknown", namespace: "", nsid: decoded.nsid, kind: decoded.kind,
                                   generation: 0, size: 0, cleanShutdown: false, stageCount: 0)
        var metadataStart = 0
        if decoded.kind == .base {
            guard bytes.count >= stageCountOffset + 4 else { return nil }
            file.cleanShutdown = get(bytes, at: 4) == 1
            file.namespace = String(decoding: bytes[namespaceOffset..<namespaceOffset + 32].prefix { $0 != 0 },
                                    as: UTF8.self)
            file.stageCount = Int(get(bytes, at: stageCountOffset))
            metadataStart = baseMetadataOffset
        } else if compressed {
            guard bytes.count >= compressedHeaderSize, get(bytes, at: 0) == compressedMagic, get(bytes, at: 4) == 1
            else { return nil }
            file.size = Int(get(bytes, at: 8)) | Int(get(bytes, at: 12)) << 32
            metadataStart = compressedHeaderSize
        }
        if metadataStart < bytes.count,
           let line = String(decoding: bytes[metadataStart...], as: UTF8.self).split(separator: "\n").first,
           line.hasPrefix("asroll-sim-segment;") {
            let pieces = line.split(separator: ";").dropFirst()
            var fields: [String: String] = [:]
            for piece in pieces {
                let pair = piece.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
            }
            let body = pieces.filter { !$0.hasPrefix("checksum=") }.joined(separator: ";")
            if fields["checksum"] == checksum(body) {
                file.node = fields["node"] ?? "unknown"
                file.generation = Int(fields["generation"] ?? "") ?? 0
                if decoded.kind != .base { file.namespace = fields["namespace"] ?? "" }
            }
        }
        return file
    }

    private static func put(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    private static func get(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}

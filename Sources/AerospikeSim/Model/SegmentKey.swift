/// The System V key layout Aerospike and asmt use: `type<<24 | instance<<20 | nsid<<12 | sub`.
///
/// Type 0xAE is the primary index; `sub` is 0x000 for the base segment, 0x001 for the treex segment and
/// 0x100...0x8FF for arena stages. Instance 0, first namespace: base `0xae001000`, treex `0xae001001`, stages
/// `0xae001100`...
public enum SegmentKind: Sendable, Hashable, Comparable {
    /// The base segment (holds the namespace name and the clean-shutdown status).
    case base
    /// The treex segment.
    case treex
    /// Arena stage `number` (0x100 and up).
    case stage(Int)

    /// The `sub` part of the key.
    public var sub: UInt32 {
        switch self {
        case .base: 0x000
        case .treex: 0x001
        case .stage(let number): UInt32(number)
        }
    }

    /// asmt's name for the type (`pi-base`, `pi-treex`, `pi-stage`).
    public var asmtType: String {
        switch self {
        case .base: "pi-base"
        case .treex: "pi-treex"
        case .stage: "pi-stage"
        }
    }

    /// The key of this segment for namespace `nsid` (1...32), instance 0.
    public func key(nsid: Int, instance: Int = 0) -> UInt32 {
        SegmentKind.primaryIndexType << 24 | UInt32(instance) << 20 | UInt32(nsid) << 12 | sub
    }

    /// The primary-index key type byte.
    public static let primaryIndexType: UInt32 = 0xAE

    /// Decodes a primary-index key into (instance, nsid, kind); `nil` for any other key.
    public static func decode(_ key: UInt32) -> (instance: Int, nsid: Int, kind: SegmentKind)? {
        guard key >> 24 == primaryIndexType else { return nil }
        let instance = Int(key >> 20 & 0xF)
        let nsid = Int(key >> 12 & 0xFF)
        let sub = Int(key & 0xFFF)
        guard (1...32).contains(nsid) else { return nil }
        switch sub {
        case 0: return (instance, nsid, .base)
        case 1: return (instance, nsid, .treex)
        case 0x100...0x8FF: return (instance, nsid, .stage(sub))
        default: return nil
        }
    }

    /// `0xae001000`.
    public static func hex(_ key: UInt32) -> String {
        let digits = String(key, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

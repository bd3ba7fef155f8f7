/// A dotted-quad IPv4 address, with the arithmetic that gives node k its address.
public struct IPv4Address: Sendable, Hashable, CustomStringConvertible {
    /// The address as a host-order integer.
    public let value: UInt32

    /// Parses `a.b.c.d`.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    /// The address with the given integer value.
    public init(value: UInt32) { self.value = value }

    /// The four octets, most significant first.
    public var octets: (UInt8, UInt8, UInt8, UInt8) {
        (UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }

    /// The address `offset` further on.
    public func advanced(by offset: Int) -> IPv4Address { IPv4Address(value: UInt32(Int(value) + offset)) }

    public var description: String {
        let octets = octets
        return "\(octets.0).\(octets.1).\(octets.2).\(octets.3)"
    }
}

/// An Aerospike server version such as `8.1.2.0`, comparable part by part.
public struct ServerVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The numeric parts.
    public let parts: [Int]

    /// Parses a dotted version; non-numeric parts are dropped.
    public init(_ text: String) {
        parts = text.split(separator: ".").compactMap { Int($0) }
    }

    /// Whether the version is at least `major.minor`.
    public func isAtLeast(_ major: Int, _ minor: Int) -> Bool { self >= ServerVersion("\(major).\(minor)") }

    public static func < (lhs: ServerVersion, rhs: ServerVersion) -> Bool {
        let count = max(lhs.parts.count, rhs.parts.count)
        let left = lhs.parts + Array(repeating: 0, count: count - lhs.parts.count)
        let right = rhs.parts + Array(repeating: 0, count: count - rhs.parts.count)
        return left.lexicographicallyPrecedes(right)
    }

    public var description: String { parts.map(String.init).joined(separator: ".") }
}

import Foundation

/// The answer to `cluster-stable:...`: the cluster key when the node sees a stable cluster of the asked size.
public enum ClusterStableReply: Sendable, Equatable, CustomStringConvertible {
    /// The node sees a stable cluster with this key (uppercase hex, no leading zeros).
    case stable(clusterKey: String)
    /// The node does not: size mismatch, migrations, unavailable or dead partitions, or a key change.
    case unstable(InfoErrorReply)

    /// Classifies `value`. Any value starting with `ERROR` is unstable, including the quirk where a key change
    /// mid-check appends the key after the error text.
    public init(_ value: String) throws(InfoParseError) {
        if let error = InfoErrorReply(value) {
            self = .unstable(error)
            return
        }
        let key = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty, key.allSatisfy(\.isHexDigit) else {
            throw .unexpectedReply(command: "cluster-stable", reply: value)
        }
        self = .stable(clusterKey: key)
    }

    /// The key when stable.
    public var clusterKey: String? {
        if case .stable(let key) = self { return key }
        return nil
    }

    public var description: String {
        switch self {
        case .stable(let key): "stable (key \(key))"
        case .unstable(let error): "not stable: \(error.raw)"
        }
    }
}

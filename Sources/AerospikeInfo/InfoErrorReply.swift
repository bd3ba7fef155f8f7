import Foundation

/// An `ERROR...` value, in either form servers use: `ERROR::unstable-cluster` (up to 7.1, and code 1 from 7.2 on)
/// or `ERROR:7:unstable cluster` (7.2 and later), or a bare `ERROR`.
public struct InfoErrorReply: Sendable, Equatable, CustomStringConvertible {
    /// What the error means, independent of the server version that phrased it.
    public enum Reason: String, Sendable, Equatable {
        /// Migrations running, partitions unavailable or dead, rebalance in progress, or the key changed mid-check.
        case unstableCluster = "unstable cluster"
        /// The node's cluster size differs from the `size` asked for.
        case clusterSizeMismatch = "cluster not of the specified size"
        /// `size` is not a small integer.
        case badSize = "bad size"
        /// `ignore-migrations` is not `true`/`false`.
        case badIgnoreMigrations = "bad ignore-migrations"
        /// The namespace does not exist on the node.
        case unknownNamespace = "unknown namespace"
        /// The node is configured `stay-quiesced`.
        case permanentlyQuiesced = "permanently quiesced"
        /// The command needs Enterprise Edition.
        case enterpriseOnly = "enterprise only"
        /// Security is enabled and the connection is not authenticated.
        case notAuthenticated = "not authenticated"
        /// The user lacks a permission (e.g. `service-ctrl` for quiesce and recluster).
        case roleViolation = "role violation"
        /// The request exceeded `info-max-ms`.
        case timeout = "timeout"
        /// The server does not know the command (7.2+).
        case unrecognizedCommand = "unrecognized command"
        /// Anything else.
        case other = "error"
    }

    /// The numeric code of the 7.2+ form, `nil` when absent (up to 7.1, or code 1).
    public var code: Int?
    /// The message after the code.
    public var message: String
    /// The reply exactly as received.
    public var raw: String
    /// The meaning, classified.
    public var reason: Reason

    /// Parses `value`; `nil` when it does not start with `ERROR` (case-insensitively, as every tool tests it).
    public init?(_ value: String) {
        guard value.uppercased().hasPrefix("ERROR") else { return nil }
        raw = value
        let rest = value.dropFirst(5)
        if rest.first == ":" {
            let afterColon = rest.dropFirst()
            if let secondColon = afterColon.firstIndex(of: ":") {
                code = Int(afterColon[..<secondColon])
                message = String(afterColon[afterColon.index(after: secondColon)...])
            } else {
                code = nil
                message = String(afterColon)
            }
        } else {
            code = nil
            message = String(rest).trimmingCharacters(in: .whitespaces)
        }
        reason = Self.classify(code: code, message: message)
    }

    private static func classify(code: Int?, message: String) -> Reason {
        let text = message.lowercased().replacingOccurrences(of: "-", with: " ")
        let prefixes: [(String, Reason)] = [
            ("unstable cluster", .unstableCluster),
            ("cluster not specified size", .clusterSizeMismatch),
            ("bad size", .badSize),
            ("'size' value too long", .badSize),
            ("bad ignore migrations", .badIgnoreMigrations),
            ("unknown namespace", .unknownNamespace),
            ("namespace not found", .unknownNamespace),
            ("permanently quiesced", .permanentlyQuiesced),
            ("enterprise only", .enterpriseOnly),
            ("not authenticated", .notAuthenticated),
            ("role violation", .roleViolation),
            ("timeout", .timeout),
            ("unrecognized command", .unrecognizedCommand),
        ]
        if let match = prefixes.first(where: { text.hasPrefix($0.0) }) { return match.1 }
        switch code {
        case 80: return .notAuthenticated
        case 81: return .roleViolation
        case 25: return .enterpriseOnly
        default: return .other
        }
    }

    public var description: String { raw }
}

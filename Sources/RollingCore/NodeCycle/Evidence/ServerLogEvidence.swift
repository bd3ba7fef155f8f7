import Foundation
/// What the server log says about a stop or a start.
public struct ServerLogEvidence: Sendable, Equatable {
    /// How a namespace came up.
    public enum StartKind: String, Sendable, Codable {
        case warm, cold, cool
    }

    /// The log text examined.
    public var text: String

    /// Evidence from `text`.
    public init(_ text: String) {
        self.text = text
    }

    /// Whether the log shows `finished clean shutdown - exiting`.
    public var showsCleanShutdown: Bool { text.contains("finished clean shutdown") }

    /// Whether the log shows `failed clean shutdown - exiting`.
    public var showsFailedShutdown: Bool { text.contains("failed clean shutdown") }

    /// How `namespace` started, from `{ns} beginning warm restart` / `{ns} beginning cold start` (matched without
    /// regard to case: older EE builds print `COLD`); the last such line wins.
    public func start(of namespace: String) -> StartKind? {
        var found: StartKind?
        let marker = "{\(namespace.lowercased())} beginning "
        for line in text.lowercased().split(separator: "\n") {
            guard let range = line.range(of: marker) else { continue }
            let rest = line[range.upperBound...]
            if rest.hasPrefix("warm restart") {
                found = .warm
            } else if rest.hasPrefix("cold start") {
                found = .cold
            } else if rest.hasPrefix("cool restart") {
                found = .cool
            }
        }
        return found
    }

    /// The last `count` lines, for messages.
    public func tail(_ count: Int = 10) -> String {
        text.split(separator: "\n").suffix(count).joined(separator: "\n")
    }
}

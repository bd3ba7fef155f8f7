import Foundation

/// One line of `DIR/record.jsonl`: something the simulated cluster did, with its time, node and details.
public struct SimEvent: Sendable, Hashable {
    /// Epoch seconds.
    public var time: Double
    /// The node it happened on, `nil` for cluster-wide events.
    public var node: String?
    /// What happened (`asd_started`, `reboot_issued`, ...).
    public var name: String
    /// The details, in the order they are written.
    public var details: [(String, JSONValue)]

    /// An event.
    public init(time: Double, node: String?, name: String, details: [(String, JSONValue)] = []) {
        self.time = time
        self.node = node
        self.name = name
        self.details = details
    }

    /// The detail `key`.
    public subscript(key: String) -> JSONValue? { details.first { $0.0 == key }?.1 }

    /// The JSON line: `{"ts":"...","t":...,"node":"...","event":"...",...details}`.
    public var jsonLine: String {
        var pairs: [(String, JSONValue)] = [("ts", .string(SimClockFormat.iso8601(time))),
                                            ("t", .double((time * 1000).rounded() / 1000))]
        if let node { pairs.append(("node", .string(node))) }
        pairs.append(("event", .string(name)))
        pairs += details
        return JSONValue.object(pairs).jsonText
    }

    public static func == (lhs: SimEvent, rhs: SimEvent) -> Bool { lhs.jsonLine == rhs.jsonLine }
    public func hash(into hasher: inout Hasher) { hasher.combine(jsonLine) }
}

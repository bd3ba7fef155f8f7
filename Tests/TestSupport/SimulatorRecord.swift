import Foundation

/// A JSON value of a simulator record line.
public enum SimJSON: Sendable, Equatable, CustomStringConvertible {
    /// A string.
    case string(String)
    /// A number.
    case number(Double)
    /// `true`/`false`.
    case bool(Bool)
    /// `null`.
    case null
    /// An array.
    case array([SimJSON])
    /// An object.
    case object([String: SimJSON])

    init(_ any: Any) {
        switch any {
        case let text as String: self = .string(text)
        case let number as NSNumber:
            // JSONSerialization hands booleans over as NSNumber of C type `c`.
            self = String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
        case let list as [Any]: self = .array(list.map(SimJSON.init))
        case let map as [String: Any]: self = .object(map.mapValues(SimJSON.init))
        default: self = .null
        }
    }

    /// The string, if this is one.
    public var string: String? { if case .string(let text) = self { text } else { nil } }
    /// The number, if this is one.
    public var number: Double? { if case .number(let value) = self { value } else { nil } }
    /// The boolean, if this is one.
    public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    /// The strings of an array of strings.
    public var strings: [String]? { if case .array(let values) = self { values.compactMap(\.string) } else { nil } }
    /// The member `key` of an object.
    public subscript(key: String) -> SimJSON? { if case .object(let map) = self { map[key] } else { nil } }

    public var description: String {
        switch self {
        case .string(let text): "\"\(text)\""
        case .number(let value): value == value.rounded() ? String(Int(value)) : String(value)
        case .bool(let value): String(value)
        case .null: "null"
        case .array(let values): "[" + values.map(\.description).joined(separator: ",") + "]"
        case .object(let map): "{" + map.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
            .joined(separator: ",") + "}"
        }
    }
}

/// One line of a simulator's `record.jsonl`: what the simulated cluster did, when and where.
///
/// Events: `sim_started`, `node_up`, `node_down`, `reboot_issued`, `asd_starting`, `asd_started`, `asd_stopping`,
/// `asd_stopped`, `joined`, `left`, `cluster_changed`, `migrations_zero`, `asmt_backup`, `asmt_restore`, `quiesce`,
/// `quiesce_undo`, `recluster`, `unit_enabled`, `unit_disabled`, `unit_masked`, `unit_unmasked`,
/// `segments_removed`, `corruption`, `command`, `fault`, `edac`, `ssh_dropped`, `namespace_exited`,
/// `node_boot_failed`, `sim_stopped` (see docs/simulator.md for their fields).
public struct SimRecordEvent: Sendable, CustomStringConvertible {
    /// Epoch seconds (`t`).
    public let time: Double
    /// ISO 8601 with milliseconds (`ts`).
    public let timestamp: String
    /// The node, or `nil` for cluster-wide events.
    public let node: String?
    /// The event name (`event`).
    public let name: String
    /// Every field of the line.
    public let fields: [String: SimJSON]

    /// Parses one record line; `nil` when it is not a record event.
    public init?(line: String) {
        guard let data = line.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let name = object["event"] as? String, let time = (object["t"] as? NSNumber)?.doubleValue
        else { return nil }
        self.name = name
        self.time = time
        timestamp = object["ts"] as? String ?? ""
        node = object["node"] as? String
        fields = object.mapValues(SimJSON.init)
    }

    /// The field `key`.
    public subscript(key: String) -> SimJSON? { fields[key] }

    /// The string field `key`.
    public func string(_ key: String) -> String? { fields[key]?.string }
    /// The boolean field `key`.
    public func bool(_ key: String) -> Bool? { fields[key]?.bool }
    /// The integer field `key`.
    public func int(_ key: String) -> Int? { fields[key]?.number.map { Int($0) } }

    public var description: String {
        "\(timestamp) \(node ?? "-") \(name) " + fields.filter { !["t", "ts", "node", "event"].contains($0.key) }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}

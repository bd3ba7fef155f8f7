/// A misbehaviour a simulated node can be given, at `up` (`--fault aero-2:dimm-fault`) or at runtime (`ctl fault`).
public enum NodeFault: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A warm restart from the node's own earlier segments is recorded as data corruption.
    case dimmFault
    /// After a reboot the node never comes back.
    case neverReturns
    /// Once the node (re)joins, migrations stop draining on every member.
    case migrationsStall
    /// `asmt -b` fails midway with an I/O error and removes the files it created.
    case backupFails
    /// asd's shutdown fails (`failed clean shutdown - exiting`): segments are not marked clean.
    case uncleanStop
    /// asd starts `factor` times slower than configured.
    case slowStart(factor: Double)
    /// `sudo` asks for a password (and fails without a terminal).
    case sudoPassword
    /// The node has no `asmt` installed.
    case noAsmt
    /// Every asd start cold-starts every namespace, as after a changed `partition-tree-sprigs`.
    case coldStart

    /// Every fault name, for help texts and messages.
    public static let names = ["dimm-fault", "never-returns", "migrations-stall", "backup-fails", "unclean-stop",
                               "slow-start[=N]", "sudo-password", "no-asmt", "cold-start"]

    /// The default slow-start factor.
    public static let defaultSlowStartFactor = 10.0

    /// Parses `dimm-fault`, `slow-start`, `slow-start=5`; `nil` for anything else.
    public init?(parsing text: String) {
        switch text {
        case "dimm-fault": self = .dimmFault
        case "never-returns": self = .neverReturns
        case "migrations-stall": self = .migrationsStall
        case "backup-fails": self = .backupFails
        case "unclean-stop": self = .uncleanStop
        case "slow-start": self = .slowStart(factor: Self.defaultSlowStartFactor)
        case "sudo-password": self = .sudoPassword
        case "no-asmt": self = .noAsmt
        case "cold-start": self = .coldStart
        default:
            let prefix = "slow-start="
            guard text.hasPrefix(prefix), let factor = Double(text.dropFirst(prefix.count)), factor >= 1 else {
                return nil
            }
            self = .slowStart(factor: factor)
        }
    }

    /// The fault's name without its parameter, used to switch it off (`ctl fault aero-1 slow-start off`).
    public var kind: String {
        switch self {
        case .dimmFault: "dimm-fault"
        case .neverReturns: "never-returns"
        case .migrationsStall: "migrations-stall"
        case .backupFails: "backup-fails"
        case .uncleanStop: "unclean-stop"
        case .slowStart: "slow-start"
        case .sudoPassword: "sudo-password"
        case .noAsmt: "no-asmt"
        case .coldStart: "cold-start"
        }
    }

    public var description: String {
        if case .slowStart(let factor) = self {
            return factor == factor.rounded() ? "slow-start=\(Int(factor))" : "slow-start=\(factor)"
        }
        return kind
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let fault = NodeFault(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "unknown fault '\(text)'"))
        }
        self = fault
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// What maintenance to do on each node and how to drive its services; the safety protocol is not configurable.
public struct Playbook: Sendable, Equatable {
    /// Name shown in the plan and the report (`name`, default: the file name without extension).
    public var name: String
    /// One line for humans (`description`).
    public var description: String?
    /// Whether the host reboots between backup and restore (`reboot`, default true).
    public var reboot: Bool
    /// Shell commands run in order while asd is stopped (`maintenance`, default none). Not templates: run as written.
    public var maintenance: [String]
    /// Whether to quiesce and drain the node before stopping asd (`quiesce`, default true).
    public var quiesce: Bool
    /// The budget of each phase (`timeouts`).
    public var timeouts: PhaseTimeouts
    /// How gates poll (`gate`).
    public var gate: GateSettings
    /// How to drive the node (`commands`).
    public var commands: NodeCommands
    /// The file it was loaded from.
    public var sourcePath: String

    /// A playbook; everything but the name defaults as documented in docs/configuration.md.
    public init(
        name: String, description: String? = nil, reboot: Bool = true, maintenance: [String] = [],
        quiesce: Bool = true, timeouts: PhaseTimeouts = PhaseTimeouts(), gate: GateSettings = GateSettings(),
        commands: NodeCommands = NodeCommands(), sourcePath: String = ""
    ) {
        self.name = name
        self.description = description
        self.reboot = reboot
        self.maintenance = maintenance
        self.quiesce = quiesce
        self.timeouts = timeouts
        self.gate = gate
        self.commands = commands
        self.sourcePath = sourcePath
    }
}

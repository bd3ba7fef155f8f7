/// One command a step issues, as the plan shows it.
public struct PlannedCommand: Sendable, Equatable {
    /// How the command reaches the node.
    public enum Channel: Sendable, Equatable {
        /// A shell command over SSH.
        case shell
        /// An info command, to the node or to every node.
        case info(target: String)
        /// A wait, polled with read-only commands.
        case wait
    }

    /// How the command reaches the node.
    public var channel: Channel
    /// The exact command line, info command or wait condition.
    public var text: String
    /// Whether it changes anything.
    public var mutates: Bool
    /// Why it is run.
    public var purpose: String

    /// A planned command.
    public init(_ channel: Channel, _ text: String, mutates: Bool, purpose: String) {
        self.channel = channel
        self.text = text
        self.mutates = mutates
        self.purpose = purpose
    }
}

/// One step of a node's cycle, with its commands and its time budget.
public struct PlannedStep: Sendable, Equatable {
    /// Which step.
    public var kind: StepKind
    /// What the step does and how it is verified, in one line.
    public var summary: String
    /// The commands, in order.
    public var commands: [PlannedCommand]
    /// The step's time budget.
    public var timeout: Duration

    /// A planned step.
    public init(kind: StepKind, summary: String, commands: [PlannedCommand], timeout: Duration) {
        self.kind = kind
        self.summary = summary
        self.commands = commands
        self.timeout = timeout
    }
}

/// Everything that will happen to one node.
public struct NodePlan: Sendable, Equatable {
    /// The node.
    public var node: NodeSpec
    /// Its place in the roll, from 1.
    public var position: Int
    /// Warm or cold, and why.
    public var mode: RestartMode
    /// The steps in order.
    public var steps: [PlannedStep]
    /// The node's rendered command lines, which the roll runs exactly.
    public var commands: NodeCommandLines

    /// The step of `kind`, when the plan has it.
    public func step(_ kind: StepKind) -> PlannedStep? {
        steps.first { $0.kind == kind }
    }
}

/// The whole roll: the nodes in order, each with its plan.
public struct RollPlan: Sendable, Equatable {
    /// The inventory the plan was made from.
    public var inventory: Inventory
    /// The playbook the plan was made from.
    public var playbook: Playbook
    /// The selected nodes, in inventory order.
    public var nodes: [NodePlan]

    /// The plan of `name`, when it is selected.
    public func node(named name: String) -> NodePlan? {
        nodes.first { $0.node.name == name }
    }
}

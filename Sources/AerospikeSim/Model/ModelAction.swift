/// Something the model needs the daemon to do in the real world after a state change.
public enum ModelAction: Sendable, Hashable {
    /// asd finished starting: listen on the node's info port.
    case openInfoPort(node: String)
    /// asd is stopping: close the info port and drop its connections.
    case closeInfoPort(node: String)
    /// The node goes down: kill its namespace (every SSH connection drops).
    case killNamespace(node: String)
    /// The node boots with `bootID`: launch its namespace and sshd, then call `nodeBooted`.
    case launchNamespace(node: String, bootID: String)
    /// The node's faults changed: rewrite its `faults` file.
    case writeFaults(node: String)
}

/// What the model produced since it was last emptied: record events, log lines, actions.
public struct ModelOutbox: Sendable {
    /// Record events, in order.
    public var events: [SimEvent] = []
    /// New log lines per node, in order.
    public var logLines: [(node: String, entry: LogEntry)] = []
    /// Actions, in order.
    public var actions: [ModelAction] = []

    /// Nothing.
    public init() {}

    /// Whether there is nothing to do.
    public var isEmpty: Bool { events.isEmpty && logLines.isEmpty && actions.isEmpty }
}

/// How a namespace came up when asd started.
public enum StartMode: String, Sendable, Hashable, Codable {
    /// From clean shared-memory segments: fast.
    case warm
    /// Index rebuilt from storage: slow.
    case cold
}

/// One asd process, from `systemctl start` to its exit.
public struct AsdProcess: Sendable, Hashable {
    /// The process id shown in logs and `systemctl status`.
    public let pid: Int
    /// When the process started.
    public let startedAt: Double
    /// When startup completes (the info port opens and the node joins).
    public let readyAt: Double
    /// The start mode of each namespace, in configuration order.
    public let modes: [StartMode]
    /// The data generation each namespace runs on.
    public let generations: [Int]
    /// Whether systemd started it at boot (unit enabled).
    public let atBoot: Bool
    /// Namespaces warm-started from the node's own segments while the node has a DIMM fault.
    public let corruptedNamespaces: [String]

    /// The overall mode: `warm` or `cold` when every namespace agrees, otherwise `mixed`.
    public var overallMode: String {
        if modes.allSatisfy({ $0 == .warm }) { return "warm" }
        if modes.allSatisfy({ $0 == .cold }) { return "cold" }
        return "mixed"
    }
}

/// Why asd was stopped.
public enum StopReason: String, Sendable, Hashable {
    /// `systemctl stop` / `restart`.
    case systemctl
    /// systemd stopping services for a reboot.
    case shutdown
}

/// How the last asd process ended.
public enum AsdExit: String, Sendable, Hashable {
    /// `finished clean shutdown - exiting`: segments marked clean.
    case clean
    /// `failed clean shutdown - exiting` (exit status 1; the unit is `failed`).
    case unclean
    /// SIGTERM before startup completed: `startup was not complete, exiting immediately`.
    case startupAborted = "startup-aborted"
}

/// The asd service of a node.
public enum AsdState: Sendable, Hashable {
    /// No asd process.
    case stopped
    /// Running but still loading; the info port is closed and the node is not a member.
    case starting(AsdProcess)
    /// Serving: info port open, cluster member.
    case running(AsdProcess)
    /// SIGTERM received; the process exits at `exitsAt`, cleanly or not.
    case stopping(AsdProcess, exitsAt: Double, clean: Bool, reason: StopReason)

    /// The process, unless stopped.
    public var process: AsdProcess? {
        switch self {
        case .stopped: nil
        case .starting(let process), .running(let process), .stopping(let process, _, _, _): process
        }
    }

    /// Whether the node serves (info port open, member).
    public var isRunning: Bool {
        if case .running = self { return true }
        return false
    }

    /// A short word for tables: `stopped`, `starting`, `running`, `stopping`.
    public var word: String {
        switch self {
        case .stopped: "stopped"
        case .starting: "starting"
        case .running: "running"
        case .stopping: "stopping"
        }
    }
}

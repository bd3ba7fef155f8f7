/// Whether a simulated node's machine is up, on its way down for a reboot, down, or booting.
public enum PowerState: Sendable, Hashable {
    /// Up since the given time: sshd answers.
    case up(since: Double)
    /// A reboot was issued; systemd begins stopping services at `at`.
    case rebootPending(at: Double)
    /// systemd waits for asd to exit before the machine goes down.
    case stoppingServices
    /// The machine is down; it comes back at `returnsAt`, or never (`never-returns`).
    case down(returnsAt: Double?)
    /// The namespace was launched; waiting for sshd to answer.
    case booting

    /// Whether sshd is (supposed to be) reachable.
    public var isUp: Bool {
        switch self {
        case .up, .rebootPending, .stoppingServices: true
        case .down, .booting: false
        }
    }

    /// A short word for tables.
    public var word: String {
        switch self {
        case .up: "up"
        case .rebootPending, .stoppingServices: "going down"
        case .down(let returnsAt): returnsAt == nil ? "down (never returns)" : "down"
        case .booting: "booting"
        }
    }
}

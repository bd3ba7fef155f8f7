/// What node commands need from their surroundings: the model, the time, and a way to wait.
///
/// The daemon implements it with the real clock and a mutex; tests implement it with a manual clock whose `sleep`
/// advances time instantly, so command tests never sleep.
public protocol SimulationHost: AnyObject, Sendable {
    /// Epoch seconds now.
    func now() -> Double
    /// Runs `body` on the model advanced to now, then processes whatever the model produced.
    func withModel<T>(_ body: (inout ClusterModel, Double) throws -> T) rethrows -> T
    /// Waits `seconds` (the daemon sleeps; a test clock just advances).
    func sleep(_ seconds: Double)
}

/// Where a node command writes, and whether anyone still reads.
public protocol CommandOutput: AnyObject, Sendable {
    /// Writes to the command's standard output.
    func out(_ text: String)
    /// Writes to the command's standard error.
    func err(_ text: String)
    /// Whether the client process went away (killed by a timeout, or its SSH session dropped).
    var isClientGone: Bool { get }
}

/// Maps a path as the node sees it to a path the daemon can open.
public protocol NodeFileAccess: Sendable {
    /// The host path of `nodePath` (relative paths are taken from the command's working directory).
    func hostPath(_ nodePath: String) -> String
}

/// One invocation of a simulated command on a node.
public struct CommandContext: Sendable {
    /// The node it runs on.
    public let node: String
    /// argv, including argv[0].
    public let arguments: [String]
    /// The working directory on the node.
    public let workingDirectory: String
    /// Whether it ran under `sudo`.
    public let viaSudo: Bool
    /// The model and clock.
    public let host: any SimulationHost
    /// stdout/stderr.
    public let output: any CommandOutput
    /// The node's filesystem.
    public let files: any NodeFileAccess

    /// A context.
    public init(node: String, arguments: [String], workingDirectory: String, viaSudo: Bool, host: any SimulationHost,
                output: any CommandOutput, files: any NodeFileAccess) {
        self.node = node
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.viaSudo = viaSudo
        self.host = host
        self.output = output
        self.files = files
    }

    /// argv[0] without its directory.
    public var programName: String { String(arguments.first?.split(separator: "/").last ?? "") }

    /// The arguments after argv[0].
    public var parameters: [String] { Array(arguments.dropFirst()) }

    /// Writes a line to stdout.
    public func say(_ line: String) { output.out(line + "\n") }

    /// Writes a line to stderr.
    public func complain(_ line: String) { output.err(line + "\n") }

    /// Waits `seconds`; false when the client went away (the command then stops as a killed process would).
    public func pause(_ seconds: Double) -> Bool {
        if output.isClientGone { return false }
        if seconds > 0 { host.sleep(seconds) }
        return !output.isClientGone
    }

    /// Waits until `condition` holds on the model, checking every `interval`, for at most `timeout` seconds.
    /// Returns false on timeout or when the client went away.
    public func wait(timeout: Double, interval: Double = 0.02, until condition: (ClusterModel) -> Bool) -> Bool {
        let deadline = host.now() + timeout
        while true {
            if host.withModel({ model, _ in condition(model) }) { return true }
            if host.now() >= deadline || !pause(interval) { return false }
        }
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs programs for simulator tests with `posix_spawn`: output goes to temporary files (no pipes), the child closes
/// every inherited descriptor above 2, and the wait happens on a thread of its own.
///
/// Foundation's `Process` with `Pipe` is not safe here: when tests spawn concurrently, a long-lived child (an SSH
/// session, the simulator daemon) inherits another test's pipe and that test waits forever for its end of file.
public enum SimulatorProcess {
    /// What a finished program left behind (status 128 + signal when killed).
    public typealias Output = SSHTestProcess.Output

    /// A program that could not be started.
    public struct Failure: Error, CustomStringConvertible {
        /// What failed.
        public var description: String
    }

    /// A started program, for sessions that a test holds open and expects to be dropped.
    public final class Running: Sendable {
        /// Its pid.
        public let pid: pid_t

        init(pid: pid_t) { self.pid = pid }

        /// Its exit status once it has exited (reaping it), `nil` while it runs.
        public func exitStatus() -> Int32? {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            guard result == pid else { return result < 0 ? -1 : nil }
            return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        }

        /// Kills it and reaps it.
        public func kill() {
            _ = Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    /// Runs `arguments` (looked up in PATH) to completion and returns its output.
    public static func run(_ arguments: [String]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runBlocking(arguments) }) }.start()
        }
    }

    /// Starts `arguments` with output discarded.
    public static func start(_ arguments: [String]) throws -> Running {
        Running(pid: try spawn(arguments, stdout: "/dev/null", stderr: "/dev/null"))
    }

    private static func runBlocking(_ arguments: [String]) throws -> Output {
        let base = NSTemporaryDirectory() + "asroll-sim-test-output-" + UUID().uuidString
        defer {
            unlink(base + ".out")
            unlink(base + ".err")
        }
        let pid = try spawn(arguments, stdout: base + ".out", stderr: base + ".err")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let read = { (path: String) in
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return Output(status: code, stdout: read(base + ".out"), stderr: read(base + ".err"))
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (a GNU extension Swift does not import).
    private static let closeFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }

    /// Starts `arguments` (looked up in PATH) with stdin from /dev/null, stdout and stderr into the given files, no
    /// inherited descriptor above 2, default handling and no mask for every signal (the tests send SIGINT, SIGTERM
    /// and SIGKILL to the children), and `environment` added to this process's.
    static func spawn(_ arguments: [String], stdout: String, stderr: String,
                      environment extra: [String: String] = [:]) throws -> pid_t
    {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let closeFrom { _ = closeFrom(&actions, 3) }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in environment { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environment)
        guard result == 0 else {
            throw Failure(description: "cannot start \(arguments[0]): \(String(cString: strerror(result)))")
        }
        return pid
    }
}

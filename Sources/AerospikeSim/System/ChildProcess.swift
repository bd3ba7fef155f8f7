import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starting, running and stopping child processes with `posix_spawn`, with the signal state reset so that a child of
/// the daemon (which blocks SIGTERM and ignores SIGPIPE) behaves like one started from a shell.
public enum ChildProcess {
    /// A failure to start a program.
    public struct SpawnError: Error, CustomStringConvertible {
        /// The program.
        public let executable: String
        /// errno.
        public let code: Int32
        public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// Starts `arguments[0]` (an absolute path) with stdin from /dev/null and stdout+stderr appended to `logPath`
    /// (or /dev/null), in a new session when `newSession`. Returns its pid.
    public static func spawn(_ arguments: [String], logPath: String?, newSession: Bool,
                             environment: [String]? = nil) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of ours may leak into a long-lived child: a parent's pipe held open by the daemon would
        // keep that parent (e.g. Foundation's Process waiting for `up`) from ever seeing its child finish.
        closeInheritedDescriptors(&actions)
        return try spawn(arguments, actions: &actions, newSession: newSession, environment: environment)
    }

    /// Runs `arguments` to completion, feeding `input` on stdin, and returns its exit status and combined output.
    public static func run(_ arguments: [String],
                           input: String? = nil) throws(SpawnError) -> (status: Int32, output: String) {
        var outputPipe: [Int32] = [0, 0]
        var inputPipe: [Int32] = [0, 0]
        guard pipe(&outputPipe) == 0, pipe(&inputPipe) == 0 else {
            throw SpawnError(executable: arguments[0], code: errno)
        }
        for descriptor in outputPipe + inputPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 2)
        closeInheritedDescriptors(&actions)
        let pid: pid_t
        do {
            pid = try spawn(arguments, actions: &actions, newSession: false, environment: nil)
        } catch {
            for descriptor in outputPipe + inputPipe { close(descriptor) }
            throw error
        }
        close(outputPipe[1])
        close(inputPipe[0])
        if let input {
            _ = input.utf8CString.withUnsafeBufferPointer { write(inputPipe[1], $0.baseAddress, $0.count - 1) }
        }
        close(inputPipe[1])
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(outputPipe[0], &buffer, buffer.count)
            if count > 0 { output += buffer[0..<count] } else if count == 0 || errno != EINTR { break }
        }
        close(outputPipe[0])
        return (waitForExit(pid), String(decoding: output, as: UTF8.self))
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift does not import (a GNU extension).
    private static let closeFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }

    /// Makes the child close every descriptor from 3 up (after the dup2 actions that set up 0, 1 and 2).
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom, closeFrom(&actions, 3) == 0 { return }
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [])
            .compactMap { Int32($0) }
        for descriptor in open where descriptor > 2 { posix_spawn_file_actions_addclose(&actions, descriptor) }
    }

    /// glibc's `POSIX_SPAWN_SETSID` (a GNU extension Swift does not import).
    private static let spawnSetSID: Int32 = 0x80

    private static func spawn(_ arguments: [String], actions: inout posix_spawn_file_actions_t, newSession: Bool,
                              environment: [String]?) throws(SpawnError) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newSession { flags |= spawnSetSID }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let pairs = environment ?? ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let env = pairs.map { strdup($0) } + [nil]
        defer { for pointer in env { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, env)
        guard result == 0 else { throw SpawnError(executable: arguments[0], code: result) }
        return pid
    }

    /// Waits for child `pid` to exit; returns its exit status (128+signal when killed).
    @discardableResult
    public static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return decode(status)
    }

    /// Reaps child `pid` if it has exited; `nil` while it runs.
    public static func reapIfExited(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { return decode(status) }
        if result < 0 && errno == ECHILD { return -1 }
        return nil
    }

    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Whether a process with `pid` exists (and is not a zombie).
    public static func isAlive(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// Sends `signal` and waits up to `timeout` seconds for `pid` to be gone; reaps it when it is our child.
    @discardableResult
    public static func stop(_ pid: pid_t, signal: Int32, timeout: Double) -> Bool {
        guard pid > 0 else { return true }
        kill(pid, signal)
        let deadline = SimThread.now() + timeout
        while SimThread.now() < deadline {
            _ = reapIfExited(pid)
            if !isAlive(pid) { return true }
            SimThread.sleep(0.01)
        }
        return !isAlive(pid)
    }

    /// The absolute path of the running executable.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program built by this package (`asroll`, `asroll-sim`) as a child process for the end-to-end tests:
/// output in files, waits bounded in time and done on a thread of their own, and signals for the interruption tests.
public final class AsrollProcess: Sendable {
    /// How a finished process ended.
    public struct Result: Sendable, CustomStringConvertible {
        /// The exit status, or 128 + the signal number when a signal ended it.
        public var exitCode: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String

        public var description: String { "exit \(exitCode)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)" }
    }

    /// A process that did not end in time (it was killed), or could not be started.
    public struct Failure: Error, CustomStringConvertible {
        /// The command and what it printed.
        public var description: String
    }

    /// The process id.
    public let pid: pid_t
    /// The command line, for messages.
    public let commandLine: String
    private let outputPath: String
    private let errorPath: String
    // Set once the child is reaped: its pid may then belong to another process and must never be signalled.
    private let reaped = Mutex(false)

    /// The built product `name` (`asroll`, `asroll-sim`): next to the running test bundle in the build products.
    public static func executable(_ name: String) throws -> String {
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: running).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw Failure(description: "\(name) is not built next to \(running); run `swift build --build-tests`")
    }

    /// Starts the product `product` with `arguments` and `environment` added to this process's.
    public init(_ product: String = "asroll", _ arguments: [String], environment: [String: String] = [:]) throws {
        let executable = try Self.executable(product)
        let base = NSTemporaryDirectory() + "asroll-process-\(UUID().uuidString.prefix(8))"
        outputPath = base + ".out"
        errorPath = base + ".err"
        commandLine = ([product] + arguments).joined(separator: " ")
        pid = try SimulatorProcess.spawn([executable] + arguments, stdout: outputPath, stderr: errorPath,
                                         environment: environment)
    }

    /// Runs to the end (at most `timeout`, then killed) and returns how it ended.
    public static func run(_ arguments: [String], product: String = "asroll", environment: [String: String] = [:],
                           timeout: Duration = .seconds(180)) async throws -> Result
    {
        try await AsrollProcess(product, arguments, environment: environment).wait(timeout: timeout)
    }

    /// Sends `signal` (SIGINT, SIGTERM, SIGKILL).
    public func send(_ signal: Int32) {
        reaped.withLock { reaped in
            if !reaped { _ = kill(pid, signal) }
        }
    }

    /// What it printed on stdout so far.
    public var stdoutSoFar: String { read(outputPath) }

    /// What it printed on stderr so far.
    public var stderrSoFar: String { read(errorPath) }

    /// Waits (on a thread of its own) for the end, at most `timeout`; then kills it and throws.
    public func wait(timeout: Duration) async throws -> Result {
        let status: Int32? = await withCheckedContinuation { continuation in
            Thread { [pid] in
                let deadline = ContinuousClock.now.advanced(by: timeout)
                var status: Int32 = 0
                while ContinuousClock.now < deadline {
                    let reaped = waitpid(pid, &status, WNOHANG)
                    if reaped == pid || (reaped < 0 && errno != EINTR) {
                        continuation.resume(returning: reaped == pid ? status : nil)
                        return
                    }
                    usleep(10_000)
                }
                continuation.resume(returning: nil)
            }.start()
        }
        guard let status else {
            send(SIGKILL)
            var ignored: Int32 = 0
            _ = waitpid(pid, &ignored, 0)
            reaped.withLock { $0 = true }
            throw Failure(description: "`\(commandLine)` did not end within \(timeout):\n\(result(status: -1))")
        }
        reaped.withLock { $0 = true }
        return result(status: status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F))
    }

    private func result(status: Int32) -> Result {
        Result(exitCode: status, stdout: read(outputPath), stderr: read(errorPath))
    }

    private func read(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    deinit {
        reaped.withLock { reaped in
            guard !reaped else { return }
            _ = kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        unlink(outputPath)
        unlink(errorPath)
    }
}

import Foundation

/// Runs helper programs (ssh-keygen, ssh-agent, pgrep, the sshd script) for the SSH tests.
public enum SSHTestProcess {
    /// What a finished program left behind.
    public struct Output: Sendable {
        /// Exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// A helper program failed.
    public struct Failure: Error, CustomStringConvertible {
        /// Command line and output, for the test log.
        public var description: String
    }

    /// `run` on a thread of its own; async callers get this overload. Tests run in parallel on a cooperative pool of
    /// two threads here, and blocking those would stretch every timing the tests measure.
    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { () throws -> Output in
                    try run(arguments, environment: environment)
                })
            }.start()
        }
    }

    /// Runs `arguments[0]` (looked up in PATH) with the rest as arguments, blocking the calling thread until it
    /// exits.
    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe()
        // stderr goes to a file: with two pipes, one could fill up while we wait for the other to end.
        let errorPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("ssh-test-stderr-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        guard let stderr = FileHandle(forWritingAtPath: errorPath) else {
            throw Failure(description: "cannot create \(errorPath)")
        }
        defer { try? stderr.close() }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = FileManager.default.contents(atPath: errorPath) ?? Data()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// `run` off the pool, throwing unless the program exits with status 0.
    @discardableResult
    public static func check(_ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        try requireSuccess(await run(arguments, environment: environment), arguments)
    }

    /// `run`, throwing unless the program exits with status 0.
    @discardableResult
    public static func check(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try requireSuccess(run(arguments, environment: environment), arguments)
    }

    private static func requireSuccess(_ output: Output, _ arguments: [String]) throws -> Output {
        guard output.status == 0 else {
            throw Failure(description: "\(arguments.joined(separator: " ")) exited with \(output.status): "
                + output.stderr + output.stdout)
        }
        return output
    }
}

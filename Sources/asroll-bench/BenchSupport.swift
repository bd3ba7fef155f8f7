import Foundation
import SystemSupport

/// What every benchmark shares: timing, statistics, a table row, and running the package's own programs.
enum Bench {
    /// The time `body` takes.
    static func measure(_ body: () async throws -> Void) async throws -> Duration {
        let started = ContinuousClock.now
        try await body()
        return started.duration(to: .now)
    }

    /// Median and 90th percentile, in milliseconds.
    static func stats(_ values: [Duration]) -> (median: Double, p90: Double) {
        let sorted = values.map(\.milliseconds).sorted()
        let median = sorted[sorted.count / 2]
        let p90 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.9).rounded(.up)) - 1)]
        return (median, p90)
    }

    /// A row of latencies against a target in milliseconds.
    static func row(_ name: String, _ values: [Duration], target: Double) -> String {
        let (median, p90) = stats(values)
        let precision = target < 2 ? "%.3f ms" : "%.2f ms"
        return row(name, String(values.count), String(format: precision, median), String(format: precision, p90),
                   "<= \(target.formatted()) ms " + (median <= target ? "ok" : "MISSED"))
    }

    /// Columns padded to the benchmark table's widths.
    static func row(_ columns: String...) -> String {
        zip(columns, [34, 5, 11, 11, 0]).map { column, width in
            column.padding(toLength: max(width, column.count), withPad: " ", startingAt: 0)
        }.joined(separator: " ")
    }

    /// A program built next to `asroll-bench` (`asroll`, `asroll-sim`).
    static func product(_ name: String) -> String {
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: running).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Runs `executable` with `arguments` to its end; output goes to files so no pipe can fill up.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let base = NSTemporaryDirectory() + "asroll-bench-\(UUID().uuidString.prefix(8))"
        _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: base + ".out")
        process.standardError = FileHandle(forWritingAtPath: base + ".err")
        try process.run()
        process.waitUntilExit()
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return (process.terminationStatus, read(base + ".out"), read(base + ".err"))
    }

    /// A simulated cluster for the length of a benchmark.
    struct Simulator {
        let directory: String
        let baseAddress: String

        static func up(nodes: Int, baseAddress: String, options: [String] = ["--fast"]) throws -> Simulator {
            let directory = "/tmp/asroll-bench-sim-\(UUID().uuidString.prefix(8).lowercased())"
            let result = try Bench.run(product("asroll-sim"), ["up", "--nodes", String(nodes), "--dir", directory,
                                                              "--base-address", baseAddress] + options)
            guard result.status == 0 else {
                throw BenchError(message: "asroll-sim up failed: \(result.stderr)\(result.stdout)")
            }
            return Simulator(directory: directory, baseAddress: baseAddress)
        }

        func down() {
            _ = try? Bench.run(Bench.product("asroll-sim"), ["down", "--dir", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// The simulator's record, one dictionary per event.
        func record() throws -> [[String: Any]] {
            try String(contentsOfFile: directory + "/record.jsonl", encoding: .utf8).split(separator: "\n")
                .compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        }
    }
}

/// A benchmark that could not run.
struct BenchError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

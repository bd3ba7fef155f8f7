// asroll-bench: `asroll-bench [NAME...]` runs the named benchmarks, or all of them, in the order listed here.
// Each benchmark prints its own table; add one by adding a row.
import Foundation

let benchmarks: [(name: String, run: () async throws -> Void)] = [
    ("ssh", SSHBenchmark.run),
    ("info", InfoBenchmark.run),
    ("roll", RollBenchmark.run),
]

let requested = Array(CommandLine.arguments.dropFirst())
let known = benchmarks.map(\.name)
if let unknown = requested.first(where: { !known.contains($0) }) {
    print("asroll-bench: no benchmark named \(unknown); known: \(known.joined(separator: ", "))")
    exit(2)
}
for benchmark in benchmarks where requested.isEmpty || requested.contains(benchmark.name) {
    do {
        try await benchmark.run()
    } catch {
        print("asroll-bench \(benchmark.name) failed: \(error)")
        exit(1)
    }
}

import Foundation

/// What a node runs: its version and edition, from `build`, `edition` and (8.1.1+) `release`.
public struct ServerIdentity: Sendable, Equatable {
    /// The server version, e.g. `8.1.2.0`.
    public var build: String
    /// The edition text, e.g. `Aerospike Enterprise Edition`.
    public var edition: String

    /// A server identity from the raw answers; `release` (8.1.1+) is preferred for the edition when present.
    public init(build: String, edition: String?, release: String?) throws(InfoParseError) {
        let build = build.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !build.isEmpty, InfoErrorReply(build) == nil else {
            throw .unexpectedReply(command: InfoCommand.build, reply: build)
        }
        self.build = build
        if let release, InfoErrorReply(release) == nil, let fromRelease = InfoFields(parsing: release)["edition"] {
            self.edition = Self.normalizedEdition(fromRelease)
        } else if let edition, InfoErrorReply(edition) == nil, !edition.isEmpty {
            self.edition = edition.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            throw .missingField("edition")
        }
    }

    /// Whether the node runs Enterprise Edition (warm restarts, quiesce and asmt need it).
    public var isEnterprise: Bool { edition.lowercased().contains("enterprise") }

    /// The version's numeric parts, for comparisons such as "7.2 or later".
    public var versionParts: [Int] { build.split(separator: ".").compactMap { Int($0) } }

    /// Whether the version is at least `major.minor`.
    public func isAtLeast(_ major: Int, _ minor: Int) -> Bool {
        let parts = versionParts + [0, 0]
        return (parts[0], parts[1]) >= (major, minor)
    }

    // `release` spells the edition as a short word (`enterprise`); present it like `edition` does.
    private static func normalizedEdition(_ word: String) -> String {
        let lower = word.lowercased()
        if lower.hasPrefix("aerospike") { return word }
        return "Aerospike \(lower.prefix(1).uppercased())\(lower.dropFirst()) Edition"
    }
}

/// The per-histogram throughput of `latencies:`, used to tell that a quiesced node no longer serves traffic.
public struct LatenciesReply: Sendable, Equatable {
    /// One histogram: its name (`{test}-read`) and operations per second over the last interval.
    public struct Histogram: Sendable, Equatable {
        /// The histogram's name, e.g. `{test}-write` or `batch-index`.
        public var name: String
        /// Operations per second; 0 when the histogram has no data.
        public var opsPerSecond: Double
    }

    /// Every histogram in the reply.
    public var histograms: [Histogram]

    /// Parses `name:unit,ops,pct,pct,pct;name:;...` (an empty histogram is `name:` with nothing after it).
    public init(parsing value: String) throws(InfoParseError) {
        if InfoErrorReply(value) != nil { throw .unexpectedReply(command: InfoCommand.latencies, reply: value) }
        histograms = []
        for entry in value.split(separator: ";", omittingEmptySubsequences: true) {
            guard let colon = entry.lastIndex(of: ":") else {
                throw .badValue(field: String(entry), value: String(entry), expected: "name:unit,ops,...")
            }
            let name = String(entry[..<colon])
            let data = entry[entry.index(after: colon)...].split(separator: ",")
            if data.isEmpty {
                histograms.append(Histogram(name: name, opsPerSecond: 0))
                continue
            }
            guard data.count >= 2, let ops = Double(data[1]) else {
                throw .badValue(field: name, value: String(entry), expected: "unit,ops/sec,...")
            }
            histograms.append(Histogram(name: name, opsPerSecond: ops))
        }
    }

    /// The sum over all histograms.
    public var totalOpsPerSecond: Double { histograms.reduce(0) { $0 + $1.opsPerSecond } }
}

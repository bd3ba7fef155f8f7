/// The options of `asroll-sim up` as typed, turned into a validated `SimConfiguration`.
public struct UpRequest: Sendable {
    /// `--nodes`.
    public var nodes = 3
    /// `--seed`.
    public var seed: UInt64 = 1
    /// `--base-address`.
    public var baseAddress = "127.0.77.1"
    /// `--ssh-port`.
    public var sshPort = 22
    /// `--info-port`.
    public var infoPort = 3000
    /// `--fast`: test timings.
    public var fast = false
    /// Timing options by name (`reboot-delay` → `2s`).
    public var timing: [String: String] = [:]
    /// `--fault NODE:FAULT`.
    public var faults: [String] = []
    /// `--namespaces`.
    public var namespaces = "test,bar"
    /// `--replication-factor NS=N`.
    public var replicationFactors: [String] = []
    /// `--strong-consistency NS`.
    public var strongConsistency: [String] = []
    /// `--build`.
    public var build = "8.1.2.0"
    /// `--edition`.
    public var edition = "enterprise"
    /// `--edac NODE:ce=N,ue=M`.
    public var edac: [String] = []
    /// `--backup-space SIZE` or `NODE=SIZE`.
    public var backupSpace: [String] = []
    /// `--stage-size`.
    public var stageSize: String?
    /// `--stages`.
    public var stages: Int?

    /// The timing options `up` accepts, with what each means.
    public static let timingOptions: [(name: String, help: String)] = [
        ("reboot-delay", "seconds a rebooted node stays down"),
        ("warm-start", "seconds a warm start takes"),
        ("cold-start", "seconds a cold start takes"),
        ("stop-time", "seconds a clean shutdown takes"),
        ("backup-rate", "bytes per second asmt -b copies (e.g. 64M)"),
        ("restore-rate", "bytes per second asmt -r copies"),
        ("migration-rate", "partitions per second each node migrates"),
        ("migrations-per-change", "partitions remaining per namespace after a membership change"),
        ("rebalance-time", "seconds migrate_allowed stays false after a rebalance"),
        ("traffic-drain", "seconds client traffic takes to leave a quiesced node"),
        ("apt-time", "seconds apt-get update/upgrade take"),
    ]

    /// An empty request (all defaults).
    public init() {}

    /// The configuration, or every problem found.
    public func configuration() -> Result<SimConfiguration, SimProblems> {
        var problems: [String] = []
        var configuration = SimConfiguration(nodeCount: nodes, seed: seed, baseAddress: baseAddress, sshPort: sshPort,
                                             infoPort: infoPort, build: build, timing: fast ? .fast : .realistic)
        if let edition = SimConfiguration.Edition(rawValue: edition) {
            configuration.edition = edition
        } else {
            problems.append("--edition must be enterprise or community, not '\(edition)'")
        }
        configuration.namespaces = namespaces.split(separator: ",").map { NamespaceConfiguration(name: String($0)) }
        for entry in replicationFactors {
            let pair = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, let factor = Int(pair[1]),
                  let index = configuration.namespaces.firstIndex(where: { $0.name == pair[0] }) else {
                problems.append("--replication-factor '\(entry)' must be NS=N for a namespace of --namespaces")
                continue
            }
            configuration.namespaces[index].replicationFactor = factor
        }
        for name in strongConsistency {
            guard let index = configuration.namespaces.firstIndex(where: { $0.name == name }) else {
                problems.append("--strong-consistency '\(name)' is not a namespace of --namespaces")
                continue
            }
            configuration.namespaces[index].strongConsistency = true
        }
        for entry in faults {
            let pair = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2, let fault = NodeFault(parsing: pair[1]) else {
                problems.append("--fault '\(entry)' must be NODE:FAULT, FAULT one of "
                    + "\(NodeFault.names.joined(separator: ", "))")
                continue
            }
            configuration.faults[pair[0], default: []].removeAll { $0.kind == fault.kind }
            configuration.faults[pair[0], default: []].append(fault)
        }
        for entry in edac {
            let pair = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2, let counters = EdacCounters(parsing: pair[1]) else {
                problems.append("--edac '\(entry)' must be NODE:ce=N,ue=M")
                continue
            }
            configuration.edac[pair[0]] = counters
        }
        for entry in backupSpace {
            let pair = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard let size = SimValueParsing.bytes(pair.last ?? "") else {
                problems.append("--backup-space '\(entry)' must be SIZE or NODE=SIZE, e.g. 1G or aero-2=64M")
                continue
            }
            if pair.count == 2 {
                configuration.backupSpaceByNode[pair[0]] = size
            } else {
                configuration.backupSpace = size
            }
        }
        if let stageSize {
            if let size = SimValueParsing.bytes(stageSize), size < Int64(Int32.max) {
                configuration.segmentLayout.stageSize = Int(size)
            } else {
                problems.append("--stage-size '\(stageSize)' is not a size such as 8M")
            }
        }
        if let stages { configuration.segmentLayout.stageCount = stages }
        problems += applyTiming(to: &configuration.timing)
        problems += configuration.problems()
        return problems.isEmpty ? .success(configuration) : .failure(SimProblems(problems))
    }

    private func applyTiming(to values: inout SimTiming) -> [String] {
        var problems: [String] = []
        for (name, text) in self.timing.sorted(by: { $0.key < $1.key }) {
            let seconds = SimValueParsing.seconds(text)
            let bytes = SimValueParsing.bytes(text).map(Double.init)
            let number = Double(text).flatMap { $0 > 0 ? $0 : nil }
            switch name {
            case "reboot-delay": if let seconds { values.rebootDelay = seconds; continue }
            case "warm-start": if let seconds { values.warmStart = seconds; continue }
            case "cold-start": if let seconds { values.coldStart = seconds; continue }
            case "stop-time": if let seconds { values.stopTime = seconds; continue }
            case "rebalance-time": if let seconds { values.rebalanceTime = seconds; continue }
            case "traffic-drain": if let seconds { values.trafficDrain = seconds; continue }
            case "apt-time": if let seconds { values.aptTime = seconds; continue }
            case "backup-rate": if let bytes { values.backupRate = bytes; continue }
            case "restore-rate": if let bytes { values.restoreRate = bytes; continue }
            case "migration-rate": if let number { values.migrationRate = number; continue }
            case "migrations-per-change":
                if let count = Int(text), count >= 0 { values.migrationsPerChange = count; continue }
            default:
                problems.append("--\(name) is not a timing option")
                continue
            }
            problems.append("--\(name) '\(text)' is not a valid value")
        }
        return problems
    }
}

/// Everything wrong with a request, as one error.
public struct SimProblems: Error, CustomStringConvertible {
    /// One sentence per problem.
    public let problems: [String]

    /// The problems.
    public init(_ problems: [String]) { self.problems = problems }

    public var description: String { problems.map { "asroll-sim: \($0)" }.joined(separator: "\n") }
}

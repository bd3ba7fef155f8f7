import AerospikeInfo
import RollingCore
import Synchronization

/// The info replies of a scripted cluster, built from the fields real servers send.
struct FakeNodeState: Sendable {
    var clusterSize = 3
    var clusterKey = "721D40EF7964"
    var integrity = true
    var migrateAllowed = true
    var migrationsRemaining = 0
    var clusterStable: String? = nil  // nil: the key when stable, ERROR:7:unstable cluster otherwise
    var quiesced = false
    var strongConsistency = false
    var unavailablePartitions = 0
    var deadPartitions = 0
    var replicationFactor = 2
    var reachable = true

    func answer(_ command: String) -> String {
        if command == "statistics" {
            return "cluster_size=\(clusterSize);cluster_key=\(clusterKey);cluster_generation=4;"
                + "cluster_principal=BB9030011AC4202;cluster_integrity=\(integrity);cluster_is_member=true;"
                + "uptime=100;migrate_allowed=\(migrateAllowed);migrate_partitions_remaining=\(migrationsRemaining);"
                + "proxy_in_progress=0;client_connections=4"
        }
        if command.hasPrefix("cluster-stable:") {
            if let clusterStable { return clusterStable }
            let size = Int(command.split(separator: "=")[1].split(separator: ";")[0]) ?? 0
            if size != clusterSize { return "ERROR:7:cluster not specified size" }
            return migrationsRemaining == 0 && migrateAllowed ? clusterKey : "ERROR:7:unstable cluster"
        }
        if command.hasPrefix("namespace/") {
            return "ns_cluster_size=\(clusterSize);effective_replication_factor=\(replicationFactor);objects=10;"
                + "unavailable_partitions=\(unavailablePartitions);dead_partitions=\(deadPartitions);"
                + "pending_quiesce=\(quiesced);effective_is_quiesced=\(quiesced);nodes_quiesced=\(quiesced ? 1 : 0);"
                + "migrate_tx_partitions_remaining=\(migrationsRemaining);migrate_rx_partitions_remaining=0;"
                + "replication-factor=\(replicationFactor);strong-consistency=\(strongConsistency)"
        }
        if command == "status" { return "ok" }
        return "ERROR:4:unrecognized command"
    }
}

/// An info source answering from a `FakeNodeState` that tests change as time goes on.
final class FakeInfoSource: InfoSource {
    let name: String
    private let state: Mutex<FakeNodeState>
    private let requests = Mutex<[[String]]>([])

    init(name: String, state: FakeNodeState = FakeNodeState()) {
        self.name = name
        self.state = Mutex(state)
    }

    func update(_ change: (inout FakeNodeState) -> Void) {
        state.withLock { change(&$0) }
    }

    var requestLog: [[String]] { requests.withLock { $0 } }

    func request(_ commands: [String], timeout: Duration) async throws -> InfoResponse {
        requests.withLock { $0.append(commands) }
        let snapshot = state.withLock { $0 }
        guard snapshot.reachable else {
            throw InfoError(.connectionRefused, endpoint: "\(name):3000", message: "connect: Connection refused")
        }
        return try InfoResponse(answers: commands.map { InfoAnswer(command: $0, value: snapshot.answer($0)) },
                                endpoint: "\(name):3000")
    }

    func close() async {}
}

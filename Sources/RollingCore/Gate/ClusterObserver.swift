import AerospikeInfo

/// Asks every node of the inventory, in parallel, for its view of the cluster.
public struct ClusterObserver: Sendable {
    /// One node to ask.
    public struct Member: Sendable {
        /// The node's inventory name.
        public var name: String
        /// How to ask it.
        public var info: any InfoSource

        /// A member named `name` reached through `info`.
        public init(name: String, info: any InfoSource) {
            self.name = name
            self.info = info
        }
    }

    /// Every node of the inventory, in inventory order.
    public var members: [Member]
    /// The inventory's namespaces.
    public var namespaces: [String]
    /// The deadline of each node's request.
    public var timeout: Duration

    /// An observer of `members`.
    public init(members: [Member], namespaces: [String], timeout: Duration) {
        self.members = members
        self.namespaces = namespaces
        self.timeout = timeout
    }

    /// One observation per member, in inventory order.
    public func observe() async -> [NodeObservation] {
        let size = members.count
        let commands = NodeView.commands(expectedSize: size, namespaces: namespaces)
        return await withTaskGroup(of: (Int, NodeObservation).self) { group in
            for (index, member) in members.enumerated() {
                group.addTask {
                    do {
                        let response = try await member.info.request(commands, timeout: timeout)
                        let view = try NodeView(response: response, expectedSize: size, namespaces: namespaces)
                        return (index, NodeObservation(node: member.name, outcome: .observed(view)))
                    } catch {
                        return (index, NodeObservation(node: member.name,
                                                       outcome: .unavailable(Self.describe(error))))
                    }
                }
            }
            var results: [(Int, NodeObservation)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Why a node could not be observed, in the operator's terms.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as InfoError:
            switch error.kind {
            case .connectionRefused: "info port \(error.endpoint) refused the connection (asd not running, or still loading)"
            case .connectTimedOut, .timedOut: "info request to \(error.endpoint) timed out"
            case .connectionClosed: "info port \(error.endpoint) closed the connection"
            case .unreachable: "\(error.endpoint) unreachable (\(error.message))"
            case .notAuthenticated: "info port \(error.endpoint) requires authentication"
            case .malformedReply, .missingAnswer, .remoteCommandFailed: "info \(error.endpoint): \(error.message)"
            }
        case let error as InfoParseError:
            "unexpected info reply: \(error)"
        default:
            "info request failed: \(error)"
        }
    }
}

/// How asroll reaches a node's info port.
public enum InfoTransport: String, Sendable, CaseIterable {
    /// TCP from the controller to `host:info_port`.
    case direct
    /// `asinfo` run on the node over SSH (for info ports firewalled from the controller).
    case ssh
}

/// How asroll asks nodes for their state (`info:`).
public struct InfoSettings: Sendable, Equatable {
    /// Transport (`via`, default direct).
    public var via: InfoTransport
    /// Info port (`port`, default 3000).
    public var port: Int
    /// Budget of one info request (`timeout`, default 5s).
    public var timeout: Duration

    /// Info settings with the documented defaults.
    public init(via: InfoTransport = .direct, port: Int = 3000, timeout: Duration = .seconds(5)) {
        self.via = via
        self.port = port
        self.timeout = timeout
    }
}

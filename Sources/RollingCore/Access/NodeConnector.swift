import AerospikeInfo
import Logging
import SSHClient

/// Builds the access to every node of an inventory: one SSH connection per node (strict host keys), and its info
/// port directly or through `asinfo` over that connection.
public enum NodeConnector {
    /// Access to every node of `inventory`, in inventory order; nothing is connected yet.
    ///
    /// - Parameters:
    ///   - logDirectory: where each node's command log goes (`<dir>/<node>.log`); `nil` for no logs.
    ///   - acceptNewHostKeys: record the keys of hosts missing from known_hosts (never a changed key).
    public static func access(for inventory: Inventory, playbook: Playbook, logDirectory: String?,
                              acceptNewHostKeys: Bool, logger: Logger) throws -> [NodeAccess]
    {
        let authentication: SSHAuthentication = inventory.ssh.useAgent || inventory.ssh.identityFile == nil
            ? .agent(socketPath: nil)
            : .keyFile(privateKeyPath: inventory.ssh.identityFile ?? "",
                       passphraseEnvironmentVariable: inventory.ssh.passphraseEnv)
        let hostKeys = HostKeyPolicy(knownHostsPath: inventory.ssh.knownHosts, acceptNewKeys: acceptNewHostKeys)
        let options = SSHOptions(connectTimeout: inventory.ssh.connectTimeout)
        let asinfo = playbook.commands.asinfo
        return try inventory.nodes.map { node in
            let endpoint = SSHEndpoint(host: node.host, port: node.sshPort, user: node.sshUser, name: node.name)
            var nodeLogger = logger
            nodeLogger[metadataKey: "node"] = "\(node.name)"
            let shell = SSHConnection(endpoint: endpoint, authentication: authentication, hostKeys: hostKeys,
                                      options: options, logger: nodeLogger)
            let info: any InfoSource = switch inventory.info.via {
            case .direct: InfoConnection(host: node.host, port: node.infoPort)
            case .ssh: SSHInfoSource(node: node.name, shell: shell) { asinfo.render(["command": $0]) }
            }
            let log = try logDirectory.map { try CommandLog(path: "\($0)/\(node.name).log") }
            return NodeAccess(node: node, shell: shell, info: info, log: log)
        }
    }
}

/// Writes the asroll inventory (SPEC §2) of a simulated cluster.
public enum InventoryWriter {
    /// The inventory text for `configuration` in `directory`.
    public static func inventory(_ configuration: SimConfiguration, directory: SimDirectory) -> String {
        var text = """
            # Written by asroll-sim up: a simulated \(configuration.nodeCount)-node Aerospike \
            \(configuration.edition == .enterprise ? "Enterprise" : "Community") Edition cluster.
            # Stop it with: asroll-sim down --dir \(directory.path)
            cluster: \(SimConfiguration.clusterName)
            namespaces: [\(configuration.namespaces.map(\.name).joined(separator: ", "))]
            ssh:
              user: root
              port: \(configuration.sshPort)
              identity_file: \(directory.identity)
              known_hosts: \(directory.knownHosts)
              connect_timeout: 5s
            info:
              via: direct
              port: \(configuration.infoPort)
            asmt:
              backup_dir: /var/aerospike/asmt
              compress: true
            lease:
              path: /var/tmp/asroll.lease
            nodes:

            """
        for name in configuration.nodeNames {
            text += "  - name: \(name)\n    host: \(configuration.address(of: name))\n"
            if configuration.faults(of: name).contains(.dimmFault) { text += "    flags: [dimm-fault]\n" }
        }
        return text
    }
}

import Foundation

/// Writes a node's state directory: sshd configuration, shim links, fake EDAC counters, boot id, node info, faults.
/// Everything a node's namespace mounts is prepared here, on the host side, before the namespace starts.
public struct NodeFiles: Sendable {
    /// The simulator directory.
    public let directory: SimDirectory
    /// The cluster configuration.
    public let configuration: SimConfiguration
    /// The `asroll-sim-node` shim the links point to.
    public let shimPath: String

    /// Files for `configuration` in `directory`, linking to `shimPath`.
    public init(directory: SimDirectory, configuration: SimConfiguration, shimPath: String) {
        self.directory = directory
        self.configuration = configuration
        self.shimPath = shimPath
    }

    /// Creates every directory, link and configuration file of node `name` that does not depend on its boot.
    public func prepare(_ name: String) throws {
        let node = directory.node(name)
        let manager = FileManager.default
        for path in [node.path, node.binOverlay, node.sbinOverlay, node.home, node.varTmp, node.log + "/aerospike",
                     node.backup, node.sysOverlay + "/edac/mc/mc0"] {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        chmod(node.varTmp, 0o1777)
        chmod(node.home, 0o700)
        for (folder, programs) in [(node.binOverlay, ["sudo"] + NodeCommands.binPrograms),
                                   (node.sbinOverlay, NodeCommands.sbinPrograms)] {
            for entry in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] {
                try manager.removeItem(atPath: folder + "/" + entry)
            }
            for program in programs where !(program == "asmt" && configuration.faults(of: name).contains(.noAsmt)) {
                try manager.createSymbolicLink(atPath: folder + "/" + program, withDestinationPath: shimPath)
            }
        }
        try sshdConfig(name).write(toFile: node.sshdConfig, atomically: true, encoding: .utf8)
        try writeEdac(name, configuration.edac[name] ?? EdacCounters())
        try "node=\(name)\nsocket=\(directory.controlSocket)\nstate=\(node.path)\n"
            .write(toFile: node.nodeInfo, atomically: true, encoding: .utf8)
    }

    /// The node's `sshd_config`.
    public func sshdConfig(_ name: String) -> String {
        let node = directory.node(name)
        return """
            # asroll-sim node \(name): written by asroll-sim up, read by sshd inside the node's namespace.
            ListenAddress \(configuration.address(of: name)):\(configuration.sshPort)
            HostKey \(node.hostKey)
            AuthorizedKeysFile \(directory.authorizedKeys)
            PidFile /run/sshd.pid
            StrictModes no
            UsePAM no
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            MaxStartups 100:30:200
            MaxSessions 50
            PrintMotd no
            PrintLastLog no
            UseDNS no
            LogLevel INFO
            AcceptEnv LANG LC_*
            Subsystem sftp /usr/lib/openssh/sftp-server

            """
    }

    /// Writes the EDAC counters the node shows under `/sys/devices/system/edac/mc/mc0`.
    public func writeEdac(_ name: String, _ counters: EdacCounters) throws {
        let folder = directory.node(name).sysOverlay + "/edac/mc/mc0"
        // In place, not by rename: a running node sees these files through an overlay that keeps the old inode.
        try "\(counters.correctable)\n".write(toFile: folder + "/ce_count", atomically: false, encoding: .utf8)
        try "\(counters.uncorrectable)\n".write(toFile: folder + "/ue_count", atomically: false, encoding: .utf8)
        try "\(counters.correctable)\n".write(toFile: folder + "/ce_noinfo_count", atomically: true, encoding: .utf8)
        try "Simulated\n".write(toFile: folder + "/mc_name", atomically: true, encoding: .utf8)
        try "0\n".write(toFile: folder + "/seconds_since_reset", atomically: true, encoding: .utf8)
    }

    /// Writes the boot id the node will show.
    public func writeBootID(_ name: String, _ bootID: String) throws {
        try (bootID + "\n").write(toFile: directory.node(name).bootID, atomically: true, encoding: .utf8)
    }

    /// Writes the node's active faults, one per line (read by the `sudo` shim).
    public func writeFaults(_ name: String, _ faults: [NodeFault]) throws {
        try faults.map { $0.description + "\n" }.joined()
            .write(toFile: directory.node(name).faults, atomically: true, encoding: .utf8)
    }
}

import Foundation

/// The layout of a simulator directory: what `up` writes, what the daemon keeps, and each node's persistent state.
///
/// ```
/// DIR/config.json  inventory.yml  known_hosts  id_ed25519{,.pub}  authorized_keys
///     sim.pid  sim.sock  sim.log  record.jsonl
///     nodes/aero-k/  sshd_config  ssh_host_ed25519_key{,.pub}  boot_id  faults  node-info  ns.pid  sshd.log
///                    bin/ sbin/ (shim links)  sys-system/ (fake EDAC)  home/  var-tmp/  log/  backup/ (tmpfs)
/// ```
public struct SimDirectory: Sendable, Hashable {
    /// The directory, absolute and without a trailing slash.
    public let path: String

    /// Paths that a node's mount namespace covers; a directory below them would vanish inside the nodes.
    public static let coveredPrefixes = ["/var", "/run", "/root", "/proc", "/sys", "/usr"]
    /// The longest directory whose control socket path still fits a `sockaddr_un` (108 bytes).
    public static let maximumPathLength = 96

    /// The directory at `path`, made absolute against the current directory and normalised.
    public init(_ path: String) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.path = URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    /// Why the directory cannot hold a simulator, or `nil` when it can.
    public var problem: String? {
        if path == "/" { return "--dir / is not allowed: use a directory of its own, e.g. /tmp/asroll-sim" }
        for prefix in Self.coveredPrefixes where path == prefix || path.hasPrefix(prefix + "/") {
            return "--dir \(path) is under \(prefix), which every simulated node covers with its own filesystem; "
                + "use a directory elsewhere, e.g. /tmp/asroll-sim"
        }
        if path.utf8.count > Self.maximumPathLength {
            return "--dir \(path) is longer than \(Self.maximumPathLength) characters, too long for its control "
                + "socket; use a shorter path"
        }
        return nil
    }

    /// `DIR/<name>`.
    public func file(_ name: String) -> String { path + "/" + name }

    /// The configuration the daemon and the nodes read.
    public var configuration: String { file("config.json") }
    /// The asroll inventory for this cluster.
    public var inventory: String { file("inventory.yml") }
    /// OpenSSH known_hosts with every node's host key.
    public var knownHosts: String { file("known_hosts") }
    /// The client private key.
    public var identity: String { file("id_ed25519") }
    /// The public half of the client key, the only authorized key of every node.
    public var authorizedKeys: String { file("authorized_keys") }
    /// The daemon's pid.
    public var pidFile: String { file("sim.pid") }
    /// The daemon's control socket.
    public var controlSocket: String { file("sim.sock") }
    /// The daemon's own log.
    public var daemonLog: String { file("sim.log") }
    /// The record of everything the cluster did (JSON Lines).
    public var record: String { file("record.jsonl") }

    /// The state directory of node `name`.
    public func node(_ name: String) -> NodeDirectory { NodeDirectory(path: file("nodes/" + name), name: name) }
}

/// The persistent state directory of one node, `DIR/nodes/aero-k`.
public struct NodeDirectory: Sendable, Hashable {
    /// The directory.
    public let path: String
    /// The node's name.
    public let name: String

    /// `<node dir>/<name>`.
    public func file(_ name: String) -> String { path + "/" + name }

    /// The node's sshd configuration.
    public var sshdConfig: String { file("sshd_config") }
    /// The node's ed25519 host key (kept across reboots).
    public var hostKey: String { file("ssh_host_ed25519_key") }
    /// The file bind-mounted over `/proc/sys/kernel/random/boot_id`.
    public var bootID: String { file("boot_id") }
    /// The node's active faults, one per line (read by the `sudo` shim).
    public var faults: String { file("faults") }
    /// Key=value lines copied to `/run/asroll-sim/node` at boot.
    public var nodeInfo: String { file("node-info") }
    /// The pid of the node's namespace (`unshare`), for `down`.
    public var namespacePid: String { file("ns.pid") }
    /// sshd's output.
    public var sshdLog: String { file("sshd.log") }
    /// Shim links overlaid on `/usr/bin`.
    public var binOverlay: String { file("bin") }
    /// Shim links overlaid on `/usr/sbin`.
    public var sbinOverlay: String { file("sbin") }
    /// Generated files overlaid on `/sys/devices/system` (EDAC counters).
    public var sysOverlay: String { file("sys-system") }
    /// The empty home bind-mounted over `/root`.
    public var home: String { file("home") }
    /// Bind-mounted over `/var/tmp` (the lease lives there; survives reboots).
    public var varTmp: String { file("var-tmp") }
    /// Bind-mounted over `/var/log` (the aerospike log lives in `aerospike/aerospike.log`).
    public var log: String { file("log") }
    /// The aerospike log file on the host side.
    public var aerospikeLog: String { file("log/aerospike/aerospike.log") }
    /// The node's backup filesystem (a size-limited tmpfs in the daemon's mount namespace), bind-mounted over
    /// `/var/aerospike/asmt`.
    public var backup: String { file("backup") }
}

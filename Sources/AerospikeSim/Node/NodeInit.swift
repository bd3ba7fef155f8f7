import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs as PID 1 of a node's fresh PID, mount and UTS namespaces: gives the node its own view of the machine and
/// then becomes the node's sshd.
///
/// - `/run` and `/var` are fresh tmpfs (so `/run/sshd` exists and nothing of the host's state shows);
/// - `/var/tmp` (the lease), `/var/log` (the aerospike log) and `/var/aerospike/asmt` (the backup filesystem) are
///   bind mounts of the node's persistent directories; `/root` is an empty home;
/// - `/proc/sys/kernel/random/boot_id` shows the node's boot id; the hostname is the node's name;
/// - `/usr/bin` and `/usr/sbin` are read-only overlays whose top layer links `sudo`, `systemctl`, `reboot`, `asmt`,
///   ... to the simulator's shim, so even absolute paths reach the simulator and nothing reboots or patches the
///   host; `/sys/devices/system` gets the fake EDAC counters the same way.
public enum NodeInit {
    /// A mount step that failed.
    public struct Failure: Error, CustomStringConvertible {
        /// What was attempted.
        public let step: String
        /// errno.
        public let code: Int32
        public var description: String { "asroll-sim node-init: \(step): \(String(cString: strerror(code)))" }
    }

    /// Sets up the node's mounts and executes sshd; returns only on failure.
    public static func run(directory: SimDirectory, node name: String) -> Failure {
        let node = directory.node(name)
        do throws(Failure) {
            try mount("tmpfs", "/run", "tmpfs", UInt(MS_NOSUID | MS_NODEV), "mode=0755")
            for path in ["/run/sshd", "/run/asroll-sim", "/run/lock", "/run/user"] { mkdir(path, 0o755) }
            try copy(node.nodeInfo, to: "/run/asroll-sim/node")
            try mount("tmpfs", "/var", "tmpfs", UInt(MS_NOSUID | MS_NODEV), "mode=0755")
            for path in ["/var/tmp", "/var/aerospike", "/var/aerospike/asmt", "/var/log", "/var/lib", "/var/cache",
                         "/var/empty", "/var/spool"] {
                mkdir(path, 0o755)
            }
            symlink("/run", "/var/run")
            symlink("/run/lock", "/var/lock")
            try bind(node.varTmp, "/var/tmp")
            try bind(node.backup, "/var/aerospike/asmt")
            try bind(node.log, "/var/log")
            try bind(node.home, "/root")
            try bind(node.bootID, "/proc/sys/kernel/random/boot_id")
            guard sethostname(name, name.utf8.count) == 0 else {
                throw Failure(step: "sethostname \(name)", code: errno)
            }
            try overlay(top: node.binOverlay, on: "/usr/bin")
            try overlay(top: node.sbinOverlay, on: "/usr/sbin")
            do throws(Failure) {
                try overlay(top: node.sysOverlay, on: "/sys/devices/system")
            } catch {
                let warning = "asroll-sim node-init: warning: no fake EDAC counters (\(error))\n"
                _ = warning.withCString { write(2, $0, strlen($0)) }
            }
        } catch {
            return error
        }
        setenv("HOME", "/root", 1)
        let arguments = ["/usr/sbin/sshd", "-D", "-e", "-f", node.sshdConfig]
        let argv = arguments.map { strdup($0) } + [nil]
        execv(arguments[0], argv)
        return Failure(step: "exec /usr/sbin/sshd", code: errno)
    }

    private static func mount(_ source: String, _ target: String, _ type: String?, _ flags: UInt,
                              _ data: String?) throws(Failure) {
        guard Glibc.mount(source, target, type, flags, data) == 0 else {
            throw Failure(step: "mount \(type ?? "bind") \(source) on \(target)", code: errno)
        }
    }

    private static func bind(_ source: String, _ target: String) throws(Failure) {
        try mount(source, target, nil, UInt(MS_BIND), nil)
    }

    private static func overlay(top: String, on target: String) throws(Failure) {
        try mount("overlay", target, "overlay", UInt(MS_RDONLY), "lowerdir=\(top):\(target)")
    }

    private static func copy(_ source: String, to target: String) throws(Failure) {
        guard let data = FileManager.default.contents(atPath: source),
              FileManager.default.createFile(atPath: target, contents: data) else {
            throw Failure(step: "copy \(source) to \(target)", code: errno)
        }
    }
}

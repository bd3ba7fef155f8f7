#if canImport(Glibc)
import Glibc
#endif

/// What `/run/asroll-sim/node` says about the node this process runs on (written at boot by `node-init`).
struct NodeInfo {
    /// The node's name.
    var name: String
    /// The daemon's control socket.
    var socket: String
    /// The node's state directory (holds its `faults` file).
    var state: String

    static let path = "/run/asroll-sim/node"

    /// Reads the node info, or exits with a message when this is not a simulated node.
    static func load() -> NodeInfo {
        guard let text = readFile(path) else {
            fail("asroll-sim-node: not running on a simulated node (no \(path)); this program only works inside "
                 + "asroll-sim nodes")
        }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let pair = line.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let name = fields["node"], let socket = fields["socket"], let state = fields["state"] else {
            fail("asroll-sim-node: \(path) is incomplete")
        }
        return NodeInfo(name: name, socket: socket, state: state)
    }

    /// The node's active faults.
    var faults: [String] {
        (readFile(state + "/faults") ?? "").split(separator: "\n").map(String.init)
    }
}

/// The whole content of a small file, or nil.
func readFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = read(fd, &buffer, buffer.count)
        if count > 0 { bytes += buffer[0..<count] } else if count == 0 || errno != EINTR { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Writes `text` to `fd` completely.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
        if written > 0 {
            offset += written
        } else if written < 0 && errno == EINTR {
            continue
        } else {
            return false
        }
    }
    return true
}

/// Prints `message` to stderr and exits with `status`.
func fail(_ message: String, status: Int32 = 1) -> Never {
    _ = writeAll(2, Array((message + "\n").utf8))
    exit(status)
}

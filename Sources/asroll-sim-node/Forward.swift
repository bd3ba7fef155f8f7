#if canImport(Glibc)
import Glibc
#endif

/// Forwards a simulated command to the daemon over its control socket and relays stdout, stderr and the exit
/// status. The framing matches `AerospikeSim.ControlFrame`: type byte, 4-byte big-endian length, payload.
enum Forward {
    static func run(_ arguments: [String], node: NodeInfo) -> Never {
        guard let fd = connect(node.socket) else {
            fail("asroll-sim-node: cannot reach the simulator at \(node.socket): \(String(cString: strerror(errno)))")
        }
        var cwd = [UInt8](repeating: 0, count: 4096)
        let found = cwd.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                getcwd($0, buffer.count) != nil
            }
        }
        let directory = found ? String(decoding: cwd.prefix { $0 != 0 }, as: UTF8.self) : "/"
        let viaSudo = getenv("ASROLL_SIM_SUDO").map { String(cString: $0) == "1" } ?? false
        guard writeAll(fd, request("exec", node: node.name, directory: directory, sudo: viaSudo, arguments)) else {
            fail("asroll-sim-node: cannot reach the simulator at \(node.socket)")
        }
        while let (type, body) = readFrame(fd) {
            switch type {
            case 0x4F: _ = writeAll(1, body)
            case 0x45: _ = writeAll(2, body)
            case 0x58:
                guard body.count == 4 else { exit(1) }
                exit(Int32(bitPattern: body.reduce(0) { $0 << 8 | UInt32($1) }))
            default: continue
            }
        }
        fail("asroll-sim-node: the simulator closed the connection before the command finished")
    }

    /// Tells the daemon that `sudo` runs a host program (which the daemon cannot see), so the record has it too;
    /// silent and bounded: a missing daemon never stops the command.
    static func notify(_ arguments: [String], node: NodeInfo) {
        guard let fd = connect(node.socket) else { return }
        defer { close(fd) }
        var limit = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard writeAll(fd, request("sudo", node: node.name, directory: "/", sudo: true, arguments)) else { return }
        while let (type, _) = readFrame(fd), type != 0x58 {}
    }

    private static func request(_ kind: String, node: String, directory: String, sudo: Bool,
                                _ arguments: [String]) -> [UInt8] {
        var payload: [UInt8] = []
        for field in ["ASIM1", kind, node, directory, sudo ? "1" : "0"] + arguments {
            payload += Array(field.utf8) + [0]
        }
        return frame(0x51, payload)
    }

    private static func connect(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            errno = code
            return nil
        }
        return fd
    }

    private static func frame(_ type: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [type, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + payload
    }

    private static func readFrame(_ fd: Int32) -> (UInt8, [UInt8])? {
        guard let header = readExactly(fd, 5) else { return nil }
        let length = Int(header[1]) << 24 | Int(header[2]) << 16 | Int(header[3]) << 8 | Int(header[4])
        guard let body = length == 0 ? [] : readExactly(fd, length) else { return nil }
        return (header[0], body)
    }

    private static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, count - offset) }
            if got > 0 {
                offset += got
            } else if got < 0 && errno == EINTR {
                continue
            } else {
                return nil
            }
        }
        return bytes
    }
}

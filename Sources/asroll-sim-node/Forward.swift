import SimWire

#if canImport(Glibc)
import Glibc
#endif

/// Forwards a simulated command to the daemon over its control socket (`SimWire.ControlFrame`) and relays stdout,
/// stderr and the exit status.
enum Forward {
    static func run(_ arguments: [String], node: NodeInfo) -> Never {
        let fd: Int32
        do {
            fd = try UnixSocket.connect(node.socket)
        } catch {
            fail("asroll-sim-node: cannot reach the simulator: \(error)")
        }
        var cwd = [UInt8](repeating: 0, count: 4096)
        let found = cwd.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                getcwd($0, buffer.count) != nil
            }
        }
        let directory = found ? String(decoding: cwd.prefix { $0 != 0 }, as: UTF8.self) : "/"
        let viaSudo = getenv("ASROLL_SIM_SUDO").map { String(cString: $0) == "1" } ?? false
        let request = ControlRequest(kind: "exec", node: node.name, workingDirectory: directory, viaSudo: viaSudo,
                                     arguments: arguments)
        guard ControlFrame.write(ControlFrame.encode(ControlFrame.request, request.payload), to: fd) else {
            fail("asroll-sim-node: cannot reach the simulator at \(node.socket)")
        }
        while let (type, body) = ControlFrame.read(from: fd) {
            switch type {
            case ControlFrame.stdout: _ = writeAll(1, body)
            case ControlFrame.stderr: _ = writeAll(2, body)
            case ControlFrame.exit:
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
        guard let fd = try? UnixSocket.connect(node.socket) else { return }
        defer { close(fd) }
        var limit = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let request = ControlRequest(kind: "sudo", node: node.name, workingDirectory: "/", viaSudo: true,
                                     arguments: arguments)
        guard ControlFrame.write(ControlFrame.encode(ControlFrame.request, request.payload), to: fd) else { return }
        while let (type, _) = ControlFrame.read(from: fd), type != ControlFrame.exit {}
    }
}

import SimWire
import Foundation

/// The CLI side of the control socket: sends one request and relays or collects the answer.
public enum ControlClient {
    /// What a request produced.
    public struct Reply: Sendable {
        /// The exit status the daemon sent.
        public var status: Int32
        /// stdout text.
        public var stdout: String
        /// stderr text.
        public var stderr: String
    }

    /// Sends `request` to the daemon of `directory` and collects the reply; throws when the daemon is not reachable.
    public static func send(_ request: ControlRequest, to directory: SimDirectory,
                            timeout: Double = 30) throws(UnixSocket.Failure) -> Reply {
        let fd = try UnixSocket.connect(directory.controlSocket)
        defer { close(fd) }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        ControlFrame.write(ControlFrame.encode(ControlFrame.request, request.payload), to: fd)
        var reply = Reply(status: 1, stdout: "", stderr: "")
        while let (type, payload) = ControlFrame.read(from: fd) {
            switch type {
            case ControlFrame.stdout: reply.stdout += String(decoding: payload, as: UTF8.self)
            case ControlFrame.stderr: reply.stderr += String(decoding: payload, as: UTF8.self)
            case ControlFrame.exit:
                reply.status = ControlFrame.status(payload)
                return reply
            default: continue
            }
        }
        throw UnixSocket.Failure(operation: "read reply from", path: directory.controlSocket, code: ECONNRESET)
    }
}

import SimWire
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Accepts control connections (node commands from the shim, `ctl` requests from the CLI) and hands each to the
/// daemon on its own thread.
final class ControlServer: Sendable {
    private let path: String
    private let listening: Int32
    private let isOpen = SimFlag(true)
    private let finished = DispatchSemaphore(value: 0)

    /// Listens on `path`; `handle` runs per connection with the request, the connection and the peer's pid.
    init(path: String,
         handle: @escaping @Sendable (ControlRequest, SocketOutput, pid_t?) -> Void) throws(UnixSocket.Failure) {
        self.path = path
        let listening = try UnixSocket.listen(path)
        self.listening = listening
        let isOpen = isOpen
        let finished = finished
        SimThread.start("control") {
            while isOpen.isSet {
                guard let client = UnixSocket.accept(listening, timeout: 0.1) else { continue }
                SimThread.start("control conn") {
                    defer { close(client) }
                    guard let (type, payload) = ControlFrame.read(from: client), type == ControlFrame.request,
                          let request = ControlRequest(payload: payload) else { return }
                    handle(request, SocketOutput(fd: client), UnixSocket.peerPid(client))
                }
            }
            finished.signal()
        }
    }

    /// Stops accepting connections and removes the socket file.
    func stop() {
        isOpen.set(false)
        _ = finished.wait(timeout: .now() + 1)
        close(listening)
        unlink(path)
    }
}

import AerospikeInfo
import Foundation
import Synchronization
import SystemSupport

#if canImport(Glibc)
import Glibc
#endif

/// Serves each running node's info port with the real info protocol, from the model.
///
/// A node's listener exists only while its asd runs and is ready. One thread per node polls the listener and every
/// connection; `close` stops that thread, which closes the port and drops the connections before `close` returns,
/// so a stopped asd refuses connections at once.
final class InfoServer: Sendable {
    /// One node's listener thread: it runs while `isOpen`, and signals `finished` once everything is closed.
    private final class Listener: Sendable {
        let isOpen = Mutex(true)
        let finished = DispatchSemaphore(value: 0)
    }

    private let host: any SimulationHost
    private let configuration: SimConfiguration
    private let listeners = Mutex<[String: Listener]>([:])
    private let log: @Sendable (String) -> Void

    init(host: any SimulationHost, configuration: SimConfiguration, log: @escaping @Sendable (String) -> Void) {
        self.host = host
        self.configuration = configuration
        self.log = log
    }

    /// Starts listening on `name`'s info port (no-op when already listening).
    func open(_ name: String) {
        guard listeners.withLock({ $0[name] == nil }) else { return }
        let address = configuration.address(of: name)
        let port = configuration.infoPort
        let listener = Listener()
        let started = DispatchSemaphore(value: 0)
        let bound = Mutex(false)
        let host = host
        SimThread.start("info \(name)") {
            var listening: TCPListener?
            for _ in 0..<100 where listening == nil {
                do throws(SocketError) {
                    listening = try TCPListener(host: address, port: port)
                } catch {
                    if error.kind != .bindFailed { break }
                    SimThread.sleep(0.02)
                }
            }
            bound.withLock { $0 = listening != nil }
            started.signal()
            guard let listening else {
                listener.finished.signal()
                return
            }
            Self.serve(listening, node: name, host: host, listener: listener)
            listener.finished.signal()
        }
        started.wait()
        if bound.withLock({ $0 }) {
            listeners.withLock { $0[name] = listener }
        } else {
            log("\(name): cannot listen on \(address):\(port); is something else using it?")
        }
    }

    /// Stops `name`'s listener and drops its connections; returns when the port is closed.
    func close(_ name: String) {
        guard let listener = listeners.withLock({ $0.removeValue(forKey: name) }) else { return }
        listener.isOpen.withLock { $0 = false }
        _ = listener.finished.wait(timeout: .now() + 2)
    }

    /// Stops every listener.
    func closeAll() {
        for name in listeners.withLock({ Array($0.keys) }) { close(name) }
    }

    private static func serve(_ listening: TCPListener, node: String, host: any SimulationHost, listener: Listener) {
        var connections: [TCPSocket] = []
        while listener.isOpen.withLock({ $0 }) {
            var descriptors = [pollfd(fd: listening.fd, events: Int16(POLLIN), revents: 0)]
                + connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), 50) > 0 else { continue }
            if descriptors[0].revents != 0, let socket = listening.accept(timeout: .zero) {
                connections.append(socket)
            }
            var dropped: Set<Int32> = []
            for (offset, descriptor) in descriptors.dropFirst().enumerated() where descriptor.revents != 0 {
                if !answer(connections[offset], node: node, host: host) { dropped.insert(descriptor.fd) }
            }
            for socket in connections where dropped.contains(socket.fd) { socket.close() }
            connections.removeAll { $0.fd < 0 }
        }
        for socket in connections { socket.close() }
        listening.close()
    }

    /// Reads one request from `socket` and answers it; false when the connection should be dropped.
    private static func answer(_ socket: TCPSocket, node: String, host: any SimulationHost) -> Bool {
        do {
            let header = try socket.readExactly(InfoProtocol.headerSize, deadline: .after(.seconds(5)))
            guard let length = try? InfoProtocol.bodyLength(ofHeader: header) else { return false }
            let body = try socket.readExactly(length, deadline: .after(.seconds(5)))
            let commands = InfoProtocol.commands(inRequestBody: body)
            let answers: [(command: String, value: String)] = host.withModel { model, time in
                let asked = commands.isEmpty ? ["node", "build", "edition", "namespaces", "status"] : commands
                return asked.compactMap { command in
                    model.answerInfo(command, node: node, now: time).map { (command, $0) }
                }
            }
            try socket.writeAll(InfoProtocol.response(answers), deadline: .after(.seconds(5)))
            return true
        } catch {
            return false
        }
    }
}

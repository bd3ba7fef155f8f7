import Foundation
import Testing
@testable import SystemSupport

@Suite struct TCPSocketTests {
    @Test(.timeLimit(.minutes(1)))
    func refusedPortIsReportedAsRefused() throws {
        // Bind a port, then close it, so that nothing listens there.
        let port = try TCPListener(host: "127.0.9.1", port: 0).port
        #expect {
            _ = try TCPSocket.connect(host: "127.0.9.1", port: port, deadline: .after(.seconds(2)))
        } throws: { ($0 as? SocketError)?.kind == .connectionRefused }
    }

    @Test(.timeLimit(.minutes(1)))
    func silentPeerTripsTheReadDeadline() throws {
        let listener = try TCPListener(host: "127.0.9.1", port: 0)
        let client = try TCPSocket.connect(host: "127.0.9.1", port: listener.port, deadline: .after(.seconds(2)))
        let accepted = listener.accept(timeout: .seconds(2))
        #expect(accepted != nil)
        let start = ContinuousClock.now
        #expect {
            _ = try client.readExactly(8, deadline: .after(.milliseconds(200)))
        } throws: { ($0 as? SocketError)?.kind == .timedOut }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(190) && elapsed < .seconds(2))
    }

    @Test(.timeLimit(.minutes(1)))
    func bytesCrossAndACloseIsSeen() throws {
        let listener = try TCPListener(host: "127.0.9.1", port: 0)
        let client = try TCPSocket.connect(host: "127.0.9.1", port: listener.port, deadline: .after(.seconds(2)))
        let server = try #require(listener.accept(timeout: .seconds(2)))
        try client.writeAll(Array("ping".utf8), deadline: .after(.seconds(2)))
        #expect(try server.readExactly(4, deadline: .after(.seconds(2))) == Array("ping".utf8))
        server.close()
        #expect {
            _ = try client.readExactly(1, deadline: .after(.seconds(2)))
        } throws: { ($0 as? SocketError)?.kind == .closed }
    }
}

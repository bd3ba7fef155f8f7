import Foundation
import SystemSupport
import Testing
@testable import AerospikeInfo

/// The info client against small TCP servers started by each test on loopback.
@Suite struct InfoConnectionTests {
    @Test(.timeLimit(.minutes(1)))
    func severalCommandsInOneRequestAgainstARealReplyServer() async throws {
        let server = try InfoTestServer(address: "127.0.9.2") { commands in
            commands.map { command in
                switch command {
                case "status": (command, "ok")
                case "statistics": (command, InfoReplyParsingTests.statistics)
                case "cluster-stable:size=3;ignore-migrations=false": (command, "721D40EF7964")
                default: (command, "ERROR:4:unrecognized command")
                }
            }
        }
        defer { server.stop() }
        let connection = InfoConnection(host: "127.0.9.2", port: server.port)
        let response = try await connection.request(
            ["status", "statistics", InfoCommand.clusterStable(size: 3)], timeout: .seconds(2))
        #expect(response["status"] == "ok")
        #expect(try NodeStatistics(parsing: response.value(for: "statistics")).clusterKey == "721D40EF7964")
        #expect(try ClusterStableReply(response.value(for: InfoCommand.clusterStable(size: 3))).clusterKey
            == "721D40EF7964")
        // The connection is reused for the next request.
        #expect(try await connection.request("status", timeout: .seconds(2)) == "ok")
        #expect(server.acceptedConnections == 1)
        await connection.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func silentServerTripsTheDeadline() async throws {
        let server = try InfoTestServer(address: "127.0.9.2", silent: true) { _ in [] }
        defer { server.stop() }
        let connection = InfoConnection(host: "127.0.9.2", port: server.port)
        let start = ContinuousClock.now
        await #expect {
            _ = try await connection.request(["statistics"], timeout: .milliseconds(300))
        } throws: { ($0 as? InfoError)?.kind == .timedOut }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(290) && elapsed < .seconds(2))
        await connection.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func refusedPortSaysAsdIsNotListening() async throws {
        let port = try TCPListener(host: "127.0.9.2", port: 0).port  // closed again at once
        let connection = InfoConnection(host: "127.0.9.2", port: port)
        await #expect {
            _ = try await connection.request(["status"], timeout: .seconds(2))
        } throws: { ($0 as? InfoError)?.kind == .connectionRefused }
        await connection.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func aServerThatClosesMidReplyIsAClosedConnection() async throws {
        let server = try InfoTestServer(address: "127.0.9.2", truncateReplies: true) { commands in
            commands.map { ($0, "ok") }
        }
        defer { server.stop() }
        let connection = InfoConnection(host: "127.0.9.2", port: server.port)
        await #expect {
            _ = try await connection.request(["status"], timeout: .seconds(2))
        } throws: { ($0 as? InfoError)?.kind == .connectionClosed }
        await connection.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func aReusedConnectionClosedByARestartedNodeIsReopenedOnce() async throws {
        let server = try InfoTestServer(address: "127.0.9.2", closeAfterEachReply: true) { commands in
            commands.map { ($0, "ok") }
        }
        defer { server.stop() }
        let connection = InfoConnection(host: "127.0.9.2", port: server.port)
        #expect(try await connection.request("status", timeout: .seconds(2)) == "ok")
        #expect(try await connection.request("status", timeout: .seconds(2)) == "ok")
        #expect(server.acceptedConnections == 2)
        await connection.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func securedNodeAnswersNotAuthenticated() async throws {
        let server = try InfoTestServer(address: "127.0.9.2", rawReply: "ERROR:80:not authenticated\n") { _ in [] }
        defer { server.stop() }
        let connection = InfoConnection(host: "127.0.9.2", port: server.port)
        await #expect {
            _ = try await connection.request(["statistics"], timeout: .seconds(2))
        } throws: { ($0 as? InfoError)?.kind == .notAuthenticated }
        await connection.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func serverUpToSevenOneOmitsUnknownCommands() async throws {
        let server = try InfoTestServer(address: "127.0.9.2") { commands in
            commands.filter { $0 != "release" }.map { ($0, "8.0.0.1") }
        }
        defer { server.stop() }
        let connection = InfoConnection(host: "127.0.9.2", port: server.port)
        let response = try await connection.request(["build", "release"], timeout: .seconds(2))
        #expect(response["release"] == nil)
        #expect(throws: InfoError.self) { try response.value(for: "release") }
        await connection.close()
    }
}

/// A one-thread info server answering each request through `answer`, with misbehaviours for the failure tests.
final class InfoTestServer: @unchecked Sendable {
    // Invariant: `accepted` is only touched under `lock`; everything else is immutable after init.
    private let listener: TCPListener
    private let lock = NSLock()
    private var accepted = 0
    private var stopped = false
    let port: Int

    init(address: String, silent: Bool = false, truncateReplies: Bool = false, closeAfterEachReply: Bool = false,
         rawReply: String? = nil, answer: @escaping @Sendable ([String]) -> [(String, String)]) throws
    {
        listener = try TCPListener(host: address, port: 0)
        port = listener.port
        let thread = Thread { [self] in
            var clients: [TCPSocket] = []
            while !isStopped {
                guard let client = listener.accept(timeout: .milliseconds(50)) else { continue }
                lock.withLock { accepted += 1 }
                clients.append(client)
                if silent { continue }
                while !isStopped {
                    guard let header = try? client.readExactly(8, deadline: .after(.seconds(5))),
                        let length = try? InfoProtocol.bodyLength(ofHeader: header),
                        let body = try? client.readExactly(length, deadline: .after(.seconds(5)))
                    else { break }
                    let commands = InfoProtocol.commands(inRequestBody: body)
                    var reply = InfoProtocol.response(answer(commands).map { (command: $0.0, value: $0.1) })
                    if let rawReply {
                        reply = InfoProtocol.header(bodyLength: rawReply.utf8.count) + Array(rawReply.utf8)
                    }
                    if truncateReplies { reply = Array(reply.prefix(reply.count - 2)) }
                    try? client.writeAll(reply, deadline: .after(.seconds(5)))
                    if truncateReplies || closeAfterEachReply {
                        client.close()
                        break
                    }
                }
            }
            clients.forEach { $0.close() }
        }
        thread.start()
    }

    var acceptedConnections: Int { lock.withLock { accepted } }
    private var isStopped: Bool { lock.withLock { stopped } }

    func stop() {
        lock.withLock { stopped = true }
    }
}

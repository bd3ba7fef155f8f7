import Foundation
import SSHClient
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(1))) struct SSHParallelTests {
    @Test func eightCommandsOnFourHostsRunAtTheSameTime() async throws {
        try await withSSHTestLab { lab in
            var connections: [SSHConnection] = []
            for index in 1...4 {
                let host = try await lab.start("h\(index)")
                connections += [lab.connection(to: host), lab.connection(to: host)]
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for connection in connections { group.addTask { try await connection.connect() } }
                try await group.waitForAll()
            }
            let started = ContinuousClock.now
            let results = try await withThrowingTaskGroup(of: CommandResult.self) { group in
                for connection in connections {
                    group.addTask { try await connection.run("sleep 1", timeout: .seconds(10)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let elapsed = started.duration(to: .now)
            #expect(results.count == 8)
            #expect(results.allSatisfy { $0.succeeded })
            #expect(elapsed < .seconds(2), "8 x sleep 1 took \(elapsed)")
        }
    }
}

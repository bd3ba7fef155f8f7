import Foundation
import SSHClient
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(1))) struct SSHHostKeyTests {
    @Test func changedHostKeyIsRefusedWithTheServersFingerprint() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let other = try await lab.start("h2")
            // h1's entry holds h2's key, as after a reinstall of h1.
            try lab.writeKnownHosts([try lab.knownHostsLine(other, name: "[\(host.address)]:\(host.port)")])
            let connection = lab.connection(to: host)
            let error = await #expect(throws: SSHError.self) { try await connection.connect() }
            #expect(error?.kind == .hostKeyChanged)
            let expected = try await lab.fingerprint(of: host)
            #expect(error?.hostKeyFingerprint == expected)
            #expect(error?.isRetryable == false)
            #expect(error?.description.contains("ssh-keygen -R '[\(host.address)]:\(host.port)'") == true)
            #expect(await connection.isConnected == false)
        }
    }

    @Test func unknownHostIsRefused() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            try lab.writeKnownHosts(["# nothing known yet"])
            let error = await #expect(throws: SSHError.self) { try await lab.connection(to: host).connect() }
            #expect(error?.kind == .hostKeyUnknown)
            let expected = try await lab.fingerprint(of: host)
            #expect(error?.hostKeyFingerprint == expected)
            #expect(error?.isRetryable == false)
        }
    }

    @Test func missingKnownHostsFileIsReportedAsSuch() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let path = lab.root + "/no/such/known_hosts"
            let error = await #expect(throws: SSHError.self) {
                try await lab.connection(to: host, knownHostsPath: path).connect()
            }
            #expect(error?.kind == .knownHostsUnreadable)
            #expect(error?.message.contains(path) == true)
            #expect(error?.message.contains("No such file or directory") == true)
        }
    }

    @Test func acceptedNewKeyIsRecordedAndVerifiedOnTheNextConnection() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let path = lab.root + "/recorded_known_hosts"
            try await lab.connection(to: host, knownHostsPath: path, acceptNewKeys: true).connect()
            let recorded = try String(contentsOfFile: path, encoding: .utf8)
            let expected = try lab.knownHostsLine(host) + "\n"
            #expect(recorded == expected)
            // Strict again: the recorded line alone must let the next connection in.
            let strict = lab.connection(to: host, knownHostsPath: path)
            try await strict.connect()
            #expect(try await strict.run("true", timeout: .seconds(10)).succeeded)
        }
    }

    @Test func acceptingNewKeysNeverOverwritesAChangedKey() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let other = try await lab.start("h2")
            try lab.writeKnownHosts([try lab.knownHostsLine(other, name: "[\(host.address)]:\(host.port)")])
            let before = try String(contentsOfFile: lab.knownHostsPath, encoding: .utf8)
            let error = await #expect(throws: SSHError.self) {
                try await lab.connection(to: host, acceptNewKeys: true).connect()
            }
            #expect(error?.kind == .hostKeyChanged)
            #expect(try String(contentsOfFile: lab.knownHostsPath, encoding: .utf8) == before)
        }
    }

    @Test func hashedKnownHostsEntryIsAccepted() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            try lab.writeKnownHosts([try lab.knownHostsLine(host)])
            try await SSHTestProcess.check(["ssh-keygen", "-q", "-H", "-f", lab.knownHostsPath])
            let hashed = try String(contentsOfFile: lab.knownHostsPath, encoding: .utf8)
            #expect(hashed.hasPrefix("|1|"))
            #expect(!hashed.contains(host.address))
            try await lab.connection(to: host).connect()
        }
    }

    @Test func bracketedHostAndPortEntryIsAccepted() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            try lab.writeKnownHosts(["# other hosts first", try lab.knownHostsLine(try await lab.start("h2")),
                                     try lab.knownHostsLine(host)])
            try await lab.connection(to: host).connect()
        }
    }

    @Test func plainHostEntryDoesNotCoverAnotherPortAsInOpenSSH() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            try lab.writeKnownHosts([try lab.knownHostsLine(host, name: host.address)])
            let error = await #expect(throws: SSHError.self) { try await lab.connection(to: host).connect() }
            #expect(error?.kind == .hostKeyUnknown)
            #expect(error?.message.contains("applies only to port 22") == true)
        }
    }

    @Test(arguments: ["ed25519", "ecdsa"])
    func serverIsAskedForTheKeyTypeKnownHostsHolds(knownType: String) async throws {
        try await withSSHTestLab { lab in
            // libssh2 alone would pick ECDSA here, failing against an ed25519-only known_hosts written by OpenSSH.
            let host = try await lab.start("h1", hostKeyTypes: ["ed25519", "ecdsa"])
            try lab.writeKnownHosts([try lab.knownHostsLine(host, type: knownType)])
            let connection = lab.connection(to: host)
            try await connection.connect()
            let expected = try await lab.fingerprint(of: host, type: knownType)
            #expect(await connection.hostKeyFingerprint == expected)
        }
    }
}

import Foundation
import SSHClient
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(1))) struct SSHAuthenticationTests {
    @Test func ecdsaKeyFileAuthenticates() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let key = try await lab.makeClientKey("id_ecdsa", type: "ecdsa")
            let connection = lab.connection(to: host, authentication: .keyFile(privateKeyPath: key))
            #expect(try await connection.run("whoami", timeout: .seconds(10)).stdout == "root\n")
        }
    }

    @Test func passphraseProtectedKeyAuthenticatesWithThePassphraseFromTheEnvironment() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let key = try await lab.makeClientKey("id_protected", type: "ed25519", passphrase: "correct horse")
            let variable = "ASROLL_TEST_PASSPHRASE_\(uniqueTag())"
            setenv(variable, "correct horse", 1)
            defer { unsetenv(variable) }
            let connection = lab.connection(
                to: host, authentication: .keyFile(privateKeyPath: key, passphraseEnvironmentVariable: variable))
            try await connection.connect()
        }
    }

    @Test func wrongOrMissingPassphraseFailsAuthenticationNamingTheProblem() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let key = try await lab.makeClientKey("id_protected", type: "ed25519", passphrase: "correct horse")
            let variable = "ASROLL_TEST_PASSPHRASE_\(uniqueTag())"
            let missing = await #expect(throws: SSHError.self) {
                try await lab.connection(
                    to: host, authentication: .keyFile(privateKeyPath: key, passphraseEnvironmentVariable: variable)
                ).connect()
            }
            #expect(missing?.kind == .authenticationFailed)
            #expect(missing?.message.contains(variable) == true)

            setenv(variable, "wrong horse", 1)
            defer { unsetenv(variable) }
            let wrong = await #expect(throws: SSHError.self) {
                try await lab.connection(
                    to: host, authentication: .keyFile(privateKeyPath: key, passphraseEnvironmentVariable: variable)
                ).connect()
            }
            #expect(wrong?.kind == .authenticationFailed)
            #expect(wrong?.message.contains("passphrase") == true)
            #expect(wrong?.message.contains("wrong horse") == false)
        }
    }

    @Test func sshAgentIdentityAuthenticates() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let unauthorized = try await lab.makeClientKey("id_stranger", type: "ed25519", authorize: false)
            let authorized = try await lab.makeClientKey("id_agent", type: "ecdsa")
            // The refused key comes first: the agent's identities are tried in turn.
            let socket = try await lab.startAgent(adding: [unauthorized, authorized])
            let connection = lab.connection(to: host, authentication: .agent(socketPath: socket))
            #expect(try await connection.run("echo via agent", timeout: .seconds(10)).stdout == "via agent\n")
        }
    }

    @Test func emptyAgentFailsAuthenticationSayingSo() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let socket = try await lab.startAgent(adding: [])
            let error = await #expect(throws: SSHError.self) {
                try await lab.connection(to: host, authentication: .agent(socketPath: socket)).connect()
            }
            #expect(error?.kind == .authenticationFailed)
            #expect(error?.message.contains("holds no keys") == true)
        }
    }

    @Test func keyTheServerDoesNotKnowFailsAuthenticationWithoutRetry() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let stranger = try await lab.makeClientKey("id_stranger", type: "ed25519", authorize: false)
            let error = await #expect(throws: SSHError.self) {
                try await lab.connection(to: host, authentication: .keyFile(privateKeyPath: stranger)).connect()
            }
            #expect(error?.kind == .authenticationFailed)
            #expect(error?.isRetryable == false)
            #expect(error?.message.contains(stranger) == true)
        }
    }

    @Test func rsaKeyFailsWithAHintAboutSHA1Signatures() async throws {
        try await withSSHTestLab { lab in
            let host = try await lab.start("h1")
            let rsa = try await lab.makeClientKey("id_rsa", type: "rsa")
            let error = await #expect(throws: SSHError.self) {
                try await lab.connection(to: host, authentication: .keyFile(privateKeyPath: rsa)).connect()
            }
            #expect(error?.kind == .authenticationFailed)
            #expect(error?.message.contains("OpenSSH >= 8.8 refuses; use an ed25519 or ECDSA key") == true)
        }
    }
}

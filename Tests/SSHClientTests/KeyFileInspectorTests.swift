import Foundation
import Testing
import TestSupport

@testable import SSHClient

@Suite struct KeyFileInspectorTests {
    @Test(.timeLimit(.minutes(1)))
    func recognisesRSAKeysWithAndWithoutPublicKeyFileAndPassphrase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (type, passphrase, isRSA) in [("rsa", "", true), ("rsa", "secret", true), ("ed25519", "", false),
                                          ("ecdsa", "secret", false)] {
            let path = "\(directory)/\(type)-\(passphrase.isEmpty ? "plain" : "protected")"
            try await SSHTestProcess.check(["ssh-keygen", "-q", "-t", type, "-b", type == "rsa" ? "2048" : "256",
                                      "-N", passphrase, "-f", path])
            #expect(KeyFileInspector.isRSA(privateKeyPath: path, publicKeyPath: path + ".pub") == isRSA)
            #expect(KeyFileInspector.isRSA(privateKeyPath: path, publicKeyPath: nil) == isRSA, "\(path)")
        }
    }
}

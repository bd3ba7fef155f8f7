import Testing

@testable import SSHClient

@Suite struct HostKeyFormatTests {
    @Test func fingerprintIsBase64OfTheDigestWithoutPaddingLikeSshKeygen() {
        // Digest of the blob of an ed25519 key whose `ssh-keygen -lf` fingerprint is the expected string.
        let hex = "db1868e84f016cae1ebe516aa5c1c43293e93b5a2fe148d54cd0f1daf6bc7273"
        let digest = stride(from: 0, to: hex.count, by: 2).map { offset -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16) ?? 0
        }
        #expect(HostKeyFormat.fingerprint(sha256: digest) == "SHA256:2xho6E8BbK4evlFqpcHEMpPpO1ov4UjVTNDx2va8cnM")
    }

    @Test func knownHostsNameIsBracketedWithThePortExceptForPort22() {
        #expect(HostKeyFormat.knownHostsName(host: "10.0.0.12", port: 22) == "10.0.0.12")
        #expect(HostKeyFormat.knownHostsName(host: "10.0.0.12", port: 2222) == "[10.0.0.12]:2222")
        #expect(HostKeyFormat.knownHostsName(host: "aero-1.example", port: 22) == "aero-1.example")
    }

    @Test func recordedLineIsWhatOpenSSHWouldWrite() {
        let key: [UInt8] = [0, 0, 0, 11] + Array("ssh-ed25519".utf8)
        #expect(HostKeyFormat.knownHostsLine(host: "127.0.10.1", port: 2222, algorithm: "ssh-ed25519", key: key)
            == "[127.0.10.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5")
        #expect(HostKeyFormat.knownHostsLine(host: "10.0.0.1", port: 22, algorithm: "ssh-ed25519", key: key)
            == "10.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5")
    }

    @Test func hostKeyPreferencePutsTypesKnownForTheHostFirst() {
        #expect(HostKeyType.preferenceList(known: [])
            == "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa")
        #expect(HostKeyType.preferenceList(known: [.ecdsa256])
            == "ecdsa-sha2-nistp256,ssh-ed25519,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa")
    }
}

import Foundation
import RollingCore
import Testing

@Suite("Inventory loading")
struct InventoryLoadingTests {
    @Test func minimalInventoryGetsEveryDefault() throws {
        let inventory = try loadInventory(minimalInventory)
        #expect(inventory.cluster == "prod-east")
        #expect(inventory.namespaces == ["users"])
        #expect(inventory.ssh.port == 22)
        #expect(inventory.ssh.useAgent == false)
        #expect(inventory.ssh.identityFile == "/home/tester/.ssh/id_ed25519")
        #expect(inventory.ssh.knownHosts == "/home/tester/.ssh/known_hosts")
        #expect(inventory.ssh.connectTimeout == .seconds(10))
        #expect(inventory.ssh.passphraseEnv == nil)
        #expect(inventory.info == InfoSettings(via: .direct, port: 3000, timeout: .seconds(5)))
        #expect(inventory.asmt == AsmtSettings(backupDir: "/var/aerospike/asmt", compress: true))
        #expect(inventory.lease.path == "/var/tmp/asroll.lease")
        #expect(inventory.memoryErrors.correctedThreshold == nil)
        #expect(inventory.nodes.map(\.name) == ["aero-1", "aero-2"])
        #expect(inventory.nodes[0].sshPort == 22)
        #expect(inventory.nodes[0].infoPort == 3000)
        #expect(inventory.nodes[0].flags.isEmpty)
        #expect(inventory.nodes[0].line == 4)
        #expect(inventory.nodes[1].line == 6)
        #expect(inventory.sourcePath.hasSuffix("/inventory.yml"))
    }

    @Test func defaultUserIsTheUserRunningAsroll() throws {
        let inventory = try loadInventory(minimalInventory)
        let expected = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "tester"
        #expect(inventory.ssh.user == expected)
        #expect(inventory.nodes.allSatisfy { $0.sshUser == expected })
    }

    @Test func everyKeyIsRead() throws {
        let inventory = try loadInventory("""
            cluster: prod-west
            namespaces:
              - users
              - sessions_2
            ssh:
              user: ops
              port: 2200
              identity_file: /keys/ops_ed25519
              use_agent: false
              known_hosts: /etc/asroll/known_hosts
              connect_timeout: 1m30s
              passphrase_env: ASROLL_KEY_PASSPHRASE
            info:
              via: ssh
              port: 3100
              timeout: 750ms
            asmt:
              backup_dir: /data/asmt/
              compress: false
            lease:
              path: /run/asroll/lease
            memory_errors:
              corrected_threshold: 100
            nodes:
              - name: aero-1
                host: aero-1.example.com
                ssh_port: 2222
                info_port: 3300
                ssh_user: admin
                flags: [dimm-fault, post-expansion]
              - name: aero-2
                host: 10.0.0.12
            """)
        #expect(inventory.cluster == "prod-west")
        #expect(inventory.namespaces == ["users", "sessions_2"])
        #expect(inventory.ssh == SSHSettings(
            user: "ops", port: 2200, identityFile: "/keys/ops_ed25519", useAgent: false,
            knownHosts: "/etc/asroll/known_hosts", connectTimeout: .seconds(90), passphraseEnv: "ASROLL_KEY_PASSPHRASE"
        ))
        #expect(inventory.info == InfoSettings(via: .ssh, port: 3100, timeout: .milliseconds(750)))
        #expect(inventory.asmt == AsmtSettings(backupDir: "/data/asmt", compress: false))
        #expect(inventory.lease.path == "/run/asroll/lease")
        #expect(inventory.memoryErrors.correctedThreshold == 100)
        #expect(inventory.nodes[0] == NodeSpec(
            name: "aero-1", host: "aero-1.example.com", sshPort: 2222, infoPort: 3300, sshUser: "admin",
            flags: [.dimmFault, .postExpansion], line: 25
        ))
        #expect(inventory.nodes[1] == NodeSpec(
            name: "aero-2", host: "10.0.0.12", sshPort: 2200, infoPort: 3100, sshUser: "ops", flags: [], line: 31
        ))
    }

    @Test func perNodeOverridesApplyOnlyToTheirNode() throws {
        let inventory = try loadInventory("""
            cluster: c1
            namespaces: [users]
            ssh: {user: ops, port: 22}
            info: {port: 3000}
            nodes:
              - {name: a, host: h1, ssh_port: 2222}
              - {name: b, host: h2, info_port: 4000}
              - {name: c, host: h3, ssh_user: root}
            """)
        #expect(inventory.nodes.map(\.sshPort) == [2222, 22, 22])
        #expect(inventory.nodes.map(\.infoPort) == [3000, 4000, 3000])
        #expect(inventory.nodes.map(\.sshUser) == ["ops", "ops", "root"])
    }

    @Test func tildeExpandsToHomeFromTheGivenEnvironment() throws {
        let inventory = try loadInventory(minimalInventory + """
            ssh:
              identity_file: ~/.ssh/ops_key
              known_hosts: ~/work/known_hosts
            """, environment: ["HOME": "/srv/operator"])
        #expect(inventory.ssh.identityFile == "/srv/operator/.ssh/ops_key")
        #expect(inventory.ssh.knownHosts == "/srv/operator/work/known_hosts")
    }

    @Test func relativeLocalPathsResolveAgainstTheInventoryDirectory() throws {
        let scratch = try ConfigScratch()
        let path = try scratch.write("inventory.yml", minimalInventory + """
            ssh:
              identity_file: keys/id_ed25519
              known_hosts: known_hosts
            """)
        let inventory = try ConfigLoader.loadInventory(at: path, environment: testEnvironment)
        let directory = URL(fileURLWithPath: scratch.directory).standardizedFileURL.path
        #expect(inventory.ssh.identityFile == directory + "/keys/id_ed25519")
        #expect(inventory.ssh.knownHosts == directory + "/known_hosts")
    }

    @Test func useAgentLeavesNoIdentityFile() throws {
        let inventory = try loadInventory(minimalInventory + "ssh: {use_agent: true}\n")
        #expect(inventory.ssh.useAgent)
        #expect(inventory.ssh.identityFile == nil)
    }

    @Test func emptySectionsAndNullValuesTakeTheDefaults() throws {
        let inventory = try loadInventory(minimalInventory + """
            ssh:
            info:
              port:
            memory_errors:
              corrected_threshold: ~
            """)
        #expect(inventory.ssh.port == 22)
        #expect(inventory.info.port == 3000)
        #expect(inventory.memoryErrors.correctedThreshold == nil)
    }

    @Test func parsingYAMLTextNeedsNoFile() throws {
        let inventory = try ConfigLoader.inventory(
            fromYAML: minimalInventory, sourcePath: "/etc/asroll/prod.yml", environment: testEnvironment)
        #expect(inventory.sourcePath == "/etc/asroll/prod.yml")
        #expect(inventory.node(named: "aero-2")?.host == "10.0.0.12")
        #expect(inventory.asmtPlaceholderValues == [
            "backup_dir": "/var/aerospike/asmt", "namespaces": "users", "compress": "true",
        ])
    }
}

import Foundation
import RollingCore
import Testing

/// The repository root, found from this file's location.
private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Config
    .deletingLastPathComponent()  // RollingCoreTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// Every playbook shipped in playbooks/.
private let shippedPlaybooks: [String] = {
    let directory = repositoryRoot.appendingPathComponent("playbooks").path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { directory + "/" + $0 }
}()

@Suite("Shipped example files")
struct ShippedFilesTests {
    @Test func exampleInventoryLoadsWithoutProblems() throws {
        let path = repositoryRoot.appendingPathComponent("inventory/example.yml").path
        let inventory = try ConfigLoader.loadInventory(at: path, environment: testEnvironment)
        #expect(inventory.cluster == "prod-east")
        #expect(inventory.nodes.count == 5)
        #expect(inventory.nodes.contains { $0.flags == [.dimmFault] })
        #expect(inventory.nodes.contains { $0.sshPort != inventory.ssh.port })
    }

    @Test func thePlaybooksThatMustShipAreThere() {
        let names = Set(shippedPlaybooks.map { URL(fileURLWithPath: $0).lastPathComponent })
        #expect(names.isSuperset(of: ["os-patch.yml", "restart-only.yml", "demo.yml"]))
    }

    @Test(arguments: shippedPlaybooks)
    func shippedPlaybookLoadsWithoutProblems(path: String) throws {
        let playbook = try ConfigLoader.loadPlaybook(at: path)
        #expect(playbook.name == URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
    }

    @Test func osPatchSpellsOutTheDefaultCommands() throws {
        let playbook = try ConfigLoader.loadPlaybook(at: repositoryRoot.appendingPathComponent("playbooks/os-patch.yml").path)
        #expect(playbook.commands == NodeCommands())
        #expect(playbook.timeouts == PhaseTimeouts())
        #expect(playbook.gate == GateSettings())
        #expect(playbook.maintenance == [
            "sudo apt-get update -q", "sudo DEBIAN_FRONTEND=noninteractive apt-get -y upgrade",
        ])
    }

    @Test func restartOnlyDoesNotReboot() throws {
        let playbook = try ConfigLoader.loadPlaybook(
            at: repositoryRoot.appendingPathComponent("playbooks/restart-only.yml").path)
        #expect(!playbook.reboot)
        #expect(playbook.maintenance.isEmpty)
    }
}

import Foundation
import RollingCore
import Testing

/// A fresh temporary directory for one test's YAML files, removed when the test is done.
struct ConfigScratch: ~Copyable {
    /// Absolute path of the directory.
    let directory: String

    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/asroll-config-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        directory = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes `text` to `name` in the directory and returns the file's path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// The environment every inventory test loads with, so `~` and the default user are predictable.
let testEnvironment = ["HOME": "/home/tester", "USER": "tester"]

/// A valid minimal inventory; tests append or replace lines to make it interesting.
let minimalInventory = """
    cluster: prod-east
    namespaces: [users]
    nodes:
      - name: aero-1
        host: 10.0.0.11
      - name: aero-2
        host: 10.0.0.12

    """

/// Loads `yaml` as `inventory.yml` in a scratch directory.
func loadInventory(_ yaml: String, environment: [String: String] = testEnvironment) throws -> Inventory {
    let scratch = try ConfigScratch()
    let path = try scratch.write("inventory.yml", yaml)
    return try ConfigLoader.loadInventory(at: path, environment: environment)
}

/// Loads `yaml` as `playbook.yml` in a scratch directory.
func loadPlaybook(_ yaml: String, named name: String = "playbook.yml") throws -> Playbook {
    let scratch = try ConfigScratch()
    let path = try scratch.write(name, yaml)
    return try ConfigLoader.loadPlaybook(at: path)
}

/// The problems reported for an inventory that must fail to load (records an issue if it loads).
func inventoryProblems(_ yaml: String, environment: [String: String] = testEnvironment) throws -> [ConfigProblem] {
    do {
        _ = try loadInventory(yaml, environment: environment)
        Issue.record("the inventory loaded, but problems were expected")
        return []
    } catch let error as ConfigError {
        return error.problems
    }
}

/// The problems reported for a playbook that must fail to load (records an issue if it loads).
func playbookProblems(_ yaml: String) throws -> [ConfigProblem] {
    do {
        _ = try loadPlaybook(yaml)
        Issue.record("the playbook loaded, but problems were expected")
        return []
    } catch let error as ConfigError {
        return error.problems
    }
}

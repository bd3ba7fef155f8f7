import Foundation
import Yams

/// Loads and validates inventories and playbooks, reporting every problem in a file at once.
public enum ConfigLoader {
    /// Loads the inventory at `path`.
    ///
    /// - Parameters:
    ///   - path: The file, as the operator named it (messages repeat it verbatim).
    ///   - environment: Supplies `HOME` for `~` expansion (and `USER` when the passwd database has no entry).
    /// - Throws: `ConfigError` with every problem found, in line order.
    public static func loadInventory(
        at path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> Inventory {
        try inventory(fromYAML: ConfigFile.contents(atPath: path), sourcePath: path, environment: environment)
    }

    /// Loads the playbook at `path`.
    ///
    /// - Throws: `ConfigError` with every problem found, in line order.
    public static func loadPlaybook(at path: String) throws(ConfigError) -> Playbook {
        try playbook(fromYAML: ConfigFile.contents(atPath: path), sourcePath: path)
    }

    /// Reads an inventory from YAML text, as if it came from `sourcePath` (relative paths resolve against its
    /// directory).
    ///
    /// - Throws: `ConfigError` with every problem found, in line order.
    public static func inventory(
        fromYAML text: String, sourcePath: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> Inventory {
        let reader = DocumentReader(file: sourcePath, schema: InventoryReader.schema)
        let root = try document(text, reader: reader,
                                emptyAdvice: "an inventory needs at least cluster, namespaces and nodes")
        let inventory = InventoryReader(reader: reader, environment: environment,
                                        baseDirectory: directory(of: sourcePath)).read(root)
        if !reader.problems.isEmpty { throw ConfigError(problems: reader.problems) }
        return inventory
    }

    /// Reads a playbook from YAML text, as if it came from `sourcePath`.
    ///
    /// - Throws: `ConfigError` with every problem found, in line order.
    public static func playbook(fromYAML text: String, sourcePath: String) throws(ConfigError) -> Playbook {
        let reader = DocumentReader(file: sourcePath, schema: PlaybookReader.schema)
        let root = try document(text, reader: reader,
                                emptyAdvice: "write at least 'name:' (every other key has a default)")
        let name = URL(fileURLWithPath: sourcePath).deletingPathExtension().lastPathComponent
        let playbook = PlaybookReader(reader: reader, defaultName: name.isEmpty ? "playbook" : name).read(root)
        if !reader.problems.isEmpty { throw ConfigError(problems: reader.problems) }
        return playbook
    }

    /// The root node of `text`, or the error when it cannot be walked at all.
    private static func document(_ text: String, reader: DocumentReader, emptyAdvice: String) throws(ConfigError)
        -> Node
    {
        switch YAMLComposer.compose(text, reader: reader) {
        case .document(let root):
            return root
        case .empty:
            reader.report(.empty, line: nil, column: nil, "", "the file is empty; \(emptyAdvice)")
        case .failed:
            break
        }
        throw ConfigError(problems: reader.problems)
    }

    /// The absolute directory holding `path`.
    private static func directory(of path: String) -> String {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath,
                                                             isDirectory: true))
        return url.standardizedFileURL.deletingLastPathComponent().path
    }
}

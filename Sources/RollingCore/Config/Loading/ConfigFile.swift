#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a configuration file whole, turning every failure into a problem an operator can act on.
enum ConfigFile {
    /// Larger than any sane inventory or playbook: refusing it avoids reading a disk image by mistake.
    static let maximumSize = 4 << 20

    /// The text of the file at `path`.
    ///
    /// - Throws: `ConfigError` with the one problem that prevented reading it.
    static func contents(atPath path: String) throws(ConfigError) -> String {
        func failure(_ message: String) -> ConfigError {
            ConfigError(problems: [
                ConfigProblem(kind: .unreadable, file: path, line: nil, column: nil, keyPath: "", message: message),
            ])
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw failure("cannot open the file: \(errnoText())") }
        defer { close(descriptor) }

        var status = stat()
        if fstat(descriptor, &status) != 0 { throw failure("cannot read the file: \(errnoText())") }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw failure("this is a directory; name the YAML file inside it") }
        if Int(status.st_size) > maximumSize {
            throw failure("the file is \(status.st_size) bytes, more than any inventory or playbook (limit 4 MiB)")
        }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read the file: \(errnoText())")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumSize { throw failure("the file is larger than 4 MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw failure("the file is not UTF-8 text; save it as UTF-8")
        }
        return text
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

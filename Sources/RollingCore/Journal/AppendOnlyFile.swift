import Foundation

/// A file opened for appending whole lines, optionally `fsync`ed after each one.
///
/// Used for the journal (synced: a step's `begin` must be on disk before its first remote command), events and
/// command logs (not synced per line: losing the last lines on a power cut is acceptable there, but a crash of the
/// controller loses nothing because every line is handed to the kernel at once).
public final class AppendOnlyFile {
    /// The file's path.
    public let path: String
    private var fd: Int32

    /// Opens `path` for appending, creating it (mode 0600) and its directory when missing.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot open \(path): \(String(cString: strerror(errno)))",
            ])
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Appends `line` and a newline in one `write`, then `fsync`s when `sync` is set.
    public func append(line: String, sync: Bool) throws {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileWriteUnknown, userInfo: [
                    NSFilePathErrorKey: path,
                    NSLocalizedDescriptionKey: "cannot write \(path): \(String(cString: strerror(errno)))",
                ])
            }
            offset += written
        }
        if sync && fsync(fd) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot sync \(path): \(String(cString: strerror(errno)))",
            ])
        }
    }
}

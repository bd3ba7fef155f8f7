internal import CLibSSH2
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An OpenSSH known_hosts file loaded into a libssh2 known-host collection for one session.
///
/// The file is fed to libssh2 line by line rather than with `libssh2_knownhost_readfile`, which gives up on the
/// whole file at the first line it cannot parse; here such a line is skipped and reported instead.
final class KnownHostsFile {
    /// Path of the file.
    let path: String
    /// Whether the file existed when it was loaded.
    let existed: Bool
    /// 1-based numbers of the lines libssh2 could not parse (logged, otherwise ignored).
    private(set) var skippedLines: [Int] = []
    private let collection: OpaquePointer
    private let session: LibSSH2Session
    /// Base64 keys of `@revoked` lines: refused for every host, as OpenSSH does.
    private var revokedKeys: Set<String> = []
    private var endsWithNewline = true

    /// Loads `path`; a missing file counts as empty only when `missingIsEmpty` (new keys will create it).
    init(path: String, session: LibSSH2Session, missingIsEmpty: Bool) throws(SSHError) {
        self.path = path
        self.session = session
        guard let collection = libssh2_knownhost_init(session.raw) else {
            throw SSHError(.protocolError, endpoint: session.endpoint, message: "libssh2_knownhost_init returned NULL")
        }
        self.collection = collection
        let bytes: [UInt8]
        switch Self.readAll(path) {
        case .success(let content):
            bytes = content
            existed = true
        case .failure(let failure) where failure.code == ENOENT && missingIsEmpty:
            bytes = []
            existed = false
        case .failure(let failure):
            let code = failure.code
            throw SSHError(.knownHostsUnreadable, endpoint: session.endpoint,
                           message: "cannot read known_hosts file \(path): \(String(cString: strerror(code))). "
                               + "Host keys are checked strictly; point the inventory's ssh.known_hosts at the file "
                               + "that holds this host's key, or allow recording new keys to create it.")
        }
        endsWithNewline = bytes.last.map { $0 == UInt8(ascii: "\n") } ?? true
        load(String(decoding: bytes, as: UTF8.self))
    }

    deinit { libssh2_knownhost_free(collection) }

    private func load(_ text: String) {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("@") {
                // Markers are not libssh2's business: @revoked keys are refused below, @cert-authority is unsupported.
                let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if fields.first == "@revoked", fields.count >= 4 { revokedKeys.insert(String(fields[3])) }
                continue
            }
            let rc = trimmed.withCString { libssh2_knownhost_readline(collection, $0, strlen($0),
                                                                       LIBSSH2_KNOWNHOST_FILE_OPENSSH) }
            if rc != 0 { skippedLines.append(index + 1) }
        }
    }

    /// `LIBSSH2_KNOWNHOST_CHECK_*` for `key` under exactly `name` (no fallback from `[host]:port` to `host`, which
    /// libssh2's own port handling does and OpenSSH does not). `type` nil compares against entries of every type.
    func check(name: String, key: [UInt8], type: HostKeyType?) -> Int32 {
        let mask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | (type?.knownHostKeyBits ?? 0)
        return key.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                libssh2_knownhost_checkp(collection, name, -1, $0.baseAddress, $0.count, mask, nil)
            }
        }
    }

    /// The key types the file holds for `name`: an entry of a type shows up as a mismatch against a dummy key.
    func knownTypes(name: String) -> Set<HostKeyType> {
        Set(HostKeyType.allCases.filter { check(name: name, key: [0], type: $0) == LIBSSH2_KNOWNHOST_CHECK_MISMATCH })
    }

    /// Whether `key` appears on an `@revoked` line.
    func isRevoked(_ key: [UInt8]) -> Bool {
        revokedKeys.contains(Data(key).base64EncodedString())
    }

    /// Appends `line` to the file (creating it with mode 0600), starting on a fresh line.
    func append(_ line: String) -> Int32? {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        let text = (endsWithNewline ? "" : "\n") + line + "\n"
        let bytes = Array(text.utf8)
        // One write with O_APPEND: concurrent connections recording keys never interleave within a line.
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { return written < 0 ? errno : EIO }
        endsWithNewline = true
        return nil
    }

    private struct ReadFailure: Error {
        let code: Int32
    }

    private static func readAll(_ path: String) -> Result<[UInt8], ReadFailure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadFailure(code: errno)) }
        defer { close(fd) }
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return .success(content) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(code: errno))
            }
            content.append(contentsOf: chunk[0..<n])
        }
    }
}

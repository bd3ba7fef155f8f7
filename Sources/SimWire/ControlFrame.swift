#if canImport(Glibc)
import Glibc
#endif

/// The framing on the daemon's control socket, shared by the daemon and the `asroll-sim-node` shim (this module
/// imports Glibc only, so the shim still starts in a few milliseconds).
///
/// Every frame is one type byte, a 4-byte big-endian length and that many payload bytes:
/// - `Q` request (client → daemon): NUL-terminated fields `ASIM1`, kind (`exec`/`ctl`), node, working directory,
///   sudo flag (`0`/`1`), then the arguments;
/// - `O` / `E` a chunk of the command's stdout / stderr;
/// - `X` the exit status, a 4-byte big-endian signed integer; the daemon closes the connection after it.
public enum ControlFrame {
    /// Request.
    public static let request: UInt8 = 0x51
    /// stdout chunk.
    public static let stdout: UInt8 = 0x4F
    /// stderr chunk.
    public static let stderr: UInt8 = 0x45
    /// Exit status.
    public static let exit: UInt8 = 0x58
    /// Protocol marker, the first request field.
    public static let magic = "ASIM1"
    /// The largest payload either side accepts.
    public static let maximumPayload = 16 << 20

    /// The bytes of one frame.
    public static func encode(_ type: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [type, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + payload
    }

    /// An exit frame.
    public static func exitFrame(_ status: Int32) -> [UInt8] {
        let bits = UInt32(bitPattern: status)
        return encode(exit, [UInt8(bits >> 24), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)])
    }

    /// The status carried by an exit frame's payload.
    public static func status(_ payload: [UInt8]) -> Int32 {
        guard payload.count == 4 else { return 1 }
        return Int32(bitPattern: payload.reduce(0) { $0 << 8 | UInt32($1) })
    }

    /// Reads one frame from `fd` (blocking); `nil` at end of stream or on error.
    public static func read(from fd: Int32) -> (type: UInt8, payload: [UInt8])? {
        guard let header = readExactly(fd, 5) else { return nil }
        let length = Int(header[1]) << 24 | Int(header[2]) << 16 | Int(header[3]) << 8 | Int(header[4])
        guard length <= maximumPayload else { return nil }
        guard let payload = length == 0 ? [] : readExactly(fd, length) else { return nil }
        return (header[0], payload)
    }

    /// Writes all of `bytes` to `fd`; false when the peer is gone.
    @discardableResult
    public static func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    private static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            if got > 0 {
                offset += got
            } else if got < 0 && errno == EINTR {
                continue
            } else {
                return nil
            }
        }
        return bytes
    }
}

/// A request on the control socket.
public struct ControlRequest: Sendable, Equatable {
    /// `exec` (a node command through the shim), `ctl` (an `asroll-sim ctl`/`status`/`down` request).
    public var kind: String
    /// The node (empty for `ctl`).
    public var node: String
    /// The working directory on the node.
    public var workingDirectory: String
    /// Whether the command ran under `sudo`.
    public var viaSudo: Bool
    /// argv.
    public var arguments: [String]

    /// A request.
    public init(kind: String, node: String = "", workingDirectory: String = "/", viaSudo: Bool = false,
                arguments: [String]) {
        self.kind = kind
        self.node = node
        self.workingDirectory = workingDirectory
        self.viaSudo = viaSudo
        self.arguments = arguments
    }

    /// The request's payload.
    public var payload: [UInt8] {
        ([ControlFrame.magic, kind, node, workingDirectory, viaSudo ? "1" : "0"] + arguments)
            .flatMap { Array($0.utf8) + [0] }
    }

    /// Parses a payload; `nil` when malformed.
    public init?(payload: [UInt8]) {
        var fields = payload.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard fields.last == "" else { return nil }
        fields.removeLast()
        guard fields.count >= 5, fields[0] == ControlFrame.magic else { return nil }
        self.init(kind: fields[1], node: fields[2], workingDirectory: fields[3], viaSudo: fields[4] == "1",
                  arguments: Array(fields[5...]))
    }
}

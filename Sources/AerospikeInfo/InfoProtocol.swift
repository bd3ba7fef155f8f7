/// The Aerospike info protocol on the wire: an 8-byte header (version 2, type 1, 48-bit big-endian body length)
/// followed by newline-terminated commands, answered with `command<TAB>value` lines.
///
/// Both sides live here so that asroll's client and the simulator's server frame messages the same way.
public enum InfoProtocol {
    /// Protocol version byte every info message carries.
    public static let version: UInt8 = 2
    /// Message type byte of an info message (2 is security, 3 is a database message).
    public static let infoType: UInt8 = 1
    /// Size of the header in bytes.
    public static let headerSize = 8
    /// The largest body the server accepts (`PROTO_SIZE_MAX`); larger lengths mean a corrupt or foreign stream.
    public static let maximumBodySize = 128 * 1024 * 1024

    /// The header for a body of `length` bytes.
    public static func header(bodyLength length: Int) -> [UInt8] {
        precondition(length >= 0 && length <= maximumBodySize, "info body of \(length) bytes")
        var bytes: [UInt8] = [version, infoType]
        for shift in stride(from: 40, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: length >> shift))
        }
        return bytes
    }

    /// The body length announced by `header`.
    ///
    /// - Throws: `InfoProtocolError` when the version, the type or the length is not that of an info message.
    public static func bodyLength(ofHeader header: [UInt8]) throws(InfoProtocolError) -> Int {
        guard header.count == headerSize else { throw .truncatedHeader(header.count) }
        guard header[0] == version else { throw .unsupportedVersion(header[0]) }
        guard header[1] == infoType else { throw .unexpectedType(header[1]) }
        var length = 0
        for byte in header[2..<8] {
            length = length << 8 | Int(byte)
        }
        guard length <= maximumBodySize else { throw .bodyTooLarge(length) }
        return length
    }

    /// A complete request carrying `commands`, each terminated by a newline as the server requires.
    public static func request(_ commands: [String]) -> [UInt8] {
        let body = Array(commands.map { $0 + "\n" }.joined().utf8)
        return header(bodyLength: body.count) + body
    }

    /// The commands of a request body; a trailing piece without its newline is ignored, as the server does.
    public static func commands(inRequestBody body: [UInt8]) -> [String] {
        var pieces = String(decoding: body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        pieces.removeLast()  // whatever follows the last newline is not a complete command
        return pieces.filter { !$0.isEmpty }.map(String.init)
    }

    /// A complete response answering each command with its value.
    public static func response(_ answers: [(command: String, value: String)]) -> [UInt8] {
        let body = Array(answers.map { "\($0.command)\t\($0.value)\n" }.joined().utf8)
        return header(bodyLength: body.count) + body
    }

    /// The `command<TAB>value` lines of a response body, in order. A line without a tab (the bare
    /// `ERROR:80:not authenticated` a secured server sends) is returned with an empty command.
    public static func answers(inResponseBody body: [UInt8]) -> [InfoAnswer] {
        String(decoding: body, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { line in
                guard let tab = line.firstIndex(of: "\t") else { return InfoAnswer(command: "", value: String(line)) }
                return InfoAnswer(command: String(line[..<tab]), value: String(line[line.index(after: tab)...]))
            }
    }
}

/// One `command<TAB>value` line of a response.
public struct InfoAnswer: Sendable, Equatable {
    /// The command exactly as it was sent.
    public var command: String
    /// Everything after the first tab.
    public var value: String

    /// An answer to `command`.
    public init(command: String, value: String) {
        self.command = command
        self.value = value
    }
}

/// A byte stream that is not a well-formed info message.
public enum InfoProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer than 8 header bytes arrived.
    case truncatedHeader(Int)
    /// The version byte is not 2.
    case unsupportedVersion(UInt8)
    /// The type byte is not 1 (info).
    case unexpectedType(UInt8)
    /// The announced body is larger than any server sends.
    case bodyTooLarge(Int)

    public var description: String {
        switch self {
        case .truncatedHeader(let count): "info header truncated after \(count) bytes"
        case .unsupportedVersion(let version): "unsupported info protocol version \(version) (expected 2)"
        case .unexpectedType(let type): "unexpected message type \(type) (expected 1, info)"
        case .bodyTooLarge(let length): "announced body of \(length) bytes exceeds the 128 MiB protocol limit"
        }
    }
}

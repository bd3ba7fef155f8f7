import Foundation

/// The one JSON encoding every file asroll writes uses: sorted keys, unescaped slashes, ISO 8601 UTC timestamps
/// with milliseconds, one object per line.
public enum JSONLines {
    /// Encodes `value` as one line (no trailing newline).
    public static func line(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes one line.
    public static func decode<T: Decodable>(_ type: T.Type, from line: String) throws -> T {
        try decoder.decode(type, from: Data(line.utf8))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.iso8601(date))
        }
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "bad timestamp \(text)"))
            }
            return date
        }
        return decoder
    }()
}

/// ISO 8601 timestamps with milliseconds, in UTC, as every file asroll writes uses them.
public enum Timestamp {
    /// `2026-11-21T20:58:01.123Z`.
    public static func iso8601(_ date: Date) -> String {
        date.formatted(style)
    }

    /// Parses what `iso8601` writes (with or without fractional seconds).
    public static func parse(_ text: String) -> Date? {
        (try? style.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
}

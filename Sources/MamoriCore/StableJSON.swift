import Foundation

/// The one JSON encoder configuration: sorted keys, slashes left alone, dates as ISO 8601 (UTC,
/// whole seconds), so the same value always gives the same bytes (reports, inventories, journals).
public enum StableJSON {
    public enum Layout: Sendable {
        /// Indented, for files people read and diff.
        case pretty
        /// One line, for JSON Lines and request bodies.
        case compact
    }

    public static func encoder(_ layout: Layout = .pretty) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = layout == .pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                                                     : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static func encode<T: Encodable>(_ value: T, _ layout: Layout = .pretty) throws -> Data {
        try encoder(layout).encode(value)
    }

    /// The encoding as text with a final newline, as every `--format json` output ends.
    public static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self) + "\n"
    }
}

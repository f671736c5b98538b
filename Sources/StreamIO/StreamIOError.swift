#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why reading an input failed. Every case names the input so the user can tell which file to fix.
public enum StreamIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened (missing, unreadable, a directory…).
    case openFailed(path: String, reason: String)
    /// The operating system reported an error while reading.
    case readFailed(path: String, reason: String)
    /// The compressed stream is damaged; `offset` is the count of compressed bytes consumed before the damage was seen.
    case corruptCompressedData(path: String, offset: Int, reason: String)
    /// The compressed stream ended before its end-of-stream marker (a cut-off download or copy).
    case truncatedCompressedData(path: String)
    /// zlib could not allocate its state.
    case decompressorUnavailable(path: String, reason: String)
    /// The input is larger than the documented limit for its kind; it was not parsed.
    case tooLarge(path: String, limit: Int)

    public var description: String {
        switch self {
        case let .openFailed(path, reason):
            return "cannot open \(path): \(reason)"
        case let .readFailed(path, reason):
            return "cannot read \(path): \(reason)"
        case let .corruptCompressedData(path, offset, reason):
            return "\(path) is not valid gzip/zlib data near compressed byte \(offset): \(reason) (is the file damaged or not really compressed?)"
        case let .truncatedCompressedData(path):
            return "\(path) ends in the middle of its compressed data (the file looks cut off; copy it again)"
        case let .decompressorUnavailable(path, reason):
            return "cannot start decompressing \(path): \(reason)"
        case let .tooLarge(path, limit):
            return "\(path) is larger than \(StreamIOError.sizeText(limit)), the most mamori reads for this kind of input; not read"
        }
    }

    /// "1 MB", "64 KB" or "100 bytes": limits are round numbers, so no fractions.
    public static func sizeText(_ bytes: Int) -> String {
        if bytes >= 1024 * 1024, bytes % (1024 * 1024) == 0 { return "\(bytes / 1024 / 1024) MB" }
        if bytes >= 1024, bytes % 1024 == 0 { return "\(bytes / 1024) KB" }
        return "\(bytes) bytes"
    }

    /// Text for the current `errno`.
    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

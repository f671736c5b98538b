/// Opens a path (or `-` for stdin) and decompresses it when it starts with the gzip magic bytes.
///
/// Detection is by content, not by file name, so a rotated `access.log.1` that is really gzip, or
/// gzip piped on stdin, is read correctly, and a `.gz` name on plain text does no harm.
public enum InputOpener {
    /// Returns a byte source for `path`: plain, or a ``GzipReader`` when the data is gzip.
    public static func open(_ path: String) throws(StreamIOError) -> any ByteSource {
        let file = try FileReader(path: path)
        let head = try file.peek(2)
        if isGzip(head) {
            return try GzipReader(source: file)
        }
        return file
    }

    /// True when `head` begins with the gzip magic number 1f 8b.
    public static func isGzip(_ head: [UInt8]) -> Bool {
        head.count >= 2 && head[0] == 0x1f && head[1] == 0x8b
    }
}

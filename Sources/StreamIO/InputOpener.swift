import Foundation

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
            // Small files (every CloudTrail log) are read and decompressed whole, which is much faster.
            var info = stat()
            if path != "-", stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= WholeGzip.maxCompressedBytes {
                return try open(data: readAll(file, limit: WholeGzip.maxCompressedBytes), name: path)
            }
            return try GzipReader(source: file)
        }
        return file
    }

    /// Bytes already in memory (an S3 object): decompressed when they are gzip.
    public static func open(data: Data, name: String) throws(StreamIOError) -> any ByteSource {
        guard isGzip(Array(data.prefix(2))) else { return MemorySource(data, name: name) }
        if let whole = WholeGzip.decode(data) { return MemorySource(whole, name: name) }
        return try GzipReader(source: MemorySource(data, name: name))
    }

    /// Every byte of `source`, or at most `limit` (a caller that checked a file's size: a file that grew
    /// is cut there and its gzip trailer missing, so the streaming reader reports it truncated).
    public static func readAll(_ source: any ByteSource, limit: Int = .max) throws(StreamIOError) -> Data {
        var data = Data()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while data.count < limit {
            let n = try source.read(into: chunk)
            if n == 0 { break }
            data.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<min(n, limit - data.count)]))
        }
        return data
    }

    /// True when `head` begins with the gzip magic number 1f 8b.
    public static func isGzip(_ head: [UInt8]) -> Bool {
        head.count >= 2 && head[0] == 0x1f && head[1] == 0x8b
    }
}

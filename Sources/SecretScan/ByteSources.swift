#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StreamIO

/// Reads up to `count` bytes from `source` (fewer only at end of stream).
func readPrefix(_ source: any ByteSource, count: Int) throws(StreamIOError) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count)
    var got = 0
    while got < count {
        let n = try readInto(&out, at: got, from: source)
        if n == 0 { break }
        got += n
    }
    out.removeLast(count - got)
    return out
}

/// Reads once from `source` into `array[offset...]`.
func readInto(_ array: inout [UInt8], at offset: Int, from source: any ByteSource) throws(StreamIOError) -> Int {
    let result = array.withUnsafeMutableBytes { raw -> Result<Int, StreamIOError> in
        do throws(StreamIOError) {
            return .success(try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[offset...])))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

/// Yields `head` and then the rest of `source`: lets a sniffed prefix be read again.
final class PrefixedSource: ByteSource {
    let name: String
    private var head: [UInt8]
    private var headOffset = 0
    private let source: any ByteSource

    init(head: [UInt8], source: any ByteSource) {
        self.head = head
        self.source = source
        self.name = source.name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        if headOffset < head.count {
            let n = min(buffer.count, head.count - headOffset)
            head.withUnsafeBytes { src in
                buffer.baseAddress?.copyMemory(from: src.baseAddress! + headOffset, byteCount: n)
            }
            headOffset += n
            return n
        }
        return try source.read(into: buffer)
    }
}

/// At most `limit` bytes of `source`: one member of a tar archive.
final class LimitedSource: ByteSource {
    let name: String
    private let source: any ByteSource
    private(set) var remaining: Int

    init(source: any ByteSource, limit: Int, name: String) {
        self.source = source
        self.remaining = limit
        self.name = name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        guard remaining > 0 else { return 0 }
        let want = min(buffer.count, remaining)
        let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
        if n == 0 { throw .readFailed(path: name, reason: "archive member ends early (\(remaining) bytes missing)") }
        remaining -= n
        return n
    }

    /// Reads and discards what the consumer left.
    func drain() throws(StreamIOError) {
        var scratch = [UInt8](repeating: 0, count: 64 << 10)
        while remaining > 0 {
            _ = try readInto(&scratch, at: 0, from: self)
        }
    }
}

/// Random access to bytes: a file on disk (`pread`) or an archive member held in memory.
protocol RandomAccessBytes: AnyObject {
    var name: String { get }
    var size: Int { get }
    func read(at offset: Int, count: Int) throws(StreamIOError) -> [UInt8]
}

/// A file read with `pread`, for the zip central directory.
final class RandomAccessFile: RandomAccessBytes {
    let name: String
    let size: Int
    private let fd: Int32

    init(path: String) throws(StreamIOError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .openFailed(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw .openFailed(path: path, reason: "cannot read its size")
        }
        size = Int(info.st_size)
        name = path
    }

    deinit { close(fd) }

    func read(at offset: Int, count: Int) throws(StreamIOError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(offset + got)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: name, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            got += n
        }
        out.removeLast(count - got)
        return out
    }
}

/// Bytes in memory (a nested zip inside a tar).
final class MemoryBytes: RandomAccessBytes, ByteSource {
    let name: String
    let bytes: [UInt8]
    private var position = 0
    var size: Int { bytes.count }

    init(_ bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }

    func read(at offset: Int, count: Int) throws(StreamIOError) -> [UInt8] {
        let lo = min(max(0, offset), bytes.count), hi = min(bytes.count, lo + count)
        return Array(bytes[lo..<hi])
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        let n = min(buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress?.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        position += n
        return n
    }
}

/// A byte range of a ``RandomAccessBytes``, read sequentially.
final class RangeSource: ByteSource {
    let name: String
    private let bytes: any RandomAccessBytes
    private var position: Int
    private let end: Int

    init(_ bytes: any RandomAccessBytes, offset: Int, count: Int, name: String) {
        self.bytes = bytes
        self.position = offset
        self.end = offset + count
        self.name = name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        let n = min(buffer.count, end - position, 1 << 20)
        guard n > 0 else { return 0 }
        let chunk = try bytes.read(at: position, count: n)
        if chunk.isEmpty { throw .readFailed(path: name, reason: "archive member ends early") }
        chunk.withUnsafeBytes { buffer.baseAddress?.copyMemory(from: $0.baseAddress!, byteCount: chunk.count) }
        position += chunk.count
        return chunk.count
    }
}

/// Converts UTF-16 text to UTF-8 on the fly, so Windows-made files (PowerShell output, .reg
/// exports, some .ini files) are scanned like any other text.
final class UTF16Source: ByteSource {
    let name: String
    private let source: any ByteSource
    private let bigEndian: Bool
    private var input = [UInt8](repeating: 0, count: 256 << 10)
    private var carry: UInt8?
    private var output: [UInt8] = []
    private var outputOffset = 0

    init(source: any ByteSource, bigEndian: Bool) {
        self.source = source
        self.bigEndian = bigEndian
        self.name = source.name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        while outputOffset >= output.count {
            output.removeAll(keepingCapacity: true)
            outputOffset = 0
            var start = 0
            if let c = carry { input[0] = c; start = 1; carry = nil }
            let n = try readInto(&input, at: start, from: source)
            if n == 0 { return 0 }
            let count = start + n
            var i = 0
            while i + 1 < count {
                let unit = bigEndian ? UInt16(input[i]) << 8 | UInt16(input[i + 1]) : UInt16(input[i + 1]) << 8 | UInt16(input[i])
                append(unit)
                i += 2
            }
            if i < count { carry = input[i] }
        }
        let n = min(buffer.count, output.count - outputOffset)
        output.withUnsafeBytes { buffer.baseAddress?.copyMemory(from: $0.baseAddress! + outputOffset, byteCount: n) }
        outputOffset += n
        return n
    }

    /// BMP code units to UTF-8; surrogate halves become U+FFFD (keys are ASCII, so nothing is lost).
    private func append(_ u: UInt16) {
        switch u {
        case 0xFEFF: return
        case 0..<0x80: output.append(UInt8(u))
        case 0x80..<0x800:
            output.append(0xC0 | UInt8(u >> 6)); output.append(0x80 | UInt8(u & 0x3F))
        case 0xD800...0xDFFF:
            output.append(contentsOf: [0xEF, 0xBF, 0xBD])
        default:
            output.append(0xE0 | UInt8(u >> 12)); output.append(0x80 | UInt8((u >> 6) & 0x3F)); output.append(0x80 | UInt8(u & 0x3F))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line handed out by ``LineReader``: a view into the reader's buffer, without the line ending.
///
/// `bytes` is valid only until the next call to ``LineReader/next()``; copy what must outlive it.
public struct Line {
    /// The line's bytes, without `\n` or `\r\n`.
    public let bytes: UnsafeRawBufferPointer
    /// 1-based line number in the (decompressed) input.
    public let number: Int
    /// True when the line was longer than ``LineReader/maxLineLength`` and was cut to that length;
    /// the rest of it was skipped, and callers should report it rather than trust the content.
    public let isTruncated: Bool
}

/// A run of whole lines handed out by ``LineReader/nextBlock()``.
public struct LineBlock {
    /// The lines, each ending in `\n` except possibly the last one of the input.
    public let bytes: UnsafeRawBufferPointer
    /// True when the block is one over-long line, cut to ``LineReader/maxLineLength``.
    public let endsWithTruncatedLine: Bool
}

/// Splits a ``ByteSource`` into lines at the byte level.
///
/// Lines are found with `memchr` over a large buffer and handed out as slices of it, so there is
/// no allocation per line. Handles `\n` and `\r\n` endings, a last line without a newline, and
/// lines longer than the buffer (the buffer grows up to ``maxLineLength``; longer lines are cut and
/// flagged with ``Line/isTruncated``).
public final class LineReader {
    /// The source being split.
    public let source: any ByteSource
    /// Longest line kept whole, in bytes.
    public let maxLineLength: Int
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var eof = false
    private var lineNumber = 0
    /// True while discarding the tail of an over-long line.
    private var skippingTail = false

    /// - Parameters:
    ///   - source: where the bytes come from.
    ///   - bufferSize: initial buffer size; reads are this large (default 4 MiB).
    ///   - maxLineLength: lines longer than this are truncated (default 64 MiB).
    public init(source: any ByteSource, bufferSize: Int = 4 << 20, maxLineLength: Int = 64 << 20) {
        self.source = source
        self.maxLineLength = max(maxLineLength, 1)
        self.capacity = max(bufferSize, 64)
        self.buffer = .allocate(byteCount: capacity, alignment: 64)
    }

    /// Opens `path` (or `-` for stdin), decompressing gzip automatically.
    public convenience init(path: String, bufferSize: Int = 4 << 20, maxLineLength: Int = 64 << 20) throws(StreamIOError) {
        self.init(source: try InputOpener.open(path), bufferSize: bufferSize, maxLineLength: maxLineLength)
    }

    deinit { buffer.deallocate() }

    /// The next line, or nil at end of input. The returned bytes are invalidated by the next call.
    public func next() throws(StreamIOError) -> Line? {
        while true {
            if end > start {
                let base = buffer + start
                let count = end - start
                if let hit = memchr(base, 0x0A, count) {
                    let length = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                    start += length + 1
                    if skippingTail {
                        skippingTail = false
                        continue
                    }
                    return makeLine(base, length, truncated: false)
                }
                if skippingTail {
                    start = end
                } else if count >= maxLineLength {
                    // Too long to keep whole: hand out the head, flagged, and drop the rest of the line.
                    start = end
                    skippingTail = true
                    return makeLine(base, maxLineLength, truncated: true)
                }
            }
            if eof {
                guard end > start else { return nil }
                let base = buffer + start
                let length = end - start
                start = end
                return makeLine(base, length, truncated: false)
            }
            try fill()
        }
    }

    /// The next run of whole lines (up to the buffer size), or nil at end of input.
    ///
    /// For scanners that search a large block at once (e.g. for literal needles) before splitting
    /// it into lines. The block ends just after a `\n`, or at end of input. A line longer than
    /// ``maxLineLength`` comes alone, cut, with ``LineBlock/endsWithTruncatedLine`` set; its tail is
    /// skipped. Do not mix with ``next()`` on the same reader. The bytes are valid until the next call.
    public func nextBlock() throws(StreamIOError) -> LineBlock? {
        while true {
            if skippingTail {
                if end > start, let hit = memchr(buffer + start, 0x0A, end - start) {
                    start = UnsafeRawPointer(hit) - UnsafeRawPointer(buffer) + 1
                    skippingTail = false
                    continue
                }
                start = end
                if eof { return nil }
                try fill()
                continue
            }
            if end > start {
                var last = end - 1
                let base = UnsafeRawPointer(buffer)
                while last >= start, base.load(fromByteOffset: last, as: UInt8.self) != 0x0A { last -= 1 }
                if last >= start {
                    let block = LineBlock(bytes: UnsafeRawBufferPointer(start: buffer + start, count: last + 1 - start), endsWithTruncatedLine: false)
                    start = last + 1
                    return block
                }
                if eof {
                    let block = LineBlock(bytes: UnsafeRawBufferPointer(start: buffer + start, count: end - start), endsWithTruncatedLine: false)
                    start = end
                    return block
                }
                if end - start >= maxLineLength {
                    let block = LineBlock(bytes: UnsafeRawBufferPointer(start: buffer + start, count: maxLineLength), endsWithTruncatedLine: true)
                    start = end
                    skippingTail = true
                    return block
                }
            } else if eof {
                return nil
            }
            try fill()
        }
    }

    /// Calls `body` for each line until the input ends or `body` returns false.
    public func forEach(_ body: (Line) throws -> Bool) throws {
        while let line = try next() {
            if try !body(line) { break }
        }
    }

    @inline(__always)
    private func makeLine(_ base: UnsafeMutableRawPointer, _ length: Int, truncated: Bool) -> Line {
        lineNumber += 1
        var n = length
        if n > 0, base.load(fromByteOffset: n - 1, as: UInt8.self) == 0x0D { n -= 1 }
        return Line(bytes: UnsafeRawBufferPointer(start: base, count: n), number: lineNumber, isTruncated: truncated)
    }

    /// Moves the partial line to the front, grows the buffer if the line fills it, and reads more.
    private func fill() throws(StreamIOError) {
        let pending = end - start
        if pending > 0 && start > 0 {
            memmove(buffer, buffer + start, pending)
        }
        start = 0
        end = pending
        if end == capacity {
            // Only reached while capacity < maxLineLength: next() cuts longer lines first.
            let newCapacity = min(capacity * 2, maxLineLength)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 64)
            grown.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = grown
            capacity = newCapacity
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 { eof = true }
        end += n
    }
}

import CZlib

/// Streams the decompressed bytes of a gzip or zlib source, one buffer at a time.
///
/// - The format is detected from the header (zlib's `windowBits = 15 + 32`), so the same reader
///   takes `.gz` files and raw zlib streams.
/// - Concatenated gzip members (`cat a.gz b.gz`, or logs rotated with `gzip -c >>`) are read as
///   one stream, as `gunzip` does; NUL padding after the last member (tape-style) is accepted.
/// - Damage is reported as ``StreamIOError/corruptCompressedData(path:offset:reason:)`` or
///   ``StreamIOError/truncatedCompressedData(path:)``, never as a crash or a silent stop.
public final class GzipReader: ByteSource {
    public var name: String { source.name }
    private let source: any ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnd = false
    /// True after a member ended and before we know whether another one follows.
    private var betweenMembers = false
    private var finished = false
    private var consumedBeforeBuffer = 0

    /// Wraps `source`, whose bytes are gzip or zlib data. `inputBufferSize` is the compressed read size.
    public init(source: any ByteSource, inputBufferSize: Int = 1 << 20) throws(StreamIOError) {
        self.source = source
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        self.input = .allocate(byteCount: max(inputBufferSize, 4096), alignment: 16)
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if status != Z_OK {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw .decompressorUnavailable(path: source.name, reason: "zlib error \(status)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Compressed bytes consumed so far (for progress and error offsets).
    public var compressedBytesConsumed: Int {
        consumedBeforeBuffer + (Int(stream.pointee.next_in.map { UnsafeRawPointer($0) - UnsafeRawPointer(input.baseAddress!) } ?? 0))
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        guard buffer.count > 0, !finished else { return 0 }
        let outBase = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.next_out = outBase
        stream.pointee.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !inputEnd {
                try refill()
            }
            if betweenMembers {
                if try !startNextMember() {
                    finished = true
                    break
                }
            }
            if stream.pointee.avail_in == 0 && inputEnd {
                // Output may still be pending inside zlib; one more call with no input drains it.
                let before = stream.pointee.avail_out
                let status = inflate(stream, Z_NO_FLUSH)
                if status == Z_STREAM_END { betweenMembers = true; continue }
                if stream.pointee.avail_out == before {
                    throw .truncatedCompressedData(path: name)
                }
                try check(status)
                continue
            }
            let status = inflate(stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                betweenMembers = true
                continue
            }
            try check(status)
        }
        return buffer.count - Int(stream.pointee.avail_out)
    }

    private func check(_ status: Int32) throws(StreamIOError) {
        switch status {
        case Z_OK, Z_BUF_ERROR:
            return
        case Z_MEM_ERROR:
            throw .decompressorUnavailable(path: name, reason: "out of memory")
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw .corruptCompressedData(path: name, offset: compressedBytesConsumed, reason: message)
        }
    }

    private func refill() throws(StreamIOError) {
        consumedBeforeBuffer += Int(stream.pointee.next_in.map { UnsafeRawPointer($0) - UnsafeRawPointer(input.baseAddress!) } ?? 0)
        let n = try source.read(into: input)
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(n)
        if n == 0 { inputEnd = true }
    }

    /// After a member ends: skips NUL padding, then resets zlib if more data follows.
    /// Returns false at the true end of the stream.
    private func startNextMember() throws(StreamIOError) -> Bool {
        while true {
            while stream.pointee.avail_in > 0, stream.pointee.next_in.pointee == 0 {
                stream.pointee.next_in += 1
                stream.pointee.avail_in -= 1
            }
            if stream.pointee.avail_in > 0 { break }
            if inputEnd { return false }
            try refill()
        }
        if inflateReset(stream) != Z_OK {
            throw .corruptCompressedData(path: name, offset: compressedBytesConsumed, reason: "cannot restart after member")
        }
        betweenMembers = false
        return true
    }
}

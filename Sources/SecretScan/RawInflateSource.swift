import CZlib
import StreamIO

/// Inflates raw deflate data (zip members, method 8) with zlib.
///
/// StreamIO's ``GzipReader`` expects a gzip or zlib header; zip members have neither, hence
/// `inflateInit2` with negative window bits here.
final class RawInflateSource: ByteSource {
    let name: String
    private let source: any ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var finished = false
    private var inputEnd = false

    init(source: any ByteSource, name: String) throws(StreamIOError) {
        self.source = source
        self.name = name
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: 256 << 10, alignment: 16)
        let status = inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if status != Z_OK {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw .decompressorUnavailable(path: name, reason: "zlib error \(status)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        guard !finished, buffer.count > 0, let out = buffer.baseAddress else { return 0 }
        stream.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !inputEnd {
                let n = try source.read(into: input)
                stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_in = uInt(n)
                if n == 0 { inputEnd = true }
            }
            let before = stream.pointee.avail_out
            let status = inflate(stream, Z_NO_FLUSH)
            if status == Z_STREAM_END { finished = true; break }
            if status != Z_OK && status != Z_BUF_ERROR {
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw .corruptCompressedData(path: name, offset: 0, reason: message)
            }
            if inputEnd && stream.pointee.avail_in == 0 && stream.pointee.avail_out == before {
                throw .truncatedCompressedData(path: name)
            }
        }
        return buffer.count - Int(stream.pointee.avail_out)
    }
}

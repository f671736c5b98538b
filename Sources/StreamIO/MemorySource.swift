import Foundation

/// Bytes already in memory as a ``ByteSource`` (an S3 object about to be decompressed and split).
public final class MemorySource: ByteSource {
    public let name: String
    private let data: Data
    private var offset = 0

    public init(_ data: Data, name: String) {
        self.data = data
        self.name = name
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        let count = min(buffer.count, data.count - offset)
        guard count > 0 else { return 0 }
        data.withUnsafeBytes { bytes in
            guard let source = bytes.baseAddress, let target = buffer.baseAddress else { return }
            target.copyMemory(from: source.advanced(by: offset), byteCount: count)
        }
        offset += count
        return count
    }
}

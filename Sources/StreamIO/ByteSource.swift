/// A stream of bytes read in chunks: a file, stdin, or a decompressor over one of those.
///
/// Sources are reference types because they own an OS file descriptor or a zlib state that must be
/// released exactly once.
public protocol ByteSource: AnyObject {
    /// A name for messages: the path, or `<stdin>`.
    var name: String { get }
    /// Fills up to `buffer.count` bytes and returns how many were written; 0 means end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file (or stdin, for the path `-`) with plain POSIX `read(2)` calls.
///
/// No Foundation and no per-read allocation: callers hand in their own (large) buffer, so the
/// cost per byte is one `memcpy` by the kernel.
public final class FileReader: ByteSource {
    public let name: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// Bytes read ahead by `peek` and not yet handed out.
    private var pending: [UInt8] = []
    /// Total bytes handed out so far.
    public private(set) var bytesRead: Int = 0
    /// The file's size when it was opened (from `fstat` on the open descriptor); nil for standard
    /// input and a wrapped descriptor.
    public let size: Int?

    /// Files at least this large get the kernel's sequential read-ahead hint; a smaller one is
    /// read in one or two calls, where the hint (one more system call per file) buys nothing.
    public static let sequentialHintBytes = 1 << 20

    /// Opens `path` for reading; `-` means standard input. `listed`: see ``RegularFile/openSized(_:listed:)``.
    public init(path: String, listed: Bool = false) throws(StreamIOError) {
        if path == "-" {
            self.name = "<stdin>"
            self.fd = 0
            self.ownsDescriptor = false
            self.size = nil
            return
        }
        // Only regular files: a FIFO would block and a device never end (see RegularFile).
        let (fd, size) = try RegularFile.openSized(path, listed: listed)
        #if os(Linux)
        // Sequential access lets the kernel read further ahead.
        if size >= Self.sequentialHintBytes { _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL)) }
        #endif
        self.name = path
        self.fd = fd
        self.ownsDescriptor = true
        self.size = size
    }

    /// Wraps an already open descriptor; it is not closed by this reader.
    public init(descriptor: Int32, name: String) {
        self.name = name
        self.fd = descriptor
        self.ownsDescriptor = false
        self.size = nil
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Returns up to `count` leading bytes without consuming them (fewer at end of stream).
    public func peek(_ count: Int) throws(StreamIOError) -> [UInt8] {
        if pending.count < count {
            let want = count - pending.count
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: want, alignment: 1)
            defer { chunk.deallocate() }
            var got = 0
            while got < want {
                let n = try rawRead(UnsafeMutableRawBufferPointer(rebasing: chunk[got...]))
                if n == 0 { break }
                got += n
            }
            pending.append(contentsOf: chunk[0..<got])
        }
        return Array(pending.prefix(count))
    }

    /// What ``readWhole(into:firstRead:keepReading:)`` did.
    public enum WholeRead: Equatable, Sendable {
        /// The whole file is in the buffer: this many bytes.
        case whole(Int)
        /// `keepReading` declined after the first bytes (this many are in the buffer).
        case declined(Int)
        /// The file does not fit the buffer: what was read stays pending, handed out by
        /// ``peek(_:)`` and ``read(into:)`` as if nothing had happened.
        case tooLarge
    }

    /// Reads the whole file into `buffer` when it fits. Only before any other read.
    ///
    /// At most `firstRead` bytes are asked for first; when the file goes on past them,
    /// `keepReading` sees them and may decline the rest (a binary file is not read further than
    /// its sniffed head, as the stream's `peek` did not).
    ///
    /// A short read that brings the total to the size `fstat` gave at the open is taken as the
    /// end: the file's bytes as of the open are all there, and a second read only to hear "0"
    /// would be one more system call per file of a tree (anything appended later is as if
    /// appended after the scan). Not when that size is 0: `/proc` files (a process's `environ`,
    /// `maps`) say 0 and hand out a page per read, so only a read of 0 ends them.
    public func readWhole(into buffer: UnsafeMutableRawBufferPointer, firstRead: Int = .max,
                          keepReading: (UnsafeRawBufferPointer) -> Bool = { _ in true }) throws(StreamIOError) -> WholeRead {
        precondition(pending.isEmpty && bytesRead == 0, "readWhole after another read")
        var got = 0
        var limit = min(max(1, firstRead), buffer.count)
        while true {
            if got == limit {
                if limit == buffer.count { break }
                if !keepReading(UnsafeRawBufferPointer(rebasing: buffer[0..<got])) {
                    bytesRead = got
                    return .declined(got)
                }
                limit = buffer.count
            }
            let want = limit - got
            let n = try rawRead(UnsafeMutableRawBufferPointer(rebasing: buffer[got..<limit]))
            got += n
            if n == 0 || (n < want && size.map { $0 > 0 && got >= $0 } == true) {
                bytesRead = got
                return .whole(got)
            }
        }
        pending = Array(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
        return .tooLarge
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        guard buffer.count > 0 else { return 0 }
        if !pending.isEmpty {
            let n = min(pending.count, buffer.count)
            pending.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: n)
            }
            pending.removeFirst(n)
            bytesRead += n
            return n
        }
        let n = try rawRead(buffer)
        bytesRead += n
        return n
    }

    private func rawRead(_ buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        while true {
            let n = posixRead(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .readFailed(path: name, reason: StreamIOError.errnoText(errno))
        }
    }
}

/// The system's `read(2)`, under a name no type's `read` method shadows (one home for StreamIO).
@inline(__always)
func posixRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buf, count)
    #else
    return Darwin.read(fd, buf, count)
    #endif
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one rule for inputs named on the command line: only regular files (links followed) are read.
///
/// A FIFO blocks `open(2)` until a writer appears and a device like `/dev/zero` never ends, so
/// either would hang a scan or eat memory. Every reader of named files (`secrets`, `iac`,
/// `imds scan`, `policy`, rule files) asks here, so they refuse the same things with the same words.
/// Commands that stream take standard input (`-`) instead.
public enum RegularFile {
    /// Why a file of this `st_mode` is not read, or nil for a regular file.
    public static func refusal(mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "it is a directory"
        case S_IFIFO: return "it is a named pipe (FIFO), not a regular file"
        case S_IFCHR, S_IFBLK: return "it is a device, not a regular file"
        case S_IFSOCK: return "it is a socket, not a regular file"
        default: return "it is not a regular file"
        }
    }

    /// Throws unless `path` names a regular file (a symbolic link is followed); never blocks.
    public static func check(_ path: String) throws(StreamIOError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .openFailed(path: path, reason: StreamIOError.errnoText(errno))
        }
        if let reason = refusal(mode: info.st_mode) { throw .openFailed(path: path, reason: reason) }
    }

    /// Opens a regular file for reading and returns its descriptor (the caller closes it).
    ///
    /// Checks before opening (so a FIFO's `open` cannot block) and again on the open descriptor
    /// (so a file swapped in between is caught too); the open itself is non-blocking for that reason.
    public static func open(_ path: String) throws(StreamIOError) -> Int32 {
        try openSized(path).fd
    }

    /// ``open(_:)``, with the size of the file opened (from `fstat` on its descriptor, so it is the
    /// size of the very file that will be read, not of whatever the path named a moment before).
    ///
    /// `listed`: the path comes from a directory listing that gave it as a regular file (`d_type`).
    /// Then the check before opening, a second path lookup per file, is left out: only a file
    /// swapped in since the listing could be anything else, the non-blocking open cannot hang on
    /// it, and the check on the descriptor still refuses it. `O_NONBLOCK` is left set on a
    /// regular file (it has no effect on one), saving two `fcntl` calls per file of a tree.
    public static func openSized(_ path: String, listed: Bool = false) throws(StreamIOError) -> (fd: Int32, size: Int) {
        if !listed { try check(path) }
        let fd = Glibc_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw .openFailed(path: path, reason: StreamIOError.errnoText(errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = StreamIOError.errnoText(errno)
            close(fd)
            throw .openFailed(path: path, reason: reason)
        }
        if let reason = refusal(mode: info.st_mode) {
            close(fd)
            throw .openFailed(path: path, reason: reason)
        }
        if !listed { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        return (fd, Int(info.st_size))
    }

    /// Reads a whole regular file of at most `maxBytes` bytes, refusing larger ones before reading them.
    public static func read(_ path: String, maxBytes: Int) throws(StreamIOError) -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, Int(info.st_size) > maxBytes {
            throw .tooLarge(path: path, limit: maxBytes)
        }
        return try readAll(descriptor: fd, name: path, maxBytes: maxBytes)
    }

    /// Reads an open descriptor (standard input, say) to its end, stopping with ``StreamIOError/tooLarge(path:limit:)``
    /// as soon as more than `maxBytes` arrived, so an endless pipe costs at most the limit.
    public static func readAll(descriptor fd: Int32, name path: String, maxBytes: Int) throws(StreamIOError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: StreamIOError.errnoText(errno))
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            // The file may grow while it is read: the limit holds for what is read, not only for the size seen.
            if bytes.count > maxBytes { throw .tooLarge(path: path, limit: maxBytes) }
        }
    }
}

@inline(__always)
private func Glibc_open(_ path: String, _ flags: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.open(path, flags)
    #else
    return Darwin.open(path, flags)
    #endif
}

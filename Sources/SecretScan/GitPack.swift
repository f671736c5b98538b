#if canImport(Glibc)
import Glibc
#endif
import Foundation
import StreamIO

/// Why an object could not be read from a pack. Damaged data (a zlib stream that fails its
/// checksum or size, a delta that does not fit) makes the object unreadable, as it is for git;
/// anything else (a base in another pack, an object too large to hold) sends the object to
/// `git cat-file`, which reads what git can and names what it cannot.
struct GitPackError: Error, CustomStringConvertible {
    var description: String
    var damaged: Bool
    init(_ description: String, damaged: Bool = true) {
        self.description = description
        self.damaged = damaged
    }
}

/// A SHA-1 object ID as 20 bytes (what pack indexes hold), parsed from git's hex form.
struct GitObjectID: Hashable {
    var bytes: [UInt8]

    init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40 else { return nil }
        var out = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            guard let hi = ByteClass.hexValue(utf8[2 * i]), let lo = ByteClass.hexValue(utf8[2 * i + 1]) else { return nil }
            out[i] = hi << 4 | lo
        }
        bytes = out
    }

    init(bytes: [UInt8]) { self.bytes = bytes }
}

/// One pack's index (`.idx`, version 2): the object IDs in order, and where each object starts in
/// the `.pack`. Read whole (28 bytes per object: 6.8 MB for the AWS CLI's 243,000 objects).
struct GitPackIndex {
    let count: Int
    private let data: [UInt8]

    private static let header = 8
    private static let fanout = 256 * 4

    init(path: String) throws(GitPackError) {
        let data = try Self.readWhole(path)
        // "\377tOc", version 2. Version 1 indexes (git before 1.5.2) are left to git.
        guard data.count >= Self.header + Self.fanout + 40, data[0] == 0xFF, data[1] == 0x74, data[2] == 0x4F, data[3] == 0x63,
              Self.uint32(data, 4) == 2 else {
            throw GitPackError("\(path): not a version 2 pack index")
        }
        let count = Int(Self.uint32(data, Self.header + 255 * 4))
        let small = Self.header + Self.fanout + count * 28 + 40
        guard data.count >= small, (data.count - small) % 8 == 0 else {
            throw GitPackError("\(path): truncated pack index")
        }
        self.count = count
        self.data = data
    }

    /// The file's bytes, read straight into one array (not through `Data` and a copy).
    private static func readWhole(_ path: String) throws(GitPackError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw GitPackError("\(path): \(String(cString: strerror(errno)))", damaged: false) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size >= 0 else { throw GitPackError("\(path): cannot be read", damaged: false) }
        let size = Int(st.st_size)
        var ok = false
        let data = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            ok = GitPack.readFully(fd, UnsafeMutableRawBufferPointer(buffer), at: 0)
            initialized = ok ? size : 0
        }
        guard ok else { throw GitPackError("\(path): cannot be read", damaged: false) }
        return data
    }

    /// The checksum of the pack this index describes (the 20 bytes before the index's own).
    var packChecksum: ArraySlice<UInt8> { data[(data.count - 40)..<(data.count - 20)] }

    private static func uint32(_ d: [UInt8], _ at: Int) -> UInt32 {
        UInt32(d[at]) << 24 | UInt32(d[at + 1]) << 16 | UInt32(d[at + 2]) << 8 | UInt32(d[at + 3])
    }

    private var namesStart: Int { Self.header + Self.fanout }
    private var offsetsStart: Int { namesStart + count * 24 }
    private var largeStart: Int { offsetsStart + count * 4 }

    /// The pack offset of the `i`-th object (in ID order), or nil when the index is inconsistent.
    func offset(at i: Int) -> Int? {
        let small = Self.uint32(data, offsetsStart + 4 * i)
        guard small & 0x8000_0000 != 0 else { return Int(small) }
        // Packs over 2 GiB: the offset is in the table of 8-byte offsets.
        let at = largeStart + 8 * Int(small & 0x7FFF_FFFF)
        guard at + 8 <= data.count - 40 else { return nil }
        let high = UInt64(Self.uint32(data, at)), low = UInt64(Self.uint32(data, at + 4))
        let value = high << 32 | low
        return value < UInt64(Int.max) ? Int(value) : nil
    }

    /// The pack offset of object `id`, or nil when this pack does not hold it.
    func offset(of id: GitObjectID) -> Int? {
        guard id.bytes.count == 20 else { return nil }
        let first = Int(id.bytes[0])
        var low = first == 0 ? 0 : Int(Self.uint32(data, Self.header + (first - 1) * 4))
        var high = Int(Self.uint32(data, Self.header + first * 4))
        guard low <= high, high <= count else { return nil }
        return data.withUnsafeBufferPointer { d -> Int? in
            id.bytes.withUnsafeBufferPointer { key -> Int? in
                while low < high {
                    let mid = (low + high) / 2
                    let c = memcmp(d.baseAddress! + namesStart + 20 * mid, key.baseAddress!, 20)
                    if c == 0 { return offset(at: mid) }
                    if c < 0 { low = mid + 1 } else { high = mid }
                }
                return nil
            }
        }
    }

    /// Every object's offset, ascending: an entry ends where the next one starts.
    func sortedOffsets() -> [Int] {
        (0..<count).compactMap { offset(at: $0) }.sorted()
    }
}

/// One pack entry's header: what the object is, and where its compressed data lies.
struct GitPackEntry {
    enum Kind: UInt8 {
        case commit = 1, tree = 2, blob = 3, tag = 4, offsetDelta = 6, referenceDelta = 7
    }
    var kind: Kind
    /// The inflated size: the object's for a whole object, the delta's for a delta.
    var size: Int
    /// Where the zlib stream starts and where the entry ends.
    var data: Int
    var end: Int
    /// A delta's base: its offset in the same pack (for a reference delta, looked up by ID).
    var base: Int?
}

/// A `.pack` file read with `pread` (the page cache holds it; nothing is mapped into this
/// process), its index, and where each entry ends.
final class GitPack: @unchecked Sendable {
    let path: String
    let index: GitPackIndex
    private let fd: Int32
    private let size: Int
    private let offsets: [Int]

    init(pack path: String, index indexPath: String) throws(GitPackError) {
        let index = try GitPackIndex(path: indexPath)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw GitPackError("\(path): \(String(cString: strerror(errno)))", damaged: false) }
        var st = stat()
        var head = [UInt8](repeating: 0, count: 12)
        var trailer = [UInt8](repeating: 0, count: 20)
        let offsets = index.sortedOffsets()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        // As git checks before using a pack: "PACK", version 2 or 3, the index's object count, and
        // the pack's trailing checksum recorded in the index (a stale or foreign index would
        // otherwise give other objects' bytes under these IDs). Checked before the object owns
        // the descriptor, so it is closed exactly once.
        guard size >= 32, Self.pread(fd, &head, at: 0), Self.pread(fd, &trailer, at: size - 20),
              head[0] == 0x50, head[1] == 0x41, head[2] == 0x43, head[3] == 0x4B,
              head[4] == 0, head[5] == 0, head[6] == 0, head[7] == 2 || head[7] == 3,
              Int(head[8]) << 24 | Int(head[9]) << 16 | Int(head[10]) << 8 | Int(head[11]) == index.count,
              trailer[...] == index.packChecksum,
              offsets.count == index.count, offsets.first.map({ $0 >= 12 }) ?? true,
              offsets.last.map({ $0 < size - 20 }) ?? true else {
            close(fd)
            throw GitPackError("\(path): not a pack matching its index", damaged: false)
        }
        self.index = index
        self.fd = fd
        self.path = path
        self.size = size
        self.offsets = offsets
    }

    deinit { close(fd) }

    private static func pread(_ fd: Int32, _ buffer: inout [UInt8], at offset: Int) -> Bool {
        buffer.withUnsafeMutableBytes { raw in readFully(fd, raw, at: offset) }
    }

    static func readFully(_ fd: Int32, _ raw: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
        var got = 0
        while got < raw.count {
            let n = Glibc.pread(fd, raw.baseAddress! + got, raw.count - got, off_t(offset + got))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            got += n
        }
        return true
    }

    /// Where the entry at `offset` ends: the next entry's start, or the pack's trailing checksum.
    private func end(of offset: Int) -> Int {
        var low = 0, high = offsets.count
        while low < high {
            let mid = (low + high) / 2
            if offsets[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        return low < offsets.count ? offsets[low] : size - 20
    }

    /// The header of the entry at `offset`.
    func entry(at offset: Int) throws(GitPackError) -> GitPackEntry {
        let end = end(of: offset)
        guard offset >= 12, end > offset else { throw GitPackError("\(path): no entry at offset \(offset)", damaged: false) }
        var head = [UInt8](repeating: 0, count: min(32, end - offset))
        guard Self.pread(fd, &head, at: offset) else { throw GitPackError("\(path): cannot read offset \(offset)", damaged: false) }
        var i = 0
        var byte = head[0]
        guard let kind = GitPackEntry.Kind(rawValue: (byte >> 4) & 7) else {
            throw GitPackError("\(path): unknown object type at offset \(offset)")
        }
        var size = Int(byte & 0x0F)
        var shift = 4
        while byte & 0x80 != 0 {
            i += 1
            guard i < head.count, shift < 60 else { throw GitPackError("\(path): bad entry header at offset \(offset)") }
            byte = head[i]
            size |= Int(byte & 0x7F) << shift
            shift += 7
        }
        i += 1
        var base: Int?
        switch kind {
        case .offsetDelta:
            // Big-endian base-128 with an added one per continuation byte (git's `get_delta_base`).
            guard i < head.count else { throw GitPackError("\(path): bad delta at offset \(offset)") }
            var c = head[i]
            var distance = Int(c & 0x7F)
            i += 1
            while c & 0x80 != 0 {
                guard i < head.count, distance < Int.max >> 8 else { throw GitPackError("\(path): bad delta at offset \(offset)") }
                c = head[i]
                distance = ((distance + 1) << 7) | Int(c & 0x7F)
                i += 1
            }
            guard distance > 0, distance <= offset - 12 else { throw GitPackError("\(path): bad delta base at offset \(offset)") }
            base = offset - distance
        case .referenceDelta:
            guard i + 20 <= head.count, let at = index.offset(of: GitObjectID(bytes: Array(head[i..<(i + 20)]))) else {
                throw GitPackError("\(path): delta base of the entry at offset \(offset) is not in this pack", damaged: false)
            }
            base = at
            i += 20
        default:
            break
        }
        return GitPackEntry(kind: kind, size: size, data: offset + i, end: end, base: base)
    }

    /// The entry's inflated data (the object, or the delta), exactly `entry.size` bytes.
    /// `scratch` holds the compressed bytes; it is reused between calls.
    func inflate(_ entry: GitPackEntry, scratch: inout [UInt8], inflater: ZlibBlock) throws(GitPackError) -> [UInt8] {
        // Not more than zlib can need for `size` bytes (stored blocks: 5 bytes per 64 KiB, plus
        // header and checksum): an index with entries missing must not make this read gigabytes.
        let bound = entry.size + (entry.size >> 10) + 64
        let compressed = min(entry.end - entry.data, bound)
        let cut = compressed < entry.end - entry.data
        guard compressed > 0 else { throw GitPackError("\(path): empty entry at offset \(entry.data)") }
        if scratch.count < compressed { scratch = [UInt8](repeating: 0, count: max(compressed, scratch.count * 2)) }
        let fd = self.fd
        let read = scratch.withUnsafeMutableBytes { raw in
            Self.readFully(fd, UnsafeMutableRawBufferPointer(rebasing: raw[0..<compressed]), at: entry.data)
        }
        guard read else { throw GitPackError("\(path): cannot read the entry at offset \(entry.data)", damaged: false) }
        var ok = false
        let out = scratch.withUnsafeBytes { input in
            [UInt8](unsafeUninitializedCapacity: entry.size) { buffer, initialized in
                ok = inflater.inflate(UnsafeRawBufferPointer(rebasing: input[0..<compressed]),
                                      into: UnsafeMutableRawBufferPointer(buffer)) != nil
                initialized = ok ? entry.size : 0
            }
        }
        // Cut short, the stream may just not fit what was read: git is asked instead.
        guard ok else { throw GitPackError("\(path): damaged data at offset \(entry.data)", damaged: !cut) }
        return out
    }
}

/// git's delta format: the base's size, the result's size (little-endian base-128), then
/// instructions that copy a range of the base or insert the bytes that follow.
enum GitDelta {
    /// The size the delta produces (read before applying, to keep memory bounded).
    static func resultSize(_ delta: [UInt8]) -> Int? {
        var i = 0
        guard varint(delta, &i) != nil else { return nil }
        return varint(delta, &i)
    }

    static func apply(_ delta: [UInt8], to base: [UInt8]) throws(GitPackError) -> [UInt8] {
        var i = 0
        guard let baseSize = varint(delta, &i), baseSize == base.count, let resultSize = varint(delta, &i) else {
            throw GitPackError("delta does not fit its base")
        }
        var failed = false
        let out = delta.withUnsafeBufferPointer { d in
            base.withUnsafeBufferPointer { b in
                [UInt8](unsafeUninitializedCapacity: resultSize) { target, initialized in
                    var at = 0
                    var p = i
                    let n = d.count
                    while p < n {
                        let op = d[p]
                        p += 1
                        if op & 0x80 != 0 {
                            var offset = 0, length = 0
                            for bit in 0..<4 where op & (1 << bit) != 0 {
                                guard p < n else { failed = true; break }
                                offset |= Int(d[p]) << (8 * bit)
                                p += 1
                            }
                            for bit in 0..<3 where op & (0x10 << bit) != 0 {
                                guard p < n else { failed = true; break }
                                length |= Int(d[p]) << (8 * bit)
                                p += 1
                            }
                            if length == 0 { length = 0x10000 }
                            guard !failed, offset + length <= b.count, at + length <= resultSize else { failed = true; break }
                            (target.baseAddress! + at).initialize(from: b.baseAddress! + offset, count: length)
                            at += length
                        } else if op != 0 {
                            let length = Int(op)
                            guard p + length <= n, at + length <= resultSize else { failed = true; break }
                            (target.baseAddress! + at).initialize(from: d.baseAddress! + p, count: length)
                            at += length
                            p += length
                        } else {
                            failed = true   // reserved
                            break
                        }
                    }
                    if at != resultSize { failed = true }
                    initialized = failed ? 0 : resultSize
                }
            }
        }
        if failed { throw GitPackError("damaged delta") }
        return out
    }

    private static func varint(_ d: [UInt8], _ i: inout Int) -> Int? {
        var value = 0, shift = 0
        while i < d.count {
            let c = d[i]
            i += 1
            value |= Int(c & 0x7F) << shift
            if c & 0x80 == 0 { return value }
            shift += 7
            if shift > 56 { return nil }
        }
        return nil
    }
}

import StreamIO

/// Scans one byte stream in large overlapping buffers and returns its hits with line and column.
///
/// One instance per worker thread: the buffer is allocated once and reused for every file, so
/// scanning allocates nothing per line or per chunk.
final class StreamScanner {
    static let chunkSize = 1 << 20
    /// Bytes carried from one buffer to the next: lookbehind for the buffer that follows, and
    /// lookahead for the one before (session tokens sit up to 4 KiB from their key).
    static let overlap = 16 << 10

    private let buffer: UnsafeMutableRawBufferPointer

    init() {
        buffer = .allocate(byteCount: Self.chunkSize + 2 * Self.overlap, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Scans `source` to its end. `head` holds bytes already read from it (a sniffed prefix).
    func scan(_ source: any ByteSource, head: [UInt8] = []) throws(StreamIOError) -> (hits: [RawHit], bytes: Int) {
        var hits: [RawHit] = []
        var filled = 0
        var absoluteBase = 0
        var ownedFrom = 0
        var eof = false
        // Line bookkeeping: newlines before `countedTo` (absolute) and the last newline seen.
        var linesBefore = 0
        var countedTo = 0
        var lastNewline = -1
        var total = 0
        var pendingHead = head[...]

        while !eof {
            // Fill the buffer completely (or to end of stream): fewer, larger scans.
            while filled < buffer.count {
                if !pendingHead.isEmpty {
                    let n = min(pendingHead.count, buffer.count - filled)
                    for (k, byte) in pendingHead.prefix(n).enumerated() { buffer[filled + k] = byte }
                    pendingHead = pendingHead.dropFirst(n)
                    filled += n
                    continue
                }
                let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                if n == 0 { eof = true; break }
                filled += n
                total += n
            }
            let view = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            let ownedTo = eof ? filled : filled - Self.overlap
            let firstNew = hits.count
            BufferScanner.scan(view, owned: ownedFrom..<ownedTo, absoluteBase: absoluteBase, into: &hits)
            if hits.count > firstNew {
                hits[firstNew...].sort { $0.offset < $1.offset }
            }
            // Resolve line/column of the new hits, then count the rest of the owned range.
            for h in firstNew..<hits.count {
                let local = hits[h].offset - absoluteBase
                let from = countedTo - absoluteBase
                linesBefore += AnchorSearch.countNewlines(view, in: from..<local)
                countedTo = hits[h].offset
                if let nl = lastNewlineIndex(view, before: local, notBefore: from) { lastNewline = absoluteBase + nl }
                hits[h].line = linesBefore + 1
                hits[h].column = hits[h].offset - lastNewline
            }
            // After the last buffer no hit is left to place: its lines are not counted.
            if eof { break }
            let from = countedTo - absoluteBase
            linesBefore += AnchorSearch.countNewlines(view, in: from..<ownedTo)
            if let nl = lastNewlineIndex(view, before: ownedTo, notBefore: from) { lastNewline = absoluteBase + nl }
            countedTo = absoluteBase + ownedTo
            // Keep `overlap` bytes before the next owned range as lookbehind.
            let keepFrom = ownedTo - Self.overlap
            let kept = filled - keepFrom
            memmoveBytes(buffer, from: keepFrom, count: kept)
            absoluteBase += keepFrom
            filled = kept
            ownedFrom = ownedTo - keepFrom
        }
        return (hits, total + head.count)
    }

    /// Scans bytes already in memory (a git blob, a JSON file read whole) where they are: the
    /// same windows, owned ranges and line bookkeeping as ``scan(_:head:)`` over a stream of these
    /// bytes, so the hits are the same, but no byte is copied into the chunk buffer.
    func scan(memory bytes: UnsafeRawBufferPointer) -> (hits: [RawHit], bytes: Int) {
        var hits: [RawHit] = []
        let n = bytes.count
        let window = buffer.count
        var absoluteBase = 0
        var ownedFrom = 0
        while true {
            // What the stream version's fill loop would hold: up to a buffer's worth; it meets the
            // end of the stream only when fewer bytes than that remain.
            let filled = min(window, n - absoluteBase)
            let eof = n - absoluteBase < window
            let view = UnsafeRawBufferPointer(rebasing: bytes[absoluteBase..<(absoluteBase + filled)])
            let ownedTo = eof ? filled : filled - Self.overlap
            let firstNew = hits.count
            BufferScanner.scan(view, owned: ownedFrom..<ownedTo, absoluteBase: absoluteBase, into: &hits)
            if hits.count > firstNew {
                hits[firstNew...].sort { $0.offset < $1.offset }
            }
            if eof { break }
            let keepFrom = ownedTo - Self.overlap
            absoluteBase += keepFrom
            ownedFrom = ownedTo - keepFrom
        }
        // Owned ranges follow each other, so the hits are in offset order: lines are counted
        // once, up to the last hit, with every byte in reach.
        var linesBefore = 0
        var countedTo = 0
        var lastNewline = -1
        for h in hits.indices {
            let offset = hits[h].offset
            linesBefore += AnchorSearch.countNewlines(bytes, in: countedTo..<offset)
            if let nl = lastNewlineIndex(bytes, before: offset, notBefore: countedTo) { lastNewline = nl }
            countedTo = offset
            hits[h].line = linesBefore + 1
            hits[h].column = offset - lastNewline
        }
        return (hits, n)
    }

    private func lastNewlineIndex(_ b: UnsafeRawBufferPointer, before end: Int, notBefore start: Int) -> Int? {
        var i = end - 1
        while i >= start {
            if b[i] == 0x0A { return i }
            i -= 1
        }
        return nil
    }

    private func memmoveBytes(_ b: UnsafeMutableRawBufferPointer, from: Int, count: Int) {
        guard count > 0, let base = b.baseAddress else { return }
        (base).copyMemory(from: base + from, byteCount: count)
    }
}

#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif
import CNeedle
import LogReaders

/// Finds ASCII case-insensitive occurrences of a few literal needles in a large buffer.
///
/// For each needle, 16-byte SIMD windows compare two of its bytes at once (the two rarest in
/// this log, from a byte histogram of its first block; else first and last);
/// only positions where both agree (the set bits of a `pmovmskb` mask) are checked, 8 bytes at a
/// time. This "packed pair" filter runs at several GB/s, so scanning a buffer once per anchor
/// group stays well below the cost of parsing. A large buffer is searched in 64 KiB tiles, every
/// group over one tile before the next, so the groups' passes read it from cache.
public struct NeedleSearcher: Sendable {
    /// A lowercased literal, compared 8 bytes at a time: each word of the text is ORed with 0x20
    /// in the bytes where the literal has a letter (that folds ASCII case and changes nothing else
    /// that could match) and compared with the literal's word. The last word may overlap the one
    /// before it.
    struct Pattern: Sendable {
        let bytes: [UInt8]
        let words: [(offset: Int, word: UInt64, fold: UInt64)]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var words: [(offset: Int, word: UInt64, fold: UInt64)] = []
            if bytes.count >= 8 {
                var starts = Array(stride(from: 0, to: bytes.count - 7, by: 8))
                if starts.last != bytes.count - 8 { starts.append(bytes.count - 8) }
                for o in starts {
                    var word: UInt64 = 0
                    var fold: UInt64 = 0
                    for k in 0..<8 {
                        word |= UInt64(bytes[o + k]) << (8 * k)
                        if isLetter(bytes[o + k]) { fold |= 0x20 << (8 * k) }
                    }
                    words.append((o, word, fold))
                }
            }
            self.words = words
        }

        /// Whether the text at `at` (with `count - at >= bytes.count`) is this literal, in any ASCII case.
        @inline(__always)
        func matches(_ base: UnsafeRawPointer, _ at: Int) -> Bool {
            if words.isEmpty {
                for j in 0..<bytes.count where asciiLower(base.load(fromByteOffset: at + j, as: UInt8.self)) != bytes[j] {
                    return false
                }
                return true
            }
            for w in words where (base.loadUnaligned(fromByteOffset: at + w.offset, as: UInt64.self).littleEndian | w.fold) != w.word {
                return false
            }
            return true
        }
    }

    struct Needle: Sendable {
        let bytes: [UInt8]      // lowercased anchor
        let pattern: Pattern
        /// The full needles this anchor stands for, with the anchor's offset inside each.
        let members: [(pattern: Pattern, offset: Int)]
        let firstOffset: Int
        let lastOffset: Int
        let first: UInt8
        let last: UInt8
        let firstFold: UInt8    // 0x20 when the byte is a letter (OR folds case), else 0
        let lastFold: UInt8
    }

    let needles: [Needle]
    /// The pair search runs on 32-byte AVX2 vectors (a C loop in CNeedle) rather than Swift's
    /// 16-byte ones: half the instructions for the same candidates.
    let wide: Bool

    /// Whether this CPU has AVX2 (releases are built for baseline x86-64, so it is asked).
    public static let cpuHasAVX2 = mamori_cpu_has_avx2() == 1

    /// - Parameter frequencies: how often each byte value occurs in the log (256 counts), to pick
    ///   the rarest pair of bytes of each needle; nil uses the first and last bytes.
    /// - Parameter wide: use the AVX2 loop (the default where the CPU has it; tests compare both).
    public init(_ needles: [String], frequencies: [Int]? = nil, wide: Bool = NeedleSearcher.cpuHasAVX2) {
        self.wide = wide && NeedleSearcher.cpuHasAVX2
        self.needles = Needles.anchorGroups(needles.filter { !$0.isEmpty }).map { group in
            let bytes = Array(group.anchor.utf8).map(asciiLower)
            let (i1, i2) = NeedleSearcher.rarePair(bytes, frequencies)
            let first = bytes[i1]
            let last = bytes[i2]
            let members: [(pattern: Pattern, offset: Int)] = group.members.map { member in
                let m = Array(member.utf8).map(asciiLower)
                return (Pattern(m), offsetOf(bytes, in: m))
            }
            return Needle(
                bytes: bytes, pattern: Pattern(bytes), members: members, firstOffset: i1, lastOffset: i2, first: first, last: last,
                firstFold: isLetter(first) ? 0x20 : 0, lastFold: isLetter(last) ? 0x20 : 0
            )
        }
    }

    /// Bytes searched for every needle before moving on: small enough to stay in the L2 cache
    /// while each anchor group's pass reads it, so a large block is streamed from memory once,
    /// not once per anchor group.
    static let tile = 64 << 10

    /// Appends to `hits` the start offset of every occurrence of any needle in `buffer`
    /// (unsorted across needles).
    public func findAll(in buffer: UnsafeRawBufferPointer, into hits: inout [Int]) {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        if count <= NeedleSearcher.tile || needles.count == 1 {
            for needle in needles where count >= needle.bytes.count {
                let i = pass(needle, base, count, from: 0, until: count, &hits)
                tail(needle, base, count, from: i, &hits)
            }
            return
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: needles.count) { next in
            // next[k]: the first start position needle k has not tested yet.
            next.initialize(repeating: 0)
            var tileEnd = 0
            while tileEnd < count {
                tileEnd = min(tileEnd + NeedleSearcher.tile, count)
                for k in needles.indices where count >= needles[k].bytes.count {
                    next[k] = pass(needles[k], base, count, from: next[k], until: tileEnd, &hits)
                }
            }
            for k in needles.indices where count >= needles[k].bytes.count {
                tail(needles[k], base, count, from: next[k], &hits)
            }
        }
    }

    /// The SIMD search of `needle` over start positions `from` up to `until` (in 64-byte rounds,
    /// so it may end a little past `until`), stopping where fewer than 64 positions remain in the
    /// buffer. Returns the first position not tested.
    @inline(__always)
    private func pass(_ needle: Needle, _ base: UnsafeRawPointer, _ count: Int, from: Int, until: Int, _ hits: inout [Int]) -> Int {
        let lastStart = count - needle.bytes.count // last valid start position
        let firstOffset = needle.firstOffset
        let lastOffset = needle.lastOffset
        let vFirst = SIMD16<UInt8>(repeating: needle.first)
        let vLast = SIMD16<UInt8>(repeating: needle.last)
        let foldFirst = SIMD16<UInt8>(repeating: needle.firstFold)
        let foldLast = SIMD16<UInt8>(repeating: needle.lastFold)
        var i = from
        // Four windows per round: one branch per 64 bytes in the common no-candidate case; the
        // candidates are the set bits of one 64-bit mask.
        let stop = min(until, lastStart - 62)   // i < stop: i + 64 <= lastStart + 1
        if wide {
            while i < stop {
                var bits: UInt64 = 0
                i = mamori_pair_scan_avx2(base.assumingMemoryBound(to: UInt8.self), i, stop, firstOffset,
                                          lastOffset, needle.first, needle.last, needle.firstFold, needle.lastFold, &bits)
                while bits != 0 {
                    let k = bits.trailingZeroBitCount
                    if needle.pattern.matches(base, i + k) { confirm(base, count, i + k, needle, &hits) }
                    bits &= bits &- 1
                }
                if i < stop { i += 64 }
            }
            return i
        }
        while i < stop {
            var bits: UInt64 = 0
            for k in 0..<4 {
                let a = base.loadUnaligned(fromByteOffset: i + 16 * k + firstOffset, as: SIMD16<UInt8>.self) | foldFirst
                let b = base.loadUnaligned(fromByteOffset: i + 16 * k + lastOffset, as: SIMD16<UInt8>.self) | foldLast
                bits |= UInt64(bitMask((a .== vFirst) .& (b .== vLast))) << (16 * k)
            }
            while bits != 0 {
                let k = bits.trailingZeroBitCount
                if needle.pattern.matches(base, i + k) { confirm(base, count, i + k, needle, &hits) }
                bits &= bits &- 1
            }
            i += 64
        }
        return i
    }

    /// The last start positions (fewer than 64), byte by byte.
    private func tail(_ needle: Needle, _ base: UnsafeRawPointer, _ count: Int, from: Int, _ hits: inout [Int]) {
        var i = from
        while i <= count - needle.bytes.count {
            if needle.pattern.matches(base, i) { confirm(base, count, i, needle, &hits) }
            i += 1
        }
    }

    /// Offsets of the two least frequent bytes of `needle` (distinct positions, in order).
    static func rarePair(_ needle: [UInt8], _ frequencies: [Int]?) -> (Int, Int) {
        guard needle.count > 1 else { return (0, 0) }
        guard let f = frequencies, f.count == 256 else { return (0, needle.count - 1) }
        func weight(_ b: UInt8) -> Int { isLetter(b) ? f[Int(b | 0x20)] + f[Int(b & ~0x20)] : f[Int(b)] }
        let ranked = needle.indices.sorted { (weight(needle[$0]), $0) < (weight(needle[$1]), $1) }
        let a = ranked[0]
        let b = ranked.first { needle[$0] != needle[a] } ?? ranked[1]
        return (min(a, b), max(a, b))
    }

    /// The anchor matched at `at`: record the start of every full needle that matches around it.
    @inline(__always)
    private func confirm(_ base: UnsafeRawPointer, _ count: Int, _ at: Int, _ needle: Needle, _ hits: inout [Int]) {
        for member in needle.members {
            let start = at - member.offset
            if start >= 0, start + member.pattern.bytes.count <= count, member.pattern.matches(base, start) {
                hits.append(start)
                return
            }
        }
    }

}

/// Offset of `needle` inside `haystack` (0 if absent, which cannot happen for anchors).
func offsetOf(_ needle: [UInt8], in haystack: [UInt8]) -> Int {
    guard haystack.count >= needle.count else { return 0 }
    for i in 0...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle { return i }
    return 0
}

@inline(__always)
func isLetter(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) }

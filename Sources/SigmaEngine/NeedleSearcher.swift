/// Finds ASCII case-insensitive occurrences of a few literal needles in a large buffer.
///
/// For each needle, 16-byte SIMD windows compare two of its bytes at once (the two rarest in
/// this log, from a byte histogram of its first block; else first and last);
/// only windows where both agree are checked byte by byte. This "packed pair" filter runs at
/// several GB/s, so scanning a buffer once per needle stays well below the cost of parsing.
public struct NeedleSearcher: Sendable {
    struct Needle: Sendable {
        let bytes: [UInt8]      // lowercased anchor
        /// The full needles this anchor stands for, with the anchor's offset inside each.
        let members: [(bytes: [UInt8], offset: Int)]
        let firstOffset: Int
        let lastOffset: Int
        let first: UInt8
        let last: UInt8
        let firstFold: UInt8    // 0x20 when the byte is a letter (OR folds case), else 0
        let lastFold: UInt8
    }

    let needles: [Needle]

    /// - Parameter frequencies: how often each byte value occurs in the log (256 counts), to pick
    ///   the rarest pair of bytes of each needle; nil uses the first and last bytes.
    public init(_ needles: [String], frequencies: [Int]? = nil) {
        self.needles = Needles.anchorGroups(needles.filter { !$0.isEmpty }).map { group in
            let bytes = Array(group.anchor.utf8).map(asciiLower)
            let (i1, i2) = NeedleSearcher.rarePair(bytes, frequencies)
            let first = bytes[i1]
            let last = bytes[i2]
            let members: [(bytes: [UInt8], offset: Int)] = group.members.map { member in
                let m = Array(member.utf8).map(asciiLower)
                return (m, offsetOf(bytes, in: m))
            }
            return Needle(
                bytes: bytes, members: members, firstOffset: i1, lastOffset: i2, first: first, last: last,
                firstFold: isLetter(first) ? 0x20 : 0, lastFold: isLetter(last) ? 0x20 : 0
            )
        }
    }

    /// Appends to `hits` the start offset of every occurrence of any needle in `buffer`
    /// (unsorted across needles).
    public func findAll(in buffer: UnsafeRawBufferPointer, into hits: inout [Int]) {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        for needle in needles {
            let n = needle.bytes.count
            guard count >= n else { continue }
            let lastStart = count - n // last valid start position
            let firstOffset = needle.firstOffset
            let vFirst = SIMD16<UInt8>(repeating: needle.first)
            let vLast = SIMD16<UInt8>(repeating: needle.last)
            let foldFirst = SIMD16<UInt8>(repeating: needle.firstFold)
            let foldLast = SIMD16<UInt8>(repeating: needle.lastFold)
            let zero = SIMD16<UInt8>(repeating: 0)
            let ones = SIMD16<UInt8>(repeating: 0xFF)
            var i = 0
            // Two windows per round: one branch per 32 bytes in the common no-candidate case.
            while i + 32 <= lastStart + 1 {
                let a1 = base.loadUnaligned(fromByteOffset: i + firstOffset, as: SIMD16<UInt8>.self) | foldFirst
                let b1 = base.loadUnaligned(fromByteOffset: i + needle.lastOffset, as: SIMD16<UInt8>.self) | foldLast
                let a2 = base.loadUnaligned(fromByteOffset: i + 16 + firstOffset, as: SIMD16<UInt8>.self) | foldFirst
                let b2 = base.loadUnaligned(fromByteOffset: i + 16 + needle.lastOffset, as: SIMD16<UInt8>.self) | foldLast
                // `any(mask)` lowers to a slow generic reduction; test the bits as words instead.
                let m1 = zero.replacing(with: ones, where: (a1 .== vFirst) .& (b1 .== vLast))
                let m2 = zero.replacing(with: ones, where: (a2 .== vFirst) .& (b2 .== vLast))
                let words = unsafeBitCast(m1 | m2, to: SIMD2<UInt64>.self)
                if (words[0] | words[1]) != 0 {
                    for k in 0..<16 where m1[k] != 0 {
                        if verify(base, i + k, needle.bytes) { confirm(base, count, i + k, needle, &hits) }
                    }
                    for k in 0..<16 where m2[k] != 0 {
                        if verify(base, i + 16 + k, needle.bytes) { confirm(base, count, i + 16 + k, needle, &hits) }
                    }
                }
                i += 32
            }
            while i <= lastStart {
                if verify(base, i, needle.bytes) { confirm(base, count, i, needle, &hits) }
                i += 1
            }
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
            if start >= 0, start + member.bytes.count <= count, verify(base, start, member.bytes) {
                hits.append(start)
                return
            }
        }
    }

    @inline(__always)
    private func verify(_ base: UnsafeRawPointer, _ at: Int, _ bytes: [UInt8]) -> Bool {
        for j in 0..<bytes.count where asciiLower(base.load(fromByteOffset: at + j, as: UInt8.self)) != bytes[j] {
            return false
        }
        return true
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

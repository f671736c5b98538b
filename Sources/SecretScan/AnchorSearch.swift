/// The prefilter: finds the few places where a detector could possibly match.
///
/// Two anchors cover every detector: the key-ID shape `A??A` (AKIA, ASIA, ABIA, ACCA all start and
/// end with `A`) and the word `secret` in any case (tested as `s`, `c`, `t` at offsets 0, 2, 5).
/// Thirty-two positions are tested at once with SIMD compares; only blocks with a hit fall back to
/// byte checks, so clean text costs a few vector instructions per 32 bytes.
enum AnchorSearch {
    typealias V = SIMD16<UInt8>

    /// Calls `body` with every candidate position in `range` (the caller confirms it).
    @inline(__always)
    static func candidates(_ b: UnsafeRawBufferPointer, in range: Range<Int>, _ body: (Int) -> Void) {
        guard let base = b.baseAddress, !range.isEmpty else { return }
        // Compares only (no vector OR with a constant: that is scalarised by the compiler).
        let upperA = V(repeating: 0x41)
        let s = V(repeating: 0x73), bigS = V(repeating: 0x53)
        let c = V(repeating: 0x63), bigC = V(repeating: 0x43)
        let t = V(repeating: 0x74), bigT = V(repeating: 0x54)
        var i = range.lowerBound
        // Vector loads read bytes i..<i+width+5.
        let vectorEnd = min(range.upperBound, b.count - V.scalarCount - 5)
        while i < vectorEnd {
            let v0 = base.loadUnaligned(fromByteOffset: i, as: V.self)
            let v2 = base.loadUnaligned(fromByteOffset: i + 2, as: V.self)
            let v3 = base.loadUnaligned(fromByteOffset: i + 3, as: V.self)
            let v5 = base.loadUnaligned(fromByteOffset: i + 5, as: V.self)
            let key = (v0 .== upperA) .& (v3 .== upperA)
            // The `c` too: `s` and `t` five bytes apart is common in prose and code (a 16-byte
            // block in sixteen had one), and each such block fell back to testing every position.
            let word = ((v0 .== s) .| (v0 .== bigS)) .& ((v2 .== c) .| (v2 .== bigC)) .& ((v5 .== t) .| (v5 .== bigT))
            let hit = key .| word
            // `any(_:)` is a generic reduction call here; two 64-bit lanes test the same thing inline.
            let lanes = unsafeBitCast(hit, to: SIMD2<UInt64>.self)
            if lanes[0] | lanes[1] != 0 {
                // The vector tests are exactly isCandidate's, with every byte in reach: a set lane
                // is a candidate. One bit per lane, visited lowest first (offset order).
                var low = lanes[0] & 0x0101_0101_0101_0101
                while low != 0 {
                    let p = i + (low.trailingZeroBitCount >> 3)
                    if p < range.upperBound { body(p) }
                    low &= low &- 1
                }
                var high = lanes[1] & 0x0101_0101_0101_0101
                while high != 0 {
                    let p = i + 8 + (high.trailingZeroBitCount >> 3)
                    if p < range.upperBound { body(p) }
                    high &= high &- 1
                }
            }
            i += V.scalarCount
        }
        while i < range.upperBound {
            if isCandidate(b, i) { body(i) }
            i += 1
        }
    }

    /// Sum of the eight bytes of `x`.
    @inline(__always)
    static func byteSum(_ x: UInt64) -> Int {
        let pairs = (x & 0x00FF_00FF_00FF_00FF) &+ ((x >> 8) & 0x00FF_00FF_00FF_00FF)
        return Int((pairs &* 0x0001_0001_0001_0001) >> 48)
    }

    @inline(__always)
    static func isCandidate(_ b: UnsafeRawBufferPointer, _ i: Int) -> Bool {
        if i + 3 < b.count, b[i] == 0x41, b[i + 3] == 0x41 { return true }
        return i + 5 < b.count && b[i] | 0x20 == 0x73 && b[i + 2] | 0x20 == 0x63 && b[i + 5] | 0x20 == 0x74
    }

    /// Counts `\n` bytes in `range`, a vector at a time.
    static func countNewlines(_ b: UnsafeRawBufferPointer, in range: Range<Int>) -> Int {
        guard let base = b.baseAddress, !range.isEmpty else { return 0 }
        let nl = V(repeating: 0x0A)
        var total = 0
        var i = range.lowerBound
        let vectorEnd = range.upperBound - V.scalarCount
        while i <= vectorEnd {
            // Byte lanes overflow after 255 additions: flush every 255 blocks.
            var acc = V(repeating: 0)
            var n = 0
            while n < 255 && i <= vectorEnd {
                let v = base.loadUnaligned(fromByteOffset: i, as: V.self)
                acc &-= unsafeBitCast(v .== nl, to: V.self)
                i += V.scalarCount
                n += 1
            }
            let lanes = unsafeBitCast(acc, to: SIMD2<UInt64>.self)
            total += byteSum(lanes[0]) + byteSum(lanes[1])
        }
        while i < range.upperBound {
            if b[i] == 0x0A { total += 1 }
            i += 1
        }
        return total
    }
}

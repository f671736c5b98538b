#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Zeek's default TSV logs (`conn.log`, `http.log`, …): `#separator`, `#fields`, `#unset_field`,
/// `#empty_field` directives, `\xNN` escapes. The header may appear again mid-file (log rotation
/// with `cat`), and is honoured each time.
struct ZeekTSVParser: LogLineParser {
    var separator: UInt8 = 0x09
    var fields: [String] = []
    var unset: [UInt8] = Array("-".utf8)
    var empty: [UInt8] = Array("(empty)".utf8)
    /// Fields the rules and the report use; nil keeps all. Others are not decoded.
    var wanted: Set<String>?
    private var keep: [Bool] = []

    init(wanted: Set<String>? = nil) { self.wanted = wanted }

    var valuesMayBeEscaped: Bool { true }
    var schemaGeneration = 0
    var fieldUniverse: Set<String>? { Set(fields) }

    mutating func inspect(_ line: UnsafeRawBufferPointer) -> LineVerdict {
        if line.first == UInt8(ascii: "#") {
            directive(line)
            return .directive
        }
        if line.isEmpty { return .directive }
        if fields.isEmpty { return .malformed("data line before the #fields header") }
        let count = countByte(line, separator) + 1
        if count != fields.count {
            return .malformed("has \(count) fields, #fields lists \(fields.count)")
        }
        return .data
    }

    /// The lines of `run` up to the first one `inspect` would not pass as plain data: a directive
    /// (`#…`) or a line whose field count differs from `#fields`. One SIMD pass turns each 64-byte
    /// window into bit masks of newlines and separators and counts the separators of each line
    /// with a popcount, so every line is still checked exactly (as `inspect` would), without a
    /// `memchr` and a function call per line.
    func quietPrefix(_ run: UnsafeRawBufferPointer) -> (bytes: Int, lines: Int) {
        guard let base = run.baseAddress, !fields.isEmpty, separator != 0x0A, separator != 0x0D else { return (0, 0) }
        let n = run.count
        let want = fields.count - 1
        if n == 0 || base.load(as: UInt8.self) == 0x23 { return (0, 0) }
        var lines = 0
        var lineStart = 0
        var seps = 0
        let vNewline = SIMD16<UInt8>(repeating: 0x0A)
        let vSeparator = SIMD16<UInt8>(repeating: separator)
        var i = 0
        // 64 bytes a round: a line is a few hundred bytes, so most rounds hold no newline and
        // only add their separators.
        while i + 64 <= n {
            var newlines: UInt64 = 0
            var separators: UInt64 = 0
            for k in 0..<4 {
                let v = base.loadUnaligned(fromByteOffset: i + 16 * k, as: SIMD16<UInt8>.self)
                newlines |= UInt64(bitMask(v .== vNewline)) << (16 * k)
                separators |= UInt64(bitMask(v .== vSeparator)) << (16 * k)
            }
            while newlines != 0 {
                let b = newlines.trailingZeroBitCount
                let below: UInt64 = (1 << UInt64(b)) &- 1
                seps += (separators & below).nonzeroBitCount
                separators &= ~below
                let end = i + b
                // The line ends at `end`. Blank lines (also a lone `\r`) are quiet like data lines.
                if seps != want && !isBlankLine(base, lineStart, end) { return (lineStart, lines) }
                lines += 1
                lineStart = end + 1
                seps = 0
                if lineStart < n && base.load(fromByteOffset: lineStart, as: UInt8.self) == 0x23 { return (lineStart, lines) }
                newlines &= newlines &- 1
            }
            seps += separators.nonzeroBitCount
            i += 64
        }
        while i < n {
            let c = base.load(fromByteOffset: i, as: UInt8.self)
            if c == separator {
                seps += 1
            } else if c == 0x0A {
                if seps != want && !isBlankLine(base, lineStart, i) { return (lineStart, lines) }
                lines += 1
                lineStart = i + 1
                seps = 0
                if lineStart < n && base.load(fromByteOffset: lineStart, as: UInt8.self) == 0x23 { return (lineStart, lines) }
            }
            i += 1
        }
        return (lineStart, lines)
    }

    private mutating func directive(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("#separator") {
            let value = text.dropFirst("#separator".count).trimmingCharacters(in: " \t")
            if let byte = ZeekTSVParser.unescape(Array(value.utf8)).first { separator = byte }
            return
        }
        let parts = text.split(separator: Character(UnicodeScalar(separator)), omittingEmptySubsequences: false).map(String.init)
        guard let key = parts.first else { return }
        switch key {
        case "#fields":
            fields = Array(parts.dropFirst())
            keep = fields.map { wanted?.contains($0) ?? true }
            schemaGeneration += 1
        case "#unset_field": if parts.count > 1 { unset = Array(parts[1].utf8) }
        case "#empty_field": if parts.count > 1 { empty = Array(parts[1].utf8) }
        default: break
        }
    }

    func parse(_ line: UnsafeRawBufferPointer) throws(LineProblem) -> Record {
        var record = Record()
        var index = 0
        var start = 0
        var i = 0
        while i <= line.count {
            if i == line.count || line[i] == separator {
                guard index < fields.count else { throw LineProblem(reason: "more fields than #fields lists") }
                if !keep[index] { index += 1; start = i + 1; i += 1; continue }
                let value = Array(line[start..<i])
                if value != unset {
                    record[fields[index]] = value == empty ? [] : ZeekTSVParser.unescape(value)
                }
                index += 1
                start = i + 1
            }
            i += 1
        }
        guard index == fields.count else { throw LineProblem(reason: "has \(index) fields, #fields lists \(fields.count)") }
        return record
    }

    /// Decodes `\xNN` escapes (Zeek escapes the separator and non-printable bytes this way).
    static func unescape(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "\\")) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.count, bytes[i + 1] == UInt8(ascii: "x"),
               let hi = IPAddress.hexValue(bytes[i + 2]), let lo = IPAddress.hexValue(bytes[i + 3]) {
                out.append(hi << 4 | lo)
                i += 4
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}

extension StringProtocol {
    public func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}

/// Counts occurrences of `byte` in `buffer` 16 bytes at a time (for cheap per-line field counts).
@inline(__always)
func countByte(_ buffer: UnsafeRawBufferPointer, _ byte: UInt8) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    let n = buffer.count
    let splat = SIMD16<UInt8>(repeating: byte)
    let one = SIMD16<UInt8>(repeating: 1)
    let zero = SIMD16<UInt8>(repeating: 0)
    var total = 0
    var i = 0
    while i + 16 <= n {
        var acc = zero
        var rounds = 0
        // Lanes are 8-bit: fold into `total` before 255 rounds can overflow them.
        while i + 16 <= n && rounds < 255 {
            let v = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            acc &+= zero.replacing(with: one, where: v .== splat)
            i += 16
            rounds += 1
        }
        total += Int(SIMD16<UInt16>(truncatingIfNeeded: acc).wrappedSum())
    }
    while i < n {
        if base.load(fromByteOffset: i, as: UInt8.self) == byte { total += 1 }
        i += 1
    }
    return total
}

/// Empty, or a lone `\r` (a blank CRLF line): the scanner strips the `\r` before `inspect`.
@inline(__always)
func isBlankLine(_ base: UnsafeRawPointer, _ start: Int, _ end: Int) -> Bool {
    end == start || (end == start + 1 && base.load(fromByteOffset: start, as: UInt8.self) == 0x0D)
}

/// One bit per lane of a 16-lane comparison (bit k set when lane k is true). On x86-64 it is
/// SSE2's `pmovmskb` (baseline, one instruction; the standard library does not expose it). Elsewhere
/// each lane keeps its weight 2^(k mod 8) and a multiplication adds the eight weights of each half
/// into its top byte. Public and inlinable: SigmaEngine's `NeedleSearcher` uses the same one, and
/// it must still inline into both hot loops.
@inlinable @inline(__always)
public func bitMask(_ m: SIMDMask<SIMD16<Int8>>) -> UInt32 {
#if arch(x86_64)
    return UInt32(truncatingIfNeeded: _mm_movemask_epi8(unsafeBitCast(m, to: SIMD2<Int64>.self)))
#else
    let weights = SIMD16<UInt8>(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128)
    let picked = SIMD16<UInt8>(repeating: 0).replacing(with: weights, where: m)
    let words = unsafeBitCast(picked, to: SIMD2<UInt64>.self)
    let lo = (words[0] &* 0x0101_0101_0101_0101) >> 56
    let hi = (words[1] &* 0x0101_0101_0101_0101) >> 56
    return UInt32(truncatingIfNeeded: lo | hi << 8)
#endif
}

import MamoriTestSupport
import Testing
@testable import LogReaders

/// The Zeek reader's bulk check of the lines between two prefilter hits (`quietPrefix`, used by
/// the IMDS scanner's hit-to-hit walk) must stop exactly where the per-line check would.
@Suite struct ZeekQuietPrefixTests {
    /// `quietPrefix` against `inspect` line by line, on random runs of lines.
    @Test func quietPrefixAgreesWithInspect() {
        var rng = SplitMix64(seed: 4)
        var parser = ZeekTSVParser()
        _ = Array("#fields\ta\tb\tc".utf8).withUnsafeBytes { parser.inspect($0) }
        let kinds = ["x\ty\tz", "xx\tyyyyyyyyyyyyyyyyyy\tz", "\t\t", "", "\r", "a\tb", "a\tb\tc\td", "#c", "a#\tb\t#", "a\tb\tc\r",
                     "a\tb\r\tc", "long-field-long-field-long-field\tb\tccccccccccccccccccccccccccccccccccccc", " "]
        for _ in 0..<3000 {
            var lines: [String] = []
            for _ in 0..<Int(rng.next() % 60) { lines.append(kinds[Int(rng.next() % UInt64(kinds.count))]) }
            let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
            // Expected: lines until the first one inspect would not pass as plain data or blank.
            var expected = (bytes: 0, lines: 0)
            var probe = parser
            for l in lines {
                var line = Array(l.utf8)
                if line.last == 0x0D { line.removeLast() }
                let verdict = line.withUnsafeBytes { probe.inspect($0) }
                if line.first == UInt8(ascii: "#") { break }
                if case .malformed = verdict { break }
                expected.bytes += l.utf8.count + 1
                expected.lines += 1
            }
            let got = bytes.withUnsafeBytes { parser.quietPrefix($0) }
            #expect(got.bytes == expected.bytes && got.lines == expected.lines, "\(lines)")
        }
    }
}

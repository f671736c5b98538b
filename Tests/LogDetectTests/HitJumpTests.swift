import Foundation
import Testing
@testable import LogDetect
@testable import LogReaders
@testable import SigmaEngine

/// With the prefilter, `Scanner.scanBlock` jumps from hit to hit and lets the parser vouch for the
/// lines in between in bulk (`quietPrefix`). Every result must stay what the per-line walk gives:
/// alerts (with first line numbers), counts, malformed lines (line numbers and reasons), line totals.
@Suite struct HitJumpTests {
    static let fields = ["ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "method", "host", "uri", "user_agent"]
    static let header = [
        "#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-", "#path\thttp",
        "#fields\t" + fields.joined(separator: "\t"),
        "#types\ttime\taddr\tport\taddr\tport\tstring\tstring\tstring\tstring",
    ]

    /// A data line; every `i` has its own source, so every hit is its own alert with its own line.
    static func line(_ i: Int, dst: String = "93.184.216.34", uri: String = "/index.html", sep: String = "\t") -> String {
        ["1759881600.\(i)", "10.\(i / 62500 % 250).\(i / 250 % 250).\(i % 250 + 1)", "\(40000 + i % 20000)", dst, "80", "GET",
         "example.com", uri, "curl/8.\(i % 7)"].joined(separator: sep)
    }

    static func hit(_ i: Int, sep: String = "\t") -> String {
        line(i, dst: "169.254.169.254", uri: "/latest/meta-data/iam/security-credentials/", sep: sep)
    }

    func run(_ path: String, format: LogFormat?, prefilter: Bool, bufferSize: Int) async throws -> ScanReport {
        let options = ScanOptions(rules: [CompiledRule(try BuiltInRules.imdsRule())], format: format, malformedExamples: 10_000,
                                  prefilter: prefilter)
        var scanner = Scanner(options: options)
        scanner.readBufferSize = bufferSize
        return await scanner.scan(paths: [path])
    }

    /// Scans `text` with the prefilter at several buffer sizes (so hits fall on the first and last
    /// lines of blocks) and compares everything with the per-line walk without prefilter.
    @discardableResult
    func sameAsPerLine(_ text: String, format: LogFormat? = nil, sizes: [Int] = [64, 300, 1000, 4096, 4 << 20],
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> ScanReport {
        let path = try writeTemp(text, name: "http.log")
        let reference = try await run(path, format: format, prefilter: false, bufferSize: 4 << 20)
        for size in sizes {
            let fast = try await run(path, format: format, prefilter: true, bufferSize: size)
            #expect(!fast.prefilter.isEmpty, sourceLocation: sourceLocation)
            #expect(fast.alerts == reference.alerts, "buffer \(size)", sourceLocation: sourceLocation)
            #expect(fast.malformedCount == reference.malformedCount, "buffer \(size)", sourceLocation: sourceLocation)
            #expect(fast.malformed == reference.malformed, "buffer \(size)", sourceLocation: sourceLocation)
            #expect(fast.lines == reference.lines, "buffer \(size)", sourceLocation: sourceLocation)
        }
        return reference
    }

    @Test func hitsOnFirstAndLastLinesOfBlocks() async throws {
        let planted: Set<Int> = [0, 1, 2, 17, 18, 40, 41, 42, 99, 150, 151, 298, 299]
        let lines = (0..<300).map { planted.contains($0) ? Self.hit($0) : Self.line($0) }
        let report = try await sameAsPerLine((Self.header + lines).joined(separator: "\n") + "\n")
        #expect(report.alerts.map(\.count).reduce(0, +) == planted.count)
        #expect(report.alerts.first?.line == Self.header.count + 1)
        #expect(report.alerts.last?.line == Self.header.count + 300)
        #expect(report.malformedCount == 0)
    }

    @Test func fileWithoutTrailingNewline() async throws {
        let body = (0..<50).map { $0 == 20 ? Self.hit($0) : Self.line($0) }
        // Last line a hit, then last line a plain line, both without "\n".
        let a = try await sameAsPerLine((Self.header + body + [Self.hit(50)]).joined(separator: "\n"))
        #expect(a.alerts.count == 2)
        #expect(a.alerts.last?.line == Self.header.count + 51)
        let b = try await sameAsPerLine((Self.header + body + [Self.line(50)]).joined(separator: "\n"))
        #expect(b.alerts.count == 1)
        #expect(b.lines == Self.header.count + 51)
    }

    @Test func crlfLinesAndBlankLines() async throws {
        var lines = (0..<120).map { $0 % 37 == 5 ? Self.hit($0) : Self.line($0) }
        lines.insert("", at: 30)
        lines.insert("", at: 31)
        lines.insert(" ", at: 60)  // not blank to Zeek: one field, malformed
        lines.insert(Self.line(500) + "\t", at: 90)
        let report = try await sameAsPerLine((Self.header + lines).joined(separator: "\r\n") + "\r\n")
        #expect(report.alerts.count == 4)
        #expect(report.malformedCount == 2)
    }

    @Test func directivesChangingBetweenHits() async throws {
        var text = (Self.header + (0..<40).map { $0 == 10 ? Self.hit($0) : Self.line($0) }).joined(separator: "\n") + "\n"
        // A rotated log appended: other fields (no user_agent, host first), then the old layout's
        // lines, now malformed, then a separator change to commas.
        text += "#close\t2025-10-08-01-00-00\n"
        let fields2 = ["host", "ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "method", "uri"]
        text += "#fields\t" + fields2.joined(separator: "\t") + "\n"
        for i in 100..<140 {
            let dst = i == 120 ? "169.254.169.254" : "93.184.216.34"
            text += ["example.com", "1759881700.\(i)", "10.9.0.\(i)", "4000", dst, "80", "GET", "/x"].joined(separator: "\t") + "\n"
        }
        for i in 140..<150 { text += Self.line(i) + "\n" }      // 9 fields under an 8-field header
        text += "#separator \\x2c\n"
        text += "#fields," + Self.fields.joined(separator: ",") + "\n"
        for i in 150..<200 { text += (i == 170 ? Self.hit(i, sep: ",") : Self.line(i, sep: ",")) + "\n" }
        text += Self.line(200) + "\n"                           // tabs, no commas: malformed now
        text += "# a comment line\n"
        for i in 201..<230 { text += (i == 229 ? Self.hit(i, sep: ",") : Self.line(i, sep: ",")) + "\n" }
        let report = try await sameAsPerLine(text)
        #expect(report.alerts.count == 4)
        #expect(report.malformedCount == 11)
    }

    @Test func malformedLinesInGaps() async throws {
        // The first line comes before the header ("data line before the #fields header"), so the
        // format is given: it cannot be detected from that line.
        var lines: [String] = [Self.line(0)]
        lines += Self.header
        for i in 1..<200 {
            switch i {
            case 7, 150: lines.append(Self.hit(i))
            case 20: lines.append(Self.line(i) + "\textra")
            case 21: lines.append(Self.line(i).split(separator: "\t").dropLast().joined(separator: "\t"))
            // One field too many and one too few on neighbouring lines: the totals of the gap
            // agree with the header, each line does not; both must be reported.
            case 60: lines.append(Self.line(i) + "\textra")
            case 61: lines.append(Self.line(i).split(separator: "\t").dropLast().joined(separator: "\t"))
            case 100: lines.append("garbage without separators")
            case 101: lines.append("")
            case 102: lines.append("\t\t\t\t\t\t\t\t")         // right field count, all empty
            case 103: lines.append(Self.line(i).replacingOccurrences(of: "/index.html", with: "/a#b"))
            default: lines.append(Self.line(i))
            }
        }
        let report = try await sameAsPerLine(lines.joined(separator: "\n") + "\n", format: .zeek)
        #expect(report.malformedCount == 6)
        #expect(report.malformed.map(\.line) == [1, 28, 29, 68, 69, 108])
        #expect(report.alerts.count == 2)
    }

    @Test func escapedHitAndHashesInsideLines() async throws {
        var lines = (0..<80).map { Self.line($0) }
        lines[30] = Self.line(30, uri: "/latest/meta\\x2ddata/")     // found through the backslash
        lines[31] = Self.line(31, uri: "/#/latest#")
        lines[60] = Self.hit(60)
        try await sameAsPerLine((Self.header + lines).joined(separator: "\n") + "\n")
    }

    /// Random mixes of every kind of line, at random buffer sizes.
    @Test func randomMixes() async throws {
        var rng = SplitMix64(seed: 17)
        for round in 0..<12 {
            var lines = Self.header
            for i in 0..<Int(rng.next() % 300) + 1 {
                switch rng.next() % 40 {
                case 0: lines.append(Self.hit(i))
                case 1: lines.append("")
                case 2: lines.append(Self.line(i) + "\textra")
                case 3: lines.append("#fields\t" + Self.fields.joined(separator: "\t"))
                case 4: lines.append("#close")
                case 5: lines.append(Self.line(i).split(separator: "\t").dropLast().joined(separator: "\t"))
                case 6: lines.append(Self.line(i, uri: "/a\\x20b"))
                default: lines.append(Self.line(i))
                }
            }
            let newline = round % 3 == 0 ? "\r\n" : "\n"
            var text = lines.joined(separator: newline)
            if round % 2 == 0 { text += newline }
            let sizes = [Int(rng.next() % 2000) + 32, Int(rng.next() % 300) + 16, 4 << 20]
            try await sameAsPerLine(text, sizes: sizes)
        }
    }
}

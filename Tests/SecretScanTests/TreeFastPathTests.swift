import Foundation
import Testing
@testable import SecretScan

/// A small seeded generator, so a failing random case can be run again.
struct XorShift: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

/// The tree scan's fast paths (issue #17, third round) give the answers of the slower code they
/// replaced: the vector prefilter, the JSON pre-scan by runs, the early exit of the base64 probe,
/// whole-file reads and whole gzip and zip members.
struct TreeFastPathTests {
    // MARK: prefilter

    /// Every position the vector loop reports passes the scalar test, and no other does.
    @Test func anchorCandidatesAreExactlyTheScalarTest() {
        var rng = XorShift(seed: 17)
        let alphabet = Array("AAKIsSecCtTrx \n".utf8)
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            bytes.withUnsafeBytes { b in
                let lo = b.isEmpty ? 0 : Int.random(in: 0...b.count, using: &rng)
                let hi = Int.random(in: lo...b.count, using: &rng)
                var vector: [Int] = []
                AnchorSearch.candidates(b, in: lo..<hi) { vector.append($0) }
                let scalar = (lo..<hi).filter { AnchorSearch.isCandidate(b, $0) }
                #expect(vector == scalar, "\(String(decoding: bytes, as: UTF8.self).debugDescription) \(lo)..<\(hi)")
            }
        }
    }

    // MARK: base64 probe

    /// The probe's early exit (more than a tenth of what can decode is not text) answers as the
    /// full decode does.
    @Test func base64ProbeStopsEarlyWithTheSameAnswer() {
        var rng = XorShift(seed: 5)
        let symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_".utf8)
        let texts = ["aws_secret_access_key = abc", "a note that is long", "\u{1F}\u{8B}\u{8}binary", "PK\u{3}\u{4}zip"]
        for round in 0..<20_000 {
            var text: [UInt8]
            switch round % 4 {
            case 0: text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in symbols.randomElement(using: &rng)! }
            case 1: text = Array(Data(texts.randomElement(using: &rng)!.utf8).base64EncodedString().utf8)
            case 2:
                // Text with a few symbols changed: near the 90 % line.
                text = Array(Data(texts[1].utf8).base64EncodedString().utf8)
                for _ in 0..<Int.random(in: 1...4, using: &rng) { text[Int.random(in: 0..<text.count, using: &rng)] = symbols.randomElement(using: &rng)! }
            default:
                text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in (symbols + Array("= \n".utf8)).randomElement(using: &rng)! }
            }
            let decoded = Base64Text.decode(text)
            let expected = Base64Text.looksLikeText(decoded) || ContentKind.isArchiveStart(decoded)
            let got = text.withUnsafeBytes { Base64Text.startsLikeTextOrArchive($0) }
            #expect(got == expected, "\(String(decoding: text, as: UTF8.self))")
        }
    }

    // MARK: JSON pre-scan

    /// The per-quote test as it was before the vector head (one byte at a time): the model.
    static func quotePassesByBytes(_ b: UnsafeRawBufferPointer, _ q: Int) -> Bool {
        let n = b.count
        let minLength = JSONBase64Values.minLength
        func isSymbol(_ c: UInt8) -> Bool { Base64Text.isSymbol(c) }
        func probePasses(_ headSymbols: Int) -> Bool {
            Base64Text.startsLikeTextOrArchive(UnsafeRawBufferPointer(rebasing: b[(q + 1)..<(q + 1 + (headSymbols & ~3))]))
        }
        var i = q + 1
        var headSymbols = 0
        var inHead = true
        var probed: Bool?
        while i < n {
            if inHead && i - q - 1 == 32 {
                inHead = false
                probed = probePasses(headSymbols)
                if probed == false { break }
            }
            let c = b[i]
            if isSymbol(c) {
                if inHead { headSymbols += 1 }
                i += 1
            } else if c == 0x5C, i + 1 < n, b[i + 1] == 0x2F || b[i + 1] == 0x6E || b[i + 1] == 0x72 {
                if inHead {
                    inHead = false
                    if headSymbols >= minLength {
                        probed = probePasses(headSymbols)
                        if probed == false { break }
                    }
                }
                i += 2
            } else if c == 0x0A || c == 0x0D {
                if inHead { break }
                i += 1
            } else {
                break
            }
        }
        guard probed != false, i >= n || b[i] == 0x22, i - q - 1 >= minLength else { return false }
        return headSymbols < minLength || (probed ?? probePasses(headSymbols))
    }

    /// Random JSON-like text: quotes, base64 of text, identifiers and hashes of every length
    /// around the thresholds, escapes, line breaks, blanks and punctuation.
    static func jsonLike(_ rng: inout XorShift) -> [UInt8] {
        let note = Data("a note that is long enough to try, with more text in it".utf8).base64EncodedString()
        let symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=".utf8)
        var out: [UInt8] = []
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: out += Array(note.prefix(Int.random(in: 0...note.count, using: &rng)).utf8)
            case 1: out += (0..<Int.random(in: 10...45, using: &rng)).map { _ in symbols.randomElement(using: &rng)! }
            case 2: out += Array(["\\n", "\\/", "\\r", "\\\"", "\\\\", "\n", "\r\n"].randomElement(using: &rng)!.utf8)
            case 3: out += Array(["\"", "\": \"", "\", \"", "{\"", "\"}", "[\""].randomElement(using: &rng)!.utf8)
            case 4:
                // Base64 of text wrapped with escapes or raw line breaks.
                let wrap = ["\\n", "\n", "\\r\\n"].randomElement(using: &rng)!
                var rest = Substring(note)
                while !rest.isEmpty { out += Array(rest.prefix(Int.random(in: 8...40, using: &rng)).utf8); rest = rest.dropFirst(20); if !rest.isEmpty { out += Array(wrap.utf8) } }
            case 5: out += Array(" :,.<>".utf8).shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng))
            default: out += (0..<Int.random(in: 1...30, using: &rng)).map { _ in (symbols + Array("\" \\".utf8)).randomElement(using: &rng)! }
            }
        }
        return out
    }

    /// The pre-scan by runs says "candidate" exactly when some quote passes the per-quote test,
    /// and the per-quote test with its vector head answers as the byte loop did.
    @Test func jsonPreScanAgreesWithEveryQuoteTested() {
        var rng = XorShift(seed: 42)
        var positives = 0
        for _ in 0..<20_000 {
            let bytes = Self.jsonLike(&rng)
            bytes.withUnsafeBytes { b in
                var expected = false
                Base64Text.symbolTable.withUnsafeBufferPointer { symbols in
                    for q in b.indices where b[q] == 0x22 {
                        let model = Self.quotePassesByBytes(b, q)
                        #expect(JSONBase64Values.quotePasses(b, q, symbols: symbols) == model,
                                "quote \(q) of \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                        if model { expected = true }
                    }
                }
                if expected { positives += 1 }
                #expect(JSONBase64Values.hasCandidate(b) == expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
        }
        // Both answers were met often enough to mean something.
        #expect(positives > 1000 && positives < 19_000, "\(positives)")
    }

    // MARK: whole files, gzip and zip members

    /// Keys at the very end of files just under, at and over the whole-read size (read whole, or
    /// streamed in windows) get the same lines and columns.
    @Test func filesAroundTheWholeReadSizeScanAlike() {
        let dir = TempDir()
        var expected: [String: Int] = [:]
        for delta in [-1, 0, 1] {
            // Whole padding lines of 21 bytes, then one shorter line, then the pair.
            let padding = ContentScanner.wholeFileBytes + delta - InputTests.pairText.utf8.count
            var prefix = String(repeating: "x = 1 # padding line\n", count: padding / 21)
            if padding % 21 > 0 { prefix += String(repeating: "#", count: padding % 21 - 1) + "\n" }
            let text = prefix + InputTests.pairText
            #expect(text.utf8.count == ContentScanner.wholeFileBytes + delta)
            dir.write("f\(delta + 1).env", text)
            expected["f\(delta + 1).env"] = prefix.utf8.filter { $0 == 0x0A }.count + 1
        }
        let r = SecretScanner.scan(paths: [dir.path], options: SecretScanOptions(workers: 2))
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.findings.count == 3)
        for f in r.findings {
            let name = (f.file as NSString).lastPathComponent
            #expect(f.line == expected[name], "\(name)")
            #expect(f.column == 21)
            #expect(f.secret?.reveal() == Planted.secret)
        }
    }

    /// A binary past the first read is skipped after its head (and counted), a text file past it
    /// is read to its end: the sniff decides on the first 8 KiB, as it did.
    @Test func binariesStopAtTheirHeadTextGoesOn() {
        let dir = TempDir()
        var binary = Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 0])
        binary.append(Data(String(repeating: "y", count: 100_000).utf8))
        binary.append(Data(InputTests.pairText.utf8))
        dir.write("app.bin", binary)
        // A NUL only after the sniffed 8 KiB: text, as before, scanned to its end.
        var late = Data(String(repeating: "z = 1\n", count: 3000).utf8)
        late.append(0)
        late.append(Data(("\n" + InputTests.pairText).utf8))
        dir.write("late.txt", late)
        dir.write("long.env", String(repeating: "# comment line\n", count: 5000) + InputTests.pairText)
        let r = SecretScanner.scan(paths: [dir.path], options: SecretScanOptions(workers: 1))
        #expect(r.stats.skippedBinary == 1)
        #expect(Set(r.findings.map { "\(($0.file as NSString).lastPathComponent):\($0.line)" }) == ["late.txt:3002", "long.env:5001"])
    }

    /// One gzip member (decoded whole), two concatenated members and a tar.gz (streamed), a
    /// `.json.gz` whose value hides a key (decoded whole, then walked in memory): the same
    /// findings, names and lines as before.
    @Test func gzipWholeOrStreamedFindsTheSame() throws {
        let dir = TempDir()
        dir.write("payload/creds.env", "# config\n" + InputTests.pairText)
        dir.write("payload/more.env", "aws_access_key_id = \(Planted.secondKeyId)\naws_secret_access_key = \(Planted.secondSecret)\n")
        let note = Data(("note: " + InputTests.pairText).utf8).base64EncodedString()
        dir.write("payload/export.json", "{\n  \"a\": \"x\",\n  \"b\": \"\(note)\"\n}\n")
        #expect(run(["sh", "-c", "gzip -c payload/creds.env > one.gz && gzip -c payload/more.env > two.gz && cat one.gz two.gz > both.gz && rm two.gz"
                     + " && gzip -c payload/export.json > export.json.gz && tar -czf all.tar.gz -C payload creds.env"], in: dir.path) == 0)
        let r = SecretScanner.scan(paths: [dir.path + "/one.gz", dir.path + "/both.gz", dir.path + "/export.json.gz", dir.path + "/all.tar.gz"],
                                   options: SecretScanOptions(workers: 1))
        #expect(r.errors.isEmpty, "\(r.errors)")
        let seen = r.findings.map { "\(($0.file as NSString).lastPathComponent):\($0.line):\($0.keyId ?? "")" }
        #expect(seen.sorted() == [
            "all.tar.gz!creds.env:2:\(Planted.keyId)",
            "both.gz:2:\(Planted.keyId)",
            "both.gz:4:\(Planted.secondKeyId)",
            "export.json.gz!$.b:1:\(Planted.keyId)",
            "one.gz:2:\(Planted.keyId)",
        ].sorted())
        // The tar.gz counts twice (its gzip, then its tar), as before.
        #expect(r.stats.archives == 5)
    }

    /// A gzip member that would take the input past its budget is streamed, as before, and stops
    /// where the stream did (here at its first full buffer, before any key: the release binary
    /// before this change gave the same answer); within the budget it is decoded whole.
    @Test func gzipPastTheBudgetIsStreamedAndStopsWhereItDid() {
        let dir = TempDir()
        dir.write("big.log", InputTests.pairText + String(repeating: "INFO nothing to see here\n", count: 100_000))
        #expect(run(["gzip", "big.log"], in: dir.path) == 0)
        let path = dir.path + "/big.log.gz"
        let stopped = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1, archiveLimits: ArchiveLimits(maxExpandedBytes: 1 << 20)))
        #expect(stopped.findings.isEmpty)
        #expect(stopped.stats.stoppedByLimits == 1)
        #expect(stopped.errors == ["\(path): scan stopped: its archives expand to more than 1 MiB (--max-archive-size); what it expanded to after that was not scanned"])
        let whole = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1, archiveLimits: ArchiveLimits(maxExpandedBytes: 4 << 20)))
        #expect(whole.errors.isEmpty && !whole.isPartial, "\(whole.errors)")
        #expect(whole.findings.map(\.line) == [1])
    }

    /// A damaged member is not decoded whole: the streaming reader scans what it can and says
    /// where the damage is, in its own words.
    @Test func damagedGzipIsWordedByTheStreamingReader() throws {
        let dir = TempDir()
        dir.write("creds.env", InputTests.pairText)
        #expect(run(["gzip", "creds.env"], in: dir.path) == 0)
        let path = dir.path + "/creds.env.gz"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 6] ^= 0xFF   // the CRC
        dir.write("creds.env.gz", Data(bytes))
        let r = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1))
        #expect(r.errors.count == 1)
        #expect(r.errors.first?.hasPrefix("\(path) is not valid gzip/zlib data near compressed byte") == true, "\(r.errors)")
        #expect(r.errors.first?.contains("incorrect data check") == true, "\(r.errors)")
    }

    /// Deflated zip members are decoded whole; one whose central directory understates its size
    /// is streamed instead, with the same finding.
    @Test func zipMembersWholeOrStreamedFindTheSame() throws {
        let dir = TempDir()
        dir.write("payload/config/app.env", "# app\n" + InputTests.pairText)
        #expect(run(["python3", "-c", "import zipfile; z = zipfile.ZipFile('a.zip', 'w', zipfile.ZIP_DEFLATED); "
                     + "z.write('payload/config/app.env', 'config/app.env'); z.close()"], in: dir.path) == 0)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.path + "/a.zip")))
        // The central directory entry's uncompressed size (offset 24): one byte short.
        func isCentralEntry(_ i: Int) -> Bool {
            let b0 = bytes[i], b1 = bytes[i + 1], b2 = bytes[i + 2], b3 = bytes[i + 3]
            return b0 == 0x50 && b1 == 0x4B && b2 == 1 && b3 == 2
        }
        let found: Int? = (0..<(bytes.count - 4)).last(where: isCentralEntry)
        let cd = try #require(found)
        let honest = ZipReader(bytes: MemoryBytes(bytes, name: "a.zip"))
        let member = try #require(try honest.members().first)
        #expect(try honest.openWhole(member, displayName: "m", maxOutput: 1 << 20) != nil)
        bytes[cd + 24] &-= 1
        dir.write("lying.zip", Data(bytes))
        let lying = ZipReader(bytes: MemoryBytes(bytes, name: "lying.zip"))
        #expect(try lying.openWhole(try #require(try lying.members().first), displayName: "m", maxOutput: 1 << 20) == nil)
        for name in ["a.zip", "lying.zip"] {
            let r = SecretScanner.scan(paths: [dir.path + "/" + name], options: SecretScanOptions(workers: 1))
            #expect(r.errors.isEmpty, "\(name): \(r.errors)")
            #expect(r.findings.map { "\($0.file):\($0.line)" } == ["\(dir.path)/\(name)!config/app.env:2"], "\(name)")
            #expect(r.findings.first?.secret?.reveal() == Planted.secret)
        }
    }

    /// The e-mail and JSON sniffer's quick test on the first line answers as the line-by-line test.
    @Test func encodedTextSniffQuickTestAgreesWithTheLines() {
        let heads = [
            "From: a@example.com\nMIME-Version: 1.0\nContent-Type: text/plain\n\nbody\n",
            "Received: from x\n\tby y\nFrom: a@example.com\nSubject: s\n\nbody\n",
            "From a@example.com Tue Dec  1 10:00:00 2026\nFrom: a@example.com\nSubject: x\n\nhi\n",
            "Foo bar: x\nFrom: a@example.com\nMIME-Version: 1.0\n\n",
            "key:value\nFrom: a@example.com\nMIME-Version: 1.0\n\n",
            "Subject: hello\n\nbody\n", "import os\n", "name: build\non: push\n", "From the start\n", "Header: no newline",
            "To:x\r\nFrom: a@example.com\r\nMIME-Version: 1.0\r\n\r\n", "\u{FEFF}From: a@example.com\nDate: x\n\n",
        ]
        for head in heads {
            let bytes = Array(head.utf8)
            #expect(bytes.withUnsafeBytes { EncodedTextKind.sniff($0) } == EncodedTextKind.sniffLines(bytes), "\(head.debugDescription)")
        }
    }
}

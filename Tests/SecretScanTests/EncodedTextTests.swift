import Foundation
import Testing
@testable import SecretScan

/// E-mail (MIME parts in base64 and quoted-printable, mbox, attached messages) and JSON exports
/// with base64 values: decoded, scanned, named like archive members, charged to the budget.
@Suite("Encoded text: e-mail and JSON exports")
struct EncodedTextTests {
    static let pair = InputTests.pairText

    static func base64(_ text: String, wrap: Int = 76) -> String {
        let encoded = Data(text.utf8).base64EncodedString()
        var lines: [String] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(wrap)))
            rest = rest.dropFirst(wrap)
        }
        return lines.joined(separator: "\r\n")
    }

    static let multipartMixed = """
        Return-Path: <ops@example.com>\r
        Received: from mail.example.com (mail.example.com [192.0.2.1])\r
        \tby mx.example.net with ESMTPS id abc; Tue, 1 Dec 2026 10:00:00 +0000\r
        From: Ops <ops@example.com>\r
        To: dev@example.net\r
        Subject: the keys you asked for\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="b1=_outer"\r
        \r
        This is a multi-part message in MIME format.\r
        --b1=_outer\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: 7bit\r
        \r
        See attached.\r
        --b1=_outer\r
        Content-Type: text/plain; name="creds.txt"\r
        Content-Disposition: attachment; filename="creds.txt"\r
        Content-Transfer-Encoding: base64\r
        \r
        \(base64("# staging\n" + pair))\r
        --b1=_outer--\r

        """

    @Test func sniffingDecidesByContentNotName() {
        #expect(EncodedTextKind.sniff(Array(Self.multipartMixed.utf8)) == .mail)
        #expect(EncodedTextKind.sniff(Array("From ops@example.com Tue Dec  1 10:00:00 2026\nFrom: a@example.com\nSubject: x\n\nhi\n".utf8)) == .mbox)
        #expect(EncodedTextKind.sniff(Array("  {\"a\": 1}".utf8)) == .json)
        #expect(EncodedTextKind.sniff(Array("[1, 2]".utf8)) == .json)
        // Source code, YAML and prose are not mail.
        #expect(EncodedTextKind.sniff(Array("import Foundation\nlet x = 1\n".utf8)) == nil)
        #expect(EncodedTextKind.sniff(Array("name: build\non: push\njobs:\n  a: b\n".utf8)) == nil)
        #expect(EncodedTextKind.sniff(Array("From the start, this was a story.\nIt went on.\n".utf8)) == nil)
        #expect(EncodedTextKind.sniff(Array("Subject: hello\n\nbody\n".utf8)) == nil)
    }

    @Test func base64AttachmentInMultipartMixed() {
        let r = scanText(Self.multipartMixed, name: "mail.txt")
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.findings.count == 1)
        let f = r.findings.first
        #expect(f?.file.hasSuffix("mail.txt!part 2 (creds.txt)") == true, "\(f?.file ?? "")")
        #expect(f?.keyId == Planted.keyId)
        #expect(f?.paired == true)
        // Line 2 of the decoded attachment, not of the message.
        #expect(f?.line == 2)
    }

    @Test func quotedPrintableSoftLineBreakJoinsTheKey() {
        // The secret is split by a soft line break: invisible to a plain scan of the raw text.
        let secretHead = String(Planted.secret.prefix(17)), secretTail = String(Planted.secret.dropFirst(17))
        let mail = """
            From: helpdesk@example.com\r
            To: user@example.com\r
            Subject: =?utf-8?q?your_access?=\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset="utf-8"\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Hello,=20here are the credentials =E2=80=94 keep them safe:\r
            \r
            aws_access_key_id =3D \(Planted.keyId)\r
            aws_secret_access_key =3D \(secretHead)=\r
            \(secretTail)\r

            """
        let r = scanText(mail, name: "ticket.eml")
        #expect(r.errors.isEmpty, "\(r.errors)")
        // Reported once, from the decoded part: the raw text's key ID without its secret is the same leak.
        let decoded = r.findings.filter { $0.file.hasSuffix("ticket.eml!part 1") }
        #expect(r.findings.count == 1 && decoded.count == 1, "\(r.findings.map(\.file))")
        #expect(decoded.first?.paired == true)
        #expect(decoded.first?.secret?.reveal() == Planted.secret)
        #expect(decoded.first?.line == 3)
    }

    @Test func quotedPrintableKeyNotSplitIsReportedOnce() {
        let mail = "From: a@example.com\nMIME-Version: 1.0\nContent-Transfer-Encoding: quoted-printable\n\n" + Self.pair
        let r = scanText(mail, name: "plain.eml")
        #expect(r.findings.count == 1)
        #expect(r.findings.first?.file.hasSuffix("plain.eml") == true)
        #expect(r.findings.first?.line == 5)
    }

    @Test func mboxWithTwoMessages() {
        let first = """
            From ops@example.com Tue Dec  1 10:00:00 2026
            From: ops@example.com
            Subject: nothing here
            MIME-Version: 1.0
            Content-Type: text/plain
            Content-Transfer-Encoding: base64

            \(Self.base64("just a note\n"))

            """
        let second = """
            From dev@example.com Tue Dec  1 11:00:00 2026
            From: dev@example.com
            Subject: config
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary=alt

            --alt
            Content-Type: text/plain
            Content-Transfer-Encoding: base64

            \(Self.base64("line one\n" + Self.pair, wrap: 20))
            --alt--

            """
        let r = scanText(first + "\n" + second, name: "archive.mbox")
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.findings.map { ($0.file as NSString).lastPathComponent } == ["archive.mbox!message 2!part 1"])
        #expect(r.findings.first?.line == 2)
        #expect(MailWalker.mboxMessages(Array((first + "\n" + second).utf8)).count == 2)
    }

    @Test func nestedMessageRFC822() {
        let inner = """
            From: vendor@example.org\r
            Subject: deployment keys\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary=inner\r
            \r
            --inner\r
            Content-Type: text/plain\r
            \r
            see the file\r
            --inner\r
            Content-Type: application/octet-stream; name=deploy.env\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Self.base64(Self.pair))\r
            --inner--\r
            """
        let outer = """
            From: forwarder@example.com\r
            To: security@example.com\r
            Subject: Fwd: deployment keys\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary=outer\r
            \r
            --outer\r
            Content-Type: text/plain\r
            \r
            Forwarded below.\r
            --outer\r
            Content-Type: message/rfc822\r
            \r
            \(inner)\r
            --outer--\r

            """
        let r = scanText(outer, name: "fwd.eml")
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.findings.map { ($0.file as NSString).lastPathComponent } == ["fwd.eml!part 2.2 (deploy.env)"])
    }

    @Test func gzipAttachmentIsOpenedAsAnArchive() throws {
        let dir = TempDir()
        dir.write("creds.env", Self.pair)
        #expect(run(["gzip", "-k", "creds.env"], in: dir.path) == 0)
        let gz = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/creds.env.gz"))
        let mail = "From: a@example.com\nMIME-Version: 1.0\nContent-Type: application/gzip; name=creds.env.gz\n"
            + "Content-Transfer-Encoding: base64\n\n" + gz.base64EncodedString(options: .lineLength76Characters) + "\n"
        let path = dir.write("gz.eml", mail)
        let r = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1))
        #expect(r.findings.map(\.file) == ["\(path)!part 1 (creds.env.gz)"])
        #expect(r.stats.archives == 1)
        // Depth is counted: with no archive levels allowed, the attachment is not decoded, and the run says so.
        let shallow = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1, archiveLimits: ArchiveLimits(maxDepth: 0)))
        #expect(shallow.findings.isEmpty)
        #expect(shallow.isPartial)
    }

    @Test func base64BombIsBoundedByTheBudget() {
        // 3 MiB of decoded text against a 1 MiB limit: the scan stops with the archive-limit message.
        let body = Self.base64(String(repeating: "nothing to see here, move along\n", count: 100_000))
        let mail = "From: a@example.com\nMIME-Version: 1.0\nContent-Transfer-Encoding: base64\n\n" + body + "\n"
        let dir = TempDir()
        let path = dir.write("big.eml", mail)
        let r = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1, archiveLimits: ArchiveLimits(maxExpandedBytes: 1 << 20)))
        #expect(r.stats.stoppedByLimits == 1)
        #expect(r.errors.first?.contains("--max-archive-size") == true, "\(r.errors)")
    }

    @Test func jsonTicketExportWithBase64Field() {
        let note = Data("Customer pasted their config:\n\(Self.pair)".utf8).base64EncodedString()
        let json = """
            {
              "ticket": 4711,
              "subject": "cannot deploy",
              "comments": [
                {"author": "alice", "body": "hello"},
                {"author": "bob",
                 "attachment": {"name": "config.txt", "content": "\(note)"}}
              ],
              "checksum": "\(Data((0..<48).map { UInt8($0 * 37 % 256) }).base64EncodedString())"
            }

            """
        let r = scanText(json, name: "export.json")
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.findings.map { ($0.file as NSString).lastPathComponent } == ["export.json!$.comments[1].attachment.content"])
        #expect(r.findings.first?.line == 2)
        #expect(r.findings.first?.paired == true)
    }

    @Test func jsonValuesThatAreNotEncodedTextAreLeftAlone() {
        var found: [String] = []
        let json = #"{"id": "AKIAIOSFODNN7EXAMPLEAKIAIOSFODNN7", "short": "aGVsbG8=", "url": "https://example.com/a/b/c/d/e/f", "#
            + #""hash": "sha512-Tq8vR2mXk9Lw4Zp7Yb3Nc6Hd1Fg5Js0QeUaWoEiPTq8vR2mXk9Lw4Zp7Yb3Nc6Hd1Fg5Js0QeUaWoEiP", "#
            + #""list": ["\#(Data("a note that is long enough to try".utf8).base64EncodedString())"]}"#
        JSONBase64Values.walk(Array(json.utf8)) { found.append($0.path); return true }
        #expect(found == ["$.list[0]"])
    }

    /// The pre-scan that skips a JSON file without a candidate string counts escapes as part of a
    /// value: a value wrapped every 20 characters with `\n` escapes is still decoded.
    @Test func jsonPrescanKeepsEscapedValuesAndSkipsFilesWithoutRuns() {
        let note = Data("a note that is long enough to try, with more text".utf8).base64EncodedString()
        var wrapped = ""
        var rest = Substring(note)
        while !rest.isEmpty {
            wrapped += (wrapped.isEmpty ? "" : "\\n") + String(rest.prefix(20))
            rest = rest.dropFirst(20)
        }
        var found: [String] = []
        JSONBase64Values.walk(Array(#"{"a": {"b": ""#.utf8) + Array(wrapped.utf8) + Array(#""}}"#.utf8)) { found.append($0.path); return true }
        #expect(found == ["$.a.b"])
        let plain = Array(#"{"name": "mamori", "version": "1.2.3", "url": "https://example.com/x/y"}"#.utf8)
        #expect(!plain.withUnsafeBytes { JSONBase64Values.hasCandidate($0) })
        #expect(Array(("\"" + note + "\"").utf8).withUnsafeBytes { JSONBase64Values.hasCandidate($0) })
        // Identifiers, escaped quotes and regular expressions of API models are no candidates;
        // a value wrapped with `\n` escapes, or starting with one, is.
        let model = Array(#"{"shape":"DescribeInstancesRequestMessage","documentation":"<p>The \"LEARNING\" state</p>","pattern":"\\d{12}"}"#.utf8)
        #expect(!model.withUnsafeBytes { JSONBase64Values.hasCandidate($0) })
        #expect(Array(("{\"a\": \"\\n" + note + "\"}").utf8).withUnsafeBytes { JSONBase64Values.hasCandidate($0) })
        #expect(Array(("{\"a\": \"" + wrapped + "\"}").utf8).withUnsafeBytes { JSONBase64Values.hasCandidate($0) })
        #expect(Array(note.utf8).withUnsafeBytes { Base64Text.startsLikeTextOrArchive(UnsafeRawBufferPointer(rebasing: $0[0..<32])) })
        let gzipStart = Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFE]).base64EncodedString()
        #expect(Array(gzipStart.utf8).withUnsafeBytes { Base64Text.startsLikeTextOrArchive($0) })
        let random = Data((0..<24).map { UInt8(($0 * 97 + 131) & 0xFF) }).base64EncodedString()
        #expect(!Array(random.utf8).withUnsafeBytes { Base64Text.startsLikeTextOrArchive($0) })
    }

    @Test func encodedWordHeadersAreDecoded() {
        let subject = Data("key \(Planted.keyId) secret \(Planted.secret)".utf8).base64EncodedString()
        let mail = "From: a@example.com\nSubject: =?utf-8?B?\(subject)?=\nMIME-Version: 1.0\n\nhello\n"
        let r = scanText(mail, name: "subject.eml")
        #expect(r.findings.map { ($0.file as NSString).lastPathComponent } == ["subject.eml!headers"])
        #expect(r.findings.first?.keyId == Planted.keyId)
        #expect(String(decoding: MailWalker.decodeEncodedWords("a =?iso-8859-1?Q?caf=E9_au_lait?= b"), as: UTF8.self) == "a caf\u{FFFD} au lait b")
        #expect(MailWalker.encodedWordHeaders(Array("Subject: plain\n".utf8), 0..<15) == nil)
    }

    @Test func hostileNestingStopsAndSaysSo() {
        var mail = "From: a@example.com\nMIME-Version: 1.0\n"
        for level in 0..<100 { mail += "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n" }
        mail += "Content-Transfer-Encoding: base64\n\n\(Self.base64(Self.pair))\n"
        let r = scanText(mail, name: "deep.eml")
        #expect(r.isPartial)
        #expect(r.errors.count == 1 && r.errors.first?.contains("MIME parts nested deeper than 32 levels were not decoded") == true, "\(r.errors)")
        #expect(r.findings.isEmpty)
    }

    @Test func quotedPrintableAndBase64Decoders() {
        #expect(String(decoding: MailWalker.quotedPrintable(Array("a=3Db=\r\nc= \nd=4".utf8)[...]), as: UTF8.self) == "a=bcd=4")
        #expect(String(decoding: Base64Text.decode(Array("aGVs\r\nbG8=".utf8)), as: UTF8.self) == "hello")
        #expect(String(decoding: Base64Text.decode(Array("aGVsbG8_".utf8)), as: UTF8.self) == "hello?")
        let p = MailWalker.parameters(#"attachment; filename*=utf-8''my%20keys.txt; size=3"#)
        #expect(p.value == "attachment" && p.params["filename"] == "my keys.txt")
    }
}

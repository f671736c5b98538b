import Foundation
import Testing
@testable import SecretScan

/// File names, archive member names and git authors are chosen by whoever wrote the tree: the
/// table shows their control characters escaped and never lets a newline start a row.
@Suite struct HostileTextTests {
    static let hostile = "x\u{1B}]8;;https://attacker.example\u{07}y\u{1B}[2J\r\u{08}\u{9B}31m\u{202E}\u{2066}\nFAKE ROW"
    static let content = "aws_access_key_id = \(Planted.keyId)\naws_secret_access_key = \(Planted.secret)\n"

    static func expectSafe(_ table: String, whole: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        let raw = table.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x202E, 0x2066].contains($0.value)) }
        #expect(raw.isEmpty, "\(table)", sourceLocation: sourceLocation)
        #expect(!table.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") }, sourceLocation: sourceLocation)
        #expect(table.contains("x\\x1b]8;;https://attacker.example\\x07y\\x1b[2J\\r\\x08\\u{9B}31m\\u{202E}\\u{2066}" + (whole ? "\\nFAKE ROW" : "")),
                "\(table)", sourceLocation: sourceLocation)
    }

    @Test func hostileFileName() {
        let result = scanText(Self.content, name: "\(Self.hostile).env")
        #expect(!result.findings.isEmpty)
        Self.expectSafe(SecretReport.table(result.findings))
    }

    @Test func hostileTarMemberName() throws {
        let dir = TempDir()
        let member = dir.write("member.env", Self.content)
        let archive = dir.path + "/bundle.tar"
        let script = """
            import sys, tarfile
            with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as tar:
                tar.add(sys.argv[2], arcname=sys.argv[3])
            """
        #expect(run(["python3", "-c", script, archive, member, "\(Self.hostile).env"], in: dir.path) == 0)
        try FileManager.default.removeItem(atPath: member)
        let result = SecretScanner.scan(paths: [archive], options: SecretScanOptions(workers: 1))
        #expect(!result.findings.isEmpty)
        // The tar reader ends a PAX path at its first line break (reported separately): the rest is checked.
        Self.expectSafe(SecretReport.table(result.findings), whole: false)
    }

    @Test func hostileGitAuthor() throws {
        let dir = TempDir()
        #expect(run(["git", "init", "-q", "-b", "main"], in: dir.path) == 0)
        // git quotes unusual path names in its output; the author is the hostile part here.
        _ = dir.write("deploy.env", Self.content)
        #expect(run(["git", "add", "."], in: dir.path) == 0)
        #expect(run(["git", "commit", "-q", "-m", "x", "--author", "Eve\u{1B}]0;pwned\u{07}\u{9B}2J\u{202E} <eve@example.com>"], in: dir.path) == 0)
        let history = try SecretScanner.scanGitHistory(repository: dir.path, options: SecretScanOptions(workers: 1))
        let author = try #require(history.findings.first?.git?.author)
        #expect(author.unicodeScalars.contains("\u{1B}"), "git kept the escape in the author: \(author.debugDescription)")
        let table = SecretReport.table(history.findings)
        #expect(!table.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E }, "\(table)")
        #expect(table.contains("Eve\\x1b]0;pwned\\x07\\u{9B}2J\\u{202E}"), "\(table)")
    }
}

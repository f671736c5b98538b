import Foundation
import Testing
@testable import SecretScan

/// Directories, ignore files, binaries, archives, images and standard-input-like streams.
struct InputTests {
    static let pairText = "aws_access_key_id = \(Planted.keyId)\naws_secret_access_key = \(Planted.secret)\n"

    @Test func gitignoreIsRespectedUnlessNoIgnore() {
        let dir = TempDir()
        dir.write(".gitignore", "build/\n*.log\n!keep.log\n")
        dir.write("build/out.env", Self.pairText)
        dir.write("debug.log", Self.pairText)
        dir.write("keep.log", Self.pairText)
        dir.write("src/app.env", Self.pairText)
        let respected = SecretScanner.scan(paths: [dir.path], options: SecretScanOptions(workers: 2))
        #expect(Set(respected.findings.map { ($0.file as NSString).lastPathComponent }) == ["keep.log", "app.env"])
        #expect(respected.stats.skippedIgnored == 2)
        let all = SecretScanner.scan(paths: [dir.path], options: SecretScanOptions(respectIgnore: false, workers: 2))
        #expect(all.findings.count == 4)
    }

    @Test func nestedGitignoreAppliesBelowItsDirectory() {
        var g = GitIgnore()
        g.add(contents: "/root-only.txt\nsecrets/**\n", base: "")
        g.add(contents: "*.tmp\n", base: "sub")
        #expect(g.isIgnored("root-only.txt", isDirectory: false))
        #expect(!g.isIgnored("a/root-only.txt", isDirectory: false))
        #expect(g.isIgnored("secrets/x/y.env", isDirectory: false))
        #expect(g.isIgnored("sub/a.tmp", isDirectory: false))
        #expect(!g.isIgnored("a.tmp", isDirectory: false))
    }

    @Test func binariesAreSkippedAndCounted() {
        let dir = TempDir()
        var data = Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 0])
        data.append(Data(Self.pairText.utf8))
        dir.write("app.bin", data)
        let r = SecretScanner.scan(paths: [dir.path], options: SecretScanOptions(workers: 1))
        #expect(r.findings.isEmpty)
        #expect(r.stats.skippedBinary == 1)
    }

    @Test func missingPathIsAnError() {
        let r = SecretScanner.scan(paths: ["/nonexistent/mamori"], options: SecretScanOptions(workers: 1))
        #expect(r.errors == ["/nonexistent/mamori: no such file or directory"])
    }

    @Test func streamLikeStandardInput() {
        let scanner = ContentScanner()
        scanner.scanStream(MemoryBytes(Array(("log line\n" + Self.pairText).utf8), name: "-"), name: "-")
        #expect(scanner.results.count == 1)
        #expect(scanner.results.first?.hits.first?.keyId == Planted.keyId)
        #expect(scanner.results.first?.hits.first?.line == 2)
    }

    @Test func tarTarGzZipAndDockerSave() throws {
        let dir = TempDir()
        dir.write("payload/config/app.env", Self.pairText)
        #expect(run(["tar", "-cf", "plain.tar", "-C", "payload", "."], in: dir.path) == 0)
        #expect(run(["tar", "-czf", "plain.tar.gz", "-C", "payload", "."], in: dir.path) == 0)
        #expect(run(["python3", "-c", "import zipfile; z = zipfile.ZipFile('deflated.zip', 'w', zipfile.ZIP_DEFLATED); "
                     + "z.write('payload/config/app.env', 'config/app.env'); z.close()"], in: dir.path) == 0)
        // A `docker save` image: manifest plus layers that are tars (one gzip-compressed, OCI style).
        dir.write("image/manifest.json", "[{\"Layers\":[\"abc/layer.tar\",\"blobs/sha256/def\"]}]")
        try FileManager.default.createDirectory(atPath: dir.path + "/image/abc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.path + "/image/blobs/sha256", withIntermediateDirectories: true)
        #expect(run(["tar", "-cf", "image/abc/layer.tar", "-C", "payload", "."], in: dir.path) == 0)
        #expect(run(["tar", "-czf", "image/blobs/sha256/def", "-C", "payload", "."], in: dir.path) == 0)
        #expect(run(["tar", "-cf", "image.tar", "-C", "image", "."], in: dir.path) == 0)

        for name in ["plain.tar", "plain.tar.gz", "deflated.zip"] {
            let r = SecretScanner.scan(paths: [dir.path + "/" + name], options: SecretScanOptions(workers: 1))
            #expect(r.errors.isEmpty, "\(name): \(r.errors)")
            #expect(r.findings.count == 1, "\(name)")
            #expect(r.findings.first?.file.hasSuffix("config/app.env") == true, "\(name)")
            #expect(r.findings.first?.file.contains("\(name)!") == true, "\(name)")
            #expect(r.findings.first?.secret?.reveal() == Planted.secret)
            #expect(r.findings.first?.line == 1)
        }
        let image = SecretScanner.scan(paths: [dir.path + "/image.tar"], options: SecretScanOptions(workers: 1))
        #expect(image.errors.isEmpty)
        #expect(image.findings.count == 2)
        #expect(Set(image.findings.map(\.file)) == [
            dir.path + "/image.tar!./abc/layer.tar!./config/app.env",
            dir.path + "/image.tar!./blobs/sha256/def!./config/app.env",
        ])
    }

    @Test func damagedArchiveIsReported() {
        let dir = TempDir()
        var bytes = [UInt8](repeating: 0, count: 1024)
        bytes.replaceSubrange(257..<262, with: Array("ustar".utf8))
        bytes[0] = 0x41
        let path = dir.write("broken.tar", Data(bytes))
        let r = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1))
        #expect(r.errors.count == 1)
        #expect(r.errors.first?.contains("bad tar header checksum") == true)
    }

    /// The sniffer's early exits (NUL by `memchr`, the UTF-16 loop stopping at NULs on both sides,
    /// `ustar` compared in place) decide as the full test did.
    @Test func sniffDecidesByContent() {
        let ascii = Array("aws_access_key_id = x\n".utf8)
        #expect(ContentKind.sniff(ascii) == .text)
        #expect(ContentKind.sniff([]) == .text)
        #expect(ContentKind.sniff(ascii.flatMap { [$0, 0] as [UInt8] }) == .utf16LE)
        #expect(ContentKind.sniff(ascii.flatMap { [0, $0] as [UInt8] }) == .utf16BE)
        // Mostly UTF-16LE but one NUL on the other side: binary, as before.
        var mixed: [UInt8] = ascii.flatMap { [$0, 0] as [UInt8] }
        mixed[4] = 0
        #expect(ContentKind.sniff(mixed) == .binary)
        #expect(ContentKind.sniff(ascii + [0] + ascii) == .binary)
        var tar = [UInt8](repeating: 0x41, count: 600)
        tar.replaceSubrange(257..<262, with: Array("ustar".utf8))
        #expect(ContentKind.sniff(tar) == .tar)
        tar[261] = 0x73
        #expect(ContentKind.sniff(tar) == .text)
        #expect(ContentKind.sniff([0x1F, 0x8B, 0]) == .gzip)
        #expect(ContentKind.sniff([0x50, 0x4B, 3, 4]) == .zip)
    }
}

/// End to end through git: a key added in one commit and deleted in the next.
struct GitHistoryTests {
    @Test func deletedKeyIsFoundOnlyInHistory() throws {
        let dir = TempDir()
        #expect(run(["git", "init", "-q", "-b", "main"], in: dir.path) == 0)
        dir.write("README.md", "hello\n")
        #expect(run(["git", "add", "."], in: dir.path) == 0)
        #expect(run(["git", "commit", "-q", "-m", "init"], in: dir.path) == 0)
        dir.write("deploy/settings.py", "import os\n\nAWS_ACCESS_KEY_ID = '\(Planted.keyId)'\nAWS_SECRET_ACCESS_KEY = '\(Planted.secret)'\n")
        #expect(run(["git", "add", "."], in: dir.path) == 0)
        #expect(run(["git", "commit", "-q", "-m", "add settings"], in: dir.path) == 0)
        dir.write("deploy/settings.py", "import os\n\nAWS_ACCESS_KEY_ID = os.environ['AWS_ACCESS_KEY_ID']\n")
        #expect(run(["git", "commit", "-q", "-am", "remove key"], in: dir.path) == 0)
        // A key on another branch is found too (--all).
        #expect(run(["git", "checkout", "-q", "-b", "feature"], in: dir.path) == 0)
        dir.write("notes.txt", "temp key \(Planted.secondKeyId)\n")
        #expect(run(["git", "add", "."], in: dir.path) == 0)
        #expect(run(["git", "commit", "-q", "-m", "notes"], in: dir.path) == 0)
        #expect(run(["git", "checkout", "-q", "main"], in: dir.path) == 0)

        let tree = SecretScanner.scan(paths: [dir.path], options: SecretScanOptions(workers: 1))
        #expect(tree.findings.isEmpty)

        let history = try SecretScanner.scanGitHistory(repository: dir.path, options: SecretScanOptions(workers: 1))
        #expect(history.stats.commits == 4)
        #expect(history.findings.count == 2)
        let f = try #require(history.findings.first { $0.keyId == Planted.keyId })
        #expect(f.file == "deploy/settings.py")
        #expect(f.line == 3)
        #expect(f.column == 22)
        #expect(f.secret?.reveal() == Planted.secret)
        #expect(f.git?.author == "Test Author <author@example.com>")
        #expect(f.git?.commit.count == 40)
        #expect(f.git?.date.isEmpty == false)
        #expect(history.findings.contains { $0.keyId == Planted.secondKeyId && $0.file == "notes.txt" })
    }

    @Test func notARepository() {
        let dir = TempDir()
        #expect(throws: SecretScanError.self) {
            try SecretScanner.scanGitHistory(repository: dir.path, options: SecretScanOptions(workers: 1))
        }
    }
}

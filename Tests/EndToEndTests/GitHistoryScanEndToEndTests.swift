import Foundation
import MamoriTestSupport
import Testing

/// `mamori secrets --git` through the real binary: both engines agree, and a repository with a
/// missing object is scanned as far as it can be read and ends with exit 3.
struct GitHistoryScanEndToEndTests {
    @Test func enginesAgreeAndMissingObjectsExitThree() throws {
        let p = PreCommitTests.Project()
        try FileManager.default.createDirectory(atPath: p.path, withIntermediateDirectories: true)
        try p.git("init", "-q", "-b", "main")
        try p.write("settings.py", "AWS_ACCESS_KEY_ID = '\(PreCommitTests.keyId)'\nAWS_SECRET_ACCESS_KEY = '\(PreCommitTests.secret)'\n")
        try p.git("add", "-A")
        try p.git("commit", "-q", "-m", "add key")
        try p.write("settings.py", "import os\n")
        try p.git("commit", "-q", "-am", "remove key")

        var outputs: [String] = []
        for engine in ["objects", "diff"] {
            let r = try Mamori.run(["secrets", "--git", ".", "--git-engine", engine, "--format", "json"], environment: p.environment, cwd: p.path)
            #expect(r.status == 1, "\(engine): \(r.stderr)")
            outputs.append(r.stdout)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].contains(PreCommitTests.keyId))
        #expect(!outputs[0].contains(PreCommitTests.secret))
        let misuse = try Mamori.run(["secrets", ".", "--git-engine", "diff"], environment: p.environment, cwd: p.path)
        #expect(misuse.status == 2)
        // Packed, the blobs come from the pack reader: the same report.
        try p.git("repack", "-adq")
        let packed = try Mamori.run(["secrets", "--git", ".", "--git-engine", "objects", "--format", "json"], environment: p.environment, cwd: p.path)
        #expect(packed.status == 1, "\(packed.stderr)")
        #expect(packed.stdout == outputs[0])

        // A later commit's blob is deleted from the object store.
        try p.write("other.txt", "nothing to see\n")
        try p.git("add", "-A")
        try p.git("commit", "-q", "-m", "other")
        let blob = try p.git("rev-parse", "HEAD:other.txt").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.removeItem(atPath: p.path + "/.git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2))
        let damaged = try Mamori.run(["secrets", "--git", ".", "--format", "json"], environment: p.environment, cwd: p.path)
        #expect(damaged.status == 3, "partial, though the readable history still has the key: \(damaged.stderr)")
        #expect(damaged.stdout.contains(PreCommitTests.keyId))
        #expect(damaged.stderr.contains(blob))
        let partial = try Mamori.run(["secrets", "--git", ".", "--since", "HEAD~1"], environment: p.environment, cwd: p.path)
        #expect(partial.status == 3, "\(partial.stderr)")
        #expect(partial.stderr.contains("1 object could not be read"))
    }

    /// Damaged bytes in a pack: the blobs they hit (and those built on them) are listed as
    /// unreadable, the rest is scanned, exit 3; `git cat-file` would stop at the first of them.
    @Test func damagedPackIsScannedAsFarAsItReads() throws {
        let p = PreCommitTests.Project()
        try FileManager.default.createDirectory(atPath: p.path, withIntermediateDirectories: true)
        try p.git("init", "-q", "-b", "main")
        for i in 1...30 {
            try p.write("numbers.txt", (1...(i * 60)).map(String.init).joined(separator: "\n"))
            try p.write("k\(i).py", "AWS_ACCESS_KEY_ID = '\(PreCommitTests.keyId)'\nAWS_SECRET_ACCESS_KEY = '\(PreCommitTests.secret)'\n")
            try p.git("add", "-A")
            try p.git("commit", "-q", "-m", "version \(i)")
        }
        try p.git("repack", "-adq")
        // Damage the middle of one version's entry (`verify-pack -v`: id, type, size, size in
        // pack, offset), not a commit or tree: those would stop the walk itself.
        let victim = try p.git("rev-parse", "HEAD~15:numbers.txt").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dir = p.path + "/.git/objects/pack"
        let name = try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".pack") } ?? ""
        let listing = try p.git("verify-pack", "-v", ".git/objects/pack/" + name).stdout
        let fields = listing.split(separator: "\n").first { $0.hasPrefix(victim) }?.split(separator: " ", omittingEmptySubsequences: true) ?? []
        let inPack = Int(fields.count > 4 ? fields[3] : "") ?? 0, offset = Int(fields.count > 4 ? fields[4] : "") ?? 0
        #expect(inPack > 8)
        let pack = dir + "/" + name
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pack)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: pack)))
        bytes[offset + inPack / 2] ^= 0x5A
        bytes[offset + inPack / 2 + 1] ^= 0xA5
        try Data(bytes).write(to: URL(fileURLWithPath: pack))
        let r = try Mamori.run(["secrets", "--git", ".", "--format", "json"], environment: p.environment, cwd: p.path)
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stdout.contains(PreCommitTests.keyId))
        #expect(r.stderr.contains("could not be read"))
        #expect(r.stderr.contains(victim))
        #expect(!r.stdout.contains(PreCommitTests.secret))
    }
}

import Foundation
import MamoriTestSupport
import Synchronization
import Testing
@testable import SecretScan

/// The in-process pack reader gives every blob byte for byte as `git cat-file` does, on packs git
/// wrote with offset deltas, with reference deltas, and with long chains; what it cannot read goes
/// back to cat-file, with everything built on it.
struct GitPackReaderTests {
    /// A history where each file has many versions (so git stores most as deltas on another),
    /// plus an empty file, a binary and a renamed file.
    static func history(versions: Int = 40) -> TestRepo {
        let repo = TestRepo()
        var rng = SplitMix64(seed: 7)
        var lines = (0..<400).map { "line \($0): " + String(repeating: "x", count: Int(rng.next() % 40)) }
        for v in 0..<versions {
            for k in 0..<5 { lines[Int(rng.next() % UInt64(lines.count))] = "changed in \(v) #\(k) " + String(rng.next()) }
            if v % 7 == 3 { lines.insert("inserted at \(v)", at: Int(rng.next() % UInt64(lines.count))) }
            repo.write("models/service-\(v % 3).json", lines.joined(separator: "\n") + "\n")
            repo.write("notes.txt", "version \(v)\n" + lines.prefix(50).joined(separator: "\n"))
            if v == 5 { repo.write("empty.txt", "") }
            if v == 9 { repo.dir.write("logo.png", Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 1, 2] + (0..<3000).map { UInt8($0 % 251) })) }
            if v == 20 { repo.git("mv", "notes.txt", "docs-notes.txt") }
            repo.commit("version \(v)")
        }
        return repo
    }

    static func blobIDs(_ repo: TestRepo) -> [String] {
        let out = (try? ChildProcess.run("/usr/bin/env", ["git", "-C", repo.path, "rev-list", "--objects", "--all",
                                                          "--filter=object:type=blob", "--filter-provided-objects"], deadline: 60))?.stdout ?? Data()
        return String(decoding: out, as: UTF8.self).split(separator: "\n").map { String($0.prefix(40)) }
    }

    static func catFile(_ repo: TestRepo, _ id: String) -> Data {
        (try? ChildProcess.run("/usr/bin/env", ["git", "-C", repo.path, "cat-file", "blob", id], deadline: 60))?.stdout ?? Data()
    }

    /// Pack entries stored as deltas (`git verify-pack -v` lines with a chain depth).
    static func deltaCount(_ repo: TestRepo) -> Int {
        let packs = (try? FileManager.default.contentsOfDirectory(atPath: repo.path + "/.git/objects/pack")) ?? []
        var deltas = 0
        for idx in packs where idx.hasSuffix(".idx") {
            let out = (try? ChildProcess.run("/usr/bin/env", ["git", "-C", repo.path, "verify-pack", "-v", ".git/objects/pack/" + idx], deadline: 60))?.stdout ?? Data()
            deltas += String(decoding: out, as: UTF8.self).split(separator: "\n").filter { $0.split(separator: " ").count >= 7 && $0.contains(" blob ") }.count
        }
        return deltas
    }

    /// Reads `ids` with the pack reader: the blobs it gave, and what it left.
    static func read(_ repo: TestRepo, _ ids: [String], limit: Int = 1 << 20, budget: Int = GitPackReader.memoryBudget,
                     workers: Int = 2) -> (blobs: [String: Data], left: [String], damaged: [String]) {
        let (blobs, outcome) = readOutcome(repo, ids, limit: limit, budget: budget, workers: workers)
        return (blobs, outcome.left.map { ids[$0] }, outcome.damaged.map { ids[$0] })
    }

    static func readOutcome(_ repo: TestRepo, _ ids: [String], limit: Int = 1 << 20, budget: Int = GitPackReader.memoryBudget,
                            workers: Int = 2) -> (blobs: [String: Data], outcome: GitPackReader.Outcome) {
        let got = Mutex<[String: Data]>([:])
        let store = GitPackStore(repository: repo.path)
        let outcome = GitPackReader.read(ids: ids, store: store, workers: workers, limit: limit, budget: budget) { _, i, bytes in
            got.withLock { $0[ids[i]] = Data(bytes) }
        }
        #expect(outcome.looped.isEmpty)
        return (got.withLock { $0 }, outcome)
    }

    /// How many entries of each kind the repository's packs hold, by this reader's own parsing.
    static func entryKinds(_ repo: TestRepo) -> [GitPackEntry.Kind: Int] {
        var kinds: [GitPackEntry.Kind: Int] = [:]
        for pack in GitPackStore(repository: repo.path).packs {
            for i in 0..<pack.index.count {
                if let offset = pack.index.offset(at: i), let entry = try? pack.entry(at: offset) { kinds[entry.kind, default: 0] += 1 }
            }
        }
        return kinds
    }

    static func expectAllRead(_ repo: TestRepo, sourceLocation: SourceLocation = #_sourceLocation) {
        let ids = blobIDs(repo)
        #expect(ids.count > 80, sourceLocation: sourceLocation)
        for workers in [1, 3] {
            let (blobs, left, damaged) = read(repo, ids, workers: workers)
            #expect(left.isEmpty && damaged.isEmpty, sourceLocation: sourceLocation)
            #expect(blobs.count == ids.count, sourceLocation: sourceLocation)
            for id in ids where blobs[id] != catFile(repo, id) {
                Issue.record("blob \(id) differs from git cat-file", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func offsetDeltasReadAsGitDoes() {
        let repo = Self.history()
        repo.git("repack", "-adq", "--depth=50", "--window=50")
        #expect(Self.deltaCount(repo) > 50)
        #expect(Self.entryKinds(repo)[.offsetDelta] ?? 0 > 50)
        Self.expectAllRead(repo)
    }

    @Test func referenceDeltasReadAsGitDoes() {
        let repo = Self.history()
        repo.git("-c", "repack.useDeltaBaseOffset=false", "repack", "-adq")
        #expect(Self.deltaCount(repo) > 50)
        let kinds = Self.entryKinds(repo)
        #expect(kinds[.referenceDelta] ?? 0 > 50)
        #expect(kinds[.offsetDelta] == nil)
        Self.expectAllRead(repo)
    }

    @Test func longChainsAndSeveralPacks() {
        let repo = Self.history(versions: 60)
        repo.git("repack", "-adq", "--depth=250", "--window=250")
        // More history in a second pack (each pack holds its own bases).
        repo.write("models/service-0.json", "new start\n")
        repo.commit("after the first pack")
        repo.git("repack", "-dq")
        #expect(GitPackStore(repository: repo.path).packs.count == 2)
        Self.expectAllRead(repo)
    }

    @Test func looseObjectsAndUnknownIDsAreLeftForCatFile() {
        let repo = Self.history(versions: 10)
        repo.git("repack", "-adq")
        repo.write("loose.txt", "only loose\n")
        repo.commit("loose")
        let loose = GitObjectScanTests.blobId(repo, "HEAD:loose.txt")
        let (blobs, left, _) = Self.read(repo, Self.blobIDs(repo) + ["0000000000000000000000000000000000000000", "not an id"])
        #expect(Set(left) == [loose, "0000000000000000000000000000000000000000", "not an id"])
        #expect(blobs[loose] == nil)
        #expect(!blobs.isEmpty)
    }

    /// Over the limit: the blob, and every blob built on it, go to cat-file (which streams them).
    @Test func blobsOverTheLimitAndTheirDependantsAreLeft() {
        let repo = Self.history(versions: 20)
        repo.git("repack", "-adq")
        let ids = Self.blobIDs(repo)
        let (blobs, left, damaged) = Self.read(repo, ids, limit: 4000)
        #expect(!left.isEmpty && damaged.isEmpty)
        #expect(blobs.count + left.count == ids.count)
        for (id, bytes) in blobs { #expect(bytes.count <= 4000 && bytes == Self.catFile(repo, id)) }
        for id in ids where Self.catFile(repo, id).count > 4000 { #expect(left.contains(id)) }
    }

    /// Bases kept for later children stay within the budget: past it, the children are left
    /// to cat-file (with what is built on them), and everything else is still read.
    @Test func basesHeldStayWithinTheBudget() {
        let repo = Self.history(versions: 40)
        repo.git("repack", "-adq", "--depth=50", "--window=50")
        let ids = Self.blobIDs(repo)
        let (blobs, outcome) = Self.readOutcome(repo, ids, budget: 20_000, workers: 1)
        let left = outcome.left
        #expect(!left.isEmpty && outcome.damaged.isEmpty)
        #expect(outcome.peakHeld <= 20_000 && outcome.peakHeld > 0)
        #expect(blobs.count + left.count == ids.count)
        for (id, data) in blobs { #expect(data == Self.catFile(repo, id), "blob \(id)") }
    }

    /// Damaged bytes in a pack: no crash, nothing wrong handed out (each entry's Adler-32 and
    /// each delta's sizes are checked), and what it could not read is named as damaged.
    @Test func damagedPackIsNotTrusted() throws {
        let repo = Self.history(versions: 30)
        repo.git("repack", "-adq")
        let ids = Self.blobIDs(repo)
        let truth = Dictionary(uniqueKeysWithValues: ids.map { ($0, Self.catFile(repo, $0)) })
        let dir = repo.path + "/.git/objects/pack"
        let pack = dir + "/" + (try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".pack") } ?? "")
        try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pack)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: pack)))
        var rng = SplitMix64(seed: 11)
        for _ in 0..<40 {
            let at = 12 + Int(rng.next() % UInt64(bytes.count - 32))
            bytes[at] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: pack))
        let (blobs, left, damaged) = Self.read(repo, ids)
        #expect(!damaged.isEmpty)
        #expect(blobs.count + left.count + damaged.count == ids.count)
        for (id, data) in blobs { #expect(data == truth[id], "blob \(id)") }
    }

    /// A blob damaged in the pack mamori reads first, whole in an older one: git reads the other
    /// copy, and so does the scan (its damaged blobs are rechecked one by one with cat-file).
    @Test func damagedBlobWithAGoodCopyElsewhereIsScanned() throws {
        let repo = TestRepo()
        repo.write("keys.env", "# settings\n" + KeyText.pair)
        repo.write("other.txt", (0..<200).map { "filler \($0)" }.joined(separator: "\n"))
        let commit = repo.commit("key")
        let victim = GitObjectScanTests.blobId(repo, "HEAD:keys.env")
        // An older pack with every object, then a newer one from repack.
        _ = try ChildProcess.run("/bin/sh", ["-c", "git rev-list --objects --all | git pack-objects -q .git/objects/pack/pack >/dev/null"],
                                 cwd: repo.path, deadline: 60)
        let dir = repo.path + "/.git/objects/pack"
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)], ofItemAtPath: dir + "/" + name)
        }
        // The newest pack: the victim alone (a pack is named after the IDs it holds).
        _ = try ChildProcess.run("/bin/sh", ["-c", "echo \(victim) | git pack-objects -q .git/objects/pack/pack >/dev/null"],
                                 cwd: repo.path, deadline: 60)
        let packs = GitPackStore(repository: repo.path).packs
        #expect(packs.count == 2)
        let newest = try #require(packs.first)
        let victimID = try #require(GitObjectID(hex: victim))
        let offset = try #require(newest.index.offset(of: victimID))
        let entry = try newest.entry(at: offset)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: newest.path)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: newest.path)))
        bytes[(entry.data + entry.end) / 2] ^= 0x5A
        try Data(bytes).write(to: URL(fileURLWithPath: newest.path))
        #expect(Self.read(repo, [victim]).damaged == [victim])

        let result = try SecretScanner.scanGitHistory(repository: repo.path, engine: .objects, options: SecretScanOptions(workers: 2))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.findings.map(\.git?.commit) == [commit])
    }

    /// An index that does not describe the pack (another pack's, or stale) is refused, as git
    /// refuses it: its offsets would give other objects' bytes.
    @Test func foreignIndexIsRefused() throws {
        let repo = Self.history(versions: 8)
        repo.git("repack", "-adq")
        let other = Self.history(versions: 9)
        other.git("repack", "-adq")
        let pack = try #require(GitPackStore(repository: repo.path).packs.first)
        let foreign = try #require(GitPackStore(repository: other.path).packs.first)
        #expect(throws: GitPackError.self) { try GitPack(pack: pack.path, index: String(foreign.path.dropLast(5)) + ".idx") }
        #expect((try? GitPack(pack: pack.path, index: String(pack.path.dropLast(5)) + ".idx")) != nil)
    }

    /// Reference deltas can loop only in a damaged pack: those blobs are named as looped (never
    /// handed to git, which would not return), the rest is planned as usual.
    @Test func deltaLoopsAreFound() {
        let nodes = [
            GitPackReader.Node(pack: 0, entry: nil, parent: 1, wanted: 0),
            GitPackReader.Node(pack: 0, entry: nil, parent: 0, wanted: 1),
            GitPackReader.Node(pack: 0, entry: nil, parent: -1, wanted: 2),
            GitPackReader.Node(pack: 0, entry: nil, parent: 2, wanted: -1),
        ]
        let forest = GitPackReader.Forest(nodes)
        #expect(Set(forest.unreachableWanted) == [0, 1])
        #expect(forest.roots == [2])
        #expect(Array(forest.children(of: 2)) == [3])
    }

    @Test func deltaFormat() throws {
        let base = Array("hello, world\n".utf8)
        // base size 13, result size 18: copy 7 bytes from offset 0, insert "there", copy 6 from 7.
        let delta: [UInt8] = [13, 18, 0x90, 7, 5] + Array("there".utf8) + [0x91, 7, 6]
        #expect(GitDelta.resultSize(delta) == 18)
        #expect(String(decoding: try GitDelta.apply(delta, to: base), as: UTF8.self) == "hello, thereworld\n")
        for bad: [UInt8] in [[12, 18, 0x90, 7], [13, 18, 0x90, 20], [13, 18, 0], [13, 5, 0x90, 7], [13], [13, 18, 6, 1, 2]] {
            #expect(throws: GitPackError.self) { try GitDelta.apply(bad, to: base) }
        }
    }

    @Test func objectIDs() {
        #expect(GitObjectID(hex: "00ff" + String(repeating: "a", count: 36))?.bytes.prefix(2) == [0, 255])
        #expect(GitObjectID(hex: "00FF" + String(repeating: "A", count: 36))?.bytes.last == 0xAA)
        #expect(GitObjectID(hex: "0g" + String(repeating: "a", count: 38)) == nil)
        #expect(GitObjectID(hex: String(repeating: "a", count: 64)) == nil)
    }
}

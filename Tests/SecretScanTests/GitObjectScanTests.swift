import Foundation
import MamoriTestSupport
import Testing
@testable import SecretScan

/// The object-level history scan finds the same keys, at the same commits, paths and lines, as
/// the diff scan (`git log -p`), on histories built to tell them apart.
struct GitObjectScanTests {
    /// What both engines must agree on, per finding.
    struct Seen: Hashable, CustomStringConvertible {
        var keyId: String?
        var secret: String?
        var file: String
        var line: Int
        var commit: String?
        var description: String { "\(keyId ?? "-") \(file):\(line) @\(commit?.prefix(8) ?? "nil")" }
    }

    static func seen(_ r: SecretScanResult) -> [Seen] {
        r.findings.map { Seen(keyId: $0.keyId, secret: $0.secret?.reveal(), file: $0.file, line: $0.line, commit: $0.git?.commit) }
    }

    static func both(_ repo: TestRepo, _ revisions: GitRevisions = .all, workers: Int = 2) throws -> (diff: SecretScanResult, objects: SecretScanResult) {
        let options = SecretScanOptions(workers: workers)
        return (try SecretScanner.scanGitHistory(repository: repo.path, revisions: revisions, engine: .diff, options: options),
                try SecretScanner.scanGitHistory(repository: repo.path, revisions: revisions, engine: .objects, options: options))
    }

    static func expectSame(_ repo: TestRepo, _ revisions: GitRevisions = .all, workers: Int = 2,
                           sourceLocation: SourceLocation = #_sourceLocation) throws -> [Seen] {
        let (diff, objects) = try both(repo, revisions, workers: workers)
        #expect(diff.errors.isEmpty, sourceLocation: sourceLocation)
        #expect(objects.errors.isEmpty, "\(objects.errors)", sourceLocation: sourceLocation)
        #expect(Set(seen(objects)) == Set(seen(diff)), sourceLocation: sourceLocation)
        #expect(objects.findings.count == diff.findings.count, sourceLocation: sourceLocation)
        #expect(objects.stats.commits == diff.stats.commits, sourceLocation: sourceLocation)
        // The same history packed: the blobs now come from the pack reader, not cat-file.
        repo.git("repack", "-adq")
        let packed = try SecretScanner.scanGitHistory(repository: repo.path, revisions: revisions, engine: .objects,
                                                      options: SecretScanOptions(workers: workers))
        #expect(packed.errors.isEmpty, "\(packed.errors)", sourceLocation: sourceLocation)
        #expect(seen(packed).sorted(by: { $0.description < $1.description }) == seen(objects).sorted(by: { $0.description < $1.description }),
                sourceLocation: sourceLocation)
        #expect(packed.stats.commits == objects.stats.commits, sourceLocation: sourceLocation)
        return seen(objects)
    }

    @Test func deletedEditedAndReaddedKeys() throws {
        let repo = TestRepo()
        repo.write("README.md", "hello\n")
        repo.commit("init")
        repo.write("deploy/app.env", "# settings\n" + KeyText.pair)
        let added = repo.commit("add key")
        // Edits elsewhere in the file: the key is not reported again.
        repo.write("deploy/app.env", "# settings\nregion = eu-west-1\n" + KeyText.pair + "output = json\n")
        repo.commit("edit settings")
        repo.write("deploy/app.env", "# settings\n")
        repo.commit("remove key")
        repo.write("deploy/app.env", "# settings\n" + KeyText.pair)
        let readded = repo.commit("add it again (the same blob as before)")
        repo.git("rm", "-q", "deploy/app.env")
        repo.commit("delete the file")
        let found = try Self.expectSame(repo)
        #expect(Set(found.map(\.commit)) == [added, readded])
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.file == "deploy/app.env" && $0.line == 2 && $0.keyId == Planted.keyId })
        // Nothing of it is left in the tree: only history has the key.
        #expect(SecretScanner.scan(paths: [repo.path], options: SecretScanOptions(workers: 1)).findings.isEmpty)
    }

    @Test func renamesAreNewPathsAsInTheDiffScan() throws {
        let repo = TestRepo()
        repo.write("old/creds.ini", "[default]\n" + KeyText.pair)
        let added = repo.commit("add")
        repo.git("mv", "old", "new")
        let moved = repo.commit("rename")
        let found = try Self.expectSame(repo)
        #expect(Set(found.map(\.commit)) == [added, moved])
        #expect(Set(found.map(\.file)) == ["old/creds.ini", "new/creds.ini"])
    }

    @Test func mergesAttributeToTheBranchCommit() throws {
        let repo = TestRepo()
        repo.write("README.md", "hello\n")
        repo.commit("init")
        repo.git("checkout", "-q", "-b", "feature")
        repo.write("feature.env", KeyText.pair)
        let feature = repo.commit("feature key")
        repo.git("checkout", "-q", "main")
        repo.write("main.py", "KEY = '\(Planted.secondKeyId)'\nSECRET = '\(Planted.secondSecret)'\n")
        let onMain = repo.commit("main key")
        repo.git("merge", "-q", "--no-edit", "feature")
        let found = try Self.expectSame(repo)
        #expect(Set(found.map(\.commit)) == [feature, onMain])
    }

    /// A key that only a merge's conflict resolution added: `git log -p` shows no merge diffs,
    /// the object scan finds it at the merge.
    @Test func conflictResolutionKeyIsFoundAtTheMerge() throws {
        let repo = TestRepo()
        repo.write("app.env", "region = us-east-1\n")
        repo.commit("init")
        repo.git("checkout", "-q", "-b", "feature")
        repo.write("app.env", "region = eu-west-1\n")
        repo.commit("feature region")
        repo.git("checkout", "-q", "main")
        repo.write("app.env", "region = ap-south-1\n")
        repo.commit("main region")
        repo.git("merge", "-q", "--no-edit", "feature")   // conflicts
        repo.write("app.env", "region = eu-west-1\n" + KeyText.pair)
        let merge = repo.commit("merge feature")
        let (diff, objects) = try Self.both(repo)
        #expect(diff.findings.isEmpty)
        #expect(Self.seen(objects).map(\.commit) == [merge])
        #expect(objects.findings.first?.line == 2)
    }

    @Test func binaryBlobsAreSkippedSubmodulesIgnored() throws {
        let repo = TestRepo()
        var binary = Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D])
        binary.append(Data(KeyText.pair.utf8))
        repo.dir.write("logo.png", binary)
        repo.write("ok.env", KeyText.second)
        repo.commit("binary and text")
        // A submodule is a commit entry in the tree: neither engine follows it, neither fails.
        let head = repo.head()
        repo.git("update-index", "--add", "--cacheinfo", "160000,\(head),vendor/lib")
        repo.git("commit", "-q", "-m", "add submodule")
        let found = try Self.expectSame(repo)
        #expect(found.map(\.keyId) == [Planted.secondKeyId])
        let objects = try Self.both(repo).objects
        #expect(objects.stats.skippedBinary == 1)
    }

    /// A blob larger than what is handed to the workers is streamed on the reading thread.
    @Test func hugeBlobsAreStreamed() throws {
        let repo = TestRepo()
        let filler = String(repeating: "lorem ipsum dolor sit amet, consectetur adipiscing elit\n", count: 160_000)
        #expect(filler.utf8.count > GitObjectScanner.inlineThreshold)
        repo.write("big/data.txt", filler + KeyText.pair)
        repo.write("small.txt", KeyText.second)
        repo.commit("big file")
        let found = try Self.expectSame(repo)
        #expect(Set(found.map(\.keyId)) == [Planted.keyId, Planted.secondKeyId])
        #expect(found.first { $0.keyId == Planted.keyId }?.line == 160_001)
    }

    /// Many distinct blobs over several commits: the blob list is split between cat-file
    /// processes (two for four workers) and every key still lands at its commit and line.
    @Test func blobsSplitBetweenCatFilesAgree() throws {
        #expect(GitObjectScanner.catFileCount(workers: 1) == 1)
        #expect(GitObjectScanner.catFileCount(workers: 2) == 1)
        #expect(GitObjectScanner.catFileCount(workers: 4) == 2)
        #expect(GitObjectScanner.catFileCount(workers: 16) == 4)
        let repo = TestRepo()
        var expected: [Seen] = []
        for c in 0..<5 {
            for f in 0..<12 {
                let filler = (0...(c * 12 + f)).map { "line \($0) of commit \(c)" }.joined(separator: "\n") + "\n"
                repo.write("dir\(f % 3)/file\(f).env", filler + (f % 2 == 0 ? KeyText.pair : KeyText.second))
            }
            let commit = repo.commit("commit \(c)")
            for f in 0..<12 {
                expected.append(Seen(keyId: f % 2 == 0 ? Planted.keyId : Planted.secondKeyId,
                                     secret: f % 2 == 0 ? Planted.secret : Planted.secondSecret,
                                     file: "dir\(f % 3)/file\(f).env", line: c * 12 + f + 2, commit: commit))
            }
        }
        // Each commit moves every key down a line: a new blob, but not a new key, so only the
        // first commit introduced them.
        let found = try Self.expectSame(repo, workers: 4)
        #expect(Set(found) == Set(expected.prefix(12)))
    }

    @Test func rangesAgree() throws {
        let h = GitRangeTests.History()
        for r in [GitRevisions.since(h.removed), try GitRevisions.parseRange("\(h.initial)..\(h.removed)")] {
            _ = try Self.expectSame(h.repo, r)
        }
    }

    @Test func autoChoosesByTheSelection() throws {
        let h = GitRangeTests.History()
        #expect(try GitHistoryEngine.choose(repository: h.repo.path, revisions: .all, displayName: "r") == .objects)
        #expect(try GitHistoryEngine.choose(repository: h.repo.path, revisions: .since(h.initial), displayName: "r") == .diff)
    }

    /// A blob deleted from the object store: the rest is scanned, the missing object listed.
    @Test func missingObjectsAreListedNotFatal() throws {
        let repo = TestRepo()
        repo.write("kept.env", KeyText.pair)
        let kept = repo.commit("readable key")
        repo.write("lost.env", KeyText.second)
        repo.commit("key whose blob goes missing")
        let blob = Self.blobId(repo, "HEAD:lost.env")
        try FileManager.default.removeItem(atPath: repo.path + "/.git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2))

        let objects = try SecretScanner.scanGitHistory(repository: repo.path, engine: .objects, options: SecretScanOptions(workers: 2))
        #expect(Self.seen(objects).map(\.commit) == [kept])
        #expect(objects.stats.unreadableObjects == 1)
        #expect(objects.errors.count == 1)
        #expect(objects.errors.first?.contains(blob) == true)
        #expect(objects.errors.first?.contains("could not be read") == true)
        // The same with the blob list split between two cat-file processes.
        let split = try SecretScanner.scanGitHistory(repository: repo.path, engine: .objects, options: SecretScanOptions(workers: 4))
        #expect(Self.seen(split) == Self.seen(objects))
        #expect(split.errors == objects.errors)

        // `git log -p` stops at the missing blob; auto falls back to the object scan.
        #expect(throws: SecretScanError.self) {
            try SecretScanner.scanGitHistory(repository: repo.path, engine: .diff, options: SecretScanOptions(workers: 1))
        }
        let auto = try SecretScanner.scanGitHistory(repository: repo.path, revisions: .since("HEAD~1"), options: SecretScanOptions(workers: 1))
        #expect(auto.findings.isEmpty)
        #expect(auto.stats.unreadableObjects == 1)
    }

    static func blobId(_ repo: TestRepo, _ spec: String) -> String {
        let data = (try? ChildProcess.run("/usr/bin/env", ["git", "-C", repo.path, "rev-parse", spec], deadline: 60))?.stdout ?? Data()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

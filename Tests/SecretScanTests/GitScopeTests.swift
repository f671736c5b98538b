import Foundation
import MamoriTestSupport
import Testing
@testable import SecretScan

/// A real temporary git repository the tests commit to.
final class TestRepo {
    let dir = TempDir()
    var path: String { dir.path }

    init() {
        git("init", "-q", "-b", "main")
    }

    @discardableResult
    func git(_ args: String...) -> Int32 { run(["git"] + args, in: path) }

    func write(_ name: String, _ text: String) { dir.write(name, text) }

    /// Stages everything and commits; returns the new commit's SHA.
    @discardableResult
    func commit(_ message: String) -> String {
        git("add", "-A")
        git("commit", "-q", "-m", message)
        return head()
    }

    func head() -> String {
        let data = (try? ChildProcess.run("/usr/bin/env", ["git", "-C", path, "rev-parse", "HEAD"], deadline: 60))?.stdout ?? Data()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

enum KeyText {
    static let pair = "aws_access_key_id = \(Planted.keyId)\naws_secret_access_key = \(Planted.secret)\n"
    static let second = "aws_access_key_id = \(Planted.secondKeyId)\naws_secret_access_key = \(Planted.secondSecret)\n"
}

/// `--staged`: the index, never the working tree.
struct StagedScanTests {
    @Test func scansTheIndexNotTheWorkingTree() throws {
        let repo = TestRepo()
        repo.write("README.md", "hello\n")
        repo.write("other.txt", "nothing here\n")
        repo.write("old.txt", "to be deleted\n")
        repo.commit("init")
        repo.write("deploy/app.env", "# settings\n" + KeyText.pair)
        repo.commit("add key")
        repo.write("deploy/app.env", "# settings\n")
        repo.commit("remove key")

        // Added again, staged; then removed in the working tree only: the commit would still carry it.
        repo.write("deploy/app.env", "# settings\nregion = eu-west-1\n" + KeyText.pair)
        repo.git("add", "deploy/app.env")
        repo.write("deploy/app.env", "# settings\n")
        // Staged clean, then a key added in the working tree only: it is not about to be committed.
        repo.write("other.txt", "still nothing\n")
        repo.git("add", "other.txt")
        repo.write("other.txt", "still nothing\n" + KeyText.second)
        // Untracked and unstaged: not part of the commit either.
        repo.write("untracked.env", KeyText.second)
        // A staged deletion is not an error.
        repo.git("rm", "-q", "old.txt")

        let r = try SecretScanner.scanStaged(repository: repo.path, options: SecretScanOptions(workers: 1))
        #expect(r.errors.isEmpty)
        #expect(r.findings.count == 1)
        let f = try #require(r.findings.first)
        #expect(f.keyId == Planted.keyId)
        #expect(f.file == "deploy/app.env")
        #expect(f.line == 3)
        #expect(f.secret?.reveal() == Planted.secret)
        #expect(f.git == nil)
        #expect(r.stats.files == 2)

        // The working tree tells the opposite story.
        let tree = SecretScanner.scan(paths: [repo.path], options: SecretScanOptions(workers: 1))
        #expect(Set(tree.findings.compactMap(\.keyId)) == [Planted.secondKeyId])
    }

    @Test func firstCommitOfANewRepository() throws {
        let repo = TestRepo()
        repo.write("sub/dir/creds.ini", "[default]\n" + KeyText.pair)
        repo.git("add", "-A")
        // Run from a subdirectory: paths stay relative to the top of the work tree.
        let r = try SecretScanner.scanStaged(repository: repo.path + "/sub", options: SecretScanOptions(workers: 1))
        #expect(r.findings.map(\.file) == ["sub/dir/creds.ini"])
        #expect(r.findings.first?.line == 2)
    }

    @Test func nothingStagedIsClean() throws {
        let repo = TestRepo()
        repo.write("a.env", KeyText.pair)
        repo.commit("init")
        let r = try SecretScanner.scanStaged(repository: repo.path, options: SecretScanOptions(workers: 1))
        #expect(r.findings.isEmpty)
        #expect(r.errors.isEmpty)
    }

    @Test func excludedBaselineIsNotScanned() throws {
        let repo = TestRepo()
        repo.write(".mamori-baseline.json", "{\"keyId\": \"\(Planted.keyId)\"}\n")
        repo.write("b.txt", "key \(Planted.secondKeyId)\n")
        repo.git("add", "-A")
        let r = try SecretScanner.scanStaged(repository: repo.path,
                                             options: SecretScanOptions(workers: 1, excludedFiles: [repo.path + "/.mamori-baseline.json"]))
        #expect(r.findings.map(\.file) == ["b.txt"])
    }

    @Test func notARepository() {
        let dir = TempDir()
        #expect(throws: SecretScanError.self) {
            try SecretScanner.scanStaged(repository: dir.path, options: SecretScanOptions(workers: 1))
        }
    }
}

/// `--since REV` and `--range A..B`: only the commits in the range.
struct GitRangeTests {
    /// init → add K1 → remove K1 → add K1 again → add K2.
    struct History {
        let repo = TestRepo()
        let initial, added, removed, readded, second: String

        init() {
            repo.write("README.md", "hello\n")
            initial = repo.commit("init")
            repo.write("deploy/app.env", "# settings\n" + KeyText.pair)
            added = repo.commit("add key")
            repo.write("deploy/app.env", "# settings\n")
            removed = repo.commit("remove key")
            repo.write("deploy/app.env", "# settings\nregion = eu-west-1\n" + KeyText.pair)
            readded = repo.commit("add the key again")
            repo.write("notes.txt", KeyText.second)
            second = repo.commit("another key")
        }

        func scan(_ revisions: GitRevisions) throws -> SecretScanResult {
            try SecretScanner.scanGitHistory(repository: repo.path, revisions: revisions, options: SecretScanOptions(workers: 1))
        }
    }

    @Test func everythingByDefault() throws {
        let h = History()
        let r = try h.scan(.all)
        #expect(r.stats.commits == 5)
        #expect(r.findings.map(\.git?.commit) == [h.added, h.readded, h.second])
    }

    @Test func sinceSkipsOlderCommits() throws {
        let h = History()
        let r = try h.scan(.since(h.removed))
        #expect(r.stats.commits == 2)
        #expect(r.findings.map(\.git?.commit) == [h.readded, h.second])
        let again = try #require(r.findings.first)
        #expect(again.keyId == Planted.keyId)
        #expect(again.file == "deploy/app.env")
        #expect(again.line == 3)
        #expect(try h.scan(.since("HEAD")).findings.isEmpty)
        // Branch names and relative revisions work as in git.
        #expect(try h.scan(.since("HEAD~1")).findings.map(\.keyId) == [Planted.secondKeyId])
    }

    @Test func rangeScansOnlyItsCommits() throws {
        let h = History()
        let early = try h.scan(try GitRevisions.parseRange("\(h.initial)..\(h.removed)"))
        #expect(early.stats.commits == 2)
        #expect(early.findings.map(\.git?.commit) == [h.added])
        let middle = try h.scan(try GitRevisions.parseRange("\(h.removed)..\(h.readded)"))
        #expect(middle.findings.map(\.git?.commit) == [h.readded])
        // `A..` is `A..HEAD`, as in git.
        let open = try h.scan(try GitRevisions.parseRange("\(h.readded).."))
        #expect(open.findings.map(\.keyId) == [Planted.secondKeyId])
        // A pull request's branch: only its own commits.
        h.repo.git("checkout", "-q", "-b", "feature", h.removed)
        h.repo.write("feature.env", KeyText.second)
        let feature = h.repo.commit("feature key")
        let pr = try h.scan(try GitRevisions.parseRange("main..feature"))
        #expect(pr.findings.map(\.git?.commit) == [feature])
    }

    @Test func badRevisionsAreClearErrors() throws {
        let h = History()
        #expect(throws: SecretScanError.self) { try h.scan(.since("no-such-branch")) }
        #expect(throws: SecretScanError.self) { try h.scan(.since("--all")) }
        do {
            _ = try h.scan(.range(from: "main", to: "deadbeef"))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("deadbeef"))
            #expect("\(error)".contains("fetch-depth"))
        }
    }

    @Test func rangeSyntax() throws {
        #expect(try GitRevisions.parseRange("a..b") == .range(from: "a", to: "b"))
        #expect(try GitRevisions.parseRange("origin/main..") == .range(from: "origin/main", to: "HEAD"))
        for bad in ["a...b", "ab", "..b", "a..b..c"] {
            #expect(throws: SecretScanError.self, "\(bad)") { try GitRevisions.parseRange(bad) }
        }
    }
}

/// `--git URL`: classification, credentials never shown, a bare clone removed afterwards.
struct GitRemoteTests {
    @Test func classification() throws {
        let token = try GitRemote.classify("https://x-access-token:ghp_s3cretTOKEN@github.com/acme/app.git")
        guard case .remote(let r) = token else { Issue.record("not remote"); return }
        #expect(r.display == "https://***@github.com/acme/app.git")
        for url in ["https://github.com/acme/app.git", "ssh://git@github.com/acme/app.git", "git@github.com:acme/app.git",
                    "deploy@git.example.com:team/app", "file:///srv/git/app.git", "HTTPS://github.com/a/b"] {
            guard case .remote(let r) = try GitRemote.classify(url) else { Issue.record("\(url) is a URL"); continue }
            #expect(r.display == url)
        }
        for path in [".", "/srv/git/app.git", "../repo", "dir:with:colons", "./a@b:c", "C:repo", "user@host:"] {
            #expect(try GitRemote.classify(path) == .local(path), "\(path)")
        }
        for bad in ["http://github.com/a/b", "git://github.com/a/b", "ftp://host/x", "https:///x", "https://tok@/x"] {
            #expect(throws: SecretScanError.self, "\(bad)") { try GitRemote.classify(bad) }
        }
        do {
            _ = try GitRemote.classify("http://user:hunter2@example.com/x")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
            #expect("\(error)".contains("unencrypted"))
        }
    }

    @Test func scrubsCredentialsFromGitMessages() throws {
        guard case .remote(let r) = try GitRemote.classify("https://bob:p%40ss@git.example.com/x.git") else {
            Issue.record("not remote"); return
        }
        let message = r.scrub("fatal: unable to access 'https://bob:p%40ss@git.example.com/x.git/': auth for bob:p@ss failed")
        #expect(!message.contains("p%40ss"))
        #expect(!message.contains("p@ss"))
        #expect(message.contains("https://***@git.example.com/x.git"))
    }

    /// A `file://` URL of a local bare repository: cloned, scanned (all, and a range), removed.
    @Test func clonesScansAndRemoves() throws {
        let h = GitRangeTests.History()
        let bare = TempDir()
        #expect(run(["git", "clone", "-q", "--bare", h.repo.path, bare.path + "/app.git"], in: bare.path) == 0)
        let url = "file://" + bare.path + "/app.git"
        let clonesBefore = Self.clones()

        // The URL reaches git through its environment, not its arguments; the clone's config
        // keeps only the placeholder (with a token in the URL, the token is not stored either).
        guard case .remote(let remote) = try GitRemote.classify(url) else { Issue.record("not remote"); return }
        let direct = try remote.cloneBare()
        let config = try String(contentsOfFile: direct.path + "/config", encoding: .utf8)
        #expect(config.contains("url = \(GitRemote.placeholder)"))
        #expect(!config.contains(bare.path))
        direct.remove()
        #expect(!FileManager.default.fileExists(atPath: direct.path))

        let all = try SecretScanner.scanGitHistory(repository: url, options: SecretScanOptions(workers: 1))
        #expect(all.findings.map(\.git?.commit) == [h.added, h.readded, h.second])
        #expect(all.findings.first?.file == "deploy/app.env")
        let pr = try SecretScanner.scanGitHistory(repository: url, revisions: .since(h.removed), options: SecretScanOptions(workers: 1))
        #expect(pr.findings.map(\.git?.commit) == [h.readded, h.second])
        do {
            _ = try SecretScanner.scanGitHistory(repository: url, revisions: .since("nope"), options: SecretScanOptions(workers: 1))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains(url))
            #expect(!"\(error)".contains("mamori-clone-"))
        }
        #expect(Self.clones().subtracting(clonesBefore).isEmpty)

        // A URL with a token that cannot be cloned (nothing listens on loopback port 1): the
        // error names the repository without the token, and nothing is left behind.
        do {
            _ = try SecretScanner.scanGitHistory(repository: "https://ci:ghp_s3cretTOKEN@127.0.0.1:1/acme/app.git",
                                                 options: SecretScanOptions(workers: 1))
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("s3cretTOKEN"))
            #expect("\(error)".contains("cannot clone https://***@127.0.0.1:1/acme/app.git"))
        }
        #expect(Self.clones().subtracting(clonesBefore).isEmpty)
    }

    static func clones() -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []
        return Set(names.filter { $0.hasPrefix("mamori-clone-") })
    }
}

struct BaselineMergeTests {
    @Test func mergeKeepsOldEntriesAndAddsNewOnes() {
        let a = scanText("key \(Planted.keyId)\n", name: "a.txt").findings
        let b = scanText("key \(Planted.secondKeyId)\n", name: "b.txt").findings
        let old = Baseline(findings: a)
        let merged = old.merged(with: Baseline(findings: a + b))
        #expect(merged.findings.count == 2)
        #expect(merged.fingerprints == Set((a + b).map(\.fingerprint)))
        #expect(old.merged(with: old).findings.count == 1)
    }
}

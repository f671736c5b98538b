import Foundation
import MamoriTestSupport
import Testing

/// The repository's `.pre-commit-hooks.yaml` driven by the real `pre-commit` tool (PyPI, installed
/// by scripts/setup-python.sh) in a temporary git repository, with the real `mamori` on PATH:
/// `git commit` runs the hooks exactly as on a developer's machine.
struct PreCommitTests {
    /// Synthetic credentials, never issued by AWS.
    static let keyId = "AKIAZ7QMBX3NHV5TKD2W"
    static let secret = "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"

    /// A temporary project and the environment its git and pre-commit run in.
    struct Project {
        let root = Mamori.tempDir()
        var path: String { root + "/project" }
        var environment: [String: String] {
            let binDir = URL(fileURLWithPath: Mamori.binary).deletingLastPathComponent().path
            return Mamori.environment(home: root + "/home", extra: [
                "PATH": binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                "PRE_COMMIT_HOME": root + "/pre-commit-cache",
                "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.com",
                "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.com",
                "GIT_CONFIG_NOSYSTEM": "1",
            ])
        }

        @discardableResult
        func git(_ args: String..., in dir: String? = nil) throws -> Run {
            let o = try ChildProcess.run("/usr/bin/env", ["git"] + args, environment: environment, cwd: dir ?? path,
                                         deadline: 180, name: "git " + args.prefix(2).joined(separator: " "))
            return Run(status: o.status, stdout: String(decoding: o.stdout, as: UTF8.self), stderr: String(decoding: o.stderr, as: UTF8.self))
        }

        func write(_ name: String, _ text: String) throws {
            let url = URL(fileURLWithPath: path + "/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func commitCount() throws -> Int { Int(try git("rev-list", "--count", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }
    }

    @Test func hooksRefuseKeysAndUnpinnedAMIsAndHonourTheBaseline() throws {
        let probe = try ChildProcess.run("/usr/bin/env", ["python3", "-m", "pre_commit", "--version"], deadline: 60)
        try #require(probe.status == 0, "the pre-commit tool is missing: run scripts/setup-python.sh")
        let p = Project()
        defer { try? FileManager.default.removeItem(atPath: p.root) }

        // The hooks repository: this checkout's .pre-commit-hooks.yaml, as pre-commit clones it.
        let hooks = p.root + "/hooks"
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: MotoEstate.repoRoot.appendingPathComponent(".pre-commit-hooks.yaml").path,
                                         toPath: hooks + "/.pre-commit-hooks.yaml")
        try #require(try p.git("init", "-q", "-b", "main", in: hooks).status == 0)
        try p.git("add", ".", in: hooks)
        try #require(try p.git("commit", "-q", "-m", "hooks", in: hooks).status == 0)
        let rev = try p.git("rev-parse", "HEAD", in: hooks).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        try FileManager.default.createDirectory(atPath: p.path, withIntermediateDirectories: true)
        try #require(try p.git("init", "-q", "-b", "main").status == 0)
        func config(baseline: Bool) -> String {
            """
            repos:
              - repo: \(hooks)
                rev: \(rev)
                hooks:
                  - id: mamori-secrets
            \(baseline ? "        args: [--baseline, .mamori-secrets-baseline.json]\n" : "")\
                  - id: mamori-iac
            """
        }
        try p.write(".pre-commit-config.yaml", config(baseline: false))
        let install = try ChildProcess.run("/usr/bin/env", ["python3", "-m", "pre_commit", "install"], environment: p.environment,
                                           cwd: p.path, deadline: 120)
        try #require(install.status == 0, "\(String(decoding: install.stdout + install.stderr, as: UTF8.self))")

        // A clean commit passes both hooks.
        try p.write("README.md", "# demo\n")
        try p.git("add", "-A")
        let clean = try p.git("commit", "-m", "clean")
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect((clean.stdout + clean.stderr).contains("mamori secrets (staged content)"))
        #expect(try p.commitCount() == 1)

        // A commit adding a key is refused; the finding is shown redacted, never the secret.
        try p.write("deploy/app.env", "region = eu-west-1\naws_access_key_id = \(Self.keyId)\naws_secret_access_key = \(Self.secret)\n")
        try p.git("add", "-A")
        let refused = try p.git("commit", "-m", "add key")
        let shown = refused.stdout + refused.stderr
        #expect(refused.status != 0)
        #expect(shown.contains("Failed"))
        #expect(shown.contains("deploy/app.env:2"))
        #expect(shown.contains(Self.keyId))
        #expect(shown.contains("Tq8v…oEiP"))
        #expect(!shown.contains(Self.secret))
        #expect(try p.commitCount() == 1)

        // Listed in the baseline (made from the staged content), the same key passes.
        let update = try Mamori.run(["secrets", "--staged", "--baseline", ".mamori-secrets-baseline.json", "--update-baseline"],
                                    environment: p.environment, cwd: p.path)
        #expect(update.status == 0, "\(update.stderr)")
        let baselineText = try String(contentsOfFile: p.path + "/.mamori-secrets-baseline.json", encoding: .utf8)
        #expect(baselineText.contains(Self.keyId))
        #expect(!baselineText.contains(Self.secret))
        try p.write(".pre-commit-config.yaml", config(baseline: true))
        try p.git("add", "-A")
        let known = try p.git("commit", "-m", "add known key")
        #expect(known.status == 0, "\(known.stdout)\(known.stderr)")
        #expect(try p.commitCount() == 2)

        // A second, new key is still refused with the baseline in place.
        try p.write("deploy/other.env", "aws_access_key_id = AKIAZ2WQPL6XKDM4TJBR\naws_secret_access_key = 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\n")
        try p.git("add", "-A")
        let second = try p.git("commit", "-m", "another key")
        #expect(second.status != 0)
        #expect((second.stdout + second.stderr).contains("AKIAZ2WQPL6XKDM4TJBR"))
        #expect(!(second.stdout + second.stderr).contains("pW7xK2nR9vL4mQ8tZ3bY6cH1dF5gJ0sAeUkOiEwT"))
        try p.git("rm", "-q", "--cached", "deploy/other.env")

        // `git commit -a` stages in a temporary index (GIT_INDEX_FILE): that is what is checked.
        try p.write("README.md", "# demo\nkey: AKIAZ4RTWX7MKPLD3QNB\n")
        let all = try p.git("commit", "-a", "-m", "commit -a")
        #expect(all.status != 0)
        #expect((all.stdout + all.stderr).contains("README.md:2"))
        #expect(try p.commitCount() == 2)
        try p.git("checkout", "--", "README.md")

        // mamori-iac: a changed Terraform file with an unpinned AMI look-up is refused.
        try p.write("infra/main.tf", """
            data "aws_ami" "web" {
              most_recent = true
              filter {
                name   = "name"
                values = ["ubuntu/images/*"]
              }
            }
            """)
        try p.git("add", "infra/main.tf")
        let iac = try p.git("commit", "-m", "unpinned ami")
        #expect(iac.status != 0)
        #expect((iac.stdout + iac.stderr).contains("IAC-AMI-001"))
        #expect((iac.stdout + iac.stderr).contains("mamori iac (changed files)"))
        #expect(try p.commitCount() == 2)
    }

    /// The pull-request check through the binary: only the branch's commits, JSON output, a
    /// baseline that a partial scan adds to, and the same history read through a `file://` URL.
    @Test func pullRequestCheck() throws {
        let p = Project()
        defer { try? FileManager.default.removeItem(atPath: p.root) }
        try FileManager.default.createDirectory(atPath: p.path, withIntermediateDirectories: true)
        try #require(try p.git("init", "-q", "-b", "main").status == 0)
        try p.write("old.env", "aws_access_key_id = \(Self.keyId)\naws_secret_access_key = \(Self.secret)\n")
        try p.git("add", "-A")
        try p.git("commit", "-q", "-m", "old key")
        try p.git("checkout", "-q", "-b", "feature")
        try p.write("new.env", "aws_access_key_id = AKIAZ2WQPL6XKDM4TJBR\n")
        try p.git("add", "-A")
        try p.git("commit", "-q", "-m", "new key")

        let pr = try Mamori.run(["secrets", "--git", "--range", "main..feature", "--format", "json"], environment: p.environment, cwd: p.path)
        #expect(pr.status == 1, "\(pr.stderr)")
        let findings = try pr.json()
        #expect(findings.map { $0["keyId"] as? String } == ["AKIAZ2WQPL6XKDM4TJBR"])
        #expect(findings.first?["file"] as? String == "new.env")

        // The baseline: one entry from a full scan, then the range adds its own without losing it.
        let b = p.root + "/baseline.json"
        #expect(try Mamori.run(["secrets", "--git", "--range", "HEAD~1..HEAD~1", "--baseline", b], environment: p.environment,
                               cwd: p.path).status == 2)   // no such file yet: a clear error
        let all = try Mamori.run(["secrets", "--git", ".", "--baseline", b, "--update-baseline"], environment: p.environment, cwd: p.path)
        #expect(all.status == 0, "\(all.stderr)")
        try p.write("newer.env", "aws_access_key_id = AKIAZ4RTWX7MKPLD3QNB\n")
        try p.git("add", "-A")
        try p.git("commit", "-q", "-m", "newer key")
        let again = try Mamori.run(["secrets", "--git", "--since", "HEAD~1", "--baseline", b], environment: p.environment, cwd: p.path)
        #expect(again.status == 1)
        #expect(again.stdout.contains("AKIAZ4RTWX7MKPLD3QNB"))
        let add = try Mamori.run(["secrets", "--git", "--since", "HEAD~1", "--baseline", b, "--update-baseline"],
                                 environment: p.environment, cwd: p.path)
        #expect(add.status == 0)
        let entries = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: b))) as? [String: Any]
        #expect((entries?["findings"] as? [Any])?.count == 3)
        #expect(try Mamori.run(["secrets", "--git", ".", "--baseline", b], environment: p.environment, cwd: p.path).status == 0)

        // The same history by URL; the range flags need --git.
        let url = "file://" + p.path
        let remote = try Mamori.run(["secrets", "--git", url, "--range", "main..feature"], environment: p.environment, cwd: p.root)
        #expect(remote.status == 1, "\(remote.stderr)")
        #expect(remote.stdout.contains("AKIAZ2WQPL6XKDM4TJBR"))
        #expect(!remote.stdout.contains(Self.keyId))
        let misuse = try Mamori.run(["secrets", "--range", "main..feature"], environment: p.environment, cwd: p.path)
        #expect(misuse.status == 2)
        #expect(misuse.stderr.contains("use it with --git"))
    }
}

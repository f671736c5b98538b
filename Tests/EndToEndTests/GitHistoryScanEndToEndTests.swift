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
}

import Foundation
import MamoriTestSupport
import Testing

/// `mamori secrets` on a decompression bomb: it stops quickly, says why on stderr, exits 3 (partial).
@Suite struct ArchiveBombEndToEndTests {
    @Test func nestedBombStopsQuicklyWithExitThree() throws {
        let dir = Mamori.tempDir()
        let bomb = "\(dir)/bomb.zip"
        let script = MotoEstate.repoRoot.appendingPathComponent("Tests/Support/make_bombs.py").path
        #expect(try ChildProcess.run("/usr/bin/env", ["python3", script, "overlap", bomb], deadline: 60).status == 0)
        let started = Date()
        let run = try Mamori.run(["secrets", bomb], cwd: dir, deadline: 60)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("\(bomb): scan stopped: its archives expand more than 200 times"), "\(run.stderr)")
        // Raised limits are honoured; a too-small size limit says which flag it was.
        let small = try Mamori.run(["secrets", bomb, "--max-archive-size", "1M"], cwd: dir, deadline: 60)
        #expect(small.status == 3)
        #expect(small.stderr.contains("more than 1 MiB (--max-archive-size)"), "\(small.stderr)")
        let bad = try Mamori.run(["secrets", bomb, "--max-archive-size", "lots"], cwd: dir, deadline: 60)
        #expect(bad.status != 0 && bad.status != 3, "\(bad.stderr)")
        #expect(bad.stderr.contains("--max-archive-size"), "\(bad.stderr)")
    }
}

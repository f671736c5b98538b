import Foundation
import MamoriTestSupport
import Testing

/// `scan --org --resume`: killed or interrupted mid-scan, the resumed scan ends with exactly the
/// findings of an uninterrupted one, and only unfinished accounts are scanned again.
@Suite(.serialized)
struct ResumeTests {
    func arguments(_ db: String) throws -> [String] {
        let org = try OrgTests.org.get()
        return ["scan", "--org", "--endpoint-url", org.estate.endpoint, "--region", "us-east-1", "--region", "eu-west-1",
                "--max-accounts", "1", "--quiet", "--format", "json", "--all", "--db", db]
    }

    /// The findings as comparable lines (messages included: the same inventory gives the same text).
    func findings(_ run: Run) throws -> [String] {
        try run.json().map { f in
            ["check", "status", "account", "region", "resource", "message"].map { f[$0] as? String ?? "" }.joined(separator: "|")
        }.sorted()
    }

    /// Starts a scan and stops it once the store shows at least one finished account.
    func startAndStop(_ db: String, signal: Int32) throws -> (status: Int32, stderr: String) {
        let child = ChildProcess(Mamori.binary, try arguments(db), environment: Mamori.environment(), name: "mamori scan --org")
        let process = child.process
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let err = Pipe()
        process.standardError = err
        try child.start(deadline: 180)
        let deadline = Date().addingTimeInterval(120)
        var stopped = false
        while process.isRunning && Date() < deadline {
            let history = try Mamori.run(["history", "--db", db, "--format", "json"])
            if let scans = try? JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]],
               let scan = scans.first, scan["state"] as? String == "running", (scan["accounts"] as? Int ?? 0) >= 1 {
                kill(process.processIdentifier, signal)
                stopped = true
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        try child.wait(stderr: stderr)
        #expect(stopped, "the scan finished before it could be stopped; the test proves nothing")
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    func storedScans(_ db: String) throws -> [[String: Any]] {
        let history = try Mamori.run(["history", "--db", db, "--format", "json"])
        return try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]] ?? []
    }

    @Test func resumeAfterKillGivesTheUninterruptedFindings() throws {
        let reference = try Mamori.run(try arguments(Mamori.tempDir() + "/reference.sqlite"))
        #expect(reference.status == 3, "\(reference.stderr)")

        let db = Mamori.tempDir() + "/killed.sqlite"
        let killed = try startAndStop(db, signal: SIGKILL)
        #expect(killed.status == 9)
        let before = try storedScans(db)
        #expect(before.first?["state"] as? String == "running", "a killed scan stays running, ready to resume")
        let done = before.first?["accounts"] as? Int ?? 0

        let resumed = try Mamori.run(try arguments(db) + ["--resume"])
        #expect(resumed.status == reference.status, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming scan 1: \(done) account(s) already done"), "\(resumed.stderr)")
        #expect(try findings(resumed) == findings(reference))
        let after = try storedScans(db)
        #expect(after.count == 1, "the resumed scan is the same stored scan")
        #expect(after.first?["state"] as? String == "partial")
    }

    @Test func interruptStopsCleanlyAndResumes() throws {
        let reference = try Mamori.run(try arguments(Mamori.tempDir() + "/reference.sqlite"))
        let db = Mamori.tempDir() + "/interrupted.sqlite"
        let interrupted = try startAndStop(db, signal: SIGINT)
        #expect(interrupted.status == 3, "an interrupted scan is partial: \(interrupted.stderr)")
        #expect(interrupted.stderr.contains("interrupted: "), "\(interrupted.stderr)")
        #expect(interrupted.stderr.contains("--resume"))
        #expect(try storedScans(db).first?["state"] as? String == "interrupted")

        let resumed = try Mamori.run(try arguments(db) + ["--resume"])
        #expect(try findings(resumed) == findings(reference))
        #expect(try storedScans(db).count == 1)
    }

    @Test func resumeWithOtherOptionsStartsAfresh() throws {
        let db = Mamori.tempDir() + "/other.sqlite"
        _ = try startAndStop(db, signal: SIGKILL)
        let org = try OrgTests.org.get()
        let other = try Mamori.run(["scan", "--org", "--endpoint-url", org.estate.endpoint, "--region", "us-east-1", "--quiet",
                                    "--format", "json", "--db", db, "--resume"])
        #expect(other.stderr.contains("nothing to resume"), "different regions are a different scan: \(other.stderr)")
        #expect(try storedScans(db).count == 2)
    }
}

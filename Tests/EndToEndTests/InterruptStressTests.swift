import Foundation
import MamoriTestSupport
import Testing

/// Ctrl-C at any moment of `scan --org` — listing accounts, assuming roles, collecting, storing —
/// ends the run promptly with "interrupted" and exit 3 (or 0/1/3 when it had already finished), and
/// a second signal always ends it at once. The moments are random but seeded, so a failure can be
/// replayed with the same seed (MAMORI_STRESS_SEED); concurrency is high to widen every race.
@Suite(.serialized)
struct InterruptStressTests {
    struct Trial {
        var delay: Double
        var secondSignalAfter: Double?
    }

    /// What one interrupted run did.
    struct Result {
        var status: Int32
        var stderr: String
        var exitAfterFirst: Double
        var exitAfterSecond: Double?
    }

    func interrupt(_ org: OrgTests.Org, _ trial: Trial, db: String) throws -> Result {
        let child = ChildProcess(Mamori.binary, ["scan", "--org", "--endpoint-url", org.estate.endpoint, "--region", "us-east-1",
                                                 "--region", "eu-west-1", "--max-accounts", "8", "--max-requests", "64",
                                                 "--quiet", "--format", "json", "--all", "--db", db],
                                 environment: Mamori.environment(), name: "mamori scan --org (interrupted)")
        child.process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let err = Pipe()
        child.process.standardError = err
        // Read standard error on a thread of its own while the test times the exit.
        let stderr = LockedData()
        try child.start(deadline: 120)
        let reader = Thread { stderr.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        Thread.sleep(forTimeInterval: trial.delay)
        let pid = child.process.processIdentifier
        kill(pid, SIGINT)
        let first = Date()
        var second: Date?
        if let after = trial.secondSignalAfter {
            Thread.sleep(forTimeInterval: after)
            if child.process.isRunning {
                kill(pid, SIGINT)
                second = Date()
            }
        }
        while child.process.isRunning && Date().timeIntervalSince(first) < 60 { Thread.sleep(forTimeInterval: 0.01) }
        let ended = Date()
        let text = String(decoding: stderr.wait(), as: UTF8.self)
        try child.wait(stderr: Data(text.utf8))
        return Result(status: child.process.terminationStatus, stderr: text, exitAfterFirst: ended.timeIntervalSince(first),
                      exitAfterSecond: second.map { ended.timeIntervalSince($0) })
    }

    @Test func interruptAtRandomMomentsAlwaysEndsCleanly() throws {
        let org = try OrgTests.org.get()
        let seed = ProcessInfo.processInfo.environment["MAMORI_STRESS_SEED"].flatMap(UInt64.init) ?? 20_261_204
        var generator = SplitMix64(seed: seed)
        let trials = (0..<50).map { index in
            Trial(delay: Double.random(in: 0...4, using: &generator),
                  secondSignalAfter: index % 5 == 4 ? Double.random(in: 0...0.5, using: &generator) : nil)
        }
        let directory = Mamori.tempDir()
        for (index, trial) in trials.enumerated() {
            let result = try interrupt(org, trial, db: "\(directory)/stress-\(index).sqlite")
            let context = "trial \(index) (seed \(seed), Ctrl-C after \(String(format: "%.2f", trial.delay)) s): status \(result.status), stderr: \(result.stderr)"
            // Never diagnosed as an AWS, permission or store failure.
            #expect(!result.stderr.contains("cannot list the organisation"), "\(context)")
            #expect(!result.stderr.contains("no response from AWS"), "\(context)")
            #expect(!result.stderr.contains("cancelled"), "\(context)")
            if let afterSecond = result.exitAfterSecond {
                // The second signal quits at once (130 = 128 + SIGINT), unless the run was already ending.
                #expect(afterSecond <= 2, "a second signal ends the run within 2 s: \(context)")
                #expect([3, 130, 0, 1].contains(result.status), "\(context)")
            } else {
                #expect(result.exitAfterFirst <= 15, "an interrupted run exits within 15 s (took \(result.exitAfterFirst) s): \(context)")
                #expect([0, 1, 3].contains(result.status), "\(context)")
                if result.status == 3 {
                    #expect(result.stderr.contains("interrupted") || result.stderr.contains("partial scan"), "\(context)")
                }
                if result.stderr.contains("interrupted:") {
                    #expect(result.stderr.contains("--resume"), "a stored, interrupted scan names --resume: \(context)")
                }
            }
        }
    }
}

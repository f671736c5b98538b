import Foundation
import MamoriTestSupport
import Testing

/// `mamori secrets s3://bucket/prefix` through the real binary against moto: objects put with boto3
/// (Tests/Support/hunt_trail.py upload), a gzip object opened, an object over --max-object-size
/// named as not scanned (exit 3), secrets redacted everywhere.
@Suite(.serialized) struct S3SecretsEndToEndTests {
    static let estate: Result<MotoEstate, EstateError> = Result { () throws(EstateError) in try MotoEstate.start(scenario: "empty") }

    @Test func objectsUnderAPrefixAreScannedAndTooLargeOnesListed() throws {
        let estate = try Self.estate.get()
        let dir = Mamori.tempDir() + "/bucket"
        try FileManager.default.createDirectory(atPath: dir + "/exports/nested", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/private", withIntermediateDirectories: true)
        let line = "aws_access_key_id = \(PreCommitTests.keyId)\naws_secret_access_key = \(PreCommitTests.secret)\n"
        try line.write(toFile: dir + "/exports/app.env", atomically: true, encoding: .utf8)
        try ("# settings\n" + line).write(toFile: dir + "/exports/nested/settings.ini", atomically: true, encoding: .utf8)
        #expect(try ChildProcess.run("/bin/gzip", [dir + "/exports/nested/settings.ini"], deadline: 30).status == 0)
        try (String(repeating: "padding line without keys\n", count: 200) + line).write(toFile: dir + "/exports/big.log", atomically: true, encoding: .utf8)
        try "nothing here\n".write(toFile: dir + "/exports/clean.txt", atomically: true, encoding: .utf8)
        try line.write(toFile: dir + "/private/outside-the-prefix.env", atomically: true, encoding: .utf8)
        let upload = try ChildProcess.run("/usr/bin/env", ["python3", MotoEstate.repoRoot.appendingPathComponent("Tests/Support/hunt_trail.py").path,
                                                           "upload", dir, estate.endpoint, "leaky-exports", ""], deadline: 120, name: "upload")
        #expect(upload.status == 0, "\(String(decoding: upload.stderr, as: UTF8.self))")
        let env = Mamori.environment(extra: ["AWS_ENDPOINT_URL": estate.endpoint, "AWS_REGION": "us-east-1"])

        let all = try Mamori.run(["secrets", "s3://leaky-exports/exports/", "--format", "json"], environment: env)
        #expect(all.status == 1, "\(all.stderr)")
        let files = Set(try all.json().compactMap { $0["file"] as? String })
        // The gzip object is opened (its finding is named by the object); nothing outside the prefix is read.
        #expect(files == ["s3://leaky-exports/exports/app.env", "s3://leaky-exports/exports/nested/settings.ini.gz",
                          "s3://leaky-exports/exports/big.log"], "\(files)")
        #expect(all.stdout.contains(PreCommitTests.keyId))

        // Objects larger than the range size are streamed in ranges (forced small here): the same findings,
        // including the key at the end of big.log that straddles range boundaries.
        let ranged = try Mamori.run(["secrets", "s3://leaky-exports/exports/", "--format", "json", "--s3-range-size", "100"], environment: env)
        #expect(ranged.status == 1, "\(ranged.stderr)")
        #expect(Set(try ranged.json().compactMap { $0["file"] as? String }) == files)

        // Over --max-object-size: named on stderr, not read, and the run is partial (3) despite the findings.
        let capped = try Mamori.run(["secrets", "s3://leaky-exports/exports", "--max-object-size", "1K", "--format", "json"], environment: env)
        #expect(capped.status == 3, "\(capped.stderr)")
        #expect(capped.stderr.contains("s3://leaky-exports/exports/big.log:") && capped.stderr.contains("--max-object-size"), "\(capped.stderr)")
        #expect(!(try capped.json().contains { ($0["file"] as? String) == "s3://leaky-exports/exports/big.log" }))
        for run in [all, capped] {
            #expect(!run.stdout.contains(PreCommitTests.secret) && !run.stderr.contains(PreCommitTests.secret))
        }

        // A bucket that does not exist is an error naming it (2); a malformed location is a usage error.
        let missing = try Mamori.run(["secrets", "s3://no-such-bucket-here/"], environment: env)
        #expect(missing.status == 2 && missing.stderr.contains("s3://no-such-bucket-here/"), "\(missing.stderr)")
        let malformed = try Mamori.run(["secrets", "s3://UPPER_case"], environment: env)
        #expect(malformed.status == 2 && malformed.stderr.contains("not an S3 location"), "\(malformed.stderr)")
        let mixed = try Mamori.run(["secrets", "--git", "s3://leaky-exports/"], environment: env)
        #expect(mixed.status == 2, "\(mixed.stderr)")
    }
}

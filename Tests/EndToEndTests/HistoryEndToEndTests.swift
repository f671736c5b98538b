import Foundation
import MamoriTestSupport
import Testing

/// The history store through the real binary: every scan stored, `history`, `diff` with renamed
/// and moved resources, and `--fail-on new`, against a small moto estate changed between scans.
@Suite(.serialized)
struct HistoryEndToEndTests {
    static let estate: Result<MotoEstate, EstateError> = Result { () throws(EstateError) in try MotoEstate.start(scenario: "empty") }

    /// Runs boto3 against the estate (the same credentials moto gives the default account).
    static func boto(_ code: String) throws {
        let endpoint = try estate.get().endpoint
        let outcome = try ChildProcess.run("/usr/bin/env", ["python3", "-c", """
            import boto3
            iam = boto3.client("iam", endpoint_url="\(endpoint)", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
            s3 = boto3.client("s3", endpoint_url="\(endpoint)", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
            \(code)
            """], deadline: 120, name: "boto3 seeding")
        let message = String(decoding: outcome.stderr, as: UTF8.self)
        guard outcome.status == 0 else { throw EstateError("boto3 failed: \(message)") }
    }

    static let publicPolicy = #"'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/*"}]}'"#

    func scan(_ db: String, _ extra: [String] = []) throws -> Run {
        try Mamori.run(["scan", "--endpoint-url", try Self.estate.get().endpoint, "--region", "us-east-1", "--quiet", "--db", db,
                        "--format", "json", "--output", Mamori.tempDir() + "/findings.json"] + extra)
    }

    /// `mamori report metrics` without --scan or --inventory measures the latest stored scan.
    @Test func metricsWithoutAScanUseTheLatestStoredScan() throws {
        let db = Mamori.tempDir() + "/metrics.sqlite"
        let empty = try Mamori.run(["report", "metrics", "--db", db])
        #expect(empty.status == 2, "\(empty.stderr)")
        #expect(empty.stderr.contains("no scans stored yet"), "\(empty.stderr)")
        _ = try scan(db)
        let latest = try Mamori.run(["report", "metrics", "--db", db, "--format", "json"])
        #expect([0, 1].contains(latest.status), "\(latest.stderr)")
        #expect(latest.stderr.contains("the latest stored scan"), "\(latest.stderr)")
        let id = try #require(latest.stderr.split(separator: " ").drop { $0 != "scan" }.dropFirst().first.map(String.init))
        let explicit = try Mamori.run(["report", "metrics", "--db", db, "--scan", id, "--format", "json"])
        #expect(latest.stdout == explicit.stdout)
        #expect(try Mamori.run(["report", "metrics", "--db", db, "--scan", id, "--inventory", "x.json"]).status == 2)
    }

    @Test func scansAreStoredAndDiffedAcrossRenamesAndMoves() throws {
        let db = Mamori.tempDir() + "/history.sqlite"
        try Self.boto("""
            iam.create_user(UserName="ann", Path="/dev/")
            iam.create_login_profile(UserName="ann", Password="pw-Example-1234")
            iam.create_user(UserName="ben")
            iam.create_login_profile(UserName="ben", Password="pw-Example-1234")
            """)
        let first = try scan(db)
        #expect(first.status == 3, "moto lacks a few calls, so scans are partial: \(first.stderr)")

        // Rename ann and move her to another path; fix ben; add a public bucket.
        try Self.boto("""
            iam.update_user(UserName="ann", NewUserName="anna", NewPath="/ops/")
            iam.delete_login_profile(UserName="ben")
            s3.create_bucket(Bucket="history-new-public")
            s3.put_bucket_policy(Bucket="history-new-public", Policy=\(Self.publicPolicy) % "history-new-public")
            """)
        let second = try scan(db, ["--fail-on", "new"])
        #expect(second.stderr.contains("compared with scan 1: "), "\(second.stderr)")

        let history = try Mamori.run(["history", "--db", db, "--format", "json"])
        #expect(history.status == 0, "\(history.stderr)")
        let scans = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(scans.map { $0["id"] as? Int } == [2, 1])
        #expect(scans.allSatisfy { $0["state"] as? String == "partial" && $0["kind"] as? String == "account" && $0["accounts"] as? Int == 1 })
        #expect((scans.last?["failing"] as? [String: Int])?["high"] ?? 0 >= 2, "two console users without MFA in scan 1")

        let diff = try Mamori.run(["diff", "--db", db, "--format", "json"])
        #expect(diff.status == 0, "\(diff.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any] ?? [:]
        func items(_ key: String) -> [[String: Any]] { doc[key] as? [[String: Any]] ?? [] }
        func finding(_ item: [String: Any]) -> [String: Any] { item["finding"] as? [String: Any] ?? [:] }
        let new = items("new").map(finding)
        #expect(doc["uncomparableAccounts"] as? [String] == [], "every account was read in both scans")
        #expect(new.contains { $0["check"] as? String == "s3.bucket_public" && ($0["resource"] as? String)?.hasSuffix("history-new-public") == true })
        #expect(!new.contains { ($0["resource"] as? String)?.hasSuffix("user/ops/anna") == true }, "the renamed user is not new")
        let fixed = items("fixed").map(finding)
        #expect(fixed.contains { $0["check"] as? String == "iam.console_without_mfa" && ($0["resource"] as? String)?.hasSuffix("user/ben") == true })
        let renamed = items("open").filter { $0["previousResource"] != nil }
        #expect(renamed.contains { item in
            (item["previousResource"] as? String)?.hasSuffix(":user/dev/ann") == true
                && (finding(item)["resource"] as? String)?.hasSuffix(":user/ops/anna") == true
                && finding(item)["check"] as? String == "iam.console_without_mfa"
        }, "\(diff.stdout.prefix(3000))")

        let table = try Mamori.run(["diff", "1", "2", "--db", db])
        #expect(table.stdout.contains("RENAMED OR MOVED"))
        #expect(table.stdout.contains("history-new-public"))

        // The HTML report's trend comes from the history: the first scan has no past, the second one has.
        let firstHTML = try Mamori.run(["report", "render", "--scan", "1", "--db", db, "--format", "html"])
        let secondHTML = try Mamori.run(["report", "render", "--scan", "2", "--db", db, "--format", "html"])
        #expect(firstHTML.stdout.contains("No earlier scans recorded yet"))
        #expect(secondHTML.stdout.contains("Trend over past scans") && !secondHTML.stdout.contains("No earlier scans recorded yet"))

        // CI gate: new findings fail the diff; the same scan compared with itself has none.
        #expect(try Mamori.run(["diff", "--db", db, "--fail-on", "new"]).status == 1)
        #expect(try Mamori.run(["diff", "2", "2", "--db", db, "--fail-on", "new"]).status == 0)
    }

    @Test func historyErrorsAreClear() throws {
        let db = Mamori.tempDir() + "/empty.sqlite"
        let none = try Mamori.run(["history", "--db", db])
        #expect(none.status == 0)
        #expect(none.stdout.contains("No scans stored yet"))
        let diff = try Mamori.run(["diff", "--db", db])
        #expect(diff.status == 2)
        #expect(diff.stderr.contains("no scans stored yet"))
        let missing = try Mamori.run(["diff", "7", "9", "--db", db])
        #expect(missing.stderr.contains("no scan 7"))
        let notADatabase = Mamori.tempDir() + "/garbage.sqlite"
        try Data("this is not sqlite, it is a text file with enough bytes to look like a header".utf8).write(to: URL(fileURLWithPath: notADatabase))
        let garbage = try Mamori.run(["history", "--db", notADatabase])
        #expect(garbage.status == 2)
        #expect(garbage.stderr.contains(notADatabase), "\(garbage.stderr)")
    }
}

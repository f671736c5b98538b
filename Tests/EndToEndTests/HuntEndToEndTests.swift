import Foundation
import MamoriTestSupport
import Testing

/// `mamori hunt` through the real binary: a trail in CloudTrail's S3 layout read from local files
/// and from a bucket in moto (objects put there by the test with boto3).
@Suite(.serialized) struct HuntEndToEndTests {
    static let estate: Result<MotoEstate, EstateError> = Result { () throws(EstateError) in try MotoEstate.start(scenario: "empty") }

    static let stopLoggingRule = """
        title: CloudTrail logging stopped (test)
        id: 7f0c7d9e-1111-4c1e-9d5e-00000000e2e1
        status: experimental
        logsource:
          product: aws
          service: cloudtrail
        detection:
          selection:
            eventSource: cloudtrail.amazonaws.com
            eventName: StopLogging
          condition: selection
        level: high
        """

    /// Writes the trail (Tests/Support/hunt_trail.py) and the rule; returns (trail dir, rule file).
    static func trail() throws -> (String, String) {
        let dir = Mamori.tempDir()
        let outcome = try ChildProcess.run("/usr/bin/env", ["python3", MotoEstate.repoRoot.appendingPathComponent("Tests/Support/hunt_trail.py").path,
                                                            "write", dir + "/trail"], deadline: 60, name: "hunt_trail.py write")
        #expect(outcome.status == 0, "\(String(decoding: outcome.stderr, as: UTF8.self))")
        let rule = dir + "/stop-logging.yml"
        try stopLoggingRule.write(toFile: rule, atomically: true, encoding: .utf8)
        return (dir + "/trail", rule)
    }

    @Test func localTrailGivesOneAlertPerActorAndTheRespondCommand() throws {
        let (trail, rule) = try Self.trail()
        let run = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--format", "json"])
        #expect(run.status == 1, "\(run.stderr)")
        let alerts = try run.json()
        #expect(alerts.count == 2)
        let key = try #require(alerts.first { $0["keyId"] as? String == "AKIAIOSFODNN7EXAMPLE" })
        #expect(key["eventIds"] as? [String] == ["stop-30", "stop-31"])
        #expect(key["respond"] as? String == "mamori respond leaked-key AKIAIOSFODNN7EXAMPLE --since 2026-01-30")
        #expect(key["count"] as? Int == 2 && key["regions"] as? [String] == ["us-east-1"])
        let role = try #require(alerts.first { $0["actorType"] as? String == "role-session" })
        #expect(role["eventIds"] as? [String] == ["stop-role"] && role["keyId"] == nil)
        #expect(role["sourceIPs"] as? [String] == ["198.51.100.20"])

        // The window selects day folders: the 30th is not read at all.
        let since = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--format", "json", "--since", "2026-01-31"])
        let ids = try since.json().flatMap { $0["eventIds"] as? [String] ?? [] }.sorted()
        #expect(ids == ["stop-31", "stop-role"])

        // The table ends an access-key alert with the exact respond command.
        let table = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--region", "us-east-1"])
        #expect(table.status == 1)
        #expect(table.stdout.contains("respond  mamori respond leaked-key AKIAIOSFODNN7EXAMPLE --since 2026-01-30"), "\(table.stdout)")
        #expect(!table.stdout.contains("stop-role"))

        // OCSF: Detection Findings with the events as evidences.
        let ocsf = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--format", "ocsf"])
        let findings = try ocsf.json()
        #expect(findings.allSatisfy { $0["class_uid"] as? Int == 2004 })
        #expect(findings.map { ($0["evidences"] as? [Any])?.count ?? 0 }.sorted() == [1, 2])
    }

    @Test func builtInRulesAndEgressRanges() throws {
        let (trail, _) = try Self.trail()
        let run = try Mamori.run(["hunt", trail, "--format", "json"])
        #expect(run.status == 1, "\(run.stderr)")
        let titles = Set(try run.json().compactMap { $0["ruleTitle"] as? String })
        #expect(titles.contains("EC2 Instance Credentials Used Outside EC2"), "\(titles)")
        // The instance session called from a declared egress range: no longer outside.
        let inside = try Mamori.run(["hunt", trail, "--format", "json", "--egress-cidr", "198.51.100.0/24"])
        let after = Set(try inside.json().compactMap { $0["ruleTitle"] as? String })
        #expect(!after.contains("EC2 Instance Credentials Used Outside EC2") && after.count == titles.count - 1, "\(after)")
        #expect(try Mamori.run(["hunt", trail, "--egress-cidr", "not-a-cidr"]).status == 2)
    }

    @Test func cutOffFileIsListedAndExitIs3() throws {
        let (trail, rule) = try Self.trail()
        let day = trail + "/AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/31"
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: day).first)
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(day)/\(file)"))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: "\(day)/\(file)"))
        let run = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--format", "json"])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains(file) && run.stderr.contains("cut off"), "\(run.stderr)")
        // What could be read is still reported.
        #expect(try run.json().contains { ($0["eventIds"] as? [String])?.contains("stop-30") == true })
    }

    @Test func usageErrorsExit2() throws {
        #expect(try Mamori.run(["hunt"]).status == 2)
        #expect(try Mamori.run(["hunt", "/tmp", "--since", "yesterday-ish"]).status == 2)
        #expect(try Mamori.run(["hunt", "--s3", "bucket-without-scheme"]).status == 2)
        let bad = Mamori.tempDir() + "/bad.yml"
        try "title: x\nlogsource: {product: windows}\ndetection: {s: {a: 1}, condition: s}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let run = try Mamori.run(["hunt", "/tmp/nothing-here", "--rule", bad, "--no-builtin-rules"])
        #expect(run.status == 2 && run.stderr.contains("bad.yml"), "\(run.stderr)")
    }

    @Test func trailInS3MatchesTheLocalRead() throws {
        let estate = try Self.estate.get()
        let (trail, rule) = try Self.trail()
        let upload = try ChildProcess.run("/usr/bin/env", ["python3", MotoEstate.repoRoot.appendingPathComponent("Tests/Support/hunt_trail.py").path,
                                                           "upload", trail, estate.endpoint, "hunt-trail", "org/"], deadline: 120, name: "hunt_trail.py upload")
        #expect(upload.status == 0, "\(String(decoding: upload.stderr, as: UTF8.self))")
        let env = Mamori.environment(extra: ["AWS_ENDPOINT_URL": estate.endpoint, "AWS_REGION": "us-east-1"])
        let s3 = try Mamori.run(["hunt", "--s3", "s3://hunt-trail/org", "--rule", rule, "--no-builtin-rules", "--format", "json"], environment: env)
        #expect(s3.status == 1, "\(s3.stderr)")
        let local = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--format", "json"])
        func ids(_ run: Run) throws -> [String] { try run.json().flatMap { $0["eventIds"] as? [String] ?? [] }.sorted() }
        #expect(try ids(s3) == ids(local))
        // Only the days and regions asked for.
        let window = try Mamori.run(["hunt", "--s3", "s3://hunt-trail/org/", "--rule", rule, "--no-builtin-rules", "--format", "json",
                                     "--since", "2026-01-31", "--until", "2026-01-31", "--region", "eu-west-1"], environment: env)
        #expect(try ids(window) == ["stop-role"], "\(window.stderr)")
        // A bucket that does not exist is a listed problem (exit 3), not a crash.
        let missing = try Mamori.run(["hunt", "--s3", "s3://no-such-trail-bucket", "--rule", rule, "--no-builtin-rules"], environment: env)
        #expect(missing.status == 3, "\(missing.stderr)")
    }

    /// moto has no LookupEvents: Tests/Support/fake_cloudtrail.py answers it from the same trail.
    @Test func lookupEventsArePagedPacedAndMatched() throws {
        let (trail, rule) = try Self.trail()
        let log = Mamori.tempDir() + "/lookup.log"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", MotoEstate.repoRoot.appendingPathComponent("Tests/Support/fake_cloudtrail.py").path, trail, log]
        let stdout = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        defer { try? stdin.fileHandleForWriting.close(); process.waitUntilExit() }
        let endpoint = try readyEndpoint(stdout, process: process, deadline: 60, orElse: "fake_cloudtrail.py did not start")
        let env = Mamori.environment(extra: ["AWS_ENDPOINT_URL": endpoint])
        let run = try Mamori.run(["hunt", "--lookup-events", "--region", "us-east-1", "--region", "eu-west-1",
                                  "--rule", rule, "--no-builtin-rules", "--format", "json"], environment: env)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(try run.json().flatMap { $0["eventIds"] as? [String] ?? [] }.sorted() == ["stop-30", "stop-31", "stop-role"])
        // us-east-1 holds 4 events: 2 pages, at most 2 requests per second.
        let times = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("us-east-1 ") }.compactMap { Double($0.split(separator: " ")[1]) }
        #expect(times.count == 2)
        if times.count == 2 { #expect(times[1] - times[0] >= 0.45, "\(times)") }
    }

    /// Shares to the organisation's own accounts are not "outside" with `--org` (moto Organizations
    /// ListAccounts); a share to an account outside it still alerts, and `all` always does.
    @Test func organisationMembersAreNotSharedOutside() throws {
        let file = Mamori.tempDir() + "/org-members.json"
        let estate = try MotoEstate.start(scenario: "org", environment: ["MAMORI_ORG_MEMBERS": file])
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        let member = try #require((json?["accounts"] as? [String: String])?["payments"])
        func share(_ id: String, _ target: String) -> String {
            #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::123456789012:user/ops","accountId":"123456789012","accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"ops"},"eventTime":"2026-01-31T10:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"ModifySnapshotAttribute","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.9","userAgent":"aws-cli/2.15.0","requestParameters":{"snapshotId":"snap-0123456789abcdef0","createVolumePermission":{"add":{"items":[\#(target)]}},"attributeType":"CREATE_VOLUME_PERMISSION"},"responseElements":{"_return":true},"requestID":"r-\#(id)","eventID":"\#(id)","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management"}"#
        }
        let trail = Mamori.tempDir() + "/shares.jsonl"
        try [share("to-member", #"{"userId":"\#(member)"}"#), share("to-outsider", #"{"userId":"999988887777"}"#),
             share("to-all", #"{"group":"all"}"#)].joined(separator: "\n").write(toFile: trail, atomically: true, encoding: .utf8)
        func ids(_ extra: [String]) throws -> [String] {
            let run = try Mamori.run(["hunt", trail, "--format", "json", "--endpoint-url", estate.endpoint, "--region", "us-east-1"] + extra)
            #expect(run.status == 1, "\(run.stderr)")
            let shareRules: Set<String> = ["f2ff0c3d-67e7-405e-84ef-bd581917b66f", "608e25be-349c-4e63-8717-83c1d1170300"]
            return Set(try run.json().filter { shareRules.contains($0["ruleId"] as? String ?? "") }
                .flatMap { $0["eventIds"] as? [String] ?? [] }).sorted()
        }
        #expect(try ids([]) == ["to-all", "to-member", "to-outsider"])
        #expect(try ids(["--org"]) == ["to-all", "to-outsider"])
        // trust: {organization: true} in mamori.yml trusts the members as the scan does.
        let config = Mamori.tempDir() + "/mamori.yml"
        try "trust:\n  organization: true\n".write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try ids(["--config", config]) == ["to-all", "to-outsider"])
    }

    /// `--s3 … --checkpoint FILE`: a listing cut off by S3 failures (mamori-fault-proxy, one attempt
    /// per call) continues from its continuation token on the next run, and gives the alerts of one
    /// uninterrupted run.
    @Test func cutOffListingContinuesFromTheCheckpoint() throws {
        let estate = try Self.estate.get()
        let (trail, rule) = try Self.trail()
        let upload = try ChildProcess.run("/usr/bin/env", ["python3", MotoEstate.repoRoot.appendingPathComponent("Tests/Support/hunt_trail.py").path,
                                                           "upload", trail, estate.endpoint, "hunt-resume", "org/"], deadline: 120, name: "hunt_trail.py upload")
        #expect(upload.status == 0, "\(String(decoding: upload.stderr, as: UTF8.self))")
        // 1,100 more objects in one day folder: its listing takes two pages (S3 gives 1,000 keys a page).
        let day = "org/AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/31/"
        let fill = try ChildProcess.run("/usr/bin/env", ["python3", "-c", """
            import boto3, sys
            s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
            for i in range(1100):
                s3.put_object(Bucket="hunt-resume", Key=sys.argv[2] + "filler-%04d.txt" % i, Body=b"x")
            """, estate.endpoint, day], deadline: 300, name: "filler objects")
        #expect(fill.status == 0, "\(String(decoding: fill.stderr, as: UTF8.self))")
        let url = "s3://hunt-resume/" + day
        let args = ["hunt", "--s3", url, "--rule", rule, "--no-builtin-rules", "--format", "json", "--region", "us-east-1"]
        func ids(_ run: Run) throws -> [String] { try run.json().flatMap { $0["eventIds"] as? [String] ?? [] }.sorted() }
        func listings(_ proxy: FaultProxyProcess) throws -> [FaultProxyProcess.Entry] {
            try proxy.entries().filter { $0.action.contains("list-type") }
        }

        let clean = try FaultProxyProcess.start(upstream: estate.endpoint, ["--rate", "0"])
        defer { clean.stop() }
        let whole = try Mamori.run(args + ["--endpoint-url", clean.endpoint])
        #expect(whole.status == 1, "\(whole.stderr)")
        #expect(try ids(whole) == ["stop-31"])
        #expect(try listings(clean).count == 2)

        // Half the S3 calls fail, once each: run until a run stops between the two pages.
        let checkpoint = Mamori.tempDir() + "/listing.json"
        let faulty = try FaultProxyProcess.start(upstream: estate.endpoint, ["--service", "s3=0.5", "--faults", "500", "--seed", "7"])
        defer { faulty.stop() }
        var cutOff = false
        for _ in 0..<40 where !cutOff {
            let run = try Mamori.run(args + ["--endpoint-url", faulty.endpoint, "--checkpoint", checkpoint],
                                     environment: Mamori.environment(extra: ["AWS_MAX_ATTEMPTS": "1"]))
            #expect([1, 3].contains(run.status), "\(run.stderr)")
            guard let data = FileManager.default.contents(atPath: checkpoint) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("testing") && !text.contains("Records"), "the checkpoint holds keys and tokens only")
            cutOff = text.contains(#""next":"#) && run.stderr.contains("run the same command again to continue")
        }
        #expect(cutOff, "no run stopped between the two pages of the listing")
        let before = try listings(clean).count
        let resumed = try Mamori.run(args + ["--endpoint-url", clean.endpoint, "--checkpoint", checkpoint])
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("continuing the listing"), "\(resumed.stderr)")
        #expect(try ids(resumed) == ids(whole))
        // Only the page after the checkpoint's token was listed, and the finished listing removed the file.
        let after = try listings(clean).dropFirst(before)
        #expect(after.count == 1 && after.allSatisfy { $0.action.contains("continuation-token") }, "\(after)")
        #expect(!FileManager.default.fileExists(atPath: checkpoint))
        // The layout walk (accounts, regions, days) with every built-in rule: prefixes a cut-off run
        // finished are not listed again, and the alerts are those of one uninterrupted run.
        let walk = ["hunt", "--s3", "s3://hunt-resume/org", "--format", "json", "--region", "us-east-1"]
        func alerts(_ run: Run) throws -> [String] {
            try run.json().map { "\($0["ruleId"] ?? "") \($0["actor"] ?? "") \(($0["eventIds"] as? [String] ?? []).sorted())" }.sorted()
        }
        let start = try listings(clean).count
        let wholeWalk = try Mamori.run(walk + ["--endpoint-url", clean.endpoint])
        #expect(wholeWalk.status == 1, "\(wholeWalk.stderr)")
        let fullListings = try listings(clean).count - start
        var progress = false
        for _ in 0..<40 where !progress {
            let run = try Mamori.run(walk + ["--endpoint-url", faulty.endpoint, "--checkpoint", checkpoint],
                                     environment: Mamori.environment(extra: ["AWS_MAX_ATTEMPTS": "1"]))
            guard run.status == 3, let data = FileManager.default.contents(atPath: checkpoint) else { continue }
            progress = String(decoding: data, as: UTF8.self).contains(#""done":true"#) && run.stderr.contains("cannot list")
        }
        #expect(progress, "no run stopped the walk after finishing a prefix")
        let mark = try listings(clean).count
        let resumedWalk = try Mamori.run(walk + ["--endpoint-url", clean.endpoint, "--checkpoint", checkpoint])
        #expect(resumedWalk.status == 1, "\(resumedWalk.stderr)")
        #expect(try alerts(resumedWalk) == alerts(wholeWalk))
        let resumedListings = try listings(clean).count - mark
        #expect(resumedListings < fullListings, "\(resumedListings) listings on resume, \(fullListings) for the whole walk")
        #expect(!FileManager.default.fileExists(atPath: checkpoint))

        // A checkpoint of another listing is refused.
        try #"{"version":1,"source":"s3://other/","prefixes":{}}"#.write(toFile: checkpoint, atomically: true, encoding: .utf8)
        let other = try Mamori.run(args + ["--endpoint-url", clean.endpoint, "--checkpoint", checkpoint])
        #expect(other.status == 2 && other.stderr.contains("s3://other/"), "\(other.stderr)")
    }
}

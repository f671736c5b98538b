import AWSClient
import Foundation
import Hunt
import MamoriCore
import Respond
import Testing

func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

@Suite struct PathSelectionTests {
    @Test func layoutIsParsedWithAndWithoutOrganisation() {
        let plain = TrailPath("logs/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/31/111122223333_CloudTrail_eu-west-1_20260131T0000Z_x.json.gz")
        #expect(plain == TrailPath(account: "111122223333", region: "eu-west-1", day: TrailDay(year: 2026, month: 1, day: 31)))
        let org = TrailPath("AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/02/01/f.json.gz")
        #expect(org?.organizationId == "o-abc123" && org?.account == "111122223333")
        #expect(TrailPath("/tmp/trail.json") == nil)
        #expect(TrailPath("AWSLogs/1/CloudTrail/us-east-1/2026/13/01/f.json") == nil)
    }

    @Test func windowSelectsDaysBeforeOpeningFiles() {
        let window = HuntWindow(since: date("2026-01-10T12:00:00Z"), until: date("2026-01-12T00:00:00Z"))
        func path(_ day: String) -> String { "AWSLogs/111122223333/CloudTrail/us-east-1/\(day)/f.json.gz" }
        #expect(!window.selects(path: path("2026/01/09")))
        #expect(window.selects(path: path("2026/01/10")))
        #expect(window.selects(path: path("2026/01/12")))
        // Late delivery: the day after --until is still read.
        #expect(window.selects(path: path("2026/01/13")))
        #expect(!window.selects(path: path("2026/01/14")))
        // Paths outside the layout are read; their events are filtered by time.
        #expect(window.selects(path: "/tmp/export.jsonl"))
        #expect(window.contains(time: date("2026-01-11T00:00:00Z")))
        #expect(!window.contains(time: date("2026-01-13T00:00:01Z")))
        let regional = HuntWindow(accounts: ["111122223333"], regions: ["eu-west-1"])
        #expect(!regional.selects(path: path("2026/01/10")))
        #expect(regional.selects(path: "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/10/f.json.gz"))
    }

    @Test func daysSpanMonthsAndLocalFoldersAreFiltered() throws {
        let days = TrailDay.days(from: TrailDay(year: 2026, month: 1, day: 30), to: TrailDay(year: 2026, month: 2, day: 2))
        #expect(days.map(\.description) == ["2026/01/30", "2026/01/31", "2026/02/01", "2026/02/02"])
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hunt-sel-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for day in ["2026/01/30", "2026/02/01"] {
            let dir = "\(root)/AWSLogs/111122223333/CloudTrail/us-east-1/\(day)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: URL(fileURLWithPath: "\(dir)/f.json.gz"))
            try Data("{}".utf8).write(to: URL(fileURLWithPath: "\(dir)/111122223333_CloudTrail-Digest_x.json.gz"))
        }
        let (files, problems) = LocalSource.files([root, "\(root)/missing"], window: HuntWindow(since: date("2026-02-01T00:00:00Z")))
        #expect(files == ["\(root)/AWSLogs/111122223333/CloudTrail/us-east-1/2026/02/01/f.json.gz"])
        #expect(problems.map(\.source) == ["\(root)/missing"])
    }

    @Test func shardsSplitTrailKeysWithTheScanHash() {
        let keys = (1...40).map { "AWSLogs/1111222233\($0 % 10)\($0 % 7)/CloudTrail/us-east-1/2026/01/\(String(format: "%02d", $0 % 28 + 1))/f.json.gz" }
        var seen = 0
        for index in 0..<3 {
            let shard = ShardSelector(index: index, count: 3)
            seen += keys.filter { shard.contains(TrailPath($0)!.shardKey) }.count
        }
        #expect(seen == keys.count)
        #expect(ShardHash.bucket(of: "111122223333", count: 1) == 0)
        #expect(S3Location("s3://bucket/some/prefix")?.directoryPrefix == "some/prefix/")
        #expect(S3Location("s3://bucket")?.directoryPrefix == "")
        #expect(S3Location("bucket/x") == nil)
    }
}

@Suite struct AlertGroupingTests {
    func event(_ id: String, _ time: String, actor: Actor, region: String = "us-east-1", ip: String = "203.0.113.9",
               name: String = "StopLogging", images: [String] = []) -> EventSummary {
        EventSummary(eventID: id, time: date(time), eventName: name, region: region, account: "111122223333",
                     sourceIP: ip, userAgent: "aws-cli/2", actor: actor, images: images)
    }

    @Test func oneAlertPerRuleAndActorWithEverythingFoldedIn() throws {
        let key = Actor(kind: .accessKey, id: "AKIAIOSFODNN7EXAMPLE")
        let role = Actor(kind: .roleSession, id: "arn:aws:sts::111122223333:assumed-role/ops/i-0abc")
        var book = AlertBook()
        let e1 = event("e1", "2026-01-02T10:00:00Z", actor: key)
        let e2 = event("e2", "2026-01-01T09:00:00Z", actor: key, region: "eu-west-1", ip: "198.51.100.7")
        let e3 = event("e3", "2026-01-03T00:00:00Z", actor: role)
        book.add(ruleId: "r1", title: "Logging stopped", level: "high", events: [e1])
        book.add(ruleId: "r1", title: "Logging stopped", level: "high", events: [e2, e1])
        book.add(ruleId: "r1", title: "Logging stopped", level: "high", events: [e3])
        book.add(ruleId: "r2", title: "Other", level: "low", events: [e1])
        let alerts = book.alerts()
        #expect(alerts.count == 3)
        let first = alerts[0]
        #expect(first.ruleId == "r1" && first.actor == key.id && first.keyId == key.id)
        #expect(first.count == 2 && first.eventIds == ["e1", "e2"])
        #expect(first.firstSeen == "2026-01-01T09:00:00Z" && first.lastSeen == "2026-01-02T10:00:00Z")
        #expect(first.regions == ["us-east-1", "eu-west-1"] && first.sourceIPs == ["203.0.113.9", "198.51.100.7"])
        #expect(first.respond == "mamori respond leaked-key AKIAIOSFODNN7EXAMPLE --since 2026-01-01")
        #expect(first.severity == .high && first.status == .fail && first.check == "r1")
        let roleAlert = try #require(alerts.first { $0.actor == role.id })
        #expect(roleAlert.keyId == nil && roleAlert.respond == nil && roleAlert.actorType == .roleSession)
        #expect(alerts.last?.ruleId == "r2" && alerts.last?.severity == .low)
    }

    @Test func jsonCarriesTheTenFindingFieldsAndKeyIdForRespond() throws {
        var book = AlertBook()
        book.add(ruleId: "r1", title: "t", level: "critical",
                 events: [event("e1", "2026-01-02T10:00:00Z", actor: Actor(kind: .accessKey, id: "AKIAIOSFODNN7EXAMPLE"))])
        let data = try JSONEncoder().encode(book.alerts())
        let object = try #require((try JSONSerialization.jsonObject(with: data) as? [[String: Any]])?.first)
        for field in ["check", "title", "severity", "status", "account", "region", "resource", "resourceType", "message", "remediation",
                      "keyId", "eventIds", "firstSeen", "lastSeen", "count", "regions", "sourceIPs", "userAgents", "ruleId", "ruleTitle"] {
            #expect(object[field] != nil, "missing \(field)")
        }
    }

    @Test func respondReadsTheHuntJSON() throws {
        var book = AlertBook()
        book.add(ruleId: "r1", title: "t", level: "high",
                 events: [event("e1", "2026-01-02T10:00:00Z", actor: Actor(kind: .accessKey, id: "AKIAIOSFODNN7EXAMPLE")),
                          event("e2", "2026-01-02T10:00:00Z", actor: Actor(kind: .roleSession, id: "arn:aws:sts::1:assumed-role/r/s"))])
        let found = try FindingsInput.keyIds(from: try HuntReport.json(book.alerts()), origin: "-")
        #expect(found.keys == ["AKIAIOSFODNN7EXAMPLE"])
    }

    @Test func launchedImagesAreNamedWithTheirOwnersTrust() {
        var book = AlertBook()
        let actor = Actor(kind: .user, id: "arn:aws:iam::111122223333:user/dev")
        book.add(ruleId: "whoami", title: "whoAMI", level: "high",
                 events: [event("e1", "2026-01-02T10:00:00Z", actor: actor, name: "RunInstances", images: ["ami-0123456789abcdef0"])])
        let unknown = book.alerts()[0]
        #expect(unknown.images == [ImageVerdict(imageId: "ami-0123456789abcdef0", trust: "unknown")])
        #expect(unknown.message.contains("ami-0123456789abcdef0 (owner unknown, unknown)"))
    }
}

import Foundation
import AWSClient
@testable import Respond
import Testing

@Suite struct ContainmentTests {
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    @Test func revokeDocumentDeniesOnlyOlderSessions() throws {
        let document = ContainmentPolicy.revokeDocument(before: now)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        let statement = try #require((object["Statement"] as? [[String: Any]])?.first)
        #expect(statement["Effect"] as? String == "Deny")
        let condition = try #require((statement["Condition"] as? [String: Any])?["DateLessThan"] as? [String: String])
        #expect(condition["aws:TokenIssueTime"] == AWSDate.format(now))
        #expect(try JSONSerialization.jsonObject(with: Data(ContainmentPolicy.denyAllDocument.utf8)) is [String: Any])
    }

    @Test func planFollowsTheLiveState() {
        var live = ContainmentPlanner.LiveState(target: "user/deployer")
        live.keys = [AccessKeyInfo(accessKeyId: "AKIAAAAAAAAAAAAAAAAA", status: "Active", createDate: nil),
                     AccessKeyInfo(accessKeyId: "AKIABBBBBBBBBBBBBBBB", status: "Inactive", createDate: nil)]
        let steps = ContainmentPlanner.plan(keyId: "AKIAAAAAAAAAAAAAAAAA", temporary: false, contain: true, live: live, lastSeen: nil, now: now)
        #expect(steps.map(\.kind) == [.denyAll, .deactivateKey, .deactivateKey])
        #expect(steps.map(\.state) == [.planned, .planned, .skipped])
        // Nothing without --contain for a long-term key: the rotation's phases are the default.
        #expect(ContainmentPlanner.plan(keyId: "AKIAAAAAAAAAAAAAAAAA", temporary: false, contain: false, live: live, lastSeen: nil, now: now).isEmpty)
        live.denyAll = ContainmentPolicy.denyAllDocument
        #expect(ContainmentPlanner.plan(keyId: "AKIAAAAAAAAAAAAAAAAA", temporary: false, contain: true, live: live, lastSeen: nil, now: now)[0].state == .done)
    }

    @Test func revocationIsDoneOnlyWhenItCoversTheLastUse() {
        var live = ContainmentPlanner.LiveState(target: "role/web-app")
        live.revoke = ContainmentPolicy.revokeDocument(before: now)
        live.revokedBefore = now
        let covered = ContainmentPlanner.plan(keyId: "ASIAAAAAAAAAAAAAAAAA", temporary: true, contain: false, live: live,
                                              lastSeen: now.addingTimeInterval(-60), now: now)
        #expect(covered.map(\.state) == [.done])
        // Used after the earlier revocation (a new session): revoke again.
        let newer = ContainmentPlanner.plan(keyId: "ASIAAAAAAAAAAAAAAAAA", temporary: true, contain: false, live: live,
                                            lastSeen: now.addingTimeInterval(60), now: now)
        #expect(newer.map(\.state) == [.planned])
        let unknown = ContainmentPlanner.plan(keyId: "ASIAAAAAAAAAAAAAAAAA", temporary: true, contain: false,
                                              live: .init(target: nil, unknownReason: "pass --role NAME"), lastSeen: nil, now: now)
        #expect(unknown.map(\.state) == [.blocked])
        #expect(unknown[0].detail == "pass --role NAME")
    }

    @Test func sessionIdentityFromCloudTrail() throws {
        let record = trailRecord("ListBuckets", key: "ASIAAAAAAAAAAAAAAAAA", role: "web-app", time: "2026-12-01T10:00:00Z", id: "1")
        let event = try #require(TrailParser.event(json: record, origin: "test"))
        let session = SessionIdentity.from(events: [event], keyId: "ASIAAAAAAAAAAAAAAAAA", role: nil, roleSource: nil)
        #expect(session.roleName == "web-app")
        #expect(session.sessionName == "s")
        #expect(session.instanceId == nil)
        #expect(session.roleSource == "CloudTrail")
        #expect(SessionIdentity.isInstanceId("i-0123456789abcdef0") && SessionIdentity.isInstanceId("i-12345678"))
        #expect(!SessionIdentity.isInstanceId("i-ABC") && !SessionIdentity.isInstanceId("alice"))
        let named = SessionIdentity.from(events: [], keyId: "ASIAAAAAAAAAAAAAAAAA", role: "ops", roleSource: "--role")
        #expect(named.roleName == "ops" && named.roleSource == "--role" && named.eventCount == 0)
    }

    @Test func eventTriggers() throws {
        let quarantine = #"{"detail-type":"AWS Health Event","source":"aws.health","account":"123456789012","resources":[],"detail":{"eventTypeCode":"AWS_RISK_IAM_QUARANTINE","affectedEntities":[{"entityValue":"deployer"}]}}"#
        let q = try EventTrigger.parse(Data(quarantine.utf8), origin: "q")
        #expect(q.keys.isEmpty && q.userName == "deployer" && q.account == "123456789012")
        let inText = #"{"detail":{"eventTypeCode":"AWS_RISK_CREDENTIALS_COMPROMISED","eventDescription":[{"latestDescription":"We found AKIAIOSFODNN7EXAMPLE on a public site."}]}}"#
        #expect(try EventTrigger.parse(Data(inText.utf8), origin: "t").keys == ["AKIAIOSFODNN7EXAMPLE"])
        let bare = #"{"type":"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS","accountId":"123456789012","resource":{"accessKeyDetails":{"accessKeyId":"ASIAAAAAAAAAAAAAAAAA","principalId":"AROAX:i-0123456789abcdef0","userName":"web-app","userType":"AssumedRole"}}}"#
        let finding = try EventTrigger.parse(Data(bare.utf8), origin: "f")
        #expect(finding.keys == ["ASIAAAAAAAAAAAAAAAAA"] && finding.roleName == "web-app" && finding.instanceId == "i-0123456789abcdef0")
        #expect(throws: RespondInputError.self) { try EventTrigger.parse(Data(#"{"detail":{"eventTypeCode":"AWS_EC2_MAINTENANCE"}}"#.utf8), origin: "m") }
        #expect(throws: RespondInputError.self) { try EventTrigger.parse(Data(#"{"detail":{"type":"Recon:EC2/PortProbeUnprotectedPort"}}"#.utf8), origin: "g") }
        #expect(throws: RespondInputError.self) { try EventTrigger.parse(Data("[1]".utf8), origin: "a") }
    }

    @Test func undoComparesDocumentsAsJSON() {
        #expect(JournalUndo.sameDocument(#"{"a": [1, 2], "b": "x"}"#, #"{"b":"x","a":[1,2]}"#))
        #expect(!JournalUndo.sameDocument(#"{"a":1}"#, #"{"a":2}"#))
    }
}

@Suite struct CostSignalsTests {
    @Test func risesAreNewOrDoubledSpendAboveADollarADay() {
        func day(_ start: String, _ groups: [(String, String, String)]) -> JSONValue {
            .object(["TimePeriod": ["Start": .string(start)],
                     "Groups": .array(groups.map { .object(["Keys": [.string($0.0), .string($0.1)],
                                                            "Metrics": ["UnblendedCost": ["Amount": .string($0.2), "Unit": "USD"]]]) })])
        }
        let utc = CostSignals.utc
        let start = utc.date(from: DateComponents(year: 2026, month: 12, day: 3))!
        let results = [
            day("2026-12-01", [("us-east-1", "EC2", "2"), ("eu-west-1", "S3", "0.1")]),
            day("2026-12-02", [("us-east-1", "EC2", "2")]),
            day("2026-12-03", [("us-east-1", "EC2", "3"), ("ap-south-1", "EC2", "30"), ("eu-west-1", "S3", "0.5")]),
            day("2026-12-04", [("us-east-1", "EC2", "3"), ("ap-south-1", "EC2", "50")]),
        ]
        let report = CostSignals.summarize(results, windowStart: start, baselineStart: start.addingTimeInterval(-2 * 86_400),
                                           end: start.addingTimeInterval(2 * 86_400))
        #expect(report.days == [.init(date: "2026-12-03", amount: 33.5), .init(date: "2026-12-04", amount: 53)])
        #expect(report.lines.map(\.region) == ["ap-south-1", "us-east-1", "eu-west-1"])
        #expect(report.rises.map(\.region) == ["ap-south-1"])
        #expect(report.lines[1].baselinePerDay == 2 && report.lines[1].windowPerDay == 3)
        #expect(CostSignals.day(start) == "2026-12-03")
    }
}

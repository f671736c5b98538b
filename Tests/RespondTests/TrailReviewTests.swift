import AWSClient
import AWSTestSupport
import Foundation
import MamoriTestSupport
import Testing
@testable import Respond

let leaked = "AKIAIOSFODNN7EXAMPLE"

@Suite struct TrailReviewTests {
    /// The leaked key creates a user and a key; the new key creates a role; a session of that role
    /// attaches a policy. Alice's activity is unrelated and must not be attributed.
    static let file = #"{"Records":["# + [
        trailRecord("CreateUser", key: leaked, user: "deployer", time: "2026-11-20T10:00:00Z", request: #"{"userName":"backdoor"}"#, id: "e1"),
        trailRecord("CreateAccessKey", key: leaked, user: "deployer", time: "2026-11-20T10:01:00Z", request: #"{"userName":"backdoor"}"#,
                    response: #"{"accessKey":{"accessKeyId":"AKIABACKDOOR00000001"}}"#, id: "e2"),
        trailRecord("ListBuckets", key: "AKIAALICE00000000001", user: "alice", time: "2026-11-20T10:02:00Z", id: "e3"),
        // Chronologically before the key was known: the fixed point must still catch it.
        trailRecord("CreateRole", key: "AKIABACKDOOR00000001", user: "backdoor", time: "2026-11-21T09:00:00Z",
                    request: #"{"roleName":"ops-admin"}"#, id: "e4"),
        trailRecord("AttachRolePolicy", key: "ASIASESSION000000001", role: "ops-admin", time: "2026-11-21T09:05:00Z",
                    request: #"{"roleName":"ops-admin","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#, id: "e5"),
        trailRecord("GetCallerIdentity", key: "AKIABACKDOOR00000001", user: "backdoor", time: "2026-11-21T08:00:00Z", id: "e6"),
        trailRecord("CreateUser", key: "AKIAALICE00000000001", user: "alice", time: "2026-11-21T10:00:00Z", request: #"{"userName":"intern"}"#, id: "e7"),
    ].joined(separator: ",") + "]}"

    @Test func followsChainsOfCreatedKeysUsersAndRoles() throws {
        let events = try TrailParser.parseFile(Data(Self.file.utf8), origin: "test.json")
        #expect(events.count == 7)
        var follower = ChainFollower(leakedKey: leaked)
        let chain = follower.attributable(events)
        #expect(chain.map(\.eventId) == ["e1", "e2", "e6", "e4", "e5"])
        #expect(follower.keys == [leaked, "AKIABACKDOOR00000001"])
        #expect(follower.users == ["backdoor"])
        #expect(follower.roles == ["ops-admin"])
        #expect(chain.filter(\.flagged).map(\.name) == ["CreateUser", "CreateAccessKey", "CreateRole", "AttachRolePolicy"])
        #expect(chain.first { $0.eventId == "e5" }?.summary == "roleName=ops-admin policyArn=arn:aws:iam::aws:policy/AdministratorAccess")
    }

    @Test func rejectsFilesThatAreNotCloudTrail() {
        #expect(throws: RespondInputError.self) { try TrailParser.parseFile(Data(#"{"events":[]}"#.utf8), origin: "x.json") }
        #expect(throws: RespondInputError.self) { try TrailParser.parseFile(Data("not json".utf8), origin: "x.json") }
    }

    @Test func readsLocalGzipFolders() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("respond-trail-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(dir)/2026/11/20", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = "\(dir)/2026/11/20/a.json"
        try Self.file.write(toFile: plain, atomically: true, encoding: .utf8)
        _ = try ChildProcess.run("/usr/bin/env", ["gzip", plain], deadline: 60)
        try #"{"Records":[]}"#.write(toFile: "\(dir)/empty.json", atomically: true, encoding: .utf8)
        try "ignored".write(toFile: "\(dir)/README.txt", atomically: true, encoding: .utf8)
        try #"{"Records":[{"eventName":"CreateUser"}]}"#.write(toFile: "\(dir)/bad.json", atomically: true, encoding: .utf8)
        var notes: [StepNote] = []
        let events = try TrailSources.local(dir, notes: &notes)
        #expect(events.count == 7)
        // The bad file is reported, not skipped silently, and does not hide the good one.
        #expect(notes.map(\.message) == ["\(dir)/bad.json: record 1 has no eventName or eventTime: not a CloudTrail record"])
        #expect(events.allSatisfy { $0.origin == "\(dir)/2026/11/20/a.json.gz" })
        #expect(throws: RespondInputError.self) { try TrailSources.local("\(dir)/missing", notes: &notes) }
    }

    @Test func s3KeysOutsideTheWindowAreSkipped() throws {
        let base = "AWSLogs/123456789012/CloudTrail/"
        let since = try #require(ISO8601DateFormatter().date(from: "2026-11-20T12:00:00Z"))
        #expect(TrailSources.isOnOrAfter(base + "us-east-1/2026/11/20/x.json.gz", base: base, since: since))
        #expect(!TrailSources.isOnOrAfter(base + "us-east-1/2026/11/19/x.json.gz", base: base, since: since))
        #expect(TrailSources.isOnOrAfter(base + "us-east-1/2026/12/01/x.json.gz", base: base, since: since))
    }

    /// LookupEvents, which moto lacks, with responses recorded from the API's documented shape: two pages.
    @Test func lookupEventsFollowsPagesAndReadsTheEmbeddedRecord() async throws {
        func escaped(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") }
        let first = trailRecord("RunInstances", key: leaked, user: "deployer", time: "2026-11-20T10:00:00Z",
                                request: #"{"instanceType":"p3.16xlarge","maxCount":20}"#,
                                response: #"{"instancesSet":{"items":[{"instanceId":"i-0abc"}]}}"#, id: "l1")
        let second = trailRecord("GetSessionToken", key: leaked, user: "deployer", time: "2026-11-20T11:00:00Z",
                                 response: #"{"credentials":{"accessKeyId":"ASIATEMP000000000001"}}"#, id: "l2")
        let page1 = #"{"Events":[{"EventId":"l1","EventName":"RunInstances","ReadOnly":"false","AccessKeyId":"\#(leaked)","EventTime":1.7635968E9,"EventSource":"ec2.amazonaws.com","Username":"deployer","CloudTrailEvent":"\#(escaped(first))"}],"NextToken":"page-2"}"#
        let page2 = #"{"Events":[{"EventId":"l2","EventName":"GetSessionToken","CloudTrailEvent":"\#(escaped(second))"}]}"#
        let transport = RecordedTransport(["LookupEvents": [page1, page2]])
        let since = Date(timeIntervalSince1970: 1_760_000_000)
        var notes: [StepNote] = []
        let events = try await TrailSources.lookup(accessKey: leaked, region: "eu-west-1", since: since, client: recordedClient(transport), notes: &notes)
        #expect(notes.isEmpty)
        #expect(events.map(\.name) == ["RunInstances", "GetSessionToken"])
        #expect(events[0].createdResources == ["i-0abc"])
        #expect(events[0].summary == "instanceType=p3.16xlarge maxCount=20")
        #expect(events[1].createdKeys == ["ASIATEMP000000000001"])
        #expect(events.allSatisfy { $0.origin == "LookupEvents eu-west-1" && $0.flagged })
        let bodies = transport.bodies("LookupEvents")
        #expect(bodies.count == 2)
        #expect(bodies[0] == #"{"LookupAttributes":[{"AttributeKey":"AccessKeyId","AttributeValue":"\#(leaked)"}],"MaxResults":50,"StartTime":1760000000}"#)
        #expect(bodies[1].contains(#""NextToken":"page-2""#))
    }
}

@Suite struct DateTests {
    /// The fast UTC parser agrees with Foundation's (values checked: 2026-11-20T10:00:00Z is 1795168800, per Python datetime).
    @Test func fastParserMatchesFoundation() throws {
        #expect(AWSDate.parse("2026-11-20T10:00:00Z")?.timeIntervalSince1970 == 1_795_168_800)
        #expect(AWSDate.parse("2024-02-29T23:59:59Z") == ISO8601DateFormatter().date(from: "2024-02-29T23:59:59Z"))
        #expect(AWSDate.parse("1999-12-31T00:00:00.500Z")?.timeIntervalSince1970 == 946_598_400.5)
        #expect(AWSDate.parse("2026-11-20T10:00:00+01:00")?.timeIntervalSince1970 == 1_795_165_200)
        #expect(AWSDate.parse("2026-13-20T10:00:00Z") == nil)
        #expect(AWSDate.parse("yesterday") == nil)
    }
}

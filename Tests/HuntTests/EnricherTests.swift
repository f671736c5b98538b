import Foundation
import Hunt
import Testing
import SigmaEngine
import LogReaders

@Suite struct EnricherTests {
    func record(_ json: String) throws -> Record { try CloudTrailRecord.parse(Array(json.utf8)) }

    @Test func sourceOutsideEgressHonoursEgressAndEC2Ranges() throws {
        let enricher = EventEnricher(egress: [CIDR("203.0.113.0/24")!], ec2Ranges: AddressRanges(cidrs: [CIDR("3.0.0.0/9")!, CIDR("2600:1f00::/24")!]))
        func outside(_ ip: String) throws -> String? {
            var r = try record(#"{"sourceIPAddress":"\#(ip)"}"#)
            enricher.enrich(&r)
            return r.text(["mamori.sourceOutsideEgress"])
        }
        #expect(try outside("203.0.113.7") == "false")
        #expect(try outside("3.5.1.1") == "false")
        #expect(try outside("2600:1f00::1") == "false")
        #expect(try outside("198.51.100.1") == "true")
        #expect(try outside("ec2.amazonaws.com") == "false")
        #expect(try outside("AWS Internal") == "false")
        // No egress declared: every address is outside.
        var r = try record(#"{"sourceIPAddress":"203.0.113.7"}"#)
        EventEnricher().enrich(&r)
        #expect(r.text(["mamori.sourceOutsideEgress"]) == "true")
    }

    @Test func sharesOutsideTheTrustListAreMarked() throws {
        let enricher = EventEnricher(trusted: ["111111111111"])
        func shared(_ items: String, event: String = "ModifyImageAttribute") throws -> (String?, String?) {
            var r = try record(#"{"eventName":"\#(event)","recipientAccountId":"123456789012","requestParameters":{"launchPermission":{"add":{"items":\#(items)}}}}"#)
            enricher.enrich(&r)
            return (r.text(["mamori.sharedWith"]), r.text(["mamori.sharedOutside"]))
        }
        #expect(try shared(#"[{"userId":"111111111111"}]"#) == ("111111111111", "false"))
        #expect(try shared(#"[{"userId":"111111111111"},{"userId":"999999999999"}]"#) == ("111111111111,999999999999", "true"))
        #expect(try shared(#"[{"group":"all"}]"#) == ("all", "true"))
        var rds = try record(#"{"eventName":"ModifyDBSnapshotAttribute","requestParameters":{"attributeName":"restore","valuesToAdd":["111111111111"]}}"#)
        enricher.enrich(&rds)
        #expect(rds.text(["mamori.sharedOutside"]) == "false")
    }

    @Test func organisationMembersAreNotOutsideButAllAlwaysIs() throws {
        let enricher = EventEnricher(trusted: ["111111111111"], members: ["222222222222", "333333333333"])
        func outside(_ items: String) throws -> String? {
            var r = try record(#"{"eventName":"ModifySnapshotAttribute","recipientAccountId":"123456789012","requestParameters":{"createVolumePermission":{"add":{"items":\#(items)}}}}"#)
            enricher.enrich(&r)
            return r.text(["mamori.sharedOutside"])
        }
        #expect(try outside(#"[{"userId":"222222222222"}]"#) == "false")
        #expect(try outside(#"[{"userId":"222222222222"},{"userId":"111111111111"}]"#) == "false")
        #expect(try outside(#"[{"userId":"222222222222"},{"userId":"999999999999"}]"#) == "true")
        #expect(try outside(#"[{"group":"all"}]"#) == "true")
        // Without the organisation (no --org, no trust.organization) a member is just another account.
        var r = try record(#"{"eventName":"ModifySnapshotAttribute","recipientAccountId":"123456789012","requestParameters":{"createVolumePermission":{"add":{"items":[{"userId":"222222222222"}]}}}}"#)
        EventEnricher(trusted: ["111111111111"]).enrich(&r)
        #expect(r.text(["mamori.sharedOutside"]) == "true")
    }

    @Test func addressRangesMergeAndSearch() {
        let ranges = AddressRanges(cidrs: ["10.0.0.0/8", "10.1.0.0/16", "192.168.1.0/24", "0.0.0.0/32"].compactMap(CIDR.init))
        #expect(ranges.contains(IPAddress("10.200.1.1")!))
        #expect(ranges.contains(IPAddress("192.168.1.255")!))
        #expect(!ranges.contains(IPAddress("192.168.2.0")!))
        #expect(!ranges.contains(IPAddress("11.0.0.0")!))
    }

    @Test func huntConfigSectionIsReadAndTyposRefused() throws {
        let config = try HuntConfig.parse("trust: []\nhunt:\n  egress_cidrs: [203.0.113.0/24]\n  aws_ip_ranges: ip.json\n", file: "m.yml")
        #expect(config == HuntConfig(egressCIDRs: ["203.0.113.0/24"], awsIPRanges: "ip.json"))
        #expect(try HuntConfig.parse("thresholds: {}\n", file: "m.yml") == HuntConfig())
        #expect(throws: HuntError.self) { try HuntConfig.parse("hunt:\n  egress_cidr: [1.2.3.0/24]\n", file: "m.yml") }
    }

    @Test func prefilterSkipsOnlyEventsNoRuleCanMatch() throws {
        let rules = try HuntRules.parse(yaml: """
            title: t
            id: 6a0f8f52-1c7e-4b8e-9a59-6f7f1c1d0001
            logsource: {product: aws, service: cloudtrail}
            detection:
              selection: {eventName: StopLogging, mamori.sourceOutsideEgress: 'true'}
              condition: selection
            level: high
            """, file: "t.yml")
        let prefilter = HuntPrefilter(rules: rules)
        #expect(prefilter.needles != nil)
        func may(_ s: String) -> Bool { Array(s.utf8).withUnsafeBytes { prefilter.mayMatch($0) } }
        #expect(may(#"{"eventName":"StopLogging"}"#))
        #expect(!may(#"{"eventName":"GetObject"}"#))
        // An escape could spell the name: parsed to be sure.
        #expect(may(#"{"eventName":"\u0053topLogging"}"#))
    }
}

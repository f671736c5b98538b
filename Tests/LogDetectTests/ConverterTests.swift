import Testing
import LogDetect
import SigmaEngine

@Suite struct ConverterTests {
    func convert(_ detection: String, _ target: QueryTarget) throws -> String {
        let yaml = "title: t\nid: t\nlogsource:\n  category: network\ndetection:\n" + detection
        return try QueryConverter.convert(try SigmaParser.parse(yaml: yaml, file: "t.yml"), to: target, source: yaml)
    }

    static let mixed = "  a:\n    id.resp_h|cidr: 169.254.169.254/32\n  b:\n    cs-uri|contains: /latest/\n    method: PUT\n  condition: a or b\n"

    @Test func valueTransformsAreRefusedNotDropped() throws {
        // The engine matches base64/base64offset/windash; writing the plain value into a query would
        // silently search for the wrong text, so the conversion says it cannot.
        for modifier in ["base64", "base64offset|contains", "windash"] {
            #expect { try convert("  a:\n    url|\(modifier): /latest/\n  condition: a\n", .splunk) } throws: { "\($0)".contains("|\(modifier.split(separator: "|")[0])") }
        }
    }

    @Test func splunkParenthesisesEveryGroup() throws {
        #expect(try convert(Self.mixed, .splunk) == #"id.resp_h="169.254.169.254/32" OR ("cs-uri"="*/latest/*" AND method="PUT")"#)
    }

    @Test func kustoBracketsDottedAndDashedNames() throws {
        #expect(try convert(Self.mixed, .kusto) == #"ipv4_is_in_range(['id.resp_h'], "169.254.169.254/32") or (['cs-uri'] contains "/latest/" and method =~ "PUT")"#)
        let v6 = try convert("  a:\n    dst|cidr: fd00:ec2::254/128\n  condition: a\n", .kusto)
        #expect(v6 == #"ipv6_is_in_range(dst, "fd00:ec2::254/128")"#)
    }

    /// QRadar's own names: id.resp_h is destinationip; `method` has no QRadar field in
    /// ProductFields, so the alternative that needs it is left out.
    @Test func qradarQuotesNamesAndUsesINCIDR() throws {
        #expect(try convert(Self.mixed, .qradar) == #"SELECT * FROM events WHERE INCIDR('169.254.169.254/32', destinationip)"#)
    }

    @Test func esqlUsesCidrMatchAndBackticks() throws {
        #expect(try convert(Self.mixed, .esql) == #"from * metadata _id, _index, _version | where cidr_match(id.resp_h, "169.254.169.254/32") or (to_lower(`cs-uri`) like "*/latest/*" and to_lower(method) == "put")"#)
    }

    @Test func luceneEscapesReservedCharacters() throws {
        #expect(try convert(Self.mixed, .elasticLucene) == #"id.resp_h:"169.254.169.254/32" OR (cs\-uri:*\/latest\/* AND method:"PUT")"#)
        #expect(try convert("  a:\n    cs(X-aws-ec2-metadata-token)|exists: true\n  condition: a\n", .elasticLucene) == #"_exists_:cs\(X\-aws\-ec2\-metadata\-token\)"#)
    }

    @Test func splunkMatchesASingleIPv6InEveryNotation() throws {
        let q = try convert("  a:\n    dst|cidr: fd00:ec2::254/128\n  condition: a\n", .splunk)
        #expect(q == #"dst IN ("fd00:ec2::254", "fd00:ec2:0:0:0:0:0:254", "fd00:0ec2:0000:0000:0000:0000:0000:0254")"#)
    }

    @Test func notAndAllOf() throws {
        let q = try convert("  a:\n    x: 1\n  f:\n    y: 2\n  condition: a and not f\n", .splunk)
        // NOT is grouped too, so no target's precedence rules matter.
        #expect(q == #"x="1" AND (NOT y="2")"#)
    }

    @Test func sigmaTargetEchoesTheRule() throws {
        let yaml = BuiltInRules.imdsNonEC2Network
        #expect(try QueryConverter.convert(try BuiltInRules.imdsRule(), to: .sigma, source: yaml) == yaml)
    }

    @Test func kibanaKQLEscapesAndWidensWildcards() throws {
        #expect(try convert(Self.mixed, .kibanaKQL) == #"id.resp_h:"169.254.169.254/32" or (cs-uri:*/latest/* and method:"PUT")"#)
        #expect(try convert("  a:\n    cs(X-aws-ec2-metadata-token)|exists: true\n  b:\n    u: 'a?b c'\n  condition: a or b\n", .kibanaKQL)
            == #"cs\(X-aws-ec2-metadata-token\):* or u:a*b\ c"#)
        #expect(throws: LogDetectError.self) { try convert("  a:\n    u|re: x\n  condition: a\n", .kibanaKQL) }
    }

    func builtIn(_ target: QueryTarget, ignore: [String] = [], only: [String] = []) throws -> String {
        let yaml = try RuleSuppression.apply(to: BuiltInRules.imdsNonEC2Network, file: "r.yml",
                                             ignoreSource: try RuleLoader.cidrs(ignore), onlySource: try RuleLoader.cidrs(only))
        return try QueryConverter.convert(try SigmaParser.parse(yaml: yaml, file: "r.yml"), to: target, source: yaml)
    }

    @Test func qradarUsesQRadarFieldNamesOnce() throws {
        let q = try builtIn(.qradar)
        #expect(q.hasPrefix("SELECT * FROM events WHERE "))
        #expect(q.components(separatedBy: "INCIDR('169.254.169.254/32', destinationip)").count == 2)
        #expect(q.components(separatedBy: #""URL" ILIKE '%/latest/api/token%'"#).count == 2)
        for vendor in ["dst_ip", "dest_ip", "id.resp_h", "destination.ip", "cs-uri-stem", "http.url"] { #expect(!q.contains("\"\(vendor)\"")) }
        let suppressed = try builtIn(.qradar, ignore: ["172.31.0.0/16"])
        #expect(suppressed.hasSuffix(" AND (NOT INCIDR('172.31.0.0/16', sourceip))"))
        #expect(QueryConverter.unmappedFields(try BuiltInRules.imdsRule(), to: .qradar).contains("request_headers"))
        #expect(QueryConverter.unmappedFields(try BuiltInRules.imdsRule(), to: .splunk).isEmpty)
    }

    @Test func sentinelASIMAndCommonSecurityLog() throws {
        let asim = try builtIn(.sentinelASIM, ignore: ["172.31.0.0/16"])
        #expect(asim.hasPrefix("union isfuzzy=true _Im_NetworkSession, _Im_WebSession\n| where "))
        #expect(asim.contains(#"ipv4_is_in_range(DstIpAddr, "169.254.169.254/32")"#))
        #expect(asim.contains(#"ipv6_is_in_range(DstIpAddr, "fd00:ec2::254/128")"#))
        #expect(asim.contains(#"Url contains "/latest/meta-data""#))
        #expect(asim.contains(#"HttpHost =~ "169.254.169.254""#))
        #expect(asim.hasSuffix(#" and (not ipv4_is_in_range(SrcIpAddr, "172.31.0.0/16"))"#))
        #expect(asim.components(separatedBy: #"ipv4_is_in_range(DstIpAddr, "169.254.169.254/32")"#).count == 2)
        #expect(!asim.contains("request_headers") && !asim.contains("c-ip"))
        let cef = try builtIn(.sentinelCEF)
        #expect(cef.hasPrefix("CommonSecurityLog\n| where "))
        #expect(cef.contains(#"ipv4_is_in_range(DestinationIP, "169.254.169.254/32")"#))
        #expect(cef.contains(#"RequestURL contains "/latest/api/token""#))
        #expect(!cef.contains("dst_ip"))
    }

    /// The suppression reaches the rule itself: the edited YAML is a rule whose evaluation drops
    /// cloud sources and keeps on-premises ones, and every target's query carries it.
    @Test func suppressionIsPartOfTheRule() async throws {
        let yaml = try RuleSuppression.apply(to: BuiltInRules.imdsNonEC2Network, file: "r.yml",
                                             ignoreSource: try RuleLoader.cidrs(["172.31.0.0/16", "fd00:aaaa::/32"]), onlySource: [])
        #expect(yaml.contains("    filter_cloud_subnets:\n"))
        #expect(yaml.contains("    condition: (1 of ip_* or 1 of http_*) and not filter_cloud_subnets\n"))
        #expect(yaml.contains("# Connections to the IMDS addresses."))  // comments kept
        let rule = try SigmaParser.parse(yaml: yaml, file: "r.yml")
        let log = """
        {"ts":1759881600.1,"id.orig_h":"172.31.4.5","id.resp_h":"169.254.169.254","uri":"/latest/meta-data/"}
        {"ts":1759881600.2,"id.orig_h":"10.1.2.3","id.resp_h":"169.254.169.254","uri":"/latest/meta-data/"}
        """
        let options = ScanOptions(rules: [CompiledRule(rule)])
        let report = await LogDetect.Scanner(options: options).scan(paths: [try writeTemp(log + "\n", name: "z.json")])
        #expect(report.alerts.map(\.source) == ["10.1.2.3"])
        #expect(try builtIn(.splunk, ignore: ["172.31.0.0/16"]).contains(#"AND (NOT (id.orig_h="172.31.0.0/16" OR src_ip="172.31.0.0/16""#))
        #expect(try builtIn(.esql, only: ["10.0.0.0/8"]).contains(#" and (cidr_match(id.orig_h, "10.0.0.0/8") or cidr_match(src_ip, "10.0.0.0/8")"#))
        #expect(try builtIn(.kibanaKQL, ignore: ["172.31.0.0/16"]).contains(#"and (not (id.orig_h:"172.31.0.0/16" or "#))
        #expect(try builtIn(.sigma, ignore: ["172.31.0.0/16"]).contains("filter_cloud_subnets"))
        // A rule whose condition is not one line is refused with a reason, not mangled.
        let multi = "title: t\nid: t\nlogsource:\n  category: network\ndetection:\n  a:\n    x: 1\n  condition:\n    - a\n"
        #expect(throws: LogDetectError.self) { try RuleSuppression.apply(to: multi, file: "m.yml", ignoreSource: try RuleLoader.cidrs(["10.0.0.0/8"]), onlySource: []) }
    }
}

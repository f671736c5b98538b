import Testing
import LogDetect

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

    @Test func qradarQuotesNamesAndUsesINCIDR() throws {
        #expect(try convert(Self.mixed, .qradar) == #"SELECT * FROM events WHERE INCIDR('169.254.169.254/32', "id.resp_h") OR ("cs-uri" ILIKE '%/latest/%' AND "method" ILIKE 'PUT')"#)
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
}

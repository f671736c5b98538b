import Testing
import LogDetect
import LogReaders

@Suite struct FormatTests {
    @Test func zeekHTTPTSV() async throws {
        let report = try await scanText(Fixtures.zeekHTTP)
        #expect(report.files.first?.format == "zeek")
        #expect(report.lines == 12)
        #expect(report.malformedCount == 0)
        #expect(report.alerts.count == 1)
        let a = try #require(report.alerts.first)
        #expect(a.source == "10.1.2.3")
        #expect(a.destination == "169.254.169.254")
        #expect(a.count == 2)
        #expect(a.line == 10)
        #expect(a.firstSeen == "2025-10-08T00:00:00.100Z")
        #expect(a.lastSeen == "2025-10-08T00:00:01.200Z")
        #expect(a.exampleRequest == "PUT http://169.254.169.254/latest/api/token")
        #expect(a.matchedSelections == ["ip_zeek_resp", "ip_http_host", "http_zeek_uri"])
    }

    @Test func zeekConnIPv6() async throws {
        let report = try await scanText(Fixtures.zeekConn)
        #expect(report.alerts.count == 1)
        let a = try #require(report.alerts.first)
        #expect(a.source == "fd00:10::5")
        #expect(a.destination == "fd00:ec2::254")
        #expect(a.line == 9)
        #expect(a.exampleRequest == "connection to fd00:ec2::254:80/tcp")
        #expect(a.matchedSelections == ["ip_zeek_resp"])
    }

    @Test func zeekJSON() async throws {
        let report = try await scanText(Fixtures.zeekJSON)
        #expect(report.files.first?.format == "zeek-json")
        let a = try #require(report.alerts.first)
        #expect(report.alerts.count == 1)
        #expect(a.source == "192.168.4.80")
        #expect(a.line == 2)
        #expect(a.exampleRequest == "GET http://169.254.169.254/latest/user-data")
    }

    @Test func suricataEVEHeaderOnly() async throws {
        let report = try await scanText(Fixtures.suricata)
        #expect(report.files.first?.format == "suricata")
        #expect(report.alerts.count == 1)
        let a = try #require(report.alerts.first)
        #expect(a.source == "10.50.0.7")
        #expect(a.destination == "10.50.0.1")
        #expect(a.matchedSelections == ["http_suricata_headers"])
        #expect(a.exampleRequest == "GET http://metadata.local/v1/credentials")
        // The near miss (same rogue host, no token header) is not an alert, and the token never shows.
        #expect(!ImdsRendering.json(report).contains(Fixtures.suricataToken))
        #expect(!ImdsRendering.text(report).contains(Fixtures.suricataToken))
    }

    /// With Suricata's default pretty-printing off or on, and the header name in any case.
    @Test func suricataEVEHeaderListAnyCase() async throws {
        let line = #"{"timestamp":"2025-10-08T00:00:05Z","event_type":"http","src_ip":"10.50.0.9","dest_ip":"10.50.0.1","http":{"hostname":"h","url":"/","request_headers": [ {"name": "x-aws-ec2-metadata-token-ttl-seconds", "value": "21600"} ]}}"#
        let report = try await scanText(line + "\n")
        #expect(report.alerts.map(\.source) == ["10.50.0.9"])
        let off = try await scanText(line + "\n", prefilter: false)
        #expect(off.alerts.map(\.source) == ["10.50.0.9"])
    }

    @Test func squidNative() async throws {
        let report = try await scanText(Fixtures.squid)
        #expect(report.files.first?.format == "squid")
        let a = try #require(report.alerts.first)
        #expect(report.alerts.count == 1)
        #expect(a.source == "192.168.0.50")
        #expect(a.destination == "169.254.169.254")
        #expect(a.firstSeen == "2025-10-08T00:00:04.000Z")
        #expect(a.matchedSelections.contains("ip_aws_dst"))
        #expect(a.matchedSelections.contains("http_url_paths"))
    }

    @Test func combinedForwardProxy() async throws {
        let report = try await scanText(Fixtures.combined)
        #expect(report.files.first?.format == "combined")
        let a = try #require(report.alerts.first)
        #expect(report.alerts.count == 1)
        #expect(a.source == "10.7.7.7")
        #expect(a.destination == "169.254.169.254")
        #expect(a.firstSeen == "08/Oct/2025:00:00:05 +0000")
        #expect(a.exampleRequest == "PUT http://169.254.169.254/latest/api/token")
        #expect(a.line == 2)
    }

    @Test func w3cWithRepeatedFieldsHeader() async throws {
        let report = try await scanText(Fixtures.w3c)
        #expect(report.files.first?.format == "w3c")
        #expect(report.malformedCount == 0)
        #expect(report.alerts.count == 1)
        let a = try #require(report.alerts.first)
        #expect(a.source == "10.0.0.10")
        #expect(a.destination == "metadata.corp.example")
        #expect(a.matchedSelections == ["http_w3c_header"])
        #expect(a.line == 7)
        #expect(a.firstSeen == "2025-10-08 00:00:06")
    }

    @Test func csvFirewallExportFullIPv6() async throws {
        let report = try await scanText(Fixtures.csv)
        #expect(report.files.first?.format == "csv")
        let a = try #require(report.alerts.first)
        #expect(report.alerts.count == 1)
        #expect(a.source == "10.20.0.5")
        #expect(a.line == 2)
        #expect(a.matchedSelections == ["ip_aws_dst"])
        #expect(a.firstSeen == "2025/10/08 00:00:08")
    }

    @Test func genericJSONWithFieldMap() async throws {
        let config = try ImdsConfig.parse("""
        imds:
          field_map:
            dst_ip: target.address
          source_fields: [client.addr]
        """, file: "mamori.yml")
        let report = try await scanText(Fixtures.genericJSON, format: .json, config: config)
        #expect(report.alerts.count == 1)
        let a = try #require(report.alerts.first)
        #expect(a.source == "172.16.5.5")
        #expect(a.destination == "169.254.169.254")
        #expect(a.matchedSelections == ["ip_aws_dst"])
    }

    @Test func gzipInputIsDetectedByContent() async throws {
        let report = try await scanFile(try writeTemp(Fixtures.gzipZeek, name: "rotated.log.1"))
        #expect(report.lines == 4)
        let a = try #require(report.alerts.first)
        #expect(a.source == "10.0.0.2")
        #expect(a.line == 4)
    }

    @Test func prefilterChangesNothing() async throws {
        for text in [Fixtures.zeekHTTP, Fixtures.zeekConn, Fixtures.zeekJSON, Fixtures.suricata, Fixtures.squid,
                     Fixtures.combined, Fixtures.w3c, Fixtures.csv] {
            let path = try writeTemp(text)
            let fast = try await scanFile(path)
            let slow = try await scanFile(path, prefilter: false)
            #expect(fast.alerts == slow.alerts)
            #expect(fast.malformedCount == slow.malformedCount)
        }
    }

    @Test func detectionFromFirstLine() {
        func detect(_ s: String) -> LogFormat? {
            Array(s.utf8).withUnsafeBytes { LogFormat.detect(firstLine: $0) }
        }
        #expect(detect("#separator \\x09") == .zeek)
        #expect(detect("#Software: Microsoft Internet Information Services 10.0") == .w3c)
        #expect(detect("{\"timestamp\":\"x\",\"event_type\":\"dns\"}") == .suricata)
        #expect(detect("{\"ts\":1,\"uid\":\"C1\",\"id.orig_h\":\"1.2.3.4\"}") == .zeekJSON)
        #expect(detect("{\"a\":1}") == .json)
        #expect(detect("1286536308.779    180 192.168.0.224 TCP_MISS/200 411 GET http://www.google.com/ - DIRECT/74.125.39.104 text/html") == .squid)
        #expect(detect("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326") == .combined)
        #expect(detect("a,b,c") == .csv)
        #expect(detect("hello") == nil)
    }
}

import LogReaders
import Testing

/// The readers on their own, below the IMDS scanner and the hunt: detection from a first line,
/// Zeek's header-driven parsing, and the request-target and time helpers every format shares.
@Suite struct ReaderTests {
    func detect(_ line: String) -> LogFormat? {
        Array(line.utf8).withUnsafeBytes { LogFormat.detect(firstLine: $0) }
    }

    @Test func detectsEachFormatFromItsFirstLine() {
        #expect(detect("#separator \\x09") == .zeek)
        #expect(detect("\u{FEFF}#Fields: date time c-ip cs-uri") == .w3c)
        #expect(detect(#"{"timestamp":"2025-01-01T00:00:00Z","event_type":"http"}"#) == .suricata)
        #expect(detect(#"{"ts":1.0,"uid":"C1","id.orig_h":"10.0.0.1"}"#) == .zeekJSON)
        #expect(detect(#"{"anything":1}"#) == .json)
        #expect(detect("1759881600.100    12 10.1.2.3 TCP_MISS/200 512 GET http://169.254.169.254/latest/meta-data/ - HIER_DIRECT/169.254.169.254 text/plain") == .squid)
        #expect(detect(#"10.1.2.3 - - [10/Oct/2025:13:55:36 +0000] "GET http://x/ HTTP/1.1" 200 2326 "-" "curl""#) == .combined)
        #expect(detect("src,dst,url") == .csv)
        #expect(detect("plain words only") == nil)
    }

    @Test func zeekFieldsComeFromTheHeader() throws {
        var parser = LogFormat.zeek.makeParser(csvAliases: [:])
        let header = "#fields\tts\tid.orig_h\thost\turi"
        let verdict = Array(header.utf8).withUnsafeBytes { parser.inspect($0) }
        guard case .directive = verdict else { Issue.record("the #fields line is a directive, got \(verdict)"); return }
        let line = Array("1759881600.1\t10.1.2.3\t169.254.169.254\t/latest/api/token".utf8)
        let record = try line.withUnsafeBytes { raw throws(LineProblem) in try parser.parse(raw) }
        #expect(record["uri"].map { String(decoding: $0, as: UTF8.self) } == "/latest/api/token")
        #expect(record["id.orig_h"].map { String(decoding: $0, as: UTF8.self) } == "10.1.2.3")
        #expect(parser.fieldUniverse?.contains("host") == true)
        // A data line with the wrong number of fields is malformed, with a reason.
        let short = Array("1759881600.1\t10.1.2.3".utf8).withUnsafeBytes { parser.inspect($0) }
        guard case .malformed = short else { Issue.record("a short line is malformed, got \(short)"); return }
    }

    @Test func requestTargetsAndTimes() {
        #expect(URLParts.host("http://169.254.169.254:80/latest/meta-data/") == "169.254.169.254")
        #expect(URLParts.host("http://user@[fd00:ec2::254]/latest/") == "[fd00:ec2::254]")
        #expect(URLParts.host("169.254.169.254:443", method: "CONNECT") == "169.254.169.254")
        #expect(URLParts.host("/latest/meta-data/") == nil)
        #expect(TimeText.normalize("1759881600.1").0 == "2025-10-08T00:00:00.100Z")
        #expect(TimeText.normalize("10/Oct/2025:13:55:36 +0000").1 == nil)
    }
}

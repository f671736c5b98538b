import Testing
import LogDetect
import SigmaEngine

@Suite struct RobustnessTests {
    @Test func brokenLinesAreCountedWithPlaceAndReasonAndTheRunGoesOn() async throws {
        let text = """
        #separator \\x09
        #fields\tts\tid.orig_h\tid.resp_h\turi
        1759881600.0\t10.0.0.1\t1.2.3.4\t/
        1759881600.1\t10.0.0.1\tonly-three-fields
        1759881600.2\t10.0.0.9\t169.254.169.254\t/latest/meta-data/
        """
        let report = try await scanText(text)
        #expect(report.malformedCount == 1)
        #expect(report.malformed.first?.line == 4)
        #expect(report.malformed.first?.reason == "has 3 fields, #fields lists 4")
        #expect(report.alerts.first?.line == 5)
    }

    @Test func truncatedAndInvalidJSONAreMalformed() async throws {
        let text = """
        {"id.orig_h":"10.0.0.1","id.resp_h":"169.254.169.254","uri":"/latest/meta-data/"}
        {"id.orig_h":"10.0.0.2","id.resp_h":"169.254.169.254","uri":"/latest/meta-data/
        not json at all
        {"id.orig_h":"10.0.0.3","id.resp_h":169.254.169.254}
        {"id.orig_h":"10.0.0.4","id.resp_h":"169.254.169.254"}
        """
        let report = try await scanText(text, format: .zeekJSON)
        #expect(report.malformedCount == 3)
        #expect(report.malformed.map(\.line) == [2, 3, 4])
        #expect(report.alerts.map(\.source) == ["10.0.0.1", "10.0.0.4"])
    }

    @Test func csvUnclosedQuoteIsMalformed() async throws {
        let text = "src_ip,dst_ip\n10.0.0.1,\"169.254.169.254\n10.0.0.2,169.254.169.254\n"
        let report = try await scanText(text)
        #expect(report.malformedCount == 1)
        #expect(report.malformed.first?.line == 2)
        #expect(report.alerts.first?.source == "10.0.0.2")
    }

    @Test func zeekDataBeforeHeaderIsMalformed() async throws {
        let report = try await scanText("1\t2\t3\n#fields\ta\n", format: .zeek)
        #expect(report.malformed.first?.reason == "data line before the #fields header")
    }

    @Test func corruptGzipIsAFileErrorNotACrash() async throws {
        var bad = Fixtures.gzipZeek
        for i in 20..<40 { bad[i] ^= 0x5A }
        let report = try await scanFile(try writeTemp(bad))
        #expect(report.hasErrors)
    }

    @Test func missingFileIsReported() async throws {
        let report = try await scanFile("/nonexistent/mamori/imds.log")
        #expect(report.files.first?.error?.contains("cannot open") == true)
    }

    @Test func undetectableFormatIsReported() async throws {
        let report = try await scanText("just some words\n")
        #expect(report.files.first?.error?.contains("--format") == true)
    }
}

@Suite struct SuppressionTests {
    static let text = """
    #separator \\x09
    #fields\tts\tid.orig_h\tid.resp_h
    1.0\t10.1.0.5\t169.254.169.254
    2.0\t172.31.4.4\t169.254.169.254
    3.0\t192.168.9.9\t169.254.169.254
    """

    @Test func onlySourceKeepsOnPremisesRanges() async throws {
        let report = try await scanText(Self.text, onlySource: ["10.0.0.0/8", "192.168.0.0/16"])
        #expect(report.alerts.map(\.source) == ["10.1.0.5", "192.168.9.9"])
        #expect(report.suppressed == 1)
    }

    @Test func ignoreSourceDropsEC2Ranges() async throws {
        let report = try await scanText(Self.text, ignoreSource: ["172.31.0.0/16"])
        #expect(report.alerts.map(\.source) == ["10.1.0.5", "192.168.9.9"])
    }

    @Test func bothTogetherAndFromConfig() async throws {
        let config = try ImdsConfig.parse("imds:\n  only_source: [10.0.0.0/8, 172.16.0.0/12]\n  ignore_source: [172.31.0.0/16]\n", file: "m.yml")
        let report = try await scanText(Self.text, onlySource: config.onlySource, ignoreSource: config.ignoreSource)
        #expect(report.alerts.map(\.source) == ["10.1.0.5"])
        #expect(report.suppressed == 2)
    }

    @Test func configRejectsTyposAndBadRanges() {
        #expect(throws: LogDetectError.self) { try ImdsConfig.parse("imds:\n  only_sources: [10.0.0.0/8]\n", file: "m.yml") }
        #expect(throws: LogDetectError.invalidCIDR("10.0.0.0/33")) { try ImdsConfig.parse("imds:\n  ignore_source: [10.0.0.0/33]\n", file: "m.yml") }
        #expect((try? ImdsConfig.parse("other: 1\n", file: "m.yml")) == ImdsConfig())
    }
}

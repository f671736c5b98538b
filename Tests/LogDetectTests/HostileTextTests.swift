import Foundation
import Testing
@testable import LogDetect

/// Log lines are written by whoever sends the request: `imds scan`'s text shows their control
/// characters escaped, and a newline in a value never starts a line of its own.
@Suite struct HostileTextTests {
    static let hostile = "x\u{1B}]8;;https://attacker.example\u{07}y\u{1B}[2J\r\u{08}\u{9B}31m\u{202E}\u{2066}\u{7F}\nFAKE ROW"

    static func raw(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x202E, 0x2066].contains($0.value)) }
    }

    @Test func textEscapesHostileAlertFields() {
        let alert = Alert(source: Self.hostile, destination: "169.254.169.254", firstSeen: Self.hostile, lastSeen: nil, count: 1,
                          exampleRequest: "GET /latest/meta-data/\(Self.hostile)", matchedSelections: [Self.hostile], rules: ["r"],
                          file: "logs/\(Self.hostile).log", line: 3)
        let report = ScanReport(alerts: [alert], malformedCount: 1, malformed: [MalformedLine(file: Self.hostile, line: 1, reason: Self.hostile)],
                                files: [], lines: 1, bytes: 1, suppressed: 0, seconds: 0, prefilter: [])
        let text = ImdsRendering.text(report)
        #expect(Self.raw(text).isEmpty)
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") })
        #expect(text.contains("GET /latest/meta-data/x\\x1b]8;;https://attacker.example\\x07y\\x1b[2J\\r\\x08\\u{9B}31m\\u{202E}\\u{2066}\\x7f\\nFAKE ROW"))
    }

    @Test func hostileURLInARealLogIsEscaped() async throws {
        // A JSON log can carry any character in a string, escaped or not.
        let line = #"{"id.orig_h":"10.0.0.9","id.resp_h":"169.254.169.254","method":"GET","uri":"/latest/meta-data/\u001b]0;pwned\u0007\u009b2J\u202e\nFAKE ROW"}"#
        let text = ImdsRendering.text(try await scanText(line + "\n", name: "zeek.json"))
        #expect(text.contains("alert"), "\(text)")
        #expect(Self.raw(text).isEmpty, "\(text)")
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") })
        #expect(text.contains("\\x1b]0;pwned\\x07\\u{9B}2J\\u{202E}\\nFAKE ROW"), "\(text)")
    }

    @Test func hostCheckTextEscapesLocalSettings() {
        let text = ImdsRendering.text([HostCheck.Item(id: "x", status: .fail, message: Self.hostile, fix: Self.hostile)])
        #expect(Self.raw(text).isEmpty)
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") })
    }
}

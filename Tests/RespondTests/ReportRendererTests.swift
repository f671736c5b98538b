import Foundation
import Testing
@testable import Respond

/// CloudTrail parameters, resource names and user names in the incident report are the attacker's
/// own text: the report shows their control characters escaped, and a newline or `|` in a value
/// neither starts a line nor splits a table cell.
@Suite struct ReportRendererTests {
    static let hostile = "x\u{1B}]8;;https://attacker.example\u{07}y\u{1B}[2J\r\u{08}\u{9B}31m\u{202E}\u{2066}\nFAKE ROW | <b>z</b>"

    /// A report decoded from JSON, with the hostile text wherever the account supplies text.
    func report() throws -> IncidentReport {
        let h = String(decoding: try JSONEncoder().encode(Self.hostile), as: UTF8.self)
        let json = """
            {"keyId":"AKIAZ7QMBX3NHV5TKD2W","generated":"2026-01-15T12:00:00Z","mode":"plan",
             "identity":{"keyId":"AKIAZ7QMBX3NHV5TKD2W","accountConfirmed":false,"rootKey":false,"userName":\(h),"userKeys":[]},
             "rotation":[],"earlierJournals":[],"since":"2026-01-01T00:00:00Z","regions":["us-east-1"],
             "followedKeys":["AKIAZ7QMBX3NHV5TKD2W"],"followedUsers":[\(h)],"followedRoles":[],
             "events":[{"eventId":"e1","time":"2026-01-10T00:00:00Z","name":"RunInstances","source":"ec2.amazonaws.com",
                        "region":"us-east-1","accessKeyId":"AKIAZ7QMBX3NHV5TKD2W","origin":"cloudtrail","flagged":true,
                        "createdKeys":[],"createdUsers":[],"createdRoles":[],"createdResources":[],"summary":\(h)}],
             "eventsRead":1,
             "resources":[{"type":"instance","id":\(h),"region":"us-east-1","createdBy":\(h),"attributedToLeak":true,"removal":"aws ec2 terminate-instances"}],
             "removed":[],"otherActiveKeys":[],"containment":[],"rootProcedure":[],"goBack":[],"notes":[],"needsHuman":[\(h)],"timeline":[{"time":"2026-01-10T00:00:00Z","what":\(h)}],
             "supportSummary":\(h)}
            """
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(IncidentReport.self, from: Data(json.utf8))
    }

    @Test func markdownEscapesHostileText() throws {
        let text = ReportRenderer.markdown(try report())
        let raw = text.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x202E, 0x2066].contains($0.value)) }
        #expect(raw.isEmpty, "\(text)")
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") })
        // Table rows keep their six cells: the value's `|` is escaped.
        let eventRow = try #require(text.split(separator: "\n").first { $0.contains("RunInstances") })
        #expect(eventRow.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 7, "\(eventRow)")
        #expect(!eventRow.contains("<b>"), "HTML in a cell is escaped")
        #expect(text.contains("\\x1b]8;;https://attacker.example\\x07"))
    }
}

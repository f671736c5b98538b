import Checks
import Foundation
import Testing
@testable import MamoriCLI

/// The CLI's own text renderers (`amis plan`, `history`/`diff` tables): names from outside shown escaped.
@Suite struct TextOutputTests {
    @Test func planTextEscapesHostileNames() throws {
        let h = #""x\u001b]8;;https://attacker.example\u0007y\u001b[2J\r\b\u009b31m\u202e\u2066\nFAKE ROW""#
        let json = """
            {"account":"111122223333","providers":["amazon",\(h)],
             "excluded":[{"region":"us-east-1","imageId":"ami-0123456789abcdef0","reason":\(h)}],
             "untrustedOwners":[{"ownerId":"666677778888","label":\(h),"origin":\(h),
                                 "images":[{"region":"us-east-1","imageId":"ami-0123456789abcdef0","reason":\(h)}],"wouldBreak":[\(h)]}],
             "regions":[{"region":"us-east-1","currentState":\(h),"managedBy":\(h),"affectedInstances":[\(h)],
                         "affectedTemplates":[\(h)],"affectedGroups":[],"auditModeSince":null}]}
            """
        let plan = try JSONDecoder().decode(AMIRolloutPlan.self, from: Data(json.utf8))
        let text = AMIPlanText.render(plan, account: "111122223333")
        let raw = text.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x202E, 0x2066].contains($0.value)) }
        #expect(raw.isEmpty, "\(raw.map { String($0.value, radix: 16) })")
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") })
        #expect(text.contains("x\\x1b]8;;https://attacker.example\\x07y\\x1b[2J\\r\\x08\\u{9B}31m\\u{202E}\\u{2066}\\nFAKE ROW"))
    }

    /// `history` and `diff` tables: stored names cannot forge or hide a row.
    @Test func historyAndDiffTablesEscapeHostileCells() {
        let hostile = "x\u{1B}[2J\u{9B}\u{202E}\nFAKE ROW"
        let text = TextTable.render(header: ["A", "B"], rows: [[hostile, hostile], ["ok", hostile]])
        #expect(text.split(separator: "\n").count == 3)
        #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{9B}" || $0 == "\u{202E}" })
        #expect(text.contains("x\\x1b[2J\\u{9B}\\u{202E}\\nFAKE ROW"))
    }

    /// `mamori policy` quotes actions and principals from a policy someone else wrote.
    @Test func policyTextEscapesHostileValues() throws {
        let dir = Mamori.tempDir()
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage\u001b]0;pwned\u0007\u202e\nFAKE ROW","Resource":"*"}]}"#
        try policy.write(toFile: "\(dir)/policy.json", atomically: true, encoding: .utf8)
        let run = try Mamori.run(["policy", "\(dir)/policy.json", "--type", "sqs"])
        #expect(run.status != 2, "\(run.stderr)")
        let out = run.stdout + run.stderr
        #expect(!out.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" }, "\(out)")
        #expect(!out.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") }, "\(out)")
        #expect(run.stdout.contains("sqs:SendMessage\\x1b]0;pwned\\x07\\u{202E}\\nFAKE ROW"), "\(out)")
    }
}

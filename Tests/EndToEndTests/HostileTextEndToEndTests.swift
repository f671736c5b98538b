import Foundation
import Testing

/// Names from an account reach the terminal only escaped: a saved inventory whose bucket name
/// carries escape sequences, a C1 CSI, a bidi override and a newline, re-checked offline.
@Suite(.serialized)
struct HostileTextEndToEndTests {
    @Test func checkTableEscapesHostileResourceNames() throws {
        let estate = try MotoEstate.demo()
        let dir = Mamori.tempDir()
        let inventory = "\(dir)/inventory.json"
        _ = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--format", "json", "--quiet", "--save", inventory])
        // JSON escapes, so the file stays valid and the decoded name holds the raw characters.
        let hostile = #"demo-public-acl\u001b]8;;https://attacker.example\u0007x\u001b[2J\r\b\u009b31m\u202e\u2066\nFAKE ROW"#
        let text = try String(contentsOfFile: inventory, encoding: .utf8).replacingOccurrences(of: "demo-public-acl", with: hostile)
        try text.write(toFile: inventory, atomically: true, encoding: .utf8)
        let env = Mamori.environment(extra: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        for format in ["table", "markdown"] {
            let run = try Mamori.run(["check", "--inventory", inventory, "--format", format], environment: env)
            #expect(run.status != 2, "\(run.stderr)")
            let raw = run.stdout.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x202E, 0x2066].contains($0.value)) }
            #expect(raw.isEmpty, "\(format): \(raw.map { String($0.value, radix: 16) })")
            #expect(!run.stdout.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") }, "\(format)")
            #expect(run.stdout.contains("x1b]8;;https://attacker.example") || run.stdout.contains("x1b\\]8;;https://attacker.example"), "\(format): \(run.stdout.prefix(2000))")
        }
    }
}

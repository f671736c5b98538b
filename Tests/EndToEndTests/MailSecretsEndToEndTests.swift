import Foundation
import MamoriTestSupport
import Testing

/// `mamori secrets` on an e-mail whose attachment is base64: the key is found in the decoded
/// part, named like an archive member, and the secret appears nowhere in the output.
@Suite struct MailSecretsEndToEndTests {
    static let keyId = "AKIAZ7QMBX3NHV5TKD2W"
    static let secret = "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"

    static func mail() -> String {
        let attachment = Data("[default]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n".utf8)
            .base64EncodedString(options: .lineLength76Characters)
        return """
            From: Ops <ops@example.com>\r
            To: dev@example.net\r
            Subject: credentials\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="xyz"\r
            \r
            --xyz\r
            Content-Type: text/plain\r
            \r
            The file you asked for.\r
            --xyz\r
            Content-Type: text/plain; name="credentials"\r
            Content-Disposition: attachment; filename="credentials"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(attachment)\r
            --xyz--\r

            """
    }

    @Test func base64AttachmentIsDecodedAndRedacted() throws {
        let dir = Mamori.tempDir()
        try Self.mail().write(toFile: "\(dir)/mail.eml", atomically: true, encoding: .utf8)
        let run = try Mamori.run(["secrets", "mail.eml", "--format", "json"], cwd: dir, deadline: 60)
        #expect(run.status == 1, "\(run.stderr)")
        let findings = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(findings.count == 1, "\(run.stdout)")
        #expect(findings.first?["file"] as? String == "mail.eml!part 2 (credentials)")
        #expect(findings.first?["keyId"] as? String == Self.keyId)
        #expect(findings.first?["line"] as? Int == 2)
        #expect(findings.first?["paired"] as? Bool == true)
        #expect(findings.first?["secret"] as? String == "Tq8v…oEiP")
        #expect(!run.stdout.contains(Self.secret) && !run.stderr.contains(Self.secret))
        let table = try Mamori.run(["secrets", "mail.eml"], cwd: dir, deadline: 60)
        #expect(table.stdout.contains("mail.eml!part 2 (credentials)"), "\(table.stdout)")
        #expect(!table.stdout.contains(Self.secret) && !table.stderr.contains(Self.secret))
    }
}

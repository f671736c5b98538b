import Foundation
import MamoriTestSupport
import Testing

/// `--accounts FILE` and `--org` name a decoded (secrets) or actor (hunt) account:
/// "belongs to NAME (OU path)", in the table and as `accountName`/`accountOuPath` in JSON.
@Suite struct AccountNamingEndToEndTests {
    /// The account `PreCommitTests.keyId` decodes to.
    static let plantedAccount = "686146305754"

    /// An AKIA key ID whose decoded account is `account` (the inverse of the offline decoding).
    static func keyId(for account: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var v = ((UInt64(account)! << 7) | 0x8000_0000_0000 | 0x35) << 2
        var chars: [Character] = []
        for _ in 0..<10 { chars.insert(alphabet[Int(v & 31)], at: 0); v >>= 5 }
        return "AKIA" + String(chars) + "QW7MRT"
    }

    @Test func secretsNamesTheDecodedAccountFromAFile() throws {
        let dir = Mamori.tempDir()
        try "aws_access_key_id = \(PreCommitTests.keyId)\naws_secret_access_key = \(PreCommitTests.secret)\n"
            .write(toFile: "\(dir)/app.env", atomically: true, encoding: .utf8)
        try "# id,name,ou path\n\(Self.plantedAccount),prod-payments,ou-ab12-cdef5678/Workloads\n111111111111,other\n"
            .write(toFile: "\(dir)/accounts.csv", atomically: true, encoding: .utf8)
        let json = try Mamori.run(["secrets", "app.env", "--accounts", "accounts.csv", "--format", "json"], cwd: dir, deadline: 60)
        #expect(json.status == 1, "\(json.stderr)")
        let finding = try #require(try json.json().first)
        #expect(finding["account"] as? String == Self.plantedAccount)
        #expect(finding["accountName"] as? String == "prod-payments")
        #expect(finding["accountOuPath"] as? String == "ou-ab12-cdef5678/Workloads")
        let table = try Mamori.run(["secrets", "app.env", "--accounts", "accounts.csv"], cwd: dir, deadline: 60)
        #expect(table.stdout.contains("belongs to prod-payments (ou-ab12-cdef5678/Workloads)"), "\(table.stdout)")
        #expect(!(json.stdout + json.stderr + table.stdout + table.stderr).contains(PreCommitTests.secret))

        // A bad line is an error naming the file and line, before any scan.
        try "\(Self.plantedAccount),prod\nnot-an-id,x\n".write(toFile: "\(dir)/bad.csv", atomically: true, encoding: .utf8)
        let bad = try Mamori.run(["secrets", "app.env", "--accounts", "bad.csv"], cwd: dir, deadline: 60)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.csv:2: 'not-an-id' is not a 12-digit AWS account ID"), "\(bad.stderr)")
    }

    @Test func secretsNamesTheAccountFromTheOrganisation() throws {
        let org = try OrgTests.org.get()
        let payments = try #require(org.accounts["payments"])
        let key = Self.keyId(for: payments)
        let dir = Mamori.tempDir()
        try "aws_access_key_id = \(key)\n".write(toFile: "\(dir)/leak.txt", atomically: true, encoding: .utf8)
        let run = try Mamori.run(["secrets", "leak.txt", "--org", "--endpoint-url", org.estate.endpoint, "--region", "us-east-1",
                                  "--format", "json"], cwd: dir, deadline: 120)
        #expect(run.status == 1, "\(run.stderr)")
        let finding = try #require(try run.json().first)
        #expect(finding["account"] as? String == payments)
        #expect(finding["accountName"] as? String == "payments")
        #expect(finding["accountOuPath"] as? String == "Root/Prod")
    }

    @Test func huntNamesTheActorAccount() throws {
        let (trail, rule) = try HuntEndToEndTests.trail()
        let dir = Mamori.tempDir()
        let json = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--format", "json"])
        let account = try #require(try json.json().first?["account"] as? String)
        try "\(account),prod-payments,Root/Workloads\n".write(toFile: "\(dir)/accounts.csv", atomically: true, encoding: .utf8)
        let named = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--format", "json", "--accounts", "\(dir)/accounts.csv"])
        #expect(named.status == 1, "\(named.stderr)")
        let alert = try #require(try named.json().first)
        #expect(alert["accountName"] as? String == "prod-payments")
        #expect(alert["accountOuPath"] as? String == "Root/Workloads")
        #expect((alert["accountNames"] as? [String: String])?[account] == "belongs to prod-payments (Root/Workloads)")
        let table = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--accounts", "\(dir)/accounts.csv"])
        #expect(table.stdout.contains("\(account) (belongs to prod-payments (Root/Workloads))"), "\(table.stdout)")
    }
}

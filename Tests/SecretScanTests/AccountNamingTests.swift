import Foundation
import MamoriCore
import Testing
@testable import SecretScan

/// `--accounts FILE`: the parser (comments, header, OU paths, errors naming file:line) and the
/// naming of a decoded account in findings, table and JSON.
@Suite("Account names")
struct AccountNamingTests {
    /// The account `Planted.keyId` decodes to.
    static let plantedAccount = "686146305754"

    @Test func parsesIdsNamesAndOUPaths() throws {
        let text = """
            # our accounts
            id,name,ou
            686146305754, prod-payments ,Root/Workloads

            675820822446,"sandbox"
            """
        let d = try AccountDirectory.parse(text, file: "accounts.csv")
        #expect(d.entries.count == 2)
        #expect(d.entry(for: Self.plantedAccount) == AccountDirectory.Entry(id: Self.plantedAccount, name: "prod-payments", ouPath: "Root/Workloads"))
        #expect(d.entry(for: Self.plantedAccount)?.belongsTo == "belongs to prod-payments (Root/Workloads)")
        #expect(d.entry(for: "675820822446")?.belongsTo == "belongs to sandbox")
        #expect(d.entry(for: "111111111111") == nil)
    }

    @Test func badLinesNameFileAndLine() {
        func error(_ text: String) -> String {
            do { _ = try AccountDirectory.parse(text, file: "a.csv"); return "" } catch { return error.description }
        }
        #expect(error("# c\n12345,short\n").hasPrefix("a.csv:2: '12345' is not a 12-digit AWS account ID"))
        #expect(error("686146305754\n").hasPrefix("a.csv:1: '686146305754' has no name"))
        #expect(error("686146305754,\n").hasPrefix("a.csv:1: account 686146305754 has an empty name"))
        #expect(error("686146305754,a\n\n686146305754,b\n").hasPrefix("a.csv:3: account 686146305754 is already named on line 1"))
        #expect(error("id,name\n").isEmpty)
    }

    @Test func mergeLetsTheFileWin() {
        var org = AccountDirectory([.init(id: Self.plantedAccount, name: "Payments", ouPath: "Root/Prod"),
                                    .init(id: "675820822446", name: "Sandbox", ouPath: "Root")])
        org.merge(AccountDirectory([.init(id: Self.plantedAccount, name: "prod-payments")]))
        #expect(org.entry(for: Self.plantedAccount)?.label == "prod-payments")
        #expect(org.entry(for: "675820822446")?.label == "Sandbox (Root)")
    }

    @Test func findingsNameTheDecodedAccount() throws {
        var findings = scanText(InputTests.pairText).findings
        #expect(findings.first?.account == Self.plantedAccount)
        let d = AccountDirectory([.init(id: Self.plantedAccount, name: "prod-payments", ouPath: "Root/Workloads")])
        for i in findings.indices { findings[i].name(from: d) }
        #expect(findings.first?.accountBelongsTo == "belongs to prod-payments (Root/Workloads)")
        #expect(SecretReport.table(findings).contains("belongs to prod-payments (Root/Workloads)"))
        let json = try SecretReport.json(findings)
        #expect(json.contains("\"accountName\" : \"prod-payments\"") && json.contains("\"accountOuPath\" : \"Root/Workloads\""))
        // Unnamed accounts keep the schema: the fields are there, null.
        let plain = try SecretReport.json(scanText(InputTests.pairText).findings)
        #expect(plain.contains("\"accountName\" : null"))
    }
}

import Collectors
import Foundation
import Inventory
import MamoriCore
import Testing
@testable import ScanEngine

/// `--shard I/N` and the account selection of `scan --org`, reachable before only through the binary.
@Suite("Shards and account selection")
struct ShardAndSelectionTests {
    @Test func parsesOnlyValidShards() {
        #expect(Shard(argument: "0/4") == Shard(index: 0, count: 4))
        #expect(Shard(argument: "3/4")?.text == "3/4")
        for bad in ["4/4", "-1/4", "1/0", "1", "1/2/3", "a/b", "0/10001", ""] {
            #expect(Shard(argument: bad) == nil, "\(bad) should be refused")
        }
    }

    /// The buckets are pinned: workers of different versions sharing one `--run` must agree.
    @Test func hashIsStable() {
        #expect(ShardHash.bucket(of: "111111111111", count: 7) == 3)
        #expect(ShardHash.bucket(of: "123456789012", count: 7) == 6)
        #expect(ShardHash.bucket(of: "123456789012", count: 4) == 3)
        #expect(ShardHash.bucket(of: "999988887777", count: 3) == 2)
        #expect(Shard(index: 3, count: 4).contains("123456789012"))
        #expect(!Shard(index: 0, count: 4).contains("123456789012"))
    }

    /// Every account lands in exactly one shard, and the shards are roughly even.
    @Test func shardsPartitionTheAccounts() {
        let ids = (0..<1000).map { String(format: "%012d", 100_000_000_000 + $0 * 7919) }
        let shards = (0..<4).map { Shard(index: $0, count: 4) }
        for id in ids { #expect(shards.filter { $0.contains(id) }.count == 1) }
        for shard in shards {
            let count = ids.filter(shard.contains).count
            #expect(count > 150 && count < 350, "shard \(shard.text) has \(count) of 1000")
        }
    }

    static let members = [
        MemberAccount(id: "111111111111", name: "management", status: "ACTIVE", ouPath: "Root", ouIds: ["r-1"]),
        MemberAccount(id: "222222222222", name: "prod", status: "ACTIVE", ouPath: "Root/Prod", ouIds: ["r-1", "ou-prod"]),
        MemberAccount(id: "333333333333", name: "dev", status: "ACTIVE", ouPath: "Root/Dev", ouIds: ["r-1", "ou-dev"]),
        MemberAccount(id: "444444444444", name: "closed", status: "SUSPENDED", ouPath: "Root/Prod", ouIds: ["r-1", "ou-prod"]),
    ]

    func reasons(_ selection: AccountSelection) -> [String: String] {
        Dictionary(uniqueKeysWithValues: selection.skipped.map { ($0.0.id, $0.1) })
    }

    @Test func inactiveAccountsAreSkippedWithTheirStatus() {
        let selection = AccountSelection(Self.members, allowList: nil, excluded: [], ous: [])
        #expect(selection.scan.map(\.id) == ["111111111111", "222222222222", "333333333333"])
        #expect(reasons(selection) == ["444444444444": "account is suspended"])
    }

    @Test func excludeAllowListAndOUFilters() {
        let excluded = AccountSelection(Self.members, allowList: nil, excluded: ["333333333333"], ous: [])
        #expect(excluded.scan.map(\.id) == ["111111111111", "222222222222"])
        #expect(reasons(excluded)["333333333333"] == "excluded with --exclude-account")

        let allowed = AccountSelection(Self.members, allowList: ["222222222222"], excluded: [], ous: [])
        #expect(allowed.scan.map(\.id) == ["222222222222"])
        #expect(reasons(allowed)["111111111111"] == "not in --accounts")

        let prod = AccountSelection(Self.members, allowList: nil, excluded: [], ous: ["ou-prod"])
        #expect(prod.scan.map(\.id) == ["222222222222"])
        #expect(reasons(prod)["333333333333"] == "outside --ou")
        // The inactive account's own reason wins over the filters.
        #expect(reasons(prod)["444444444444"] == "account is suspended")
    }

    @Test func shardKeepsOnlyItsAccounts() {
        let all = AccountSelection(Self.members, allowList: nil, excluded: [], ous: [])
        var seen: [String] = []
        for index in 0..<2 {
            let shard = Shard(index: index, count: 2)
            let part = AccountSelection(Self.members, allowList: nil, excluded: [], ous: [], shard: shard)
            #expect(part.scan.allSatisfy { shard.contains($0.id) })
            #expect(part.skipped.allSatisfy { shard.contains($0.0.id) })
            seen += part.scan.map(\.id)
        }
        #expect(seen.sorted() == all.scan.map(\.id).sorted())
    }

    @Test func accountsFileAllowsCommentsAndRefusesBadIds() throws {
        let ids = try AccountSelection.allowList("# prod accounts\n222222222222  # payments\n\n 333333333333\n", source: "accounts.txt")
        #expect(ids == ["222222222222", "333333333333"])
        #expect(throws: ScanEngineError.notAnAccountId(path: "accounts.txt", value: "12345")) {
            try AccountSelection.allowList("12345\n", source: "accounts.txt")
        }
        #expect(ScanEngineError.notAnAccountId(path: "accounts.txt", value: "12345").description
                == "--accounts file accounts.txt: '12345' is not a 12-digit account ID")
    }

    @Test func unreadableAccountsFileIsAClearError() {
        let options = OrgScanOptions(accountsFile: "/nonexistent/accounts.txt")
        #expect(throws: ScanEngineError.unreadableAccountList(path: "/nonexistent/accounts.txt")) { try options.select(Self.members) }
    }

    /// The fingerprint is stored with every scan: changing it would make interrupted scans impossible to resume.
    @Test func fingerprintIsStable() {
        #expect(OrgScanOptions().fingerprint == "role=OrganizationAccountAccessRole;accounts=;exclude=;ou=;shard=")
        let options = OrgScanOptions(roleName: "Audit", accountsFile: "a.txt", excludeAccounts: ["2", "1"], ous: ["ou-b", "ou-a"],
                                     noOrgTrust: true, shard: Shard(index: 1, count: 3), run: "nightly")
        #expect(options.fingerprint == "role=Audit;accounts=a.txt;exclude=1,2;ou=ou-a,ou-b;shard=1/3;org-trust=off")
    }

    @Test func organisationTrust() {
        #expect(OrgScanOptions().trust(Self.members, config: MamoriConfig())?.source == "scan --org")
        #expect(OrgScanOptions(noOrgTrust: true).trust(Self.members, config: MamoriConfig()) == nil)
    }
}

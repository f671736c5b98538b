import Foundation
import Testing

/// `mamori scan --org` against a moto organisation: member accounts reached through
/// OrganizationAccountAccessRole, OU filters, exclusions and the per-account roll-up.
@Suite(.serialized)
struct OrgTests {
    struct Org {
        let estate: MotoEstate
        let accounts: [String: String]
        let prodOU: String
    }

    static let org: Result<Org, EstateError> = Result { () throws(EstateError) in
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-org-\(UUID().uuidString).json").path
        let estate = try MotoEstate.start(scenario: "org", environment: ["MAMORI_ORG_MEMBERS": file])
        guard let data = FileManager.default.contents(atPath: file),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let accounts = json["accounts"] as? [String: String], let prod = json["prod_ou"] as? String else {
            throw EstateError("the org estate did not report its accounts")
        }
        return Org(estate: estate, accounts: accounts, prodOU: prod)
    }

    func scan(_ extra: [String]) throws -> (Run, [[String: Any]]) {
        let org = try Self.org.get()
        let run = try Mamori.run(["scan", "--org", "--endpoint-url", org.estate.endpoint, "--region", "us-east-1", "--quiet",
                                  "--format", "json"] + extra)
        return (run, try run.json())
    }

    @Test func everyMemberAccountIsScanned() throws {
        let org = try Self.org.get()
        let (run, findings) = try scan([])
        #expect(run.status == 3, "moto lacks some calls, so the scan is partial: \(run.stderr)")
        let accounts = Set(findings.compactMap { $0["account"] as? String })
        #expect(accounts == Set(org.accounts.values).union(["123456789012"]))
        let publicBuckets = findings.filter { $0["check"] as? String == "s3.bucket_public" }
        #expect(publicBuckets.map { $0["account"] as? String } == [org.accounts["payments"]])
        let noMFA = findings.filter { $0["check"] as? String == "iam.console_without_mfa" }
        #expect(noMFA.map { $0["account"] as? String } == [org.accounts["analytics"]])
    }

    @Test func ouFilterAndExclusions() throws {
        let org = try Self.org.get()
        let (_, prodOnly) = try scan(["--ou", org.prodOU])
        #expect(Set(prodOnly.compactMap { $0["account"] as? String }) == [org.accounts["payments"]!])
        let (_, withoutPayments) = try scan(["--exclude-account", org.accounts["payments"]!])
        #expect(!withoutPayments.contains { $0["check"] as? String == "s3.bucket_public" })
    }

    @Test func tableRollsUpPerAccountWithNamesAndOUs() throws {
        let org = try Self.org.get()
        let run = try Mamori.run(["scan", "--org", "--endpoint-url", org.estate.endpoint, "--region", "us-east-1", "--quiet"])
        #expect(run.stdout.contains("Per account:"))
        #expect(run.stdout.contains("\(org.accounts["payments"]!) payments [Root/Prod]"))
        #expect(run.stdout.contains("analytics [Root]"))
    }

    /// The payments member shared an AMI and a snapshot with the management account; an unknown
    /// account shared a snapshot. Organisation accounts are trusted by default with --org.
    @Test func organisationMembersAreTrustedOwners() throws {
        let org = try Self.org.get()
        let payments = org.accounts["payments"]!
        func shared(_ findings: [[String: Any]]) -> [String] {
            findings.filter { ($0["check"] as? String)?.contains("shared_") == true && $0["account"] as? String == "123456789012" }
                .map { "\($0["check"] as? String ?? "") \(($0["message"] as? String)?.contains(payments) == true ? "payments" : "other")" }.sorted()
        }
        let (run, trusted) = try scan([])
        #expect(run.stderr.contains("trusting 4 organisation account(s) as owners of AMIs and shared resources (scan --org; --no-org-trust to turn off)"))
        #expect(shared(trusted) == ["ec2.shared_snapshot_untrusted other"])
        let (_, untrusted) = try scan(["--no-org-trust"])
        #expect(shared(untrusted) == ["ec2.shared_ami_untrusted payments", "ec2.shared_snapshot_untrusted other", "ec2.shared_snapshot_untrusted payments"])

        // One account with trust from mamori.yml: the whole organisation, or only the Prod OU (payments sits there).
        for section in ["trust:\n  organization: true\n", "trust:\n  ous: [\(org.prodOU)]\n"] {
            let dir = Mamori.tempDir()
            try section.write(toFile: "\(dir)/mamori.yml", atomically: true, encoding: .utf8)
            let single = try Mamori.run(["scan", "--endpoint-url", org.estate.endpoint, "--region", "us-east-1", "--quiet", "--format", "json",
                                         "--no-history"], cwd: dir)
            #expect(single.stderr.contains("organisation account(s) from trust."), "\(single.stderr)")
            #expect(shared(try single.json()) == ["ec2.shared_snapshot_untrusted other"], "\(section)")
        }
    }

    @Test func orgOnlyFlagsNeedOrg() throws {
        let run = try Mamori.run(["scan", "--exclude-account", "111122223333"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("go with --org"))
    }
}

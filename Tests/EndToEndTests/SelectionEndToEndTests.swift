import Foundation
import Testing

/// Check selection, the catalogue, mutes and compliance grouping through the real binary against
/// the moto demo estate (Tests/Support/moto_estate.py).
@Suite(.serialized)
struct SelectionEndToEndTests {
    @Test func selectedChecksMutesAndComplianceOnTheDemoEstate() throws {
        let estate = try MotoEstate.demo()
        let dir = Mamori.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inventory = "\(dir)/inventory.json"

        // Only IAM checks of high severity or more; S3 is not collected at all.
        let scan = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--services", "iam",
                                   "--severity", "high", "--format", "json", "--quiet", "--no-history", "--save", inventory])
        #expect([1, 3].contains(scan.status), "stderr: \(scan.stderr)")
        let findings = try scan.json()
        #expect(Set(findings.compactMap { $0["check"] as? String }) ==
                ["iam.console_without_mfa", "iam.root_without_mfa", "iam.compromised_key_quarantine"])
        let saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: inventory))) as? [String: Any])
        let account = try #require((saved["accounts"] as? [[String: Any]])?.first)
        #expect(account["s3"] == nil, "the S3 collector ran although no S3 check was selected")
        #expect(account["iam"] != nil)

        // An unknown id is an error naming the valid ones, before any AWS call.
        let typo = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--checks", "iam.root_acess_key", "--no-history"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("unknown check 'iam.root_acess_key'") && typo.stderr.contains("iam.root_access_key"))

        // mamori.yml: scan: selection, a mute by account and an expired mute; --all shows the muted finding.
        try """
            scan:
              services: [iam]
            mute:
              - check: iam.console_without_mfa
                accounts: ["123456789012"]
                reason: MFA rollout in progress
              - check: iam.root_without_mfa
                expires: 2020-01-31
                reason: hardware key on order
            """.write(toFile: "\(dir)/mamori.yml", atomically: true, encoding: .utf8)
        let check = try Mamori.run(["check", "--inventory", inventory, "--config", "\(dir)/mamori.yml", "--all", "--format", "json"])
        #expect(check.status == 1 || check.status == 3, "stderr: \(check.stderr)")
        let all = try check.json()
        #expect(all.allSatisfy { ($0["check"] as? String)?.hasPrefix("iam.") == true })
        let muted = all.filter { $0["status"] as? String == "muted" }
        #expect(muted.map { $0["check"] as? String } == ["iam.console_without_mfa"])
        #expect(muted.first?["mutedReason"] as? String == "MFA rollout in progress")
        #expect(all.contains { $0["check"] as? String == "iam.root_without_mfa" && $0["status"] as? String == "fail" })
        #expect(check.stderr.contains("expired on 2020-01-31: 1 finding(s) no longer muted"))

        // The Markdown report grouped by CIS v3.0.0 controls.
        let report = try Mamori.run(["report", "render", "--inventory", inventory, "--config", "\(dir)/mamori.yml",
                                     "--format", "markdown", "--compliance", "cis"])
        #expect(report.stdout.contains("## Compliance: CIS AWS Foundations Benchmark v3.0.0"))
        #expect(report.stdout.contains("| CIS 1.5 | `iam.root_without_mfa` | 0 | 1 | 0 | fail |"))
        #expect(report.stdout.contains("| CIS 1.10 | `iam.console_without_mfa` |"))
        #expect(report.stdout.contains("## Expired mutes"))

        // Several formats at once (repeated and comma-separated, `md` for markdown, duplicates once), one file each.
        let out = "\(dir)/reports"
        let several = try Mamori.run(["check", "--inventory", inventory, "--format", "sarif,md", "--format", "JSON", "--format", "sarif,",
                                      "--output-dir", out])
        #expect([0, 1, 3].contains(several.status) && several.stdout.isEmpty, "stderr: \(several.stderr)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out)) == ["findings.sarif", "findings.md", "findings.json"])

        // A section nobody reads is refused.
        try "secrets:\n  baseline: b.json\n".write(toFile: "\(dir)/bad.yml", atomically: true, encoding: .utf8)
        let bad = try Mamori.run(["check", "--inventory", inventory, "--config", "\(dir)/bad.yml"])
        #expect(bad.status == 2 && bad.stderr.contains("section 'secrets' is not read by any command"))
    }

    /// A narrowed scan after a full one: the S3 findings it did not look for are "fixed" only in
    /// appearance, and the comparison says so.
    /// The AMI references follow the selection: only the parameter check reads SSM (once, without
    /// the key hunt), and no fleet or Image Builder call is made; a full scan reads SSM parameters
    /// once for both the key hunt and the AMI references.
    @Test func amiReferencesAreReadOnlyForSelectedChecks() throws {
        func operations(_ extra: [String]) throws -> (findings: [[String: Any]], calls: [String]) {
            let estate = try MotoEstate.start(scenario: "demo")
            let run = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--format", "json", "--quiet",
                                      "--no-history"] + extra)
            #expect([1, 3].contains(run.status), "stderr: \(run.stderr)")
            let log = try String(contentsOfFile: estate.requestLog, encoding: .utf8)
            let calls = try log.split(separator: "\n").compactMap {
                (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["action"] as? String
            }
            return (try run.json(), calls)
        }
        let narrowed = try operations(["--checks", "ssm.parameter_ami_untrusted"])
        #expect(narrowed.findings.map { $0["check"] as? String } == ["ssm.parameter_ami_untrusted"])
        #expect(narrowed.calls.filter { $0 == "ssm:DescribeParameters" }.count == 1)
        #expect(!narrowed.calls.contains("ec2:DescribeFleets") && !narrowed.calls.contains("ec2:DescribeSpotFleetRequests"))
        #expect(!narrowed.calls.contains { $0.hasPrefix("imagebuilder:") } && !narrowed.calls.contains("ec2:DescribeImageReferences"))
        #expect(!narrowed.calls.contains("lambda:ListFunctions"), "the key hunt ran although secrets.key_in_cloud_resource was not selected")

        let full = try operations([])
        #expect(full.calls.filter { $0 == "ssm:DescribeParameters" }.count == 1, "one read serves the key hunt and the AMI references")
        #expect(full.calls.contains("ec2:DescribeFleets") && full.calls.contains("imagebuilder:ListImageRecipes")
                && full.calls.contains("ec2:DescribeImageReferences"))
    }

    @Test func diffNamesDifferentSelections() throws {
        let estate = try MotoEstate.demo()
        let dir = Mamori.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = ["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--quiet", "--db", "\(dir)/h.sqlite", "--format", "json"]
        let full = try Mamori.run(base)
        #expect([1, 3].contains(full.status), "stderr: \(full.stderr)")
        let narrowed = try Mamori.run(base + ["--services", "iam", "--fail-on", "new"])
        #expect(narrowed.stderr.contains("ran every check and scan 2 a narrowed check selection"), "stderr: \(narrowed.stderr)")
        let diff = try Mamori.run(["diff", "--db", "\(dir)/h.sqlite"])
        #expect(diff.stdout.contains("findings of checks only one of them ran show as new or fixed"), "stdout: \(diff.stdout)")
    }

    @Test func checksListIsTheCatalogue() throws {
        let run = try Mamori.run(["checks", "list", "--format", "json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let checks = try run.json()
        #expect(checks.count >= 34)
        let imds = try #require(checks.first { $0["id"] as? String == "ec2.instance_imdsv2_not_required" })
        #expect(imds["service"] as? String == "ec2")
        #expect(imds["permissions"] as? [String] == ["ec2:DescribeInstances"])
        #expect((imds["compliance"] as? [String: [String]]) == ["cis": ["5.6"], "fsbp": ["EC2.8"]])
        let table = try Mamori.run(["checks", "list"])
        #expect(table.stdout.contains("iam.root_access_key  [critical]") && table.stdout.contains("maps to: CIS 1.4, FSBP IAM.4"))
    }
}

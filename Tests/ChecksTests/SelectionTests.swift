import Foundation
import Testing
@testable import Checks
import Inventory
import MamoriCore

/// The check catalogue as data, check selection, compliance mappings, threshold sets and mutes.
struct SelectionTests {
    static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
    static func ago(_ days: Int) -> Date { now.addingTimeInterval(Double(-days) * 86_400) }
    let account = "111122223333"

    /// Root with a key and no MFA, a console user without MFA, an IMDSv1 instance in two regions.
    var estate: Inventory {
        let iam = IAMInventory(users: [IAMUser(name: "bob", arn: "arn:aws:iam::111122223333:user/bob", created: Self.ago(400),
                                               passwordEnabled: true, passwordLastUsed: Self.ago(50), mfaActive: false)],
                               root: RootUser(arn: "arn:aws:iam::111122223333:root", mfaActive: false,
                                              accessKeys: [AccessKey(id: "AKIAROOT", active: true, created: Self.ago(900))]))
        var regions: [RegionInventory] = []
        for name in ["eu-west-1", "us-east-1"] {
            var region = RegionInventory(region: name)
            region.instances = [EC2Instance(id: "i-\(name)", state: "running", metadata: MetadataOptions(httpTokens: "optional", httpEndpoint: "enabled"))]
            regions.append(region)
        }
        return Inventory(collectedAt: Self.now, accounts: [AccountInventory(accountId: account, iam: iam, regional: regions)])
    }

    func checks(_ evaluation: Evaluation) -> Set<String> { Set(evaluation.failures.map(\.check)) }

    // MARK: catalogue

    @Test func everyCheckHasItsDetails() {
        for check in Catalog.all {
            #expect(!check.details.reads.isEmpty, "\(check.id) has no `reads`")
            #expect(!check.details.permissions.isEmpty, "\(check.id) has no IAM actions")
            for action in check.details.permissions {
                #expect(action.wholeMatch(of: /[a-z0-9-]+:[A-Z][A-Za-z]+/) != nil, "\(check.id): '\(action)' is not service:Action")
            }
        }
        #expect(Set(Catalog.details.keys) == Set(Catalog.all.map(\.id)), "details for a check the catalogue does not have")
        #expect(Set(Catalog.all.map(\.id)).count == Catalog.all.count, "duplicate check ids")
    }

    @Test func complianceMappingsUseTheFrameworksIdForms() {
        for check in Catalog.all {
            for mapping in check.compliance {
                switch mapping.framework {
                case .cis: #expect(mapping.control.wholeMatch(of: /\d+(\.\d+){1,2}/) != nil, "\(check.id): CIS '\(mapping.control)'")
                case .fsbp: #expect(mapping.control.wholeMatch(of: /[A-Za-z0-9]+\.\d+/) != nil, "\(check.id): FSBP '\(mapping.control)'")
                }
            }
        }
        // Spot checks against Security Hub's control lists (CIS v3.0.0 and FSBP).
        #expect(Catalog.instanceIMDSv1.compliance == [ControlMapping(.cis, "5.6"), ControlMapping(.fsbp, "EC2.8")])
        #expect(Catalog.unusedCredentials.compliance == [ControlMapping(.cis, "1.12"), ControlMapping(.fsbp, "IAM.8")])
        #expect(Catalog.rootAccessKey.compliance.map(\.requirement) == [
            "CIS AWS Foundations Benchmark v3.0.0/1.4", "AWS Foundational Security Best Practices v1.0.0/IAM.4"])
        #expect(Catalog.costGuardrails.compliance.isEmpty)
        #expect(ControlMapping(.cis, "1.4") < ControlMapping(.cis, "1.10"))
        #expect(ControlMapping(.fsbp, "EC2.8") < ControlMapping(.fsbp, "EC2.170"))
    }

    // MARK: selection

    @Test func selectionByIdServiceAndExclusion() throws {
        let onlyRoot = try CheckSelection(ScanSettings(checks: ["iam.root_access_key", "iam.root_without_mfa"]))
        #expect(onlyRoot.checks == ["iam.root_access_key", "iam.root_without_mfa"])
        #expect(onlyRoot.needs(service: "iam") && !onlyRoot.needs(service: "s3") && !onlyRoot.needs(service: "ec2"))

        let ec2 = try CheckSelection(ScanSettings(excludeChecks: ["ec2.instance_imds_hop_limit"], services: ["ec2"]))
        #expect(ec2.checks.allSatisfy { $0.hasPrefix("ec2.") })
        #expect(!ec2.checks.contains("ec2.instance_imds_hop_limit") && ec2.checks.contains("ec2.instance_imdsv2_not_required"))

        #expect(try CheckSelection(ScanSettings()) == .all)
    }

    @Test func unknownNamesAreErrorsListingTheValidOnes() {
        #expect { try CheckSelection(ScanSettings(checks: ["iam.root_acess_key"])) } throws: { error in
            let text = "\(error)"
            return text.contains("unknown check 'iam.root_acess_key'") && text.contains("iam.root_access_key") && text.contains("s3.bucket_public")
        }
        #expect { try CheckSelection(ScanSettings(services: ["lambda"])) } throws: { "\($0)".contains("valid services: account, autoscaling, cloudtrail") }
        #expect { try CheckSelection(ScanSettings(checks: ["s3.bucket_public"], excludeChecks: ["s3.bucket_public"])) } throws: {
            ($0 as? SelectionError) == .nothingSelected
        }
    }

    @Test func evaluatorRunsOnlyTheSelectedChecksAboveTheSeverity() throws {
        var config = MamoriConfig()
        config.scan = ScanSettings(services: ["iam"])
        #expect(checks(Evaluator.evaluate(estate, config: config)) == ["iam.root_access_key", "iam.root_without_mfa", "iam.console_without_mfa",
                                                                  "iam.users_long_term_credentials"])

        config.scan = ScanSettings(severity: .critical)
        let critical = Evaluator.evaluate(estate, config: config, today: Self.now)
        #expect(checks(critical) == ["iam.root_access_key", "iam.root_without_mfa"])
        #expect(critical.findings.allSatisfy { $0.severity == .critical })

        config.scan = ScanSettings(excludeChecks: ["ec2.instance_imdsv2_not_required"])
        #expect(!checks(Evaluator.evaluate(estate, config: config)).contains("ec2.instance_imdsv2_not_required"))
    }

    @Test func scanSectionOfTheConfig() throws {
        let config = try MamoriConfig.parse("""
            scan:
              checks: [iam.root_access_key, ec2.instance_imdsv2_not_required]
              exclude_checks: [ec2.instance_imdsv2_not_required]
              services: [iam, ec2]
              severity: High
            """)
        #expect(config.scan == ScanSettings(checks: ["iam.root_access_key", "ec2.instance_imdsv2_not_required"],
                                            excludeChecks: ["ec2.instance_imdsv2_not_required"], services: ["iam", "ec2"], severity: .high))
        #expect(try CheckSelection(config.scan).checks == ["iam.root_access_key"])
        // Flags replace the config's value field by field.
        let merged = config.scan.overridden(checks: [], excludeChecks: [], services: ["s3"], severity: nil)
        #expect(merged.services == ["s3"] && merged.severity == .high && merged.checks == config.scan.checks)
    }

    @Test func storedScanParametersRecordANarrowedSelection() throws {
        #expect(CheckSelection.all.parameterText == "")
        let narrowed = try CheckSelection(ScanSettings(checks: ["iam.root_without_mfa", "iam.root_access_key"], severity: .high))
        #expect(narrowed.parameterText == ";checks=iam.root_access_key,iam.root_without_mfa;severity>=high")
        #expect(CheckSelection.parameterPart("regions=eu-west-1" + narrowed.parameterText) == narrowed.parameterText)
        #expect(CheckSelection.parameterPart("regions=eu-west-1") == "")
        #expect(CheckSelection.parameterPart("org;regions=x;severity>=critical") == ";severity>=critical")
    }

    // MARK: threshold sets

    @Test func cisThresholdSetUses45DaysForUnusedCredentials() throws {
        #expect(Thresholds.named("cis")?.unusedCredentialDays == 45)
        #expect(Thresholds.named("CIS")?.accessKeyMaxAgeDays == 90)
        #expect(Thresholds.named("default") == Thresholds())
        #expect(Thresholds.named("pci") == nil)
        let cis = try MamoriConfig.parse("thresholds: cis\n")
        #expect(cis.thresholds.unusedCredentialDays == 45)
        // bob's password was last used 50 days ago: unused under CIS, not under the default 90 days.
        #expect(checks(Evaluator.evaluate(estate, config: cis)).contains("iam.unused_credentials"))
        #expect(!checks(Evaluator.evaluate(estate)).contains("iam.unused_credentials"))
        #expect { try MamoriConfig.parse("thresholds: pci\n") } throws: { "\($0)".contains("unknown threshold set 'pci' (known: default, cis)") }
    }

    // MARK: mutes

    @Test func muteByAccountsAndRegions() throws {
        let config = try MamoriConfig.parse("""
            mute:
              - check: ec2.instance_imdsv2_not_required
                accounts: ["111122223333", "444455556666"]
                regions: [eu-*]
                reason: legacy fleet, replaced in Q3
              - check: iam.root_access_key
                accounts: ["999999999999"]
                reason: another account
            """)
        let evaluation = Evaluator.evaluate(estate, config: config, today: Self.now)
        #expect(evaluation.muted.map(\.finding.region) == ["eu-west-1"])
        #expect(evaluation.failures.contains { $0.check == "ec2.instance_imdsv2_not_required" && $0.region == "us-east-1" })
        #expect(evaluation.failures.contains { $0.check == "iam.root_access_key" })
    }

    @Test func expiredMutesStopMutingAndSaySo() throws {
        let config = try MamoriConfig.parse("""
            mute:
              - check: iam.console_without_mfa
                expires: 2026-05-31
                reason: MFA rollout
              - check: iam.root_without_mfa
                expires: "2026-06-01"
                reason: hardware key on order
            """)
        let evaluation = Evaluator.evaluate(estate, config: config, today: Self.now.addingTimeInterval(3600))
        // The rule holds through its expiry day (UTC): 2026-06-01 still mutes on June 1st.
        #expect(evaluation.muted.map(\.finding.check) == ["iam.root_without_mfa"])
        #expect(evaluation.failures.contains { $0.check == "iam.console_without_mfa" })
        #expect(evaluation.expiredMutes.count == 1)
        #expect(evaluation.expiredMutes.first?.unmuted == 1)
        #expect(evaluation.expiredMutes.first?.text == "mute \"MFA rollout\" (check iam.console_without_mfa) expired on 2026-05-31: 1 finding(s) no longer muted")
        // The next day both have expired.
        let later = Evaluator.evaluate(estate, config: config, today: Self.now.addingTimeInterval(86_400 * 1.5))
        #expect(later.muted.isEmpty && later.expiredMutes.count == 2)
    }

    @Test func muteAndSectionErrorsNameTheProblem() {
        let cases: [(String, String)] = [
            ("mute:\n  - check: x\n    expires: 2026-02-30\n    reason: r\n", "YYYY-MM-DD"),
            ("mute:\n  - check: x\n    expires: next week\n    reason: r\n", "YYYY-MM-DD"),
            ("mute:\n  - check: x\n    expire: 2026-01-01\n    reason: r\n", "unknown key 'expire'"),
            ("secrets:\n  baseline: b.json\n", "section 'secrets' is not read by any command"),
            ("iac:\n  paths: [.]\n", "section 'iac' is not read"),
            ("amis: {}\n", "trust:"),
            ("scan:\n  check: [iam.root_access_key]\n", "scan: unknown key 'check'"),
            ("scan: [iam]\n", "scan: must be a mapping"),
            ("scan:\n  severity: urgent\n", "unknown severity 'urgent'"),
        ]
        for (text, phrase) in cases {
            #expect { _ = try MamoriConfig.parse(text) } throws: { "\($0)".contains(phrase) }
        }
        #expect(Set(MamoriConfig.sections.keys) == ["thresholds", "trust", "mute", "scan", "imds", "hunt"])
    }
}

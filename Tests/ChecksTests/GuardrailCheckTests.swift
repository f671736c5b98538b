import Foundation
import Testing
import Checks
import Inventory
import MamoriCore

/// Seed 004's guardrails in the scan: one of MFA/GuardDuty/Security Hub, S3 ACLs disabled, and the
/// IAM users Identity Center would replace.
struct GuardrailCheckTests {
    let account = "111122223333"

    func findings(_ inventory: AccountInventory, _ check: String) -> [Finding] {
        Evaluator.evaluate(Inventory(accounts: [inventory]), config: MamoriConfig()).findings.filter { $0.check == check }
    }

    func region(guardDuty: Bool?, securityHub: Bool?) -> RegionInventory {
        var region = RegionInventory(region: "eu-west-1")
        region.guardDuty = guardDuty.map { ServiceState(enabled: $0) }
        region.securityHub = securityHub.map { ServiceState(enabled: $0) }
        return region
    }

    @Test func oneOfMFAGuardDutyOrSecurityHubIsEnough() {
        let withoutMFA = IAMUser(name: "bob", arn: "arn:aws:iam::111122223333:user/bob", passwordEnabled: true, mfaActive: false)
        let withMFA = IAMUser(name: "ann", arn: "arn:aws:iam::111122223333:user/ann", passwordEnabled: true, mfaActive: true)
        var none = AccountInventory(accountId: account, iam: IAMInventory(users: [withoutMFA, withMFA]))
        none.regional = [region(guardDuty: false, securityHub: false)]
        let failed = findings(none, "account.security_guardrails")
        #expect(failed.map(\.status) == [.fail])
        #expect(failed.first?.message.contains("1 of 2 console user(s) without MFA") == true)

        var guardDuty = none
        guardDuty.regional = [region(guardDuty: true, securityHub: false)]
        #expect(findings(guardDuty, "account.security_guardrails").map(\.status) == [.pass])

        var mfa = none
        mfa.iam = IAMInventory(users: [withMFA])
        #expect(findings(mfa, "account.security_guardrails").first?.message.contains("MFA for all 1 console user(s)") == true)

        // What could not be read never counts as on, and is named; with nothing readable there is no verdict.
        var partly = AccountInventory(accountId: account)
        partly.regional = [region(guardDuty: false, securityHub: nil)]
        let unknown = findings(partly, "account.security_guardrails")
        #expect(unknown.map(\.status) == [.fail])
        #expect(unknown.first?.message.contains("Unknown (could not be read): MFA (IAM not read), Security Hub") == true)
        #expect(findings(AccountInventory(accountId: account), "account.security_guardrails").isEmpty)
    }

    @Test func bucketsWithACLsEnabledFailAndUnreadOwnershipIsSilent() {
        var enforced = S3Bucket(name: "enforced", region: "eu-west-1")
        enforced.objectOwnership = "BucketOwnerEnforced"
        var writer = S3Bucket(name: "writer", region: "eu-west-1")
        writer.objectOwnership = "ObjectWriter"
        let unread = S3Bucket(name: "unread", region: "eu-west-1")
        let inventory = AccountInventory(accountId: account, s3: S3Inventory(buckets: [enforced, writer, unread]))
        let results = findings(inventory, "s3.bucket_acls_enabled")
        #expect(results.map(\.resource) == ["arn:aws:s3:::enforced", "arn:aws:s3:::writer"] || Set(results.map(\.resource)) == ["arn:aws:s3:::enforced", "arn:aws:s3:::writer"])
        #expect(results.first { $0.resource.hasSuffix("writer") }?.status == .fail)
        #expect(results.first { $0.resource.hasSuffix("enforced") }?.status == .pass)
    }

    @Test func longTermUsersAreInformational() {
        let key = IAMUser(name: "ci", arn: "arn:aws:iam::111122223333:user/ci", accessKeys: [AccessKey(id: "AKIAEXAMPLEKEY000001", active: true)])
        let inactive = IAMUser(name: "old", arn: "arn:aws:iam::111122223333:user/old", accessKeys: [AccessKey(id: "AKIAEXAMPLEKEY000002", active: false)])
        let result = findings(AccountInventory(accountId: account, iam: IAMInventory(users: [key, inactive])), "iam.users_long_term_credentials")
        #expect(result.map(\.status) == [.fail] && result.first?.severity == .info)
        #expect(result.first?.message.contains("1 IAM user(s)") == true && result.first?.message.contains(": ci.") == true)
        let clean = findings(AccountInventory(accountId: account, iam: IAMInventory(users: [inactive])), "iam.users_long_term_credentials")
        #expect(clean.map(\.status) == [.pass])
    }
}

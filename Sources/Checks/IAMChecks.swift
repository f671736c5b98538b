import Foundation
import Inventory
import MamoriCore

/// IAM hygiene checks: pure functions of the IAM inventory.
enum IAMChecks {
    static func evaluate(_ iam: IAMInventory, account: String, context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        for user in iam.users {
            // The user's unique id ties its findings together across renames and path moves (history diffs).
            findings += userFindings(user, account: account, context: context).map { finding in
                var finding = finding
                if finding.resource == user.arn { finding.resourceUid = user.id }
                return finding
            }
        }
        if let root = iam.root { findings += rootFindings(root, account: account, context: context) }
        findings += quarantine(iam, account: account)
        return findings
    }

    static func userFindings(_ user: IAMUser, account: String, context: CheckContext) -> [Finding] {
        let t = context.thresholds
        var findings: [Finding] = []
        // Unused credentials: a never-used credential counts from when it was created.
        var unused: [String] = []
        if user.passwordEnabled {
            let since = user.passwordLastUsed ?? user.passwordLastChanged ?? user.created
            if let days = context.days(since: since), days >= t.unusedCredentialDays {
                unused.append(user.passwordLastUsed == nil ? "console password never used (set \(days) days ago)"
                                                           : "console password last used \(days) days ago")
            }
        }
        for key in user.accessKeys where key.active {
            if let days = context.days(since: key.lastUsed ?? key.created), days >= t.unusedCredentialDays {
                unused.append(key.lastUsed == nil ? "access key \(key.id) never used (created \(days) days ago)"
                                                  : "access key \(key.id) last used \(days) days ago")
            }
        }
        let check = Catalog.unusedCredentials
        findings.append(unused.isEmpty
            ? check.finding(.pass, account: account, region: globalRegion, resource: user.arn, message: "User \(user.name) has no credentials unused for \(t.unusedCredentialDays) days.")
            : check.finding(.fail, account: account, region: globalRegion, resource: user.arn,
                            message: "User \(user.name): \(unused.joined(separator: "; ")) (threshold \(t.unusedCredentialDays) days)."))

        if user.passwordEnabled {
            findings.append(user.mfaActive
                ? Catalog.consoleWithoutMFA.finding(.pass, account: account, region: globalRegion, resource: user.arn, message: "User \(user.name) has MFA.")
                : Catalog.consoleWithoutMFA.finding(.fail, account: account, region: globalRegion, resource: user.arn,
                                                    message: "User \(user.name) has a console password and no MFA device."))
        }
        for key in user.accessKeys {
            let age = context.days(since: key.created)
            if key.active, let age {
                findings.append(age > t.accessKeyMaxAgeDays
                    ? Catalog.oldAccessKey.finding(.fail, account: account, region: globalRegion, resource: key.id,
                                                   message: "Access key \(key.id) of user \(user.name) is active and \(age) days old (limit \(t.accessKeyMaxAgeDays)).")
                    : Catalog.oldAccessKey.finding(.pass, account: account, region: globalRegion, resource: key.id,
                                                   message: "Access key \(key.id) of user \(user.name) is \(age) days old."))
            }
            if let age, age > t.staleKeyAgeDays {
                let unusedDays = context.days(since: key.lastUsed)
                if unusedDays == nil || unusedDays! >= t.staleKeyUnusedDays {
                    let use = unusedDays.map { "last used \($0) days ago" } ?? "never used"
                    findings.append(Catalog.staleAccessKey.finding(.fail, account: account, region: globalRegion, resource: key.id,
                        message: "Access key \(key.id) of user \(user.name) is \(age) days old and \(use) (\(key.active ? "active" : "inactive"))."))
                }
            }
        }
        return findings
    }

    static func rootFindings(_ root: RootUser, account: String, context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        let resource = root.arn.isEmpty ? context.partition.rootARN(account: account) : root.arn
        let activeKeys = root.accessKeys.filter(\.active)
        findings.append(activeKeys.isEmpty
            ? Catalog.rootAccessKey.finding(.pass, account: account, region: globalRegion, resource: resource, message: "The root user has no active access key.")
            : Catalog.rootAccessKey.finding(.fail, account: account, region: globalRegion, resource: resource,
                                            message: "The root user has \(activeKeys.count) active access key(s)."))
        findings.append(root.mfaActive
            ? Catalog.rootWithoutMFA.finding(.pass, account: account, region: globalRegion, resource: resource, message: "The root user has MFA.")
            : Catalog.rootWithoutMFA.finding(.fail, account: account, region: globalRegion, resource: resource, message: "The root user has no MFA device."))
        guard root.activityKnown else { return findings }
        let uses = ([("password", root.passwordLastUsed)] + root.accessKeys.map { ("access key", $0.lastUsed) })
            .compactMap { name, date in context.days(since: date).map { (name, $0) } }
            .filter { $0.1 <= context.thresholds.rootRecentUseDays }
        findings.append(uses.isEmpty
            ? Catalog.rootRecentUse.finding(.pass, account: account, region: globalRegion, resource: resource,
                                            message: "The root user was not used in the last \(context.thresholds.rootRecentUseDays) days.")
            : Catalog.rootRecentUse.finding(.fail, account: account, region: globalRegion, resource: resource,
                message: "The root user was used in the last \(context.thresholds.rootRecentUseDays) days: " +
                    uses.map { "\($0.0) \($0.1) day(s) ago" }.joined(separator: ", ") + "."))
        return findings
    }

    static func quarantine(_ iam: IAMInventory, account: String) -> [Finding] {
        func quarantined(_ policies: [String]) -> [String] {
            policies.filter { ($0.split(separator: "/").last.map(String.init) ?? $0).hasPrefix("AWSCompromisedKeyQuarantine") }
        }
        var findings: [Finding] = []
        let principals: [(String, String, String, [String])] =
            iam.users.map { ("user", $0.name, $0.arn, $0.attachedPolicies) } +
            iam.roles.map { ("role", $0.name, $0.arn, $0.attachedPolicies) } +
            iam.groups.map { ("group", $0.name, $0.arn, $0.attachedPolicies) }
        for (kind, name, arn, policies) in principals {
            let hits = quarantined(policies)
            guard !hits.isEmpty else { continue }
            let type = kind == "user" ? "AwsIamUser" : kind == "role" ? "AwsIamRole" : "AwsIamGroup"
            findings.append(Catalog.quarantinePolicy.finding(.fail, account: account, region: globalRegion, resource: arn,
                message: "IAM \(kind) \(name) has \(hits.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: ", ")) attached: AWS believes one of its access keys is exposed."
                    + (hits.contains { $0.hasSuffix("V2") || $0.hasSuffix("V3") } ? " It also denies cloudtrail:LookupEvents to \(name): review CloudTrail as another principal." : ""),
                resourceType: type))
        }
        return findings
    }
}

import Foundation
import Inventory
import MamoriCore

/// CloudTrail, GuardDuty, Security Hub and the cost guardrails.
enum DetectiveChecks {
    static func evaluate(_ inventory: AccountInventory) -> [Finding] {
        let account = inventory.accountId
        let accountArn = inventory.arnPartition.rootARN(account: account)
        var findings: [Finding] = []
        let trailsKnown = inventory.regional.contains { $0.trails != nil }
        let trails = inventory.regional.flatMap { $0.trails ?? [] }
        let logging = trails.filter { $0.multiRegion && $0.logging == true }
        if trailsKnown {
            findings.append(logging.isEmpty
                ? Catalog.noCloudTrail.finding(.fail, account: account, region: globalRegion, resource: accountArn,
                    message: trails.isEmpty ? "The account has no CloudTrail trail." :
                        "None of the account's \(Set(trails.map(\.arn)).count) trail(s) is both multi-region and logging.")
                : Catalog.noCloudTrail.finding(.pass, account: account, region: globalRegion, resource: logging[0].arn,
                    message: "Trail \(logging[0].name) is multi-region and logging."))
        }
        for region in inventory.regional {
            if let state = region.guardDuty {
                findings.append(Catalog.guardDutyOff.finding(state.enabled ? .pass : .fail, account: account, region: region.region, resource: accountArn,
                    message: "GuardDuty in \(region.region): \(state.enabled ? "enabled" : "not enabled")\(state.detail.map { " (\($0))" } ?? "")."))
            }
            if let state = region.securityHub {
                findings.append(Catalog.securityHubOff.finding(state.enabled ? .pass : .fail, account: account, region: region.region, resource: accountArn,
                    message: "Security Hub in \(region.region): \(state.enabled ? "enabled" : "not enabled")."))
            }
        }
        findings.append(costGuardrails(inventory, cloudTrailOn: trailsKnown ? !logging.isEmpty : nil))
        if let finding = securityGuardrails(inventory) { findings.append(finding) }
        if let finding = longTermUsers(inventory) { findings.append(finding) }
        return findings
    }

    /// Seed 004: at least one of MFA for the IAM users, Security Hub or GuardDuty. MFA counts when every
    /// IAM user with a console password has it (an account without console users needs none).
    /// nil when none of the three could be read (the scan's errors say why; no verdict from nothing).
    static func securityGuardrails(_ inventory: AccountInventory) -> Finding? {
        let account = inventory.accountId
        let consoleUsers = inventory.iam?.users.filter(\.passwordEnabled)
        let mfa: Bool? = consoleUsers.map { users in !users.isEmpty && users.allSatisfy(\.mfaActive) }
        func anyRegion(_ state: (RegionInventory) -> ServiceState?) -> (on: [String], known: Bool) {
            let states = inventory.regional.compactMap { region in state(region).map { (region.region, $0.enabled) } }
            return (states.filter(\.1).map(\.0), !states.isEmpty)
        }
        let guardDuty = anyRegion(\.guardDuty)
        let securityHub = anyRegion(\.securityHub)
        var on: [String] = []
        if mfa == true { on.append("MFA for all \(consoleUsers?.count ?? 0) console user(s)") }
        if !guardDuty.on.isEmpty { on.append("GuardDuty (\(guardDuty.on.joined(separator: ", ")))") }
        if !securityHub.on.isEmpty { on.append("Security Hub (\(securityHub.on.joined(separator: ", ")))") }
        if mfa == nil && !guardDuty.known && !securityHub.known { return nil }
        var unknown: [String] = []
        if mfa == nil { unknown.append("MFA (IAM not read)") }
        if !guardDuty.known { unknown.append("GuardDuty") }
        if !securityHub.known { unknown.append("Security Hub") }
        let resource = inventory.arnPartition.rootARN(account: account)
        if !on.isEmpty {
            return Catalog.securityGuardrails.finding(.pass, account: account, region: globalRegion, resource: resource,
                                                      message: "On: \(on.joined(separator: "; ")).")
        }
        var message = "None of MFA for the IAM users, GuardDuty or Security Hub is on"
        if let consoleUsers, !consoleUsers.isEmpty {
            message += " (\(consoleUsers.filter { !$0.mfaActive }.count) of \(consoleUsers.count) console user(s) without MFA)"
        }
        message += "."
        // Unknown never counts as on, and the finding says what could not be read.
        if !unknown.isEmpty { message += " Unknown (could not be read): \(unknown.joined(separator: ", "))." }
        return Catalog.securityGuardrails.finding(.fail, account: account, region: globalRegion, resource: resource, message: message)
    }

    /// Informational: IAM users with a console password or an active access key, where IAM Identity
    /// Center would give people short-lived credentials. nil when IAM was not read.
    static func longTermUsers(_ inventory: AccountInventory) -> Finding? {
        guard let users = inventory.iam?.users else { return nil }
        let account = inventory.accountId
        let longTerm = users.filter { $0.passwordEnabled || $0.accessKeys.contains { $0.active } }
        let resource = inventory.arnPartition.rootARN(account: account)
        guard !longTerm.isEmpty else {
            return Catalog.usersWithoutIdentityCenter.finding(.pass, account: account, region: globalRegion, resource: resource,
                                                              message: "No IAM user has a console password or an active access key.")
        }
        let names = longTerm.prefix(5).map(\.name).joined(separator: ", ") + (longTerm.count > 5 ? " and \(longTerm.count - 5) more" : "")
        let organisation = inventory.organizationTrust != nil || inventory.ouPath != nil
            ? " The account is in an organisation: an organisation instance of IAM Identity Center covers it." : ""
        return Catalog.usersWithoutIdentityCenter.finding(.fail, account: account, region: globalRegion, resource: resource,
            message: "\(longTerm.count) IAM user(s) have long-term credentials (console password or active access key): \(names).\(organisation)")
    }

    static func costGuardrails(_ inventory: AccountInventory, cloudTrailOn: Bool?) -> Finding {
        let g = inventory.guardrails
        let states: [(String, Bool?)] = [
            ("Budgets", g.budgets.map { $0 > 0 }), ("CloudTrail", cloudTrailOn),
            ("Trusted Advisor", g.trustedAdvisor), ("Cost Anomaly Detection", g.anomalyMonitors.map { $0 > 0 }),
        ]
        let on = states.filter { $0.1 == true }.map(\.0)
        let unknown = states.filter { $0.1 == nil }.map(\.0)
        let account = inventory.accountId
        var message = "On: \(on.isEmpty ? "none" : on.joined(separator: ", "))."
        if !unknown.isEmpty { message += " Unknown (could not be read): \(unknown.joined(separator: ", "))." }
        // Unknown never counts as on.
        return Catalog.costGuardrails.finding(on.count >= 2 ? .pass : .fail, account: account, region: globalRegion,
                                              resource: inventory.arnPartition.rootARN(account: account),
                                              message: on.count >= 2 ? message : "Fewer than two of Budgets, CloudTrail, Trusted Advisor and Cost Anomaly Detection are on. " + message)
    }
}

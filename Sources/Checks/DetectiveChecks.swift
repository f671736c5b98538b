import Foundation
import Inventory
import MamoriCore

/// CloudTrail, GuardDuty, Security Hub and the cost guardrails.
enum DetectiveChecks {
    static func evaluate(_ inventory: AccountInventory) -> [Finding] {
        let account = inventory.accountId
        let accountArn = "arn:aws:iam::\(account):root"
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
        return findings
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
                                              resource: "arn:aws:iam::\(account):root",
                                              message: on.count >= 2 ? message : "Fewer than two of Budgets, CloudTrail, Trusted Advisor and Cost Anomaly Detection are on. " + message)
    }
}

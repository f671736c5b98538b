/// Decides whether a resource policy makes its resource public, and explains why.
///
/// A statement is public when it allows a wildcard principal (`"*"`, `{"AWS":"*"}`,
/// `arn:aws:iam::*:root`, or `NotPrincipal` with Allow) and none of its conditions pins the caller
/// down (see `ConditionAnalysis`), unless Deny statements that apply to everyone take those actions
/// away again. One public statement makes the resource public.
public enum PolicyAnalyzer {
    /// Analyse one resource policy document (JSON text). Also accepts the AWS CLI wrappers
    /// `{"Policy": "..."}` and `{"Attributes": {"Policy": "..."}}`.
    public static func analyze(policy: String, type: PolicyResourceType, account: String? = nil) throws(PolicyAnalysisError) -> PolicyVerdict {
        guard let document = try PolicyDocument.parse(policy) else {
            return PolicyVerdict(isPublic: false, reasons: ["The resource has no resource policy."])
        }
        var verdict = analyze(document: document, type: type, account: account).verdict
        if verdict.isPublic { verdict.reasons.append(fixHint(type)) }
        return verdict
    }

    /// The last reason of a public verdict: how to close it, per resource type.
    static func fixHint(_ type: PolicyResourceType) -> String {
        switch type {
        case .s3:
            return "To fix: name specific principals, or add a condition such as aws:SourceVpce, aws:PrincipalOrgID or aws:SourceArn; and turn on Block Public Access (RestrictPublicBuckets neutralises a public policy)."
        case .sns:
            return "To fix: name specific principals, or add a condition such as aws:SourceOwner/aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID."
        case .sqs:
            return "To fix: name specific principals, or add a condition such as aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID."
        }
    }

    /// Reasons split by kind, so S3 Block Public Access can neutralise the public ones.
    struct Analysis: Sendable {
        var publicReasons: [String] = []
        var otherReasons: [String] = []
        /// Account IDs other than the owner that the policy lets in (cross-account).
        var crossAccounts: [String] = []

        var verdict: PolicyVerdict {
            if publicReasons.isEmpty {
                let reasons = otherReasons.isEmpty ? ["No statement allows access to everyone."] : otherReasons
                return PolicyVerdict(isPublic: false, reasons: reasons)
            }
            return PolicyVerdict(isPublic: true, reasons: publicReasons + otherReasons)
        }
    }

    /// A Deny statement that applies to every caller (or every caller outside a concrete set).
    private struct BroadDeny {
        var statement: PolicyStatement
        /// "to everyone, unconditionally", "to every caller whose aws:SourceVpce is not ..."
        var scope: String
    }

    static func analyze(document: PolicyDocument, type: PolicyResourceType, account: String?) -> Analysis {
        var analysis = Analysis()
        let owner = account?.trimmingSpaces
        var broadDenies: [BroadDeny] = []
        var narrowDenies: [(statement: PolicyStatement, why: String)] = []
        for statement in document.statements where statement.effect == .deny {
            guard let who = denyAudience(statement) else { continue }
            let limits = statement.conditions.map { ConditionAnalysis.denyLimits($0) }
            if limits.contains(where: { $0 == nil }) {
                let blockers = zip(statement.conditions, limits).filter { $0.1 == nil }.map { ConditionAnalysis.describe($0.0) }
                narrowDenies.append((statement, "it only applies when \(blockers.joined(separator: " and ")), so other callers are not denied"))
                continue
            }
            let conditionScope = limits.compactMap { $0 }
            let scope: String
            if conditionScope.isEmpty {
                scope = "to \(who), with no condition"
            } else {
                scope = "to \(who) " + conditionScope.joined(separator: " and ")
            }
            broadDenies.append(BroadDeny(statement: statement, scope: scope))
        }

        for statement in document.statements where statement.effect == .allow {
            let summary: PrincipalAnalysis.Summary
            var principalText: String
            if let notPrincipal = statement.notPrincipal {
                summary = PrincipalAnalysis.Summary(publicPrincipals: ["everyone except \(listPrincipals(notPrincipal))"])
                principalText = "NotPrincipal (everyone except \(listPrincipals(notPrincipal)))"
            } else if let principal = statement.principal {
                summary = PrincipalAnalysis.summarize(principal)
                principalText = summary.publicPrincipals.joined(separator: ", ")
            } else {
                continue
            }
            let outcomes = statement.conditions.map { ConditionAnalysis.forAllow($0) }
            var restricting: [String] = []
            var restrictedAccounts: [String] = []
            var loose: [String] = []
            for outcome in outcomes {
                switch outcome {
                case let .restricts(text, accounts):
                    restricting.append(text)
                    restrictedAccounts += accounts
                case let .doesNotRestrict(text):
                    loose.append(text)
                }
            }

            // Cross-account notes for explicit accounts, whatever the principal's wildcardness.
            if let owner, !owner.isEmpty {
                let foreign = unique((summary.accounts + restrictedAccounts).filter { $0 != owner })
                if !foreign.isEmpty {
                    analysis.crossAccounts += foreign
                    analysis.otherReasons.append("\(capitalized(statement.label)) gives cross-account access to account \(foreign.joined(separator: ", ")) (the owner is \(owner)); not public, but check it is intended.")
                }
            }

            guard !summary.publicPrincipals.isEmpty else {
                for service in summary.services {
                    let pinned = statement.conditions.contains { clause in
                        if case .restricts = ConditionAnalysis.forAllow(clause),
                           let kind = ConditionAnalysis.callerKeys[clause.key]?.kind, kind == .account || kind == .arn || kind == .org {
                            return true
                        }
                        return false
                    }
                    if !pinned {
                        analysis.otherReasons.append("\(capitalized(statement.label)) allows the service principal \(service) without an aws:SourceArn or aws:SourceAccount condition; not public, but any AWS customer's resource in that service could use this grant (confused deputy).")
                    }
                }
                continue
            }

            if !restricting.isEmpty {
                analysis.otherReasons.append("\(capitalized(statement.label)) allows \(principalText), but \(restricting.joined(separator: " and ")); not public.")
                continue
            }

            // The statement is public unless broad Deny statements take its actions away.
            let allowedPatterns: [String]
            let actionText: String
            if let notActions = statement.notActions {
                allowedPatterns = ["\(type.servicePrefix):*"]
                actionText = "every action except \(notActions.joined(separator: ", "))"
            } else {
                allowedPatterns = (statement.actions ?? []).map { $0 == "*" ? "\(type.servicePrefix):*" : $0 }
                actionText = ""
            }
            let allowResources = statement.resources ?? ["*"]
            var uncovered: [String] = []
            var deniedBy: [String: [String]] = [:]
            var denyOrder: [String] = []
            for pattern in allowedPatterns {
                if let deny = broadDenies.first(where: { covers($0.statement, action: pattern, resources: allowResources) }) {
                    let key = "\(deny.statement.label) denies them \(deny.scope)"
                    if deniedBy[key] == nil { denyOrder.append(key) }
                    deniedBy[key, default: []].append(pattern)
                } else {
                    uncovered.append(pattern)
                }
            }
            let shownActions = statement.notActions != nil ? actionText : ActionCategories.describe(statement.actions ?? [], type: type)
            if uncovered.isEmpty {
                analysis.otherReasons.append("\(capitalized(statement.label)) would allow \(shownActions) to \(principalText), but \(denyOrder.joined(separator: "; ")); not public.")
                continue
            }
            var sentence = "\(capitalized(statement.label)) allows "
            sentence += statement.notActions != nil ? actionText : ActionCategories.describe(uncovered, type: type)
            sentence += " to \(principalText)"
            if loose.isEmpty {
                sentence += " with no condition restricting the caller"
            } else {
                sentence += "; its conditions do not restrict the caller: " + loose.joined(separator: "; ")
            }
            if !denyOrder.isEmpty {
                let denied = denyOrder.map { "\(ActionCategories.describe(deniedBy[$0] ?? [], type: type)) — \($0)" }
                sentence += " (only partly denied: \(denied.joined(separator: "; ")))"
            }
            let uncoveredDeny = narrowDenies.filter { d in uncovered.contains { covers(d.statement, action: $0, resources: allowResources) } }
            if let d = uncoveredDeny.first {
                sentence += ". \(capitalized(d.statement.label)) denies these actions, but \(d.why)"
            }
            analysis.publicReasons.append(sentence + ".")
        }
        return analysis
    }

    /// Whom a Deny statement applies to, if it is everyone (or everyone but a named few).
    private static func denyAudience(_ statement: PolicyStatement) -> String? {
        if let notPrincipal = statement.notPrincipal {
            let summary = PrincipalAnalysis.summarize(notPrincipal)
            return summary.publicPrincipals.isEmpty ? "everyone except \(listPrincipals(notPrincipal))" : nil
        }
        guard let principal = statement.principal else { return nil }
        return PrincipalAnalysis.summarize(principal).publicPrincipals.isEmpty ? nil : "everyone"
    }

    /// Whether a Deny statement covers one allowed action pattern on all the allowed resources.
    private static func covers(_ deny: PolicyStatement, action: String, resources: [String]) -> Bool {
        let actionCovered: Bool
        if let actions = deny.actions {
            actionCovered = actions.contains { Wildcard.covers($0, action, caseInsensitive: true) }
        } else if let notActions = deny.notActions {
            actionCovered = !notActions.contains { Wildcard.overlaps($0, action, caseInsensitive: true) }
        } else {
            actionCovered = false
        }
        guard actionCovered else { return false }
        return resources.allSatisfy { resource in
            if let denied = deny.resources {
                return denied.contains { Wildcard.covers($0, resource, caseInsensitive: false) }
            }
            if let excluded = deny.notResources {
                return !excluded.contains { Wildcard.overlaps($0, resource, caseInsensitive: false) }
            }
            return true
        }
    }

    private static func listPrincipals(_ spec: PrincipalSpec) -> String {
        switch spec {
        case .everyone: return "\"*\""
        case let .typed(entries):
            return entries.flatMap { entry in entry.values.map { "\($0)" } }.joined(separator: ", ")
        }
    }

    private static func capitalized(_ label: String) -> String {
        label.prefix(1).uppercased() + label.dropFirst()
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

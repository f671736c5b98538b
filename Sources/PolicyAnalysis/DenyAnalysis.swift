/// The Deny statements of a policy that can take a public grant away, and how far they reach.
///
/// A Deny counts ("broad") when it applies to everyone (`*`, or `NotPrincipal` = all but a few) and
/// each of its conditions is true for every caller outside a concrete set (see
/// `ConditionAnalysis.denyLimits`). Other Denies aimed at everyone are kept as "narrow", only to
/// explain in the reason why they do not help.
struct DenyAnalysis: Sendable {
    struct BroadDeny: Sendable {
        var statement: PolicyStatement
        /// "to everyone, with no condition", "to everyone whose aws:SourceVpce is not ..."
        var scope: String
    }

    struct NarrowDeny: Sendable {
        var statement: PolicyStatement
        /// "it only applies when ..., so other callers are not denied"
        var why: String
    }

    /// How the broad Denies cut one Allow statement's actions.
    struct Coverage: Sendable {
        /// Action patterns no broad Deny removes: still public.
        var uncovered: [String] = []
        /// Denied patterns grouped by the sentence naming the Deny, in statement order.
        var denied: [(deny: String, patterns: [String])] = []
    }

    private(set) var broad: [BroadDeny] = []
    private(set) var narrow: [NarrowDeny] = []

    init(_ document: PolicyDocument) {
        for statement in document.statements where statement.effect == .deny {
            guard let who = Self.audience(statement) else { continue }
            let limits = statement.conditions.map { ConditionAnalysis.denyLimits($0) }
            let blockers = zip(statement.conditions, limits).filter { $0.1 == nil }.map { ConditionAnalysis.describe($0.0) }
            if !blockers.isEmpty {
                narrow.append(NarrowDeny(statement: statement, why: "it only applies when \(blockers.joined(separator: " and ")), so other callers are not denied"))
                continue
            }
            let conditionScope = limits.compactMap { $0 }
            let scope = conditionScope.isEmpty ? "to \(who), with no condition" : "to \(who) " + conditionScope.joined(separator: " and ")
            broad.append(BroadDeny(statement: statement, scope: scope))
        }
    }

    /// Splits an Allow's action patterns into those a broad Deny removes and those left public.
    func coverage(of patterns: [String], resources: [String]) -> Coverage {
        var result = Coverage()
        for pattern in patterns {
            guard let deny = broad.first(where: { Self.covers($0.statement, action: pattern, resources: resources) }) else {
                result.uncovered.append(pattern)
                continue
            }
            let sentence = "\(deny.statement.label) denies them \(deny.scope)"
            if let i = result.denied.firstIndex(where: { $0.deny == sentence }) {
                result.denied[i].patterns.append(pattern)
            } else {
                result.denied.append((sentence, [pattern]))
            }
        }
        return result
    }

    /// The first narrow Deny that would have covered these actions, to say why it does not count.
    func narrowDeny(covering patterns: [String], resources: [String]) -> NarrowDeny? {
        narrow.first { d in patterns.contains { Self.covers(d.statement, action: $0, resources: resources) } }
    }

    /// Whom a Deny statement applies to, if it is everyone (or everyone but a named few).
    private static func audience(_ statement: PolicyStatement) -> String? {
        if let notPrincipal = statement.notPrincipal {
            let summary = PrincipalAnalysis.summarize(notPrincipal)
            return summary.publicPrincipals.isEmpty ? "everyone except \(notPrincipal.listed)" : nil
        }
        guard let principal = statement.principal else { return nil }
        return PrincipalAnalysis.summarize(principal).publicPrincipals.isEmpty ? nil : "everyone"
    }

    /// Whether a Deny statement covers one allowed action pattern on all the allowed resources.
    static func covers(_ deny: PolicyStatement, action: String, resources: [String]) -> Bool {
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
}

extension PrincipalSpec {
    /// The principals as a comma-separated list, for "everyone except ..." sentences.
    var listed: String {
        switch self {
        case .everyone: return "\"*\""
        case let .typed(entries): return entries.flatMap(\.values).joined(separator: ", ")
        }
    }
}

extension PolicyStatement {
    /// The label with a capital first letter, for the start of a sentence.
    var sentenceLabel: String { label.prefix(1).uppercased() + label.dropFirst() }
}

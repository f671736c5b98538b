/// Decides whether a resource policy makes its resource public, and explains why.
///
/// A statement is public when it allows a wildcard principal (`"*"`, `{"AWS":"*"}`,
/// `arn:aws:iam::*:root`, or `NotPrincipal` with Allow) and none of its conditions pins the caller
/// down (see `ConditionAnalysis`), unless Deny statements that apply to everyone take those actions
/// away again. One public statement makes the resource public.
public enum PolicyAnalyzer {
    /// Analyse one resource policy document (JSON text). Also accepts the AWS CLI wrappers
    /// `{"Policy": "..."}` and `{"Attributes": {"Policy": "..."}}`.
    /// The largest document analysed: 1 MB. AWS caps real resource policies far lower (S3 20 KB,
    /// SNS 30 KB), and parsing a hostile 62 MB document took 751 MB of memory, so larger text is refused unparsed.
    public static let maxDocumentBytes = 1024 * 1024

        public static func analyze(policy: String, type: PolicyResourceType, account: String? = nil) throws(PolicyAnalysisError) -> PolicyVerdict {
        guard policy.utf8.count <= maxDocumentBytes else {
            throw .documentTooLarge(bytes: policy.utf8.count, limit: maxDocumentBytes)
        }
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

    static func analyze(document: PolicyDocument, type: PolicyResourceType, account: String?) -> Analysis {
        var analysis = Analysis()
        let owner = account?.trimmingSpaces
        let denies = DenyAnalysis(document)
        for statement in document.statements where statement.effect == .allow {
            explain(allow: statement, type: type, owner: owner, denies: denies, into: &analysis)
        }
        return analysis
    }

    /// Adds the reasons one Allow statement contributes: public, restricted, denied, cross-account
    /// or confused deputy.
    private static func explain(allow statement: PolicyStatement, type: PolicyResourceType, owner: String?,
                                denies: DenyAnalysis, into analysis: inout Analysis) {
        let label = statement.sentenceLabel
        let summary: PrincipalAnalysis.Summary
        let principalText: String
        if let notPrincipal = statement.notPrincipal {
            summary = PrincipalAnalysis.Summary(publicPrincipals: ["everyone except \(notPrincipal.listed)"])
            principalText = "NotPrincipal (everyone except \(notPrincipal.listed))"
        } else if let principal = statement.principal {
            summary = PrincipalAnalysis.summarize(principal)
            principalText = summary.publicPrincipals.joined(separator: ", ")
        } else {
            return
        }
        var restricting: [String] = []
        var restrictedAccounts: [String] = []
        var loose: [String] = []
        var pinsSource = false
        for clause in statement.conditions {
            switch ConditionAnalysis.forAllow(clause) {
            case let .restricts(text, accounts):
                restricting.append(text)
                restrictedAccounts += accounts
                if let kind = ConditionAnalysis.callerKeys[clause.key]?.kind, kind == .account || kind == .arn || kind == .org {
                    pinsSource = true
                }
            case let .doesNotRestrict(text):
                loose.append(text)
            }
        }

        // Cross-account notes for explicit accounts, whether the principal is a wildcard or not.
        if let owner, !owner.isEmpty {
            let foreign = unique((summary.accounts + restrictedAccounts).filter { $0 != owner })
            if !foreign.isEmpty {
                analysis.crossAccounts += foreign
                analysis.otherReasons.append("\(label) gives cross-account access to account \(foreign.joined(separator: ", ")) (the owner is \(owner)); not public, but check it is intended.")
            }
        }

        guard !summary.publicPrincipals.isEmpty else {
            if !pinsSource {
                for service in summary.services {
                    analysis.otherReasons.append("\(label) allows the service principal \(service) without an aws:SourceArn or aws:SourceAccount condition; not public, but any AWS customer's resource in that service could use this grant (confused deputy).")
                }
            }
            return
        }
        if !restricting.isEmpty {
            analysis.otherReasons.append("\(label) allows \(principalText), but \(restricting.joined(separator: " and ")); not public.")
            return
        }

        // A wildcard grant with no restricting condition: public unless broad Denies take its actions away.
        let patterns: [String]
        let everyActionText: String?
        if let notActions = statement.notActions {
            // Everything but the listed actions: compare as the whole service for Deny coverage.
            patterns = ["\(type.servicePrefix):*"]
            everyActionText = "every action except \(notActions.joined(separator: ", "))"
        } else {
            patterns = (statement.actions ?? []).map { $0 == "*" ? "\(type.servicePrefix):*" : $0 }
            everyActionText = nil
        }
        let resources = statement.resources ?? ["*"]
        let coverage = denies.coverage(of: patterns, resources: resources)
        if coverage.uncovered.isEmpty {
            let shown = everyActionText ?? ActionCategories.describe(statement.actions ?? [], type: type)
            analysis.otherReasons.append("\(label) would allow \(shown) to \(principalText), but \(coverage.denied.map(\.deny).joined(separator: "; ")); not public.")
            return
        }
        var sentence = "\(label) allows \(everyActionText ?? ActionCategories.describe(coverage.uncovered, type: type)) to \(principalText)"
        if loose.isEmpty {
            sentence += " with no condition restricting the caller"
        } else {
            sentence += "; its conditions do not restrict the caller: " + loose.joined(separator: "; ")
        }
        if !coverage.denied.isEmpty {
            let denied = coverage.denied.map { "\(ActionCategories.describe($0.patterns, type: type)) — \($0.deny)" }
            sentence += " (only partly denied: \(denied.joined(separator: "; ")))"
        }
        if let narrow = denies.narrowDeny(covering: coverage.uncovered, resources: resources) {
            sentence += ". \(narrow.statement.sentenceLabel) denies these actions, but \(narrow.why)"
        }
        analysis.publicReasons.append(sentence + ".")
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

/// Classifies the principals a statement names.
enum PrincipalAnalysis {
    /// What a statement's principal element means for exposure.
    struct Summary: Sendable {
        /// Wildcard principals, as written, e.g. `"*"`, `{"AWS":"*"}`, `arn:aws:iam::*:root`.
        var publicPrincipals: [String] = []
        /// Account IDs named explicitly (from `123456789012` or `arn:aws:iam::123456789012:...`).
        var accounts: [String] = []
        /// Service principals such as `sns.amazonaws.com`.
        var services: [String] = []
        /// Everything else (canonical users, federated providers, unique IDs).
        var others: [String] = []
    }

    static func summarize(_ spec: PrincipalSpec) -> Summary {
        var summary = Summary()
        switch spec {
        case .everyone:
            summary.publicPrincipals.append("\"*\"")
        case let .typed(entries):
            for entry in entries {
                let type = entry.type.lowercased()
                for value in entry.values {
                    if value.trimmingSpaces == "*" {
                        summary.publicPrincipals.append("{\"\(entry.type)\":\"*\"}")
                        continue
                    }
                    switch type {
                    case "aws":
                        if let account = accountOf(value) {
                            if Wildcard.isLiteral(account) {
                                summary.accounts.append(account)
                            } else {
                                // arn:aws:iam::*:root and friends: any account.
                                summary.publicPrincipals.append("{\"AWS\":\"\(value)\"}")
                            }
                        } else {
                            summary.others.append(value)
                        }
                    case "service":
                        summary.services.append(value)
                    default:
                        summary.others.append("\(entry.type) \(value)")
                    }
                }
            }
        }
        return summary
    }

    /// The account of an AWS principal: a bare ID, or the account field of an ARN.
    static func accountOf(_ value: String) -> String? {
        let v = value.trimmingSpaces
        if !v.isEmpty, v.allSatisfy({ $0.isASCII && ($0.isNumber) }) { return v }
        let parts = v.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        let account = String(parts[4])
        return account.isEmpty ? nil : account
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}

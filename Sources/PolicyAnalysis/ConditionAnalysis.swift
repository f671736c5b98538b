import Foundation

/// Decides whether a condition pins the caller down to a concrete, non-public set.
///
/// Rules (see docs/policy.md for the reasoning):
/// - Only keys that identify the caller or where the call comes from can restrict
///   (`aws:SourceAccount`, `aws:SourceOwner`, `aws:SourceArn`, `aws:PrincipalOrgID`, ...).
/// - Only positive operators restrict an Allow (`StringEquals`, `StringLike`, `ArnLike`, `IpAddress`, ...);
///   negated ones (`StringNotEquals`, `NotIpAddress`) let everyone else in.
/// - A value made only of wildcards restricts nothing, whatever the operator; in `StringLike`/`ArnLike`
///   a value must pin the account (or, for account-less ARNs such as S3, the bucket name).
/// - `...IfExists` and `ForAllValues:` never restrict: both are true when the key is absent, and
///   these keys are absent for anonymous callers, callers outside any organization, or requests
///   through a VPC endpoint (where `aws:SourceIp` is not set).
enum ConditionAnalysis {
    /// What a caller-identifying key pins down.
    enum KeyKind: Sendable {
        case account, arn, org, orgPath, vpc, vpce, ip, userID, kmsKey, serviceName
    }

    struct CallerKey: Sendable {
        var kind: KeyKind
        /// Human noun for messages: "account", "source ARN", ...
        var noun: String
    }

    /// Keys (lowercased) that identify the caller or the origin of the request.
    static let callerKeys: [String: CallerKey] = [
        "aws:sourceaccount": CallerKey(kind: .account, noun: "source account"),
        "aws:sourceowner": CallerKey(kind: .account, noun: "source owner account"),
        "aws:principalaccount": CallerKey(kind: .account, noun: "principal account"),
        "s3:dataaccesspointaccount": CallerKey(kind: .account, noun: "access point account"),
        "aws:sourcearn": CallerKey(kind: .arn, noun: "source ARN"),
        "aws:principalarn": CallerKey(kind: .arn, noun: "principal ARN"),
        "s3:dataaccesspointarn": CallerKey(kind: .arn, noun: "access point ARN"),
        "aws:principalorgid": CallerKey(kind: .org, noun: "principal organization"),
        "aws:sourceorgid": CallerKey(kind: .org, noun: "source organization"),
        "aws:principalorgpaths": CallerKey(kind: .orgPath, noun: "principal organization path"),
        "aws:sourceorgpaths": CallerKey(kind: .orgPath, noun: "source organization path"),
        "aws:sourcevpc": CallerKey(kind: .vpc, noun: "VPC"),
        "aws:sourcevpce": CallerKey(kind: .vpce, noun: "VPC endpoint"),
        "aws:sourceip": CallerKey(kind: .ip, noun: "source IP range"),
        "aws:vpcsourceip": CallerKey(kind: .ip, noun: "VPC source IP range"),
        "aws:userid": CallerKey(kind: .userID, noun: "user ID"),
        "s3:x-amz-server-side-encryption-aws-kms-key-id": CallerKey(kind: .kmsKey, noun: "KMS key"),
        "aws:principalservicename": CallerKey(kind: .serviceName, noun: "AWS service"),
    ]

    /// Keys people often believe restrict the caller, with why they do not.
    static let misleadingKeys: [String: String] = [
        "aws:resourceaccount": "names the account that owns the resource being accessed, not the caller",
        "aws:securetransport": "only requires HTTPS, which anyone can use",
        "aws:referer": "is the HTTP Referer header, which any caller can set",
        "aws:useragent": "is the User-Agent header, which any caller can set",
        "aws:username": "user names are not unique across accounts",
        "aws:principaltype": "a type such as \"User\" exists in every account",
        "aws:viaawsservice": "says how the call arrived, not who made it",
        "aws:calledvia": "says how the call arrived, not who made it",
        "aws:currenttime": "limits when, not who",
        "aws:epochtime": "limits when, not who",
        "aws:multifactorauthpresent": "any account's users can have MFA",
        "aws:requestedregion": "limits where, not who",
        "sns:protocol": "limits the subscription protocol, not who subscribes",
        "sns:endpoint": "limits the subscription endpoint, not who calls",
    ]

    static let positiveStringOperators: Set<String> = ["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"]
    static let negatedStringOperators: Set<String> = ["StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike"]
    /// Operators whose values are globs. `ArnEquals` is one too: AWS matches ARNs component-wise with wildcards.
    static let globOperators: Set<String> = ["StringLike", "StringNotLike", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"]

    /// The outcome for one clause in an Allow statement.
    enum AllowOutcome: Sendable {
        /// The clause limits callers; `accounts` are the account IDs it pins, if any (for cross-account notes).
        case restricts(String, accounts: [String])
        case doesNotRestrict(String)
    }

    static func formatValues(_ values: [String]) -> String {
        values.count == 1 ? "\"\(values[0])\"" : "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    static func describe(_ c: ConditionClause) -> String {
        "\(c.rawOperator) \(c.rawKey) = \(formatValues(c.values))"
    }

    /// Judges one clause of an Allow statement.
    static func forAllow(_ c: ConditionClause) -> AllowOutcome {
        let text = describe(c)
        // aws:PrincipalIsAWSService = true admits only AWS service principals.
        if c.key == "aws:principalisawsservice" {
            if c.baseOperator == "Bool", !c.ifExists, c.qualifier != .forAllValues,
               !c.values.isEmpty, c.values.allSatisfy({ $0.lowercased() == "true" }) {
                return .restricts("\(text) admits only AWS service principals (any service acting for any customer: a confused-deputy risk unless aws:SourceAccount or aws:SourceArn is also required)", accounts: [])
            }
            return .doesNotRestrict("\(text) does not limit callers to AWS services")
        }
        guard let callerKey = callerKeys[c.key] else {
            if let why = misleadingKeys[c.key] {
                return .doesNotRestrict("\(text) does not restrict who can call: \(c.rawKey) \(why)")
            }
            return .doesNotRestrict("\(text) does not restrict who can call: \(c.rawKey) does not identify the caller")
        }
        if c.baseOperator == "Null" {
            return .doesNotRestrict("\(text) only tests whether \(c.rawKey) is present, not which \(callerKey.noun) it is")
        }
        let isIP = callerKey.kind == .ip
        let positive = isIP ? c.baseOperator == "IpAddress" : positiveStringOperators.contains(c.baseOperator)
        let negated = isIP ? c.baseOperator == "NotIpAddress" : negatedStringOperators.contains(c.baseOperator)
        if negated {
            return .doesNotRestrict("\(text) is a negated operator: it admits every \(callerKey.noun) except those listed")
        }
        guard positive else {
            return .doesNotRestrict("\(text) uses an operator that does not pin down the \(callerKey.noun)")
        }
        if c.ifExists {
            let absentFor = absenceExample(key: c.key, kind: callerKey.kind)
            return .doesNotRestrict("\(text) uses IfExists, which is true when \(c.rawKey) is absent — and it is absent for \(absentFor)")
        }
        if c.qualifier == .forAllValues {
            return .doesNotRestrict("\(text) uses ForAllValues:, which is true when \(c.rawKey) is absent from the request")
        }
        if c.values.isEmpty {
            return .doesNotRestrict("\(text) lists no values")
        }
        let glob = globOperators.contains(c.baseOperator)
        if let loose = c.values.first(where: { !isConcrete($0, kind: callerKey.kind, glob: glob) }) {
            if callerKey.kind == .arn && !Wildcard.isOnlyWildcards(loose) {
                return .doesNotRestrict("\(text) restricts nothing: the value \"\(loose)\" pins neither an account nor a bucket name, so anyone can match it with a resource of their own")
            }
            return .doesNotRestrict("\(text) restricts nothing: the value \"\(loose)\" matches any \(callerKey.noun)")
        }
        var detail = "\(text) restricts callers to \(callerKey.noun) \(c.values.count == 1 ? c.values[0] : "[" + c.values.joined(separator: ", ") + "]")"
        if isIP {
            let publicRanges = c.values.filter { !isPrivateAddress($0) }
            if !publicRanges.isEmpty {
                detail += " (public range \(publicRanges.joined(separator: ", ")) — anyone with an address there can call)"
            } else if c.key == "aws:sourceip" {
                // AWS sets aws:SourceIp to the public address, and leaves it out for VPC endpoint calls.
                detail += " (private ranges never match aws:SourceIp — AWS sees public addresses, and VPC endpoint calls carry aws:VpcSourceIp instead — so this grant probably matches nothing)"
            }
        }
        let accounts = callerKey.kind == .account ? c.values : []
        return .restricts(detail, accounts: accounts)
    }

    /// Who lacks the key, to explain why `IfExists` lets them through.
    static func absenceExample(key: String, kind: KeyKind) -> String {
        switch kind {
        case .ip: return "requests that arrive through a VPC endpoint"
        case .vpc, .vpce: return "any request that does not come through a VPC endpoint, such as a call over the internet"
        default:
            if key.hasPrefix("aws:source") {
                return "any request not made by an AWS service on behalf of a resource, such as a direct call by anyone"
            }
            if key == "aws:principalorgid" || key == "aws:principalorgpaths" {
                return "anonymous callers and accounts outside any organization"
            }
            return "anonymous callers"
        }
    }

    /// For a Deny statement: true when the clause is true for every caller outside a concrete set,
    /// so the Deny (if all its clauses are like this) limits access to that set.
    /// Returns the set's description, or nil.
    static func denyLimits(_ c: ConditionClause) -> String? {
        if c.key == "aws:principalisawsservice" {
            if c.baseOperator == "Bool", c.qualifier != .forAnyValue,
               !c.values.isEmpty, c.values.allSatisfy({ $0.lowercased() == "false" }) {
                return "that are not AWS service principals"
            }
            return nil
        }
        guard let callerKey = callerKeys[c.key], c.qualifier != .forAnyValue, !c.values.isEmpty else { return nil }
        let negated = callerKey.kind == .ip ? c.baseOperator == "NotIpAddress" : negatedStringOperators.contains(c.baseOperator)
        guard negated else { return nil }
        // A negated operator is true when the key is absent, so it also fires for anonymous callers.
        let glob = globOperators.contains(c.baseOperator)
        guard c.values.allSatisfy({ isConcrete($0, kind: callerKey.kind, glob: glob) }) else { return nil }
        return "whose \(c.rawKey) is not \(formatValues(c.values))"
    }

    /// Whether a value pins down a concrete, non-public set for this kind of key.
    static func isConcrete(_ raw: String, kind: KeyKind, glob: Bool) -> Bool {
        guard let value = substitutingOwnerVariables(raw.trimmingSpaces) else { return false }
        if value.isEmpty || Wildcard.isOnlyWildcards(value) { return false }
        if kind == .ip { return isNarrowCIDR(value) }
        guard glob else { return true }
        switch kind {
        case .arn:
            return isConcreteARN(value)
        case .orgPath:
            let org = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return !org.isEmpty && Wildcard.isLiteral(org)
        case .userID:
            // "AROAEXAMPLEID:*" names one role's sessions: still one principal.
            if value.hasSuffix(":*") { return Wildcard.isLiteral(String(value.dropLast(2))) && value.count > 2 }
            return Wildcard.isLiteral(value)
        default:
            return Wildcard.isLiteral(value)
        }
    }

    /// Policy variables that name the resource owner's side (`${aws:ResourceAccount}`,
    /// `${aws:ResourceOrgID}`, `${aws:ResourceOrgPaths}`) are fixed for a given resource, so
    /// `aws:PrincipalAccount = ${aws:ResourceAccount}` pins the caller to the owner's account. They are
    /// replaced by a literal placeholder. Any other variable comes from the request, which the caller
    /// controls, so the value pins nothing: nil.
    static func substitutingOwnerVariables(_ value: String) -> String? {
        // A byte scan: String.contains(String) goes through Foundation and showed up in profiles.
        guard value.utf8.contains(UInt8(ascii: "$")) else { return value }
        var result = ""
        var rest = Substring(value)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { return nil }
            let name = rest[start.upperBound..<end].lowercased()
            guard ["aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths"].contains(name) else { return nil }
            result += "owner-\(name.dropFirst(4))"
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// An ARN pattern is concrete when its account is fixed, or — for ARNs without an account,
    /// such as S3's — when the bucket name is fixed (bucket names are global, so it has one owner).
    static func isConcreteARN(_ value: String) -> Bool {
        let parts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0].lowercased() == "arn" else { return Wildcard.isLiteral(value) }
        let account = parts[4]
        if !account.isEmpty { return Wildcard.isLiteral(account) }
        let name = parts[5].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return !name.isEmpty && Wildcard.isLiteral(name)
    }

    /// Any CIDR except the whole address space (`/0`) restricts: even a public range limits the
    /// caller to addresses the owner chose. A bare address counts as a /32 (or /128).
    static func isNarrowCIDR(_ value: String) -> Bool {
        let pieces = value.split(separator: "/", omittingEmptySubsequences: false)
        guard let address = pieces.first, !address.isEmpty else { return false }
        if pieces.count == 1 { return true }
        guard pieces.count == 2, let length = Int(pieces[1]) else { return false }
        return length > 0
    }

    /// RFC 1918, loopback, CGNAT, link-local (IPv4) and ULA/link-local (IPv6).
    static func isPrivateAddress(_ cidr: String) -> Bool {
        let address = String(cidr.split(separator: "/").first ?? "")
        if address.contains(":") {
            let lower = address.lowercased()
            return lower.hasPrefix("fc") || lower.hasPrefix("fd") || lower.hasPrefix("fe80") || lower == "::1"
        }
        let octets = address.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return false }
        switch (octets[0], octets[1]) {
        case (10, _), (127, _): return true
        case (172, 16...31), (192, 168), (169, 254), (100, 64...127): return true
        default: return false
        }
    }
}

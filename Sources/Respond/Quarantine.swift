import AWSClient
import Foundation

/// Step 2: is an AWS compromised-key quarantine policy attached to the key's user, and what does it deny?
public struct QuarantineStatus: Codable, Sendable {
    /// Names of attached `AWSCompromisedKeyQuarantine*` policies.
    public var attached: [String]
    /// Actions the attached policies deny, read from their default version.
    public var deniedActions: [String]
    /// Why the check could not be done, when it could not.
    public var error: String?

    public var isQuarantined: Bool { !attached.isEmpty }

    /// V2 and V3 also deny `cloudtrail:LookupEvents`: the quarantined identity cannot review its own trail.
    public var deniesLookupEvents: Bool {
        deniedActions.contains { ["cloudtrail:lookupevents", "cloudtrail:*", "*"].contains($0.lowercased()) }
            || attached.contains { $0.hasSuffix("V2") || $0.hasSuffix("V3") }
    }

    /// What the attached version blocks and why it stays, for the report and the scan's remediation
    /// text alike (one wording, see `Catalog.quarantinePolicy`).
    public func explanation(user: String, callerArn: String?) -> [String] {
        guard isQuarantined else { return [] }
        var lines = ["It denies the \(deniedActions.count) action(s) listed above to \(user), whichever key or session \(user) uses."]
        if deniesLookupEvents {
            lines.append("It also denies `cloudtrail:LookupEvents` to \(user): the CloudTrail review must run as another principal.")
            if let callerArn, callerArn.hasSuffix(":user/\(user)") || callerArn.hasSuffix("/\(user)") && callerArn.contains(":user/") {
                lines.append("Mamori is running as \(user) itself (\(callerArn)): LookupEvents will be denied. "
                    + "Run the review again with another principal's credentials (`--profile`), or read the trail's S3 files or `--cloudtrail` exports.")
            }
        }
        lines.append("The seed does not recommend removing it before the response is complete: keep it attached until the key is "
            + "replaced, deactivated and deleted and the review is done; then removing it is your decision.")
        return lines
    }
}

/// Reads the quarantine policies AWS attaches when it finds an exposed key.
public enum QuarantineCheck {
    /// The managed policies AWS uses, oldest first.
    public static let policyNames = ["AWSCompromisedKeyQuarantine", "AWSCompromisedKeyQuarantineV2", "AWSCompromisedKeyQuarantineV3"]

    public static func check(user: String, client: AWSClient, region: String) async -> QuarantineStatus {
        var status = QuarantineStatus(attached: [], deniedActions: [], error: nil)
        do {
            let attached = try await client.queryAll(.iam, region: region, action: "ListAttachedUserPolicies",
                                                     list: "AttachedPolicies", ["UserName": user])
            for policy in attached {
                guard let name = policy.string("PolicyName"), policyNames.contains(name), let arn = policy.string("PolicyArn") else { continue }
                status.attached.append(name)
                let meta = try await client.query(.iam, region: region, action: "GetPolicy", ["PolicyArn": arn])
                let version = meta.child("Policy")?.string("DefaultVersionId") ?? "v1"
                let doc = try await client.query(.iam, region: region, action: "GetPolicyVersion", ["PolicyArn": arn, "VersionId": version])
                if let text = doc.child("PolicyVersion")?.string("Document") {
                    status.deniedActions += deniedActions(in: text)
                }
            }
        } catch {
            status.error = "\(error)"
        }
        status.deniedActions = Array(Set(status.deniedActions)).sorted()
        return status
    }

    /// The `Deny` actions of a policy document (URL-encoded as IAM returns it, or plain JSON).
    public static func deniedActions(in document: String) -> [String] {
        let text = document.removingPercentEncoding ?? document
        guard let json = try? JSONValue.parse(Data(text.utf8)) else { return [] }
        let statements: [JSONValue]
        if case .array(let list) = json["Statement"] ?? .null { statements = list } else { statements = json["Statement"].map { [$0] } ?? [] }
        var actions: [String] = []
        for statement in statements where statement["Effect"]?.string == "Deny" {
            if let one = statement["Action"]?.string { actions.append(one) }
            actions += (statement["Action"]?.array ?? []).compactMap(\.string)
        }
        return actions
    }
}

import Foundation
import MamoriCore

/// What a check is: its id (stable, used in configs and history), title, severity, why it
/// matters and how to fix it.
public struct CheckDefinition: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var severity: Severity
    public var resourceType: String
    public var rationale: String
    public var remediation: String

    public init(id: String, title: String, severity: Severity, resourceType: String, rationale: String, remediation: String) {
        self.id = id
        self.title = title
        self.severity = severity
        self.resourceType = resourceType
        self.rationale = rationale
        self.remediation = remediation
    }

    /// A finding of this check.
    func finding(_ status: FindingStatus, account: String, region: String, resource: String, message: String,
                 severity: Severity? = nil, resourceType: String? = nil) -> Finding {
        Finding(check: id, title: title, severity: severity ?? self.severity, status: status, account: account,
                region: region, resource: resource, resourceType: resourceType ?? self.resourceType,
                message: message, remediation: remediation)
    }
}

/// Everything a check needs besides the inventory.
public struct CheckContext: Sendable {
    public var thresholds: Thresholds
    /// The moment ages are measured from: the inventory's collection time, so a saved inventory
    /// gives the same findings tomorrow.
    public var now: Date
    public var trustedAccounts: Set<String>
    /// The scanned account's organisation accounts that are trusted (from its inventory).
    public var organizationAccounts: Set<String>
    /// The scanned account's partition, for the ARNs of account-wide resources (set per account).
    public var partition: Partition = .aws

    public init(thresholds: Thresholds = Thresholds(), now: Date, trustedAccounts: Set<String> = [], organizationAccounts: Set<String> = []) {
        self.thresholds = thresholds
        self.now = now
        self.trustedAccounts = trustedAccounts
        self.organizationAccounts = organizationAccounts
    }

    func days(since date: Date?) -> Int? {
        guard let date else { return nil }
        return Int(now.timeIntervalSince(date) / 86_400)
    }
}

/// Region label for account-wide resources.
let globalRegion = "global"

/// The ARN of a regional resource, in the region's partition (`arn:aws-cn:ec2:cn-north-1:…`).
/// `account` is empty for resources ARNs name without one (AMIs, snapshots).
func regionalARN(_ service: String, _ region: String, _ account: String, _ resource: String) -> String {
    Partition(region: region).arn(service, region: region, account: account, resource)
}

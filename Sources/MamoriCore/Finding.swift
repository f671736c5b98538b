import Foundation

/// How bad a failing finding is. Ordered from least to most severe.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    private var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Whether a resource passed or failed a check. `muted` appears only in reports with `--all`: a
/// failure a mute rule silenced (the evaluation itself keeps muted findings as failures).
public enum FindingStatus: String, Codable, Sendable {
    case fail, pass, muted
}

/// One result of one check on one resource. The JSON form has exactly these ten fields:
/// it is a published contract (`mamori scan --format json`).
public struct Finding: Codable, Sendable, Hashable {
    public var check: String
    public var title: String
    public var severity: Severity
    public var status: FindingStatus
    public var account: String
    public var region: String
    public var resource: String
    public var resourceType: String
    public var message: String
    public var remediation: String
    /// A unique id of the resource that survives renames and moves (an IAM user's AIDA… id), when
    /// known. Not part of the ten-field JSON form; the history store keeps it.
    public var resourceUid: String?

    enum CodingKeys: String, CodingKey {
        case check, title, severity, status, account, region, resource, resourceType, message, remediation
    }

    public init(check: String, title: String, severity: Severity, status: FindingStatus,
                account: String, region: String, resource: String, resourceType: String,
                message: String, remediation: String, resourceUid: String? = nil) {
        self.resourceUid = resourceUid
        self.check = check
        self.title = title
        self.severity = severity
        self.status = status
        self.account = account
        self.region = region
        self.resource = resource
        self.resourceType = resourceType
        self.message = message
        self.remediation = remediation
    }
}

/// A failing finding that configuration muted, with the reason the user gave.
public struct MutedFinding: Codable, Sendable, Hashable {
    public var finding: Finding
    public var reason: String

    public init(finding: Finding, reason: String) {
        self.finding = finding
        self.reason = reason
    }
}

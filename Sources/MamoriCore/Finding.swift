import Foundation

/// How bad a failing finding is. Ordered from least to most severe.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    private var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Whether a resource passed or failed a check.
public enum FindingStatus: String, Codable, Sendable {
    case fail, pass
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

    public init(check: String, title: String, severity: Severity, status: FindingStatus,
                account: String, region: String, resource: String, resourceType: String,
                message: String, remediation: String) {
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

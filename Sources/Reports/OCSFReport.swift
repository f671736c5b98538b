import Checks
import Foundation
import MamoriCore

/// `--format ocsf`: an array of OCSF 1.1 Detection Findings (class 2004), the shape Prowler and
/// Amazon Security Lake use.
public enum OCSFReport {
    public static let schemaVersion = "1.1.0"

    public static func render(_ input: ReportInput) throws -> Data {
        try ReportText.json(input.findings.map { event($0, input: input) })
    }

    static func event(_ finding: Finding, input: ReportInput) -> DetectionFinding {
        let time = Int64((input.generatedAt.timeIntervalSince1970 * 1000).rounded())
        let check = ReportText.checks[finding.check]
        let (severityId, severityName) = severity(finding.severity)
        let failed = finding.status != .pass
        let reason = input.muteReason(finding)
        return DetectionFinding(
            activity_id: 1, activity_name: "Create", category_uid: 2, category_name: "Findings",
            class_uid: 2004, class_name: "Detection Finding", type_uid: 200_401, type_name: "Detection Finding: Create",
            severity_id: severityId, severity: severityName,
            // OCSF status_id 3 "Suppressed" is what a mute is; status_code stays the check's verdict.
            status_id: reason == nil ? 1 : 3, status: reason == nil ? "New" : "Suppressed", status_code: failed ? "FAIL" : "PASS",
            status_detail: reason.map { "muted: \($0)" } ?? finding.message,
            time: time, time_dt: ReportText.iso(input.generatedAt), message: finding.message,
            metadata: .init(event_code: finding.check,
                            product: .init(name: "Mamori", uid: "mamori", vendor_name: "Mamori", version: input.toolVersion),
                            version: schemaVersion),
            finding_info: .init(uid: "mamori-\(ReportText.fingerprint(finding))", title: finding.title,
                                desc: check?.rationale ?? finding.title, types: [finding.check.split(separator: ".").first.map(String.init) ?? "mamori"],
                                created_time: time),
            resources: [.init(uid: finding.resource, name: shortName(finding.resource), type: finding.resourceType,
                              region: finding.region, cloud_partition: input.partition(of: finding).name, group: nil)],
            cloud: .init(provider: "AWS", account: .init(uid: finding.account, name: input.accountNames[finding.account] ?? finding.account,
                                                                 type: "AWS Account", type_id: 10), region: finding.region),
            remediation: .init(desc: finding.remediation),
            risk_details: check?.rationale,
            compliance: compliance(check, status: failed ? "Fail" : "Pass"),
            unmapped: reason.map { ["check": finding.check, "muted_reason": $0] } ?? ["check": finding.check])
    }

    /// OCSF `compliance`: the controls the check maps to (`requirements`), one standard per framework.
    static func compliance(_ check: CheckDefinition?, status: String) -> DetectionFinding.Compliance? {
        let mappings = check?.compliance.sorted() ?? []
        guard !mappings.isEmpty else { return nil }
        return .init(requirements: mappings.map(\.requirement), standards: Array(Set(mappings.map(\.framework.title))).sorted(),
                     control: mappings.map(\.control).joined(separator: ", "), status: status,
                     status_id: status == "Pass" ? 1 : 3)
    }

    /// OCSF severity_id: 1 Informational … 5 Critical.
    static func severity(_ severity: Severity) -> (Int, String) {
        switch severity {
        case .info: (1, "Informational")
        case .low: (2, "Low")
        case .medium: (3, "Medium")
        case .high: (4, "High")
        case .critical: (5, "Critical")
        }
    }

    static func shortName(_ resource: String) -> String {
        String(resource.split(whereSeparator: { $0 == "/" || $0 == ":" }).last ?? Substring(resource))
    }
}

/// The OCSF Detection Finding attributes Mamori fills (names are OCSF's).
struct DetectionFinding: Encodable {
    var activity_id: Int
    var activity_name: String
    var category_uid: Int
    var category_name: String
    var class_uid: Int
    var class_name: String
    var type_uid: Int
    var type_name: String
    var severity_id: Int
    var severity: String
    var status_id: Int
    var status: String
    var status_code: String
    var status_detail: String
    var time: Int64
    var time_dt: String
    var message: String
    var metadata: Metadata
    var finding_info: FindingInfo
    var resources: [Resource]
    var cloud: Cloud
    var remediation: Remediation
    var risk_details: String?
    var compliance: Compliance?
    var unmapped: [String: String]

    /// OCSF 1.1 Compliance object: requirements and standards are required; status_id 1 Pass, 3 Fail.
    struct Compliance: Encodable {
        var requirements: [String]
        var standards: [String]
        var control: String
        var status: String
        var status_id: Int
    }

    struct Metadata: Encodable {
        var event_code: String
        var product: Product
        var version: String
    }

    struct Product: Encodable {
        var name: String
        var uid: String
        var vendor_name: String
        var version: String
    }

    struct FindingInfo: Encodable {
        var uid: String
        var title: String
        var desc: String
        var types: [String]
        var created_time: Int64
    }

    struct Resource: Encodable {
        var uid: String
        var name: String
        var type: String
        var region: String
        var cloud_partition: String
        var group: String?
    }

    struct Cloud: Encodable {
        var provider: String
        var account: Account
        var region: String
    }

    struct Account: Encodable {
        var uid: String
        var name: String
        var type: String
        var type_id: Int
    }

    struct Remediation: Encodable {
        var desc: String
    }
}

import Checks
import Foundation
import MamoriCore

/// `--format asff`: AWS Security Finding Format, the `Findings` array of Security Hub's
/// BatchImportFindings (required members per the botocore securityhub model).
public enum ASFFReport {
    public static func render(_ input: ReportInput) throws -> Data {
        let time = ReportText.iso(input.generatedAt)
        return try ReportText.json(input.findings.map { finding in
            let partition = input.partition(of: finding)
            // Security Hub has no "global" region: account-wide findings go to the partition's global region.
            let region = finding.region == "global" ? partition.globalRegion : finding.region
            let failed = finding.status != .pass
            let reason = input.muteReason(finding)
            let requirements = ReportText.checks[finding.check]?.compliance.sorted().map(\.requirement) ?? []
            var fields = ["mamori/check": finding.check, "mamori/severity": finding.severity.rawValue]
            if let reason { fields["mamori/mutedReason"] = ReportText.limit(reason, 512) }
            return SecurityHubFinding(
                SchemaVersion: "2018-10-08",
                Id: "mamori/\(finding.check)/\(ReportText.fingerprint(finding))",
                ProductArn: partition.arn("securityhub", region: region, account: finding.account, "product/\(finding.account)/default"),
                ProductName: "Mamori", CompanyName: "Mamori",
                GeneratorId: "mamori/\(finding.check)", AwsAccountId: finding.account, Region: region,
                Types: ["Software and Configuration Checks/AWS Security Best Practices"],
                CreatedAt: time, UpdatedAt: time,
                Severity: .init(Label: label(finding.severity), Original: finding.severity.rawValue),
                Title: ReportText.limit(finding.title, 256), Description: ReportText.limit(finding.message, 1024),
                Resources: [.init(Type: finding.resourceType, Id: finding.resource, Partition: partition.name, Region: region)],
                Remediation: .init(Recommendation: .init(Text: ReportText.limit(finding.remediation, 512))),
                // RelatedRequirements holds at most 32 entries of up to 256 characters (botocore's model).
                Compliance: .init(Status: failed ? "FAILED" : "PASSED",
                                  RelatedRequirements: requirements.isEmpty ? nil : Array(requirements.prefix(32))),
                RecordState: "ACTIVE", Workflow: .init(Status: reason != nil ? "SUPPRESSED" : (failed ? "NEW" : "RESOLVED")),
                ProductFields: fields)
        })
    }

    static func label(_ severity: Severity) -> String {
        switch severity {
        case .info: "INFORMATIONAL"
        case .low: "LOW"
        case .medium: "MEDIUM"
        case .high: "HIGH"
        case .critical: "CRITICAL"
        }
    }
}

/// The ASFF members Mamori fills (names are Security Hub's).
struct SecurityHubFinding: Encodable {
    var SchemaVersion: String
    var Id: String
    var ProductArn: String
    var ProductName: String
    var CompanyName: String
    var GeneratorId: String
    var AwsAccountId: String
    var Region: String
    var Types: [String]
    var CreatedAt: String
    var UpdatedAt: String
    var Severity: SeverityValue
    var Title: String
    var Description: String
    var Resources: [Resource]
    var Remediation: RemediationValue
    var Compliance: ComplianceValue
    var RecordState: String
    var Workflow: WorkflowValue
    var ProductFields: [String: String]

    struct SeverityValue: Encodable {
        var Label: String
        var Original: String
    }

    struct Resource: Encodable {
        var `Type`: String
        var Id: String
        var Partition: String
        var Region: String
    }

    struct RemediationValue: Encodable {
        var Recommendation: Recommendation
    }

    struct Recommendation: Encodable {
        var Text: String
    }

    struct ComplianceValue: Encodable {
        var Status: String
        var RelatedRequirements: [String]?
    }

    struct WorkflowValue: Encodable {
        var Status: String
    }
}

import Foundation
import History
import Inventory
import MamoriCore

/// Hand-made records for the history tests: every field set to a distinct, recognisable value.
enum Sample {
    static let account = "111122223333"
    static let other = "444455556666"
    static let start = Date(timeIntervalSince1970: 1_700_000_000.25)

    static func finding(_ check: String = "iam-user-mfa", severity: Severity = .high, status: FindingStatus = .fail,
                        account: String = Sample.account, region: String = "global",
                        resource: String = "arn:aws:iam::111122223333:user/alice", uid: String? = nil,
                        message: String = "alice has a console password and no MFA") -> Finding {
        Finding(check: check, title: "Title of \(check)", severity: severity, status: status, account: account, region: region,
                resource: resource, resourceType: "AWS::IAM::User", message: message,
                remediation: "Fix \(check) on \(resource)", resourceUid: uid)
    }

    static func newScan(runId: String? = nil, kind: ScanKind = .account, target: String = Sample.account,
                        parameters: String = "regions=eu-west-1,us-east-1", startedAt: Date = Sample.start) -> NewScan {
        NewScan(runId: runId, kind: kind, target: target, parameters: parameters, startedAt: startedAt, toolVersion: "0.9.0-test")
    }

    static func accountRecord(_ id: String = Sample.account, state: AccountState = .done, ouPath: String? = "r-ab12/ou-ab12-dev",
                              finishedAt: Date = Date(timeIntervalSince1970: 1_700_000_060.5)) -> AccountRecord {
        AccountRecord(accountId: id, name: "Account \(id)", ouPath: ouPath, state: state, finishedAt: finishedAt,
                      inventory: ["users": 3, "buckets": 12, "instances": 0], metrics: Data(#"{"mfaUsers":2,"users":3}"#.utf8))
    }

    static func error(_ account: String = Sample.account, resource: String? = nil) -> StoredError {
        StoredError(account: account, error: CollectionError(kind: .accessDenied, service: "s3", operation: "GetBucketPolicy",
                                                             region: "eu-west-1", resource: resource,
                                                             message: "AccessDenied: not authorized to perform s3:GetBucketPolicy"))
    }
}

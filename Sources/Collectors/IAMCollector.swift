import AWSClient
import Foundation
import MamoriCore
import Inventory

/// IAM: the credential report for passwords, MFA and key use; authorization details for
/// attached policies; ListAccessKeys for the key IDs.
struct IAMCollector {
    let context: CollectionContext
    /// Any region of the account's partition: IAM is global and signs for its partition's region.
    var region = "us-east-1"

    func collect() async -> IAMInventory? {
        context.progress("IAM: credential report")
        let report = await context.attempt(.iam, "GetCredentialReport", region: region) { () async throws -> CredentialReport in
            try await credentialReport()
        }
        context.progress("IAM: users, roles and groups")
        let details = await context.attempt(.iam, "GetAccountAuthorizationDetails", region: region) { () async throws -> AuthorizationDetails in
            try await authorizationDetails()
        }
        if report == nil && details == nil { return nil }
        var users: [IAMUser] = []
        let rows = report?.users ?? [:]
        let names = details.map { $0.users.map(\.name) } ?? Array(rows.keys).sorted()
        let detailsByName = Dictionary((details?.users ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in names {
            let row = rows[name]
            let detail = detailsByName[name]
            users.append(IAMUser(
                name: name, id: detail?.id, arn: detail?.arn ?? row?.arn ?? "", created: detail?.created ?? row?.created,
                passwordEnabled: row?.passwordEnabled ?? false, passwordLastUsed: row?.passwordLastUsed,
                passwordLastChanged: row?.passwordLastChanged, mfaActive: row?.mfaActive ?? false,
                accessKeys: row?.keys ?? [], attachedPolicies: detail?.attachedPolicies ?? [], groups: detail?.groups ?? []))
        }
        // The report numbers keys 1 and 2; ListAccessKeys gives their IDs (needed to act on a key).
        let withKeys = users.enumerated().filter { !$0.element.accessKeys.isEmpty }
        let keyLists = await boundedMap(withKeys.map { ($0.offset, $0.element.name) }, limit: context.fanOut) { entry in
            (entry.0, await context.attempt(.iam, "ListAccessKeys", region: region, resource: entry.1) { () async throws -> [XElement] in
                try await context.client.query(.iam, region: region, action: "ListAccessKeys", ["UserName": entry.1]).list("AccessKeyMetadata")
            })
        }
        for (index, metadata) in keyLists {
            guard let metadata else { continue }
            users[index].accessKeys = Self.merge(report: users[index].accessKeys, metadata: metadata)
        }
        var root = report?.root
        if root == nil {
            // Some endpoints leave the root row out of the report; the account summary still
            // says whether root has MFA and access keys (but not when they were used).
            root = await context.attempt(.iam, "GetAccountSummary", region: region) { () async throws -> RootUser in
                let entries = try await context.client.query(.iam, region: region, action: "GetAccountSummary").list("SummaryMap")
                let summary = Dictionary(entries.compactMap { e in e.string("key").map { ($0, e.string("value") ?? "0") } },
                                         uniquingKeysWith: { a, _ in a })
                let keys = summary["AccountAccessKeysPresent"] == "1" ? [AccessKey(id: "root-access-key", active: true)] : []
                return RootUser(arn: Partition(region: region).rootARN(account: context.accountId), mfaActive: summary["AccountMFAEnabled"] == "1",
                                accessKeys: keys, activityKnown: false)
            }
        }
        if report != nil, report?.root == nil {
            await context.errors.add(CollectionError(kind: .unsupported, service: "iam", operation: "GetCredentialReport", region: region,
                                                     message: "the credential report has no <root_account> row, so recent root use is unknown"))
        }
        return IAMInventory(users: users, roles: details?.roles ?? [], groups: details?.groups ?? [],
                            root: root, credentialReportGeneratedAt: report?.generated)
    }

    /// Pairs report rows (ordered by key slot) with ListAccessKeys entries ordered by creation date.
    static func merge(report: [AccessKey], metadata: [XElement]) -> [AccessKey] {
        let listed = metadata.sorted { ($0.date("CreateDate") ?? .distantPast) < ($1.date("CreateDate") ?? .distantPast) }
        var merged: [AccessKey] = []
        for (index, entry) in listed.enumerated() {
            guard let id = entry.string("AccessKeyId") else { continue }
            var key = index < report.count ? report[index] : AccessKey(id: id, active: false)
            key.id = id
            key.active = entry.string("Status") == "Active"
            key.created = entry.date("CreateDate") ?? key.created
            merged.append(key)
        }
        return merged
    }

    struct CredentialReport: Sendable {
        var users: [String: Row]
        var root: RootUser?
        var generated: Date?
    }

    struct Row: Sendable {
        var arn: String
        var created: Date?
        var passwordEnabled: Bool
        var passwordLastUsed: Date?
        var passwordLastChanged: Date?
        var mfaActive: Bool
        var keys: [AccessKey]
    }

    func credentialReport() async throws -> CredentialReport {
        // Generation is asynchronous on AWS's side: poll until COMPLETE, bounded.
        for attempt in 0..<20 {
            let state = try await context.client.query(.iam, region: region, action: "GenerateCredentialReport").string("State")
            if state == "COMPLETE" { break }
            if attempt == 19 { throw AWSError.decoding("the credential report was not ready after 20 attempts") }
            try? await Task.sleep(nanoseconds: 500_000_000)
        }
        let result = try await context.client.query(.iam, region: region, action: "GetCredentialReport")
        guard let content = result.string("Content"), let data = Data(base64Encoded: content) else {
            throw AWSError.decoding("GetCredentialReport returned no Content")
        }
        return try Self.parseReport(String(decoding: data, as: UTF8.self), generated: result.date("GeneratedTime"))
    }

    /// Parses the credential report CSV by header name (AWS adds columns over time).
    static func parseReport(_ csv: String, generated: Date?) throws(AWSError) -> CredentialReport {
        let lines = csv.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, header.contains("user"), header.contains("arn") else {
            throw AWSError.decoding("the credential report has no header row")
        }
        let column = Dictionary(header.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        func value(_ row: [String], _ name: String) -> String? {
            guard let index = column[name], index < row.count else { return nil }
            let text = row[index]
            return ["N/A", "not_supported", "no_information", ""].contains(text) ? nil : text
        }
        func date(_ row: [String], _ name: String) -> Date? { value(row, name).flatMap(ISO8601.parse) }
        var users: [String: Row] = [:]
        var root: RootUser?
        for row in lines.dropFirst() where row.count >= 2 {
            var keys: [AccessKey] = []
            for slot in 1...2 {
                let prefix = "access_key_\(slot)_"
                let active = value(row, prefix + "active") == "true"
                let rotated = date(row, prefix + "last_rotated")
                guard active || rotated != nil else { continue }
                keys.append(AccessKey(id: "key\(slot)", active: active, created: rotated,
                                      lastUsed: date(row, prefix + "last_used_date"),
                                      lastUsedService: value(row, prefix + "last_used_service"),
                                      lastUsedRegion: value(row, prefix + "last_used_region")))
            }
            let name = row[0]
            if name == "<root_account>" {
                root = RootUser(arn: row[1], mfaActive: value(row, "mfa_active") == "true",
                                passwordLastUsed: date(row, "password_last_used"), accessKeys: keys)
                continue
            }
            users[name] = Row(arn: row[1], created: date(row, "user_creation_time"),
                              passwordEnabled: value(row, "password_enabled") == "true",
                              passwordLastUsed: date(row, "password_last_used"),
                              passwordLastChanged: date(row, "password_last_changed"),
                              mfaActive: value(row, "mfa_active") == "true", keys: keys)
        }
        return CredentialReport(users: users, root: root, generated: generated)
    }

    struct AuthorizationDetails: Sendable {
        struct User: Sendable {
            var name: String
            var id: String?
            var arn: String
            var created: Date?
            var attachedPolicies: [String]
            var groups: [String]
        }
        var users: [User] = []
        var roles: [IAMPrincipal] = []
        var groups: [IAMPrincipal] = []
    }

    func authorizationDetails() async throws -> AuthorizationDetails {
        var details = AuthorizationDetails()
        func policies(_ element: XElement) -> [String] {
            element.list("AttachedManagedPolicies").compactMap { $0.string("PolicyArn") }
        }
        try await queryPages(context, .iam, region: region, action: "GetAccountAuthorizationDetails",
                             ["Filter.member.1": "User", "Filter.member.2": "Role", "Filter.member.3": "Group"],
                             inputToken: "Marker", outputToken: "Marker") { page in
            for user in page.list("UserDetailList") {
                guard let name = user.string("UserName") else { continue }
                details.users.append(.init(name: name, id: user.string("UserId"), arn: user.string("Arn") ?? "", created: user.date("CreateDate"),
                                           attachedPolicies: policies(user), groups: user.list("GroupList").map(\.text)))
            }
            for role in page.list("RoleDetailList") {
                guard let name = role.string("RoleName") else { continue }
                details.roles.append(IAMPrincipal(name: name, arn: role.string("Arn") ?? "", attachedPolicies: policies(role)))
            }
            for group in page.list("GroupDetailList") {
                guard let name = group.string("GroupName") else { continue }
                details.groups.append(IAMPrincipal(name: name, arn: group.string("Arn") ?? "", attachedPolicies: policies(group)))
            }
        }
        return details
    }
}

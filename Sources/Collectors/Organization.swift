import AWSClient
import Foundation
import Inventory

/// A member account of an AWS Organization, with where it sits.
public struct MemberAccount: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    /// ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED…
    public var status: String
    /// OU names from the root, e.g. "Root/Prod/Payments".
    public var ouPath: String
    /// OU ids from the root, for `--ou` filters.
    public var ouIds: [String]

    public init(id: String, name: String, status: String, ouPath: String = "", ouIds: [String] = []) {
        self.id = id
        self.name = name
        self.status = status
        self.ouPath = ouPath
        self.ouIds = ouIds
    }

    public var isActive: Bool { status == "ACTIVE" }
}

/// Lists an organisation's accounts with their OU paths (from the management or a delegated
/// administrator account).
public struct OrganizationLister: Sendable {
    let client: AWSClient
    let region: String

    public init(client: AWSClient, region: String) {
        self.client = client
        self.region = region
    }

    public func accounts() async throws -> [MemberAccount] {
        var accounts = try await list("ListAccounts", [:])
        var paths = OUPaths(client: client, region: region)
        for index in accounts.indices {
            let (names, ids) = try await paths.path(of: accounts[index].id)
            accounts[index].ouPath = names.joined(separator: "/")
            accounts[index].ouIds = ids
        }
        return accounts
    }

    /// Every page of ListAccounts or ListAccountsForParent.
    func list(_ operation: String, _ base: [String: JSONValue]) async throws -> [MemberAccount] {
        var accounts: [MemberAccount] = []
        try await pages(operation, base) { page in
            for item in page["Accounts"]?.array ?? [] {
                guard let id = item["Id"]?.string else { continue }
                // `State` replaces `Status`; read whichever is there.
                let status = item["State"]?.string ?? item["Status"]?.string ?? "UNKNOWN"
                accounts.append(MemberAccount(id: id, name: item["Name"]?.string ?? id, status: status))
            }
        }
        return accounts
    }

    func pages(_ operation: String, _ base: [String: JSONValue], _ body: (JSONValue) -> Void) async throws {
        var token: String?
        repeat {
            var input = base
            if let token { input["NextToken"] = .string(token) }
            let page = try await client.json(.organizations, region: region, operation: operation, .object(input))
            body(page)
            token = page["NextToken"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
    }

    /// The accounts `trust:` names through the organisation: all of them (`organization: true`), or
    /// those under the given OUs and their nested OUs.
    public func trust(organization: Bool, ous: [String]) async throws -> OrganizationTrust {
        if organization {
            return OrganizationTrust(source: "trust.organization", accounts: try await list("ListAccounts", [:]).map(\.id).sorted())
        }
        var accounts = Set<String>()
        var queue = ous
        var seen = Set<String>()
        while let ou = queue.popLast() {
            guard seen.insert(ou).inserted else { continue }
            accounts.formUnion(try await list("ListAccountsForParent", ["ParentId": .string(ou)]).map(\.id))
            try await pages("ListOrganizationalUnitsForParent", ["ParentId": .string(ou)]) { page in
                queue += (page["OrganizationalUnits"]?.array ?? []).compactMap { $0["Id"]?.string }
            }
        }
        return OrganizationTrust(source: "trust.ous \(ous.joined(separator: ", "))", accounts: accounts.sorted())
    }
}

/// Walks ListParents up to the root, caching every OU it has seen.
struct OUPaths {
    let client: AWSClient
    let region: String
    private var cache: [String: ([String], [String])] = [:]

    init(client: AWSClient, region: String) {
        self.client = client
        self.region = region
    }

    mutating func path(of child: String) async throws -> ([String], [String]) {
        let parents = try await client.json(.organizations, region: region, operation: "ListParents", ["ChildId": .string(child)])
        guard let parent = parents["Parents"]?.array.first, let id = parent["Id"]?.string else { return ([], []) }
        if let cached = cache[id] { return cached }
        var result: ([String], [String])
        if parent["Type"]?.string == "ROOT" {
            result = (["Root"], [id])
        } else {
            let ou = try await client.json(.organizations, region: region, operation: "DescribeOrganizationalUnit",
                                           ["OrganizationalUnitId": .string(id)])
            let above = try await path(of: id)
            result = (above.0 + [ou["OrganizationalUnit"]?["Name"]?.string ?? id], above.1 + [id])
        }
        cache[id] = result
        return result
    }
}

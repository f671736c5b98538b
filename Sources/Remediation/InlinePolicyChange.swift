import AWSClient
import Foundation

/// Inline policies put on (and taken off) an IAM user or role, each call journaled before and after.
///
/// Containment is made of inline policies because they are exactly reversible: the journal records
/// the document that was there before (or that there was none), so an undo restores the identity as
/// it was. Managed policies are never detached and nothing is deleted.
public struct InlinePolicyChange: Sendable {
    /// Whose inline policy: the IAM API names differ only by this word.
    public enum Principal: Sendable, Equatable {
        case user(String)
        case role(String)

        public var name: String {
            switch self { case let .user(name), let .role(name): name }
        }
        /// "User" or "Role", as in `PutUserPolicy` / `PutRolePolicy`.
        var word: String {
            switch self { case .user: "User" case .role: "Role" }
        }
        var parameter: String { word + "Name" }
        /// The AWS CLI's command word: `put-user-policy`, `delete-role-policy`.
        var cli: String { word.lowercased() }
    }

    public let client: AWSClient
    public let journal: Journal
    /// IAM is global; its calls are signed for this region.
    public let region: String

    public init(client: AWSClient, journal: Journal, region: String) {
        self.client = client
        self.journal = journal
        self.region = region
    }

    /// The inline policy document `policyName` of `principal`, or nil when it has none of that name.
    public static func current(_ principal: Principal, policyName: String, client: AWSClient, region: String) async throws(AWSError) -> String? {
        do {
            let answer = try await client.query(.iam, region: region, action: "Get\(principal.word)Policy",
                                                [principal.parameter: principal.name, "PolicyName": policyName])
            let document = answer.string("PolicyDocument") ?? ""
            // IAM returns the document URL-encoded.
            return document.removingPercentEncoding ?? document
        } catch where error.code == "NoSuchEntity" {
            return nil
        }
    }

    /// `PutUserPolicy`/`PutRolePolicy`. `previous` is the document it replaces (nil: there was none);
    /// the journal keeps it so the change can be undone exactly. `extra` goes to the journal only
    /// (facts a later run reads back, such as the time sessions were revoked before).
    public func put(_ principal: Principal, policyName: String, document: String, previous: String?, step: String,
                    extra: [String: String] = [:]) async throws {
        let params = [principal.parameter: principal.name, "PolicyName": policyName, "PolicyDocument": document]
        let journaled = params.merging(extra) { a, _ in a }.merging(["Previous": previous ?? ""]) { a, _ in a }
        let undo = previous == nil
            ? "aws iam delete-\(principal.cli)-policy --\(principal.cli)-name \(principal.name) --policy-name \(policyName)"
            : "aws iam put-\(principal.cli)-policy --\(principal.cli)-name \(principal.name) --policy-name \(policyName) --policy-document file://previous.json (the Previous document in this journal line)"
        try await record("before", step, "Put\(principal.word)Policy", journaled, undo: undo)
        do {
            _ = try await client.query(.iam, region: region, action: "Put\(principal.word)Policy", params)
        } catch {
            try await record("failed", step, "Put\(principal.word)Policy", journaled, result: "\(error)")
            throw error
        }
        try await record("after", step, "Put\(principal.word)Policy", journaled, result: policyName, undo: undo)
    }

    /// `DeleteUserPolicy`/`DeleteRolePolicy` (used to undo a `put` that added a policy).
    public func delete(_ principal: Principal, policyName: String, step: String) async throws {
        let params = [principal.parameter: principal.name, "PolicyName": policyName]
        try await record("before", step, "Delete\(principal.word)Policy", params)
        do {
            _ = try await client.query(.iam, region: region, action: "Delete\(principal.word)Policy", params)
        } catch {
            try await record("failed", step, "Delete\(principal.word)Policy", params, result: "\(error)")
            throw error
        }
        try await record("after", step, "Delete\(principal.word)Policy", params, result: policyName)
    }

    private func record(_ phase: String, _ step: String, _ action: String, _ params: [String: String],
                        result: String? = nil, undo: String? = nil) async throws {
        try await journal.record(Journal.Entry(time: Date(), phase: phase, step: step, region: region, call: "iam:\(action)",
                                               parameters: params, result: result, undo: undo))
    }
}

import AWSClient
import Foundation

/// Changes to one IAM user's access keys, each journaled before and after the call (`failed` with the
/// error otherwise). The journal holds key IDs only: a new key's secret is returned, never recorded.
public struct AccessKeyChange: Sendable {
    public let client: AWSClient
    public let journal: Journal
    /// IAM is global; its calls are signed for this region.
    public let region: String

    public init(client: AWSClient, journal: Journal, region: String) {
        self.client = client
        self.journal = journal
        self.region = region
    }

    /// A key IAM just created. `secret` must go to the user and nowhere else.
    public struct NewKey: Sendable {
        public let accessKeyId: String
        public let secret: String
    }

    /// `CreateAccessKey`. `keep` receives the new key before the "after" line is written: when it
    /// throws (the secret could not be saved) the key is deleted again, so no key exists without its secret.
    public func create(user: String, step: String, keep: (NewKey) throws -> Void) async throws -> String {
        let params = ["UserName": user]
        try await record("before", step, "CreateAccessKey", params)
        let created: XElement
        do {
            created = try await client.query(.iam, region: region, action: "CreateAccessKey", params)
        } catch {
            try await record("failed", step, "CreateAccessKey", params, result: "\(error)")
            throw error
        }
        guard let key = created.child("AccessKey"), let id = key.string("AccessKeyId"), let secret = key.string("SecretAccessKey") else {
            try await record("failed", step, "CreateAccessKey", params, result: "answer without AccessKeyId and SecretAccessKey")
            throw AWSError.decoding("CreateAccessKey answered without AccessKeyId and SecretAccessKey")
        }
        do {
            try keep(NewKey(accessKeyId: id, secret: secret))
        } catch {
            try await record("failed", step, "CreateAccessKey", params, result: "\(id): the secret could not be saved (\(error)); deleting the key")
            try await delete(user: user, key: id, step: step + "-rollback")
            throw error
        }
        try await record("after", step, "CreateAccessKey", params, result: id,
                         undo: "aws iam delete-access-key --user-name \(user) --access-key-id \(id)")
        return id
    }

    /// `UpdateAccessKey` to `Active` or `Inactive`.
    public func setStatus(user: String, key: String, active: Bool, step: String) async throws {
        let undo = "aws iam update-access-key --user-name \(user) --access-key-id \(key) --status \(active ? "Inactive" : "Active")"
        try await call(step, "UpdateAccessKey", ["UserName": user, "AccessKeyId": key, "Status": active ? "Active" : "Inactive"],
                       result: key, undo: undo)
    }

    /// `DeleteAccessKey`. There is no undo: a deleted key cannot be restored.
    public func delete(user: String, key: String, step: String) async throws {
        try await call(step, "DeleteAccessKey", ["UserName": user, "AccessKeyId": key], result: key, undo: nil)
    }

    private func call(_ step: String, _ action: String, _ params: [String: String], result: String, undo: String?) async throws {
        try await record("before", step, action, params, undo: undo)
        do {
            _ = try await client.query(.iam, region: region, action: action, params)
        } catch {
            try await record("failed", step, action, params, result: "\(error)")
            throw error
        }
        try await record("after", step, action, params, result: result, undo: undo)
    }

    private func record(_ phase: String, _ step: String, _ action: String, _ params: [String: String],
                        result: String? = nil, undo: String? = nil) async throws {
        try await journal.record(Journal.Entry(time: Date(), phase: phase, step: step, region: region, call: "iam:\(action)",
                                               parameters: params, result: result, undo: undo))
    }
}

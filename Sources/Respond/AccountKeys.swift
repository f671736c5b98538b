import AWSClient
import Foundation

/// An active access key of the account other than the exposed one, for the user to decide about:
/// the response rotates one key, and the reply to AWS must not claim more.
public struct OtherAccessKey: Codable, Sendable, Equatable {
    public var user: String
    public var accessKeyId: String
    public var createDate: Date?
    public var ageDays: Int?
    /// From `GetAccessKeyLastUsed`; nil when it could not be read.
    public var lastUse: LastUse?
    /// Why this key deserves attention, when Mamori knows (the replacement, the attacker's chain, the same user).
    public var note: String?
}

/// Lists every active access key of the account (ListUsers, ListAccessKeys, GetAccessKeyLastUsed).
public enum AccountKeys {
    /// More users than this are not listed key by key: the report says so.
    static let userLimit = 1000

    public static func otherActive(except exposed: String, exposedUser: String?, replacement: String?, chain: Set<String>,
                                   client: AWSClient, region: String, now: Date, notes: inout [StepNote]) async -> [OtherAccessKey] {
        var found: [OtherAccessKey] = []
        do {
            let users = try await client.queryAll(.iam, region: region, action: "ListUsers", list: "Users").compactMap { $0.string("UserName") }
            if users.count > userLimit {
                notes.append(StepNote(step: "other-keys", level: .warning,
                                      message: "the account has \(users.count) users: only the first \(userLimit) were checked for active keys"))
            }
            for user in users.prefix(userLimit) {
                for key in try await KeyOwnerLookup.listKeys(user, client: client, region: region)
                where key.status == "Active" && key.accessKeyId != exposed {
                    var other = OtherAccessKey(user: user, accessKeyId: key.accessKeyId, createDate: key.createDate,
                                               ageDays: key.createDate.map { Int(now.timeIntervalSince($0) / 86_400) }, lastUse: nil, note: nil)
                    do { other.lastUse = try await KeyOwnerLookup.lastUse(of: key.accessKeyId, client: client, region: region).lastUse }
                    catch { notes.append(StepNote(step: "other-keys", level: .warning, message: "GetAccessKeyLastUsed \(key.accessKeyId): \(error)")) }
                    if key.accessKeyId == replacement { other.note = "the replacement created by this response" }
                    else if chain.contains(key.accessKeyId) { other.note = "created by the leaked key's chain: deactivate and delete it" }
                    else if user == exposedUser { other.note = "same user as the exposed key: check it was not exposed too" }
                    found.append(other)
                }
            }
        } catch {
            notes.append(StepNote(step: "other-keys", level: .error, message: "cannot list the account's other access keys: \(error)"))
        }
        return found
    }
}

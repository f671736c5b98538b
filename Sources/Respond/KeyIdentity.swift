import AWSClient
import Foundation
import MamoriCore

/// One access key of the user who owns the leaked key.
public struct AccessKeyInfo: Codable, Sendable, Equatable {
    public var accessKeyId: String
    /// "Active" or "Inactive", as IAM reports it.
    public var status: String
    public var createDate: Date?
}

/// When, where and through which service a key was last used.
public struct LastUse: Codable, Sendable, Equatable {
    public var date: Date?
    public var region: String?
    public var service: String?
}

/// Step 1 of the response: who owns the key, in which account, and how it has been used.
public struct KeyIdentity: Codable, Sendable {
    public var keyId: String
    /// Decoded offline from the key ID (nil when the ID is not decodable).
    public var decodedAccount: String?
    /// The account of the credentials Mamori runs with (STS GetCallerIdentity).
    public var callerAccount: String?
    /// True when the decoded account is the one Mamori is connected to.
    public var accountConfirmed: Bool
    public var userName: String?
    /// The exposed key as IAM lists it; nil when it no longer exists.
    public var key: AccessKeyInfo?
    /// Every key of the owning user, the exposed one included.
    public var userKeys: [AccessKeyInfo]
    public var lastUse: LastUse?
    /// Days since the key was created.
    public var ageDays: Int?
    /// The ARN of the credentials Mamori runs with.
    public var callerArn: String? = nil
    /// True when the key is (most likely) the account root user's: no IAM user owns it and the
    /// account reports a root access key. Its response is guidance only.
    public var rootKey = false
}

/// A key ID that cannot belong to an IAM user: stop before calling AWS.
public struct RespondInputError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Looks up the owner and state of a leaked key in IAM (what a key ID *is* is ``AccessKeyID``).
public enum KeyOwnerLookup {
    /// Checks the shape of an access key ID the response can act on: long-term (AKIA) or temporary
    /// (ASIA), then 16 base32 characters.
    public static func validate(_ keyId: String) throws(RespondInputError) {
        guard let id = AccessKeyID(keyId), id.signsRequests else {
            throw RespondInputError("'\(keyId)' is not an access key ID (expected AKIA or ASIA followed by 16 characters A-Z, 2-7)")
        }
    }

    /// The account Mamori runs in (`GetCallerIdentity`), compared with the one decoded from the key.
    static func confirmAccount(_ identity: inout KeyIdentity, client: AWSClient, region: String, notes: inout [StepNote]) async {
        do {
            let caller = try await client.callerIdentity(region: region)
            identity.callerAccount = caller.account
            identity.callerArn = caller.arn
            identity.accountConfirmed = identity.decodedAccount != nil && identity.decodedAccount == identity.callerAccount
            if let decoded = identity.decodedAccount, let callerAccount = identity.callerAccount, decoded != callerAccount {
                notes.append(StepNote(step: "identify", level: .warning,
                                      message: "the key decodes to account \(decoded) but Mamori is connected to \(callerAccount): run with credentials for \(decoded)"))
            }
        } catch {
            notes.append(StepNote(step: "identify", level: .error, message: "cannot confirm the account: \(error)"))
        }
    }

    /// Identifies the key: decodes its account, confirms it against the caller's account, finds
    /// its user with GetAccessKeyLastUsed (falling back to ListAccessKeys over every user).
    public static func identify(_ keyId: String, client: AWSClient, region: String, now: Date = Date(),
                                notes: inout [StepNote]) async -> KeyIdentity {
        let decoded = AccountDecoder.account(fromKeyId: keyId)
        var identity = KeyIdentity(keyId: keyId, decodedAccount: decoded, callerAccount: nil, accountConfirmed: false,
                                   userName: nil, key: nil, userKeys: [], lastUse: nil, ageDays: nil)
        await confirmAccount(&identity, client: client, region: region, notes: &notes)
        do {
            (identity.userName, identity.lastUse) = try await lastUse(of: keyId, client: client, region: region)
        } catch {
            notes.append(StepNote(step: "identify", level: .warning, message: "GetAccessKeyLastUsed failed (\(error)); searching every user's keys"))
        }
        // IAM names the root user's keys' owner "root" where it names one at all: not an IAM user.
        if identity.userName == "root" || identity.userName == "<root_account>" {
            identity.userName = nil
            identity.rootKey = true
        }
        if identity.userName == nil && !identity.rootKey {
            do {
                for user in try await client.queryAll(.iam, region: region, action: "ListUsers", list: "Users") {
                    guard let name = user.string("UserName") else { continue }
                    let keys = try await listKeys(name, client: client, region: region)
                    if keys.contains(where: { $0.accessKeyId == keyId }) { identity.userName = name; break }
                }
            } catch {
                notes.append(StepNote(step: "identify", level: .error, message: "cannot list users and their keys: \(error)"))
            }
        }
        if let user = identity.userName {
            do {
                identity.userKeys = try await listKeys(user, client: client, region: region)
                identity.key = identity.userKeys.first { $0.accessKeyId == keyId }
                if let created = identity.key?.createDate {
                    identity.ageDays = Int(now.timeIntervalSince(created) / 86_400)
                }
            } catch {
                notes.append(StepNote(step: "identify", level: .error, message: "cannot list the keys of \(user): \(error)"))
            }
        }
        if identity.userName == nil && !identity.rootKey && identity.accountConfirmed {
            do {
                let summary = try await client.query(.iam, region: region, action: "GetAccountSummary").list("SummaryMap")
                identity.rootKey = summary.contains { $0.string("key") == "AccountAccessKeysPresent" && $0.string("value") == "1" }
            } catch {
                notes.append(StepNote(step: "identify", level: .warning, message: "GetAccountSummary failed (\(error)): cannot tell whether the root user has a key"))
            }
        }
        if identity.rootKey {
            notes.append(StepNote(step: "identify", level: .warning,
                                  message: "no IAM user owns \(keyId) and the account's root user has an access key: it is most likely the root key. "
                                      + "Mamori never changes the root user: follow the root key procedure in the report"))
        } else if identity.userName == nil {
            notes.append(StepNote(step: "identify", level: .error,
                                  message: "no IAM user in this account owns \(keyId): it was deleted already, belongs to the root user, or to another account"))
        }
        return identity
    }

    /// `GetAccessKeyLastUsed`: the key's user and its last use (nil date when never used).
    static func lastUse(of keyId: String, client: AWSClient, region: String) async throws(AWSError) -> (user: String?, lastUse: LastUse?) {
        let used = try await client.query(.iam, region: region, action: "GetAccessKeyLastUsed", ["AccessKeyId": keyId])
        guard let last = used.child("AccessKeyLastUsed") else { return (used.string("UserName"), nil) }
        return (used.string("UserName"), LastUse(date: AWSDate.parse(last.string("LastUsedDate")),
                                                 region: last.string("Region").flatMap { $0 == "N/A" ? nil : $0 },
                                                 service: last.string("ServiceName").flatMap { $0 == "N/A" ? nil : $0 }))
    }

    static func listKeys(_ user: String, client: AWSClient, region: String) async throws(AWSError) -> [AccessKeyInfo] {
        try await client.queryAll(.iam, region: region, action: "ListAccessKeys", list: "AccessKeyMetadata", ["UserName": user])
            .compactMap { item in
                guard let id = item.string("AccessKeyId") else { return nil }
                return AccessKeyInfo(accessKeyId: id, status: item.string("Status") ?? "Unknown",
                                     createDate: AWSDate.parse(item.string("CreateDate")))
            }
    }
}

/// Something a step reports to the user: a warning, an error that did not stop the run, or information.
public struct StepNote: Codable, Sendable {
    /// How serious a note is.
    public enum Level: String, Codable, Sendable { case info, warning, error }
    public var step: String
    public var level: Level
    public var message: String
    public init(step: String, level: Level, message: String) {
        self.step = step
        self.level = level
        self.message = message
    }
}

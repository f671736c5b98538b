import AWSClient
import Foundation

/// One CloudTrail record, reduced to what the review needs.
public struct TrailEvent: Codable, Sendable, Hashable {
    public var eventId: String
    public var time: Date
    public var name: String
    public var source: String
    public var region: String
    public var accessKeyId: String?
    /// The caller's ARN (user, assumed role or root).
    public var principal: String?
    public var sourceIP: String?
    public var errorCode: String?
    /// Where the record was read: `s3://bucket/key`, a local path, or `LookupEvents REGION`.
    public var origin: String
    /// True when the event is one of the persistence or escalation events the response flags.
    public var flagged: Bool
    /// Access keys, users, roles and resources this event created, for chain following and the sweep.
    public var createdKeys: [String]
    public var createdUsers: [String]
    public var createdRoles: [String]
    public var createdResources: [String]
    /// Name of the IAM user the caller is (for `IAMUser` identities).
    public var userName: String?
    /// For an assumed-role session, the role's name.
    public var roleName: String?
    /// A one-line summary of the request's most telling parameters.
    public var summary: String
}

/// Reads CloudTrail's JSON records.
public enum TrailParser {
    /// The events the seed names as persistence, escalation or abuse after a key leak.
    public static let flaggedEvents: Set<String> = [
        "CreateUser", "CreateLoginProfile", "UpdateLoginProfile", "CreateAccessKey", "CreateRole",
        "AttachUserPolicy", "AttachRolePolicy", "PutUserPolicy", "PutRolePolicy", "UpdateAssumeRolePolicy",
        "AssumeRole", "GetSessionToken", "GetFederationToken", "RunInstances", "RequestSpotInstances",
        "CreateFunction", "CreateFunction20150331", "ImportKeyPair", "CreateKeyPair", "DeleteTrail", "StopLogging", "PutBucketPolicy",
    ]

    /// Parses a CloudTrail log file (`{"Records": [...]}`); `origin` names it in messages.
    public static func parseFile(_ data: Data, origin: String) throws -> [TrailEvent] {
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch { throw RespondInputError("\(origin) is not CloudTrail JSON: \(error)") }
        guard case .array(let records) = json["Records"] ?? .null else {
            throw RespondInputError("\(origin) has no \"Records\" array: not a CloudTrail log file")
        }
        return try records.enumerated().map { index, record in
            guard let parsed = event(from: record, origin: origin) else {
                throw RespondInputError("\(origin): record \(index + 1) has no eventName or eventTime: not a CloudTrail record")
            }
            return parsed
        }
    }

    /// One record; nil when it lacks the fields every CloudTrail record has.
    public static func event(from record: JSONValue, origin: String) -> TrailEvent? {
        guard let name = record["eventName"]?.string, let time = AWSDate.parse(record["eventTime"]?.string) else { return nil }
        let identity = record["userIdentity"] ?? .null
        let request = record["requestParameters"] ?? .null
        let response = record["responseElements"] ?? .null
        var keys: [String] = [], users: [String] = [], roles: [String] = [], resources: [String] = []
        let failed = record["errorCode"]?.string != nil
        if !failed {
            switch name {
            case "CreateAccessKey":
                if let id = response["accessKey"]?["accessKeyId"]?.string { keys.append(id); resources.append(id) }
            case "AssumeRole", "GetSessionToken", "GetFederationToken", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity":
                if let id = response["credentials"]?["accessKeyId"]?.string { keys.append(id) }
            case "CreateUser":
                if let user = request["userName"]?.string { users.append(user); resources.append(user) }
            case "CreateRole":
                if let role = request["roleName"]?.string { roles.append(role); resources.append(role) }
            case "RunInstances":
                resources += (response["instancesSet"]?["items"]?.array ?? []).compactMap { $0["instanceId"]?.string }
            case "RequestSpotInstances":
                resources += (response["spotInstanceRequestSet"]?["items"]?.array ?? []).compactMap { $0["spotInstanceRequestId"]?.string }
            case "CreateKeyPair", "ImportKeyPair":
                if let key = request["keyName"]?.string { resources.append(key) }
            case "CreateFunction", "CreateFunction20150331":
                if let fn = request["functionName"]?.string { resources.append(fn) }
            default: break
            }
        }
        var roleName: String?
        if identity["type"]?.string == "AssumedRole" {
            roleName = identity["sessionContext"]?["sessionIssuer"]?["userName"]?.string
        }
        return TrailEvent(eventId: record["eventID"]?.string ?? "\(name)-\(time.timeIntervalSince1970)-\(identity["accessKeyId"]?.string ?? "")",
                          time: time, name: name, source: record["eventSource"]?.string ?? "",
                          region: record["awsRegion"]?.string ?? "", accessKeyId: identity["accessKeyId"]?.string,
                          principal: identity["arn"]?.string, sourceIP: record["sourceIPAddress"]?.string,
                          errorCode: record["errorCode"]?.string, origin: origin, flagged: flaggedEvents.contains(name),
                          createdKeys: keys, createdUsers: users, createdRoles: roles, createdResources: resources,
                          userName: identity["type"]?.string == "IAMUser" ? identity["userName"]?.string : nil,
                          roleName: roleName, summary: summary(name, request))
    }

    static func summary(_ name: String, _ request: JSONValue) -> String {
        let keys = ["userName", "roleName", "policyArn", "policyName", "instanceType", "keyName", "functionName",
                    "bucketName", "name", "durationSeconds", "roleArn"]
        var parts: [String] = []
        for key in keys { if let value = request[key]?.string { parts.append("\(key)=\(value)") } }
        if let count = request["maxCount"]?.number { parts.append("maxCount=\(Int(count))") }
        return parts.joined(separator: " ")
    }
}

/// Follows what the leaked key did and what it created: keys, users and roles it made are reviewed too.
public struct ChainFollower: Sendable {
    public private(set) var keys: Set<String>
    public private(set) var users: Set<String> = []
    public private(set) var roles: Set<String> = []

    public init(leakedKey: String) { keys = [leakedKey] }

    /// The events attributable to the leaked key or anything it created, oldest first.
    public mutating func attributable(_ all: [TrailEvent]) -> [TrailEvent] {
        var selected: [String: TrailEvent] = [:]
        // Fixed point: each pass may add keys, users or roles that pull in more events.
        var changed = true
        while changed {
            changed = false
            for event in all where selected[event.eventId] == nil && matches(event) {
                selected[event.eventId] = event
                let before = keys.count + users.count + roles.count
                keys.formUnion(event.createdKeys)
                users.formUnion(event.createdUsers)
                roles.formUnion(event.createdRoles)
                if keys.count + users.count + roles.count != before { changed = true }
            }
        }
        return selected.values.sorted { ($0.time, $0.eventId) < ($1.time, $1.eventId) }
    }

    func matches(_ event: TrailEvent) -> Bool {
        if let key = event.accessKeyId, keys.contains(key) { return true }
        if let user = event.userName, users.contains(user) { return true }
        if let role = event.roleName, roles.contains(role) { return true }
        return false
    }
}

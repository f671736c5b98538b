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
    /// Foundation's JSONSerialization is used rather than a Codable tree: it is several times faster
    /// on the hundreds of thousands of records a busy account writes in 90 days.
    public static func parseFile(_ data: Data, origin: String) throws -> [TrailEvent] {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch { throw RespondInputError("\(origin) is not CloudTrail JSON: \(error.localizedDescription)") }
        guard let records = (json as? [String: Any])?["Records"] as? [Any] else {
            throw RespondInputError("\(origin) has no \"Records\" array: not a CloudTrail log file")
        }
        return try records.enumerated().map { index, record in
            guard let object = record as? [String: Any], let parsed = event(from: object, origin: origin) else {
                throw RespondInputError("\(origin): record \(index + 1) has no eventName or eventTime: not a CloudTrail record")
            }
            return parsed
        }
    }

    /// Parses one record given as JSON text (LookupEvents' `CloudTrailEvent`).
    public static func event(json text: String, origin: String) -> TrailEvent? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return nil }
        return event(from: object, origin: origin)
    }

    /// One record; nil when it lacks the fields every CloudTrail record has.
    static func event(from record: [String: Any], origin: String) -> TrailEvent? {
        guard let name = record["eventName"] as? String, let time = AWSDate.parse(record["eventTime"] as? String) else { return nil }
        let identity = record["userIdentity"] as? [String: Any] ?? [:]
        let request = record["requestParameters"] as? [String: Any] ?? [:]
        let response = record["responseElements"] as? [String: Any] ?? [:]
        func string(_ object: [String: Any], _ path: String...) -> String? {
            var node: Any? = object
            for key in path { node = (node as? [String: Any])?[key] }
            return node as? String
        }
        func items(_ object: [String: Any], _ set: String, _ field: String) -> [String] {
            (((object[set] as? [String: Any])?["items"] as? [Any]) ?? []).compactMap { ($0 as? [String: Any])?[field] as? String }
        }
        var keys: [String] = [], users: [String] = [], roles: [String] = [], resources: [String] = []
        let errorCode = record["errorCode"] as? String
        if errorCode == nil {
            switch name {
            case "CreateAccessKey":
                if let id = string(response, "accessKey", "accessKeyId") { keys.append(id); resources.append(id) }
            case "AssumeRole", "GetSessionToken", "GetFederationToken", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity":
                if let id = string(response, "credentials", "accessKeyId") { keys.append(id) }
            case "CreateUser":
                if let user = string(request, "userName") { users.append(user); resources.append(user) }
            case "CreateRole":
                if let role = string(request, "roleName") { roles.append(role); resources.append(role) }
            case "RunInstances":
                resources += items(response, "instancesSet", "instanceId")
            case "RequestSpotInstances":
                resources += items(response, "spotInstanceRequestSet", "spotInstanceRequestId")
            case "CreateKeyPair", "ImportKeyPair":
                if let key = string(request, "keyName") { resources.append(key) }
            case "CreateFunction", "CreateFunction20150331":
                if let fn = string(request, "functionName") { resources.append(fn) }
            default: break
            }
        }
        let type = identity["type"] as? String
        let accessKey = identity["accessKeyId"] as? String
        return TrailEvent(eventId: record["eventID"] as? String ?? "\(name)-\(time.timeIntervalSince1970)-\(accessKey ?? "")",
                          time: time, name: name, source: record["eventSource"] as? String ?? "",
                          region: record["awsRegion"] as? String ?? "", accessKeyId: accessKey,
                          principal: identity["arn"] as? String, sourceIP: record["sourceIPAddress"] as? String,
                          errorCode: errorCode, origin: origin, flagged: flaggedEvents.contains(name),
                          createdKeys: keys, createdUsers: users, createdRoles: roles, createdResources: resources,
                          userName: type == "IAMUser" ? identity["userName"] as? String : nil,
                          roleName: type == "AssumedRole" ? string(identity, "sessionContext", "sessionIssuer", "userName") : nil,
                          summary: summary(name, request))
    }

    static func summary(_ name: String, _ request: [String: Any]) -> String {
        let keys = ["userName", "roleName", "policyArn", "policyName", "instanceType", "keyName", "functionName",
                    "bucketName", "name", "durationSeconds", "roleArn"]
        var parts: [String] = []
        for key in keys { if let value = request[key] as? String { parts.append("\(key)=\(value)") } }
        if let count = request["maxCount"] as? NSNumber { parts.append("maxCount=\(count.intValue)") }
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

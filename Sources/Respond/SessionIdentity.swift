import AWSClient
import Foundation
import MamoriCore

/// Who a temporary key (`ASIA…`) belongs to, told from CloudTrail: IAM does not know STS keys, so
/// the role and the session come from the events the key made (or from `--role` / the GuardDuty finding).
public struct SessionIdentity: Codable, Sendable, Equatable {
    public var keyId: String
    public var roleName: String?
    /// The role session name: the last part of `arn:…:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    public var sessionName: String?
    public var principal: String?
    /// Set when the session name is an instance ID: EC2 names an instance profile's sessions after the instance.
    public var instanceId: String?
    /// Where the key was used from, and when, in the events read.
    public var sourceIPs: [String]
    public var firstSeen: Date?
    public var lastSeen: Date?
    public var eventCount: Int
    /// Where the role name came from: "CloudTrail", "--role" or the event file.
    public var roleSource: String?

    /// The identity the events of `keyId` show; `role` (from `--role` or an event file) wins over CloudTrail.
    public static func from(events: [TrailEvent], keyId: String, role: String?, roleSource: String?) -> SessionIdentity {
        let own = events.filter { $0.accessKeyId == keyId }.sorted { $0.time < $1.time }
        let principal = own.compactMap(\.principal).first { $0.contains(":assumed-role/") }
        var session: String?
        var roleFromArn: String?
        if let principal, let range = principal.range(of: ":assumed-role/") {
            let parts = principal[range.upperBound...].split(separator: "/", maxSplits: 1).map(String.init)
            roleFromArn = parts.first
            session = parts.count > 1 ? parts[1] : nil
        }
        let trailRole = own.compactMap(\.roleName).first ?? roleFromArn
        var ips: [String] = []
        for ip in own.compactMap(\.sourceIP) where !ips.contains(ip) { ips.append(ip) }
        return SessionIdentity(keyId: keyId, roleName: role ?? trailRole, sessionName: session, principal: principal,
                               instanceId: session.flatMap { isInstanceId($0) ? $0 : nil }, sourceIPs: ips,
                               firstSeen: own.first?.time, lastSeen: own.last?.time, eventCount: own.count,
                               roleSource: role != nil ? roleSource : (trailRole != nil ? "CloudTrail" : nil))
    }

    /// `i-` followed by 8 or 17 hexadecimal digits.
    static func isInstanceId(_ text: String) -> Bool {
        guard text.hasPrefix("i-") else { return false }
        let hex = text.dropFirst(2)
        return (hex.count == 8 || hex.count == 17) && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}

/// What an AWS notification says happened, read from the JSON EventBridge delivers: an AWS Health
/// risk event (`AWS_RISK_CREDENTIALS_EXPOSED`, `AWS_RISK_CREDENTIALS_COMPROMISED`,
/// `AWS_RISK_IAM_QUARANTINE`) or a GuardDuty `UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.*` finding.
public struct EventTrigger: Codable, Sendable, Equatable {
    /// "AWS Health AWS_RISK_CREDENTIALS_EXPOSED" or "GuardDuty UnauthorizedAccess:…".
    public var source: String
    /// Access key IDs the event names, in order (AKIA and ASIA).
    public var keys: [String]
    /// An IAM user the event names without a key (a quarantine event may name only the user).
    public var userName: String?
    /// For a role session's key (GuardDuty): the role.
    public var roleName: String?
    public var instanceId: String?
    public var account: String?
    public var sourceIPs: [String]
    public var time: Date?

    static let healthTypes: Set<String> = ["AWS_RISK_CREDENTIALS_EXPOSED", "AWS_RISK_CREDENTIALS_COMPROMISED", "AWS_RISK_IAM_QUARANTINE",
                                           "AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED"]

    /// Parses one event: the EventBridge envelope, or its `detail` alone (a finding as GuardDuty's
    /// `GetFindings` returns it, a Health event's detail).
    public static func parse(_ data: Data, origin: String) throws(RespondInputError) -> EventTrigger {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw RespondInputError("\(origin) is not a JSON object (expected an AWS Health event or a GuardDuty finding as EventBridge delivers it)")
        }
        let detail = root["detail"] as? [String: Any] ?? root
        let account = (root["account"] as? String) ?? (detail["accountId"] as? String)
        if let code = detail["eventTypeCode"] as? String {
            guard healthTypes.contains(code) else {
                throw RespondInputError("\(origin): AWS Health event \(code) is not a credential risk event (expected one of \(healthTypes.sorted().joined(separator: ", ")))")
            }
            var values: [String] = (root["resources"] as? [String]) ?? []
            for entity in detail["affectedEntities"] as? [[String: Any]] ?? [] {
                if let value = entity["entityValue"] as? String { values.append(value) }
            }
            var keys: [String] = []
            var user: String?
            for value in values {
                if let key = keyId(in: value) { if !keys.contains(key) { keys.append(key) } }
                else if user == nil, !value.contains(":"), !value.isEmpty { user = value.split(separator: "/").last.map(String.init) }
            }
            // Some notifications carry the key only in their text.
            for text in (detail["eventDescription"] as? [[String: Any]] ?? []).compactMap({ $0["latestDescription"] as? String }) {
                for key in keyIds(in: text) where !keys.contains(key) { keys.append(key) }
            }
            if keys.isEmpty && user == nil {
                throw RespondInputError("\(origin): the \(code) event names no access key ID or IAM user: run `mamori respond leaked-key KEY` with the key from AWS's e-mail")
            }
            return EventTrigger(source: "AWS Health \(code)", keys: keys, userName: user, roleName: nil, instanceId: nil, account: account,
                                sourceIPs: [], time: AWSDate.parse(detail["startTime"] as? String ?? root["time"] as? String))
        }
        if let type = detail["type"] as? String {
            guard type.hasPrefix("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration") else {
                throw RespondInputError("\(origin): GuardDuty finding \(type) is not an instance credential exfiltration finding (UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS or .InsideAWS)")
            }
            let resource = detail["resource"] as? [String: Any] ?? [:]
            let access = resource["accessKeyDetails"] as? [String: Any] ?? [:]
            guard let key = (access["accessKeyId"] as? String).flatMap(keyId(in:)) else {
                throw RespondInputError("\(origin): the GuardDuty finding has no resource.accessKeyDetails.accessKeyId")
            }
            let instance = (resource["instanceDetails"] as? [String: Any])?["instanceId"] as? String
            // principalId is ROLEID:SESSION; EC2 names an instance profile's session after the instance.
            let session = (access["principalId"] as? String)?.split(separator: ":").last.map(String.init)
            let action = (detail["service"] as? [String: Any])?["action"] as? [String: Any] ?? [:]
            let call = action["awsApiCallAction"] as? [String: Any] ?? [:]
            let ip = ((call["remoteIpDetails"] as? [String: Any])?["ipAddressV4"] as? String)
            return EventTrigger(source: "GuardDuty \(type)", keys: [key], userName: nil,
                                roleName: (access["userType"] as? String) == "AssumedRole" ? access["userName"] as? String : nil,
                                instanceId: instance ?? session.flatMap { SessionIdentity.isInstanceId($0) ? $0 : nil },
                                account: account, sourceIPs: ip.map { [$0] } ?? [],
                                time: AWSDate.parse(detail["updatedAt"] as? String ?? detail["createdAt"] as? String ?? root["time"] as? String))
        }
        throw RespondInputError("\(origin) is neither an AWS Health event (detail.eventTypeCode) nor a GuardDuty finding (detail.type)")
    }

    /// `text` itself when it is an access key ID.
    static func keyId(in text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return isKeyId(Substring(trimmed)) ? trimmed : nil
    }

    static func keyIds(in text: String) -> [String] {
        var found: [String] = []
        for word in text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where isKeyId(word) {
            let key = String(word)
            if !found.contains(key) { found.append(key) }
        }
        return found
    }

    static func isKeyId(_ text: Substring) -> Bool {
        AccessKeyID(text)?.signsRequests == true
    }
}

extension EventTrigger {
    /// The keys to respond to: those the event names, else the active keys of the user it names.
    public func keysToRespond(client: AWSClient, region: String) async throws -> [String] {
        if !keys.isEmpty { return keys }
        guard let userName else { return [] }
        let active = try await KeyOwnerLookup.listKeys(userName, client: client, region: region).filter { $0.status == "Active" }.map(\.accessKeyId)
        if active.isEmpty { throw RespondInputError("\(source) names IAM user \(userName), who has no active access key: nothing to respond to") }
        return active
    }
}

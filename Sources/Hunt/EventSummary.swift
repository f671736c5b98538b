import Foundation
import MamoriCore
import SigmaEngine
import LogReaders

/// Who made a call, as an alert groups it: a long-term access key, a role session, a user, a service.
public struct Actor: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case accessKey = "access-key"
        case roleSession = "role-session"
        case user
        case service
        case unknown
    }

    public var kind: Kind
    public var id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }

    /// The grouping rule: a long-term key (AKIA…) is the actor even when it belongs to a user, since
    /// the key is what leaks and what `mamori respond leaked-key` acts on; a temporary key (ASIA…) is
    /// replaced every hour, so its role session (the assumed-role ARN) is the stable actor.
    public init(record: Record) {
        let key = record.text(["userIdentity.accessKeyId"]) ?? ""
        let type = record.text(["userIdentity.type"]) ?? ""
        if key.hasPrefix("AKIA") {
            self.init(kind: .accessKey, id: key)
        } else if let arn = record.text(["userIdentity.arn"]) {
            self.init(kind: type == "AssumedRole" || arn.contains(":assumed-role/") ? .roleSession : .user, id: arn)
        } else if let service = record.text(["userIdentity.invokedBy"]) ?? (type == "AWSService" ? record.text(["eventSource"]) : nil) {
            self.init(kind: .service, id: service)
        } else if let principal = record.text(["userIdentity.principalId", "userIdentity.accountId"]) {
            self.init(kind: .unknown, id: principal)
        } else {
            self.init(kind: .unknown, id: "unknown")
        }
    }
}

/// The few fields of one event an alert reports. Kept only for events some rule matched, so the
/// memory is bounded by the matches, not by the size of the trail.
public struct EventSummary: Sendable, Hashable {
    public var eventID: String
    public var time: Date?
    public var eventName: String
    public var eventSource: String
    public var region: String
    public var account: String
    public var sourceIP: String
    public var userAgent: String
    public var actor: Actor
    /// AMI ids the event names (`imageId` in its request or response): what RunInstances launched.
    public var images: [String]
    /// Where the event was read (file or object), for the evidence list.
    public var origin: String

    public init(eventID: String, time: Date?, eventName: String, eventSource: String = "", region: String, account: String,
                sourceIP: String, userAgent: String, actor: Actor, images: [String] = [], origin: String = "") {
        self.eventID = eventID
        self.time = time
        self.eventName = eventName
        self.eventSource = eventSource
        self.region = region
        self.account = account
        self.sourceIP = sourceIP
        self.userAgent = userAgent
        self.actor = actor
        self.images = images
        self.origin = origin
    }

    /// The summary of an event a rule matched (the engine hands back its flattened record).
    public init(_ event: HitEvent, origin: String = "") {
        let record = event.record
        self.init(eventID: event.eventID, time: event.time,
                  eventName: record.text(["eventName"]) ?? "", eventSource: record.text(["eventSource"]) ?? "",
                  region: record.text(["awsRegion"]) ?? "",
                  account: record.text(["recipientAccountId", "userIdentity.accountId"]) ?? "",
                  sourceIP: record.text(["sourceIPAddress"]) ?? "", userAgent: record.text(["userAgent"]) ?? "",
                  actor: Actor(record: record), images: EventSummary.imageIds(in: record), origin: origin)
    }

    /// The AMIs an event names: `….imageId` fields (RunInstances' `instancesSet.items.N.imageId`,
    /// request and response), in field-name order, without repeats.
    static func imageIds(in record: Record) -> [String] {
        var out: [String] = []
        for key in record.fields.keys.sorted() where key.hasSuffix(".imageId") || key == "imageId" {
            let value = record.text([key]) ?? ""
            if value.hasPrefix("ami-"), !out.contains(value) { out.append(value) }
        }
        return out
    }
}

/// How alerts print times.
public enum EventTime {
    /// `2026-01-31T12:34:56Z`.
    public static func format(_ date: Date) -> String { ISO8601.string(date) }
}

import Foundation
import LogDetect

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

    public init(record: Record, bytes: UnsafeRawBufferPointer, origin: String) {
        let time = record.text(["eventTime"]).flatMap(EventTime.parse)
        self.init(eventID: record.text(["eventID"]) ?? "", time: time,
                  eventName: record.text(["eventName"]) ?? "", eventSource: record.text(["eventSource"]) ?? "",
                  region: record.text(["awsRegion"]) ?? "",
                  account: record.text(["recipientAccountId", "userIdentity.accountId"]) ?? "",
                  sourceIP: record.text(["sourceIPAddress"]) ?? "", userAgent: record.text(["userAgent"]) ?? "",
                  actor: Actor(record: record), images: EventSummary.imageIds(in: bytes), origin: origin)
    }

    /// Every `"imageId":"ami-…"` in the event, in order, without repeats. A byte search rather than
    /// the flattened fields because RunInstances nests them in arrays (`instancesSet.items[]`).
    static func imageIds(in bytes: UnsafeRawBufferPointer) -> [String] {
        let needle = Array("\"imageId\"".utf8)
        var out: [String] = []
        var i = 0
        let n = bytes.count
        while i + needle.count < n {
            guard bytes[i] == needle[0] else { i += 1; continue }
            var hit = true
            for k in 1..<needle.count where bytes[i + k] != needle[k] { hit = false; break }
            guard hit else { i += 1; continue }
            var j = i + needle.count
            while j < n, [0x20, 0x3A, 0x09, 0x0A, 0x0D].contains(bytes[j]) { j += 1 }
            guard j < n, bytes[j] == 0x22 else { i = j; continue }
            j += 1
            let s = j
            while j < n, bytes[j] != 0x22, j - s < 64 { j += 1 }
            let id = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[s..<j]), as: UTF8.self)
            if id.hasPrefix("ami-"), !out.contains(id) { out.append(id) }
            i = j
        }
        return out
    }
}

/// CloudTrail's `eventTime` (`2026-01-31T12:34:56Z`, sometimes with fractional seconds), parsed
/// by hand: this runs for every event, and a formatter per call would dominate the profile.
public enum EventTime {
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    public static func parse(_ b: UnsafeRawBufferPointer) -> Date? {
        guard b.count >= 19 else { return nil }
        func num(_ at: Int, _ len: Int) -> Int? {
            var v = 0
            for k in at..<(at + len) {
                let c = b[k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x20, b[13] == 0x3A, b[16] == 0x3A,
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm): no Calendar on the hot path.
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        var seconds = Double(days * 86_400 + h * 3_600 + mi * 60 + s)
        var k = 19
        if k < b.count, b[k] == 0x2E {
            k += 1
            var scale = 0.1
            while k < b.count, b[k] >= 0x30, b[k] <= 0x39 { seconds += Double(b[k] - 0x30) * scale; scale /= 10; k += 1 }
        }
        return Date(timeIntervalSince1970: seconds)
    }

    /// `2026-01-31T12:34:56Z`: how alerts print times.
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

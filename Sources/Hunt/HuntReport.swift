import Foundation
import MamoriCore

/// `mamori hunt --format table|json|ocsf`.
public enum HuntFormat: String, CaseIterable, Sendable {
    case table, json, ocsf
}

public enum HuntReport {
    public static func render(_ result: HuntResult, format: HuntFormat, toolVersion: String, now: Date = Date()) throws -> Data {
        switch format {
        case .table: return Data(table(result).utf8)
        case .json: return try json(result.alerts)
        case .ocsf: return try ocsf(result.alerts, toolVersion: toolVersion, now: now)
        }
    }

    /// A JSON array of alerts: the shape `mamori respond leaked-key --from-findings -` reads (`keyId`).
    public static func json(_ alerts: [HuntAlert]) throws -> Data {
        var data = try StableJSON.encode(alerts)
        data.append(0x0A)
        return data
    }

    /// How many event ids the table prints per alert (JSON lists them all).
    public static let tableEventIds = 5

    public static func table(_ result: HuntResult) -> String {
        func clean(_ text: String) -> String { TerminalText.sanitize(text) }
        func list(_ items: [String], _ limit: Int = 3) -> String {
            let shown = items.prefix(limit).map(clean).joined(separator: ", ")
            return items.count > limit ? "\(shown) (+\(items.count - limit) more)" : shown
        }
        var out = ""
        for alert in result.alerts {
            out += "\(alert.severity.rawValue.uppercased())  \(clean(alert.title))  [\(clean(alert.ruleId))]\n"
            out += "  actor    \(alert.actorType.rawValue) \(clean(alert.actor))\n"
            if !alert.accounts.isEmpty {
                let named = alert.accounts.map { id in alert.accountNames?[id].map { "\(id) (\($0))" } ?? id }
                out += "  account  \(list(named))   regions \(list(alert.regions, 5))\n"
            }
            out += "  seen     \(alert.firstSeen) .. \(alert.lastSeen)  (\(alert.count) event\(alert.count == 1 ? "" : "s"): \(list(alert.eventNames, 4)))\n"
            if !alert.sourceIPs.isEmpty { out += "  from     \(list(alert.sourceIPs))\n" }
            if !alert.userAgents.isEmpty { out += "  agents   \(list(alert.userAgents, 2))\n" }
            for image in alert.images ?? [] {
                let owner = image.owner.map { o in image.ownerName.map { "\(o) (\($0))" } ?? o } ?? "unknown owner"
                out += "  image    \(clean(image.imageId)) from \(clean(owner)): \(image.trust)\n"
            }
            out += "  events   \(list(alert.eventIds, tableEventIds))\n"
            if let respond = alert.respond { out += "  respond  \(respond)\n" }
            out += "\n"
        }
        let s = result.stats
        out += "\(result.alerts.count) alert\(result.alerts.count == 1 ? "" : "s") from \(s.events) event\(s.events == 1 ? "" : "s") in \(s.sources) source\(s.sources == 1 ? "" : "s")"
        out += String(format: " (%.1f s)\n", s.seconds)
        if !result.problems.isEmpty {
            out += "Not read in full (\(result.problems.count)):\n"
            for problem in result.problems { out += "  \(clean(problem.source)): \(clean(problem.reason))\n" }
        }
        return out
    }

    // MARK: OCSF

    /// OCSF 1.1 Detection Findings (class 2004), one per alert, its events as `evidences`.
    public static func ocsf(_ alerts: [HuntAlert], toolVersion: String, now: Date) throws -> Data {
        var data = try StableJSON.encode(alerts.map { OCSFDetection($0, toolVersion: toolVersion, now: now) })
        data.append(0x0A)
        return data
    }
}

/// The OCSF attributes a hunt alert fills (names are OCSF's).
struct OCSFDetection: Encodable {
    var activity_id = 1
    var activity_name = "Create"
    var category_uid = 2
    var category_name = "Findings"
    var class_uid = 2004
    var class_name = "Detection Finding"
    var type_uid = 200_401
    var type_name = "Detection Finding: Create"
    var severity_id: Int
    var severity: String
    var status_id = 1
    var status = "New"
    var time: Int64
    var message: String
    var metadata: Metadata
    var finding_info: FindingInfo
    var cloud: Cloud
    var actor: ActorObject
    var evidences: [Evidence]
    var remediation: Remediation
    var unmapped: [String: String]

    struct Metadata: Encodable { var product: Product; var version = "1.1.0"; var event_code: String }
    struct Product: Encodable { var name = "Mamori"; var vendor_name = "Mamori"; var version: String }
    struct FindingInfo: Encodable {
        var uid: String
        var title: String
        var types: [String]
        var first_seen_time: Int64?
        var last_seen_time: Int64?
        var analytic: Analytic
    }
    struct Analytic: Encodable { var uid: String; var name: String; var type = "Rule"; var type_id = 1 }
    struct Cloud: Encodable { var provider = "AWS"; var account: Account?; var region: String? }
    struct Account: Encodable { var uid: String; var name: String?; var type = "AWS Account"; var type_id = 10 }
    struct ActorObject: Encodable { var user: User }
    struct User: Encodable { var uid: String; var type: String; var credential_uid: String? }
    struct Evidence: Encodable {
        var api: API
        var src_endpoint: Endpoint?
        var actor: ActorObject
        var data: [String: String]
    }
    struct API: Encodable { var operation: String; var service: Service }
    struct Service: Encodable { var name: String }
    struct Endpoint: Encodable { var ip: String }
    struct Remediation: Encodable { var desc: String }

    init(_ alert: HuntAlert, toolVersion: String, now: Date) {
        func millis(_ text: String) -> Int64? {
            ISO8601.parse(text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
        }
        let (id, name): (Int, String) = switch alert.severity {
        case .info: (1, "Informational")
        case .low: (2, "Low")
        case .medium: (3, "Medium")
        case .high: (4, "High")
        case .critical: (5, "Critical")
        }
        severity_id = id
        severity = name
        time = Int64((now.timeIntervalSince1970 * 1000).rounded())
        message = alert.message
        metadata = Metadata(product: Product(version: toolVersion), event_code: alert.ruleId)
        finding_info = FindingInfo(uid: "mamori-hunt-\(alert.ruleId)-\(alert.actor)-\(alert.firstSeen)", title: alert.title,
                                   types: ["hunt"], first_seen_time: millis(alert.firstSeen), last_seen_time: millis(alert.lastSeen),
                                   analytic: Analytic(uid: alert.ruleId, name: alert.ruleTitle))
        cloud = Cloud(account: alert.account.isEmpty ? nil : Account(uid: alert.account, name: alert.accountName), region: alert.region.isEmpty ? nil : alert.region)
        let user = User(uid: alert.actor, type: alert.actorType.rawValue, credential_uid: alert.keyId)
        actor = ActorObject(user: user)
        evidences = alert.samples.map { event in
            Evidence(api: API(operation: event.eventName, service: Service(name: event.eventSource)),
                     src_endpoint: event.sourceIP.isEmpty ? nil : Endpoint(ip: event.sourceIP),
                     actor: ActorObject(user: User(uid: event.actor.id, type: event.actor.kind.rawValue,
                                                   credential_uid: event.actor.kind == .accessKey ? event.actor.id : nil)),
                     data: ["eventID": event.eventID, "eventTime": event.time.map(EventTime.format) ?? "",
                            "awsRegion": event.region, "userAgent": event.userAgent])
        }
        remediation = Remediation(desc: alert.remediation)
        unmapped = ["eventIds": alert.eventIds.joined(separator: ","), "count": String(alert.count)]
    }
}

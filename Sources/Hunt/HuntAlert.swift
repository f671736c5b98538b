import Foundation
import MamoriCore
import SigmaEngine

/// What `mamori hunt` reports: one detection by one actor, all its events folded in.
///
/// The JSON form starts with the ten fields of every Mamori finding (so tools that read
/// `scan --format json` read this too), then the hunt's own: `keyId` (for
/// `mamori respond leaked-key --from-findings -`), `eventIds` (every matched event, complete).
public struct HuntAlert: Codable, Sendable, Equatable {
    public var check: String
    public var title: String
    public var severity: Severity
    public var status: FindingStatus
    public var account: String
    public var region: String
    public var resource: String
    public var resourceType: String
    public var message: String
    public var remediation: String

    public var ruleId: String
    public var ruleTitle: String
    public var level: String
    public var actor: String
    public var actorType: Actor.Kind
    /// The long-term access key the alert is about (AKIA…), when it is about one.
    public var keyId: String?
    public var firstSeen: String
    public var lastSeen: String
    public var count: Int
    public var accounts: [String]
    public var regions: [String]
    public var sourceIPs: [String]
    public var userAgents: [String]
    public var eventNames: [String]
    /// The AMIs the matched events launched, with what is known of their owner (whoAMI).
    public var images: [ImageVerdict]?
    /// `mamori respond leaked-key KEY --since DAY` for an access-key alert.
    public var respond: String?
    public var eventIds: [String]
    /// The user's name for `account`, the actor's account (`--accounts FILE` or `--org`).
    public var accountName: String?
    /// `account`'s OU path from the root, when known.
    public var accountOuPath: String?
    /// `belongs to NAME (OU path)` for every named account of `accounts`, by account ID.
    public var accountNames: [String: String]?
    /// The first events in full summary (at most ``AlertBook/sampleLimit``): OCSF evidences, table lines.
    public var samples: [EventSummary] = []

    enum CodingKeys: String, CodingKey {
        case check, title, severity, status, account, region, resource, resourceType, message, remediation
        case ruleId, ruleTitle, level, actor, actorType, keyId, firstSeen, lastSeen, count, accounts, regions
        case sourceIPs, userAgents, eventNames, images, respond, eventIds, accountName, accountOuPath, accountNames
    }

    /// Names the actor's account and the other accounts of the alert from `directory`.
    public mutating func name(from directory: AccountDirectory) {
        if let entry = directory.entry(for: account) {
            accountName = entry.name
            accountOuPath = entry.ouPath
        }
        var names: [String: String] = [:]
        for id in accounts { if let entry = directory.entry(for: id) { names[id] = entry.belongsTo } }
        accountNames = names.isEmpty ? nil : names
    }

    /// The SIGMA level as Mamori's severity (`informational` is `info`).
    public static func severity(level: String) -> Severity {
        switch level.lowercased() {
        case "critical": .critical
        case "high": .high
        case "medium": .medium
        case "low": .low
        default: .info
        }
    }
}

/// An AMI an alert names and whether its owner is trusted; `owner` is nil when nothing said who owns it.
public struct ImageVerdict: Codable, Sendable, Equatable, Hashable {
    public var imageId: String
    public var owner: String?
    public var ownerName: String?
    /// `trusted`, `untrusted` or `unknown` (no saved inventory or trust entry names the image's owner).
    public var trust: String

    public init(imageId: String, owner: String? = nil, ownerName: String? = nil, trust: String) {
        self.imageId = imageId
        self.owner = owner
        self.ownerName = ownerName
        self.trust = trust
    }
}

/// Folds rule hits into alerts, one per (rule, actor). Only the summaries of matched events are
/// kept, and an event counts once per alert however many hits (or correlations) name it.
public struct AlertBook: Sendable {
    struct Group: Sendable {
        var ruleId: String
        var title: String
        var level: String
        var actor: Actor
        var eventIDs: [String] = []
        var seen: Set<String> = []
        var first: Date?
        var last: Date?
        var accounts: [String] = []
        var regions: [String] = []
        var sourceIPs: [String] = []
        var userAgents: [String] = []
        var eventNames: [String] = []
        var images: [String] = []
        var samples: [EventSummary] = []
    }

    /// Events kept in full per alert (the rest are counted and listed by id only).
    public static let sampleLimit = 100

    struct Key: Hashable { var ruleId: String; var actor: Actor }

    private var groups: [Key: Group] = [:]
    private var order: [Key] = []

    public init() {}

    public var isEmpty: Bool { groups.isEmpty }

    /// Adds a hit of the engine: each of its events goes to the alert of its own actor.
    public mutating func add(_ hit: RuleHit) {
        add(ruleId: hit.ruleID, title: hit.title, level: hit.level, events: hit.events.map { EventSummary($0) })
    }

    public mutating func add(ruleId: String, title: String, level: String, events: [EventSummary]) {
        for event in events {
            let key = Key(ruleId: ruleId, actor: event.actor)
            if groups[key] == nil {
                groups[key] = Group(ruleId: ruleId, title: title, level: level, actor: event.actor)
                order.append(key)
            }
            groups[key]!.add(event)
        }
    }

    /// The alerts, most severe first, then by first-seen time; `trust` names the images' owners.
    public func alerts(trust: ImageTrust = ImageTrust()) -> [HuntAlert] {
        let list = order.compactMap { groups[$0] }.map { $0.alert(trust: trust) }
        return list.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity > b.element.severity }
            if a.element.firstSeen != b.element.firstSeen { return a.element.firstSeen < b.element.firstSeen }
            return a.offset < b.offset
        }.map(\.element)
    }
}

extension AlertBook.Group {
    mutating func add(_ event: EventSummary) {
        guard seen.insert(event.eventID).inserted else { return }
        eventIDs.append(event.eventID)
        if samples.count < AlertBook.sampleLimit { samples.append(event) }
        if let time = event.time {
            if first.map({ time < $0 }) ?? true { first = time }
            if last.map({ time > $0 }) ?? true { last = time }
        }
        func note(_ value: String, _ list: inout [String]) {
            if !value.isEmpty, list.count < 1_000, !list.contains(value) { list.append(value) }
        }
        note(event.account, &accounts)
        note(event.region, &regions)
        note(event.sourceIP, &sourceIPs)
        note(event.userAgent, &userAgents)
        note(event.eventName, &eventNames)
        for image in event.images { note(image, &images) }
    }

    func alert(trust: ImageTrust) -> HuntAlert {
        let severity = HuntAlert.severity(level: level)
        let firstText = first.map(EventTime.format) ?? ""
        let lastText = last.map(EventTime.format) ?? ""
        let keyId = actor.kind == .accessKey ? actor.id : nil
        let respond = keyId.map { key in
            "mamori respond leaked-key \(key)" + (first.map { " --since \(TrailDay($0).description.replacingOccurrences(of: "/", with: "-"))" } ?? "")
        }
        let verdicts = images.isEmpty ? nil : images.map { trust.verdict(imageId: $0, account: accounts.first ?? "") }
        let who = "\(actor.kind.rawValue) \(actor.id)"
        var message = "\(title): \(eventIDs.count) event\(eventIDs.count == 1 ? "" : "s") by \(who)"
        if !firstText.isEmpty { message += " from \(firstText) to \(lastText)" }
        if !regions.isEmpty { message += " in \(regions.joined(separator: ", "))" }
        if let verdicts {
            message += "; launched " + verdicts.map { v in
                "\(v.imageId) (owner \(v.owner.map { o in v.ownerName.map { "\(o) \($0)" } ?? o } ?? "unknown"), \(v.trust))"
            }.joined(separator: ", ")
        }
        let remediation = respond.map { "Treat the key as leaked: \($0)" }
            ?? "Review the events in CloudTrail (eventIds) and, if they were not expected, revoke the actor's sessions and credentials."
        return HuntAlert(
            check: ruleId, title: title, severity: severity, status: .fail,
            account: accounts.first ?? "", region: regions.first ?? "", resource: actor.id,
            resourceType: actor.kind == .accessKey ? "AwsIamAccessKey" : actor.kind == .roleSession ? "AwsStsAssumedRoleSession" : actor.kind == .user ? "AwsIamUser" : "AwsPrincipal",
            message: message, remediation: remediation,
            ruleId: ruleId, ruleTitle: title, level: level, actor: actor.id, actorType: actor.kind, keyId: keyId,
            firstSeen: firstText, lastSeen: lastText, count: eventIDs.count, accounts: accounts, regions: regions,
            sourceIPs: sourceIPs, userAgents: userAgents, eventNames: eventNames, images: verdicts, respond: respond,
            eventIds: eventIDs, samples: samples)
    }
}

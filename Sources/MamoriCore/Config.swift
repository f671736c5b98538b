import Foundation
import StreamIO
import Yams

/// `mamori.yml`: thresholds, trusted accounts, muted findings and check selection. Every section
/// is read by the command it configures (`MamoriConfig.sections`); any other is an error.
public struct MamoriConfig: Codable, Sendable {
    public var thresholds: Thresholds
    /// Account IDs the user trusts (image builders, partners): `trust: [...]` or `trust: {accounts: [...]}`.
    public var trust: [String]
    /// `trust: {organization: true}`: every account of the caller's organisation (ListAccounts).
    public var trustOrganization: Bool
    /// `trust: {ous: [ou-…]}`: the accounts under these OUs, nested OUs included.
    public var trustOUs: [String]
    public var mute: [MuteRule]
    /// `scan:`: which checks `scan` and `check` run (flags override it field by field).
    public var scan: ScanSettings

    public init(thresholds: Thresholds = Thresholds(), trust: [String] = [], trustOrganization: Bool = false, trustOUs: [String] = [],
                mute: [MuteRule] = [], scan: ScanSettings = ScanSettings()) {
        self.thresholds = thresholds
        self.trust = trust
        self.trustOrganization = trustOrganization
        self.trustOUs = trustOUs
        self.mute = mute
        self.scan = scan
    }

    enum CodingKeys: String, CodingKey { case thresholds, trust, mute, scan }

    /// The mapping form of `trust:`.
    struct TrustSection: Codable {
        var accounts: [String]?
        var organization: Bool?
        var ous: [String]?
        static let keys: Set<String> = ["accounts", "organization", "ous"]
    }

    /// Trust resolved from the organisation is asked for (`organization: true` or `ous:`).
    public var wantsOrganizationTrust: Bool { trustOrganization || !trustOUs.isEmpty }

    /// Every section `mamori.yml` may have, and who reads it. A section nobody reads is an error, never
    /// silently ignored: a new command's section is added here in the same change as the
    /// code that reads it, and docs/checks.md lists it.
    public static let sections: [String: String] = [
        "thresholds": "scan, check, report render (IAM age limits, or a named set: `thresholds: cis`)",
        "trust": "scan, check, report render, amis plan, secrets (trusted accounts)",
        "mute": "scan, check, report render (muted findings)",
        "scan": "scan, check, report render (check selection: checks, exclude_checks, services, severity)",
        "imds": "imds scan (read by ImdsConfig)",
        "hunt": "hunt (egress_cidrs, aws_ip_ranges, baseline; read by HuntConfig)",
    ]

    /// Sections users may expect from other tools' configs, with what to do instead.
    static let unsupported: [String: String] = [
        "secrets": "mamori secrets takes its settings as flags (--baseline, --exclude, …) and trusted accounts from `trust:`; remove the section",
        "iac": "mamori iac takes its settings as flags; remove the section",
        "amis": "mamori amis plan takes its settings as flags and trusted accounts from `trust:`; remove the section",
    ]

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // `thresholds: cis` names a set; a mapping sets days one by one.
        if let name = try? container.decodeIfPresent(String.self, forKey: .thresholds) {
            guard let named = Thresholds.named(name) else {
                throw DecodingError.dataCorruptedError(forKey: .thresholds, in: container,
                    debugDescription: "unknown threshold set '\(name)' (known: \(Thresholds.setNames.joined(separator: ", ")))")
            }
            thresholds = named
        } else {
            thresholds = try container.decodeIfPresent(Thresholds.self, forKey: .thresholds) ?? Thresholds()
        }
        scan = try container.decodeIfPresent(ScanSettings.self, forKey: .scan) ?? ScanSettings()
        // A plain list of account ids (the original form) still means `accounts`.
        if let list = try? container.decodeIfPresent([String].self, forKey: .trust) {
            trust = list
            trustOrganization = false
            trustOUs = []
        } else {
            let section = try container.decodeIfPresent(TrustSection.self, forKey: .trust)
            trust = section?.accounts ?? []
            trustOrganization = section?.organization ?? false
            trustOUs = section?.ous ?? []
        }
        mute = try container.decodeIfPresent([MuteRule].self, forKey: .mute) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(thresholds, forKey: .thresholds)
        if wantsOrganizationTrust {
            try container.encode(TrustSection(accounts: trust, organization: trustOrganization, ous: trustOUs), forKey: .trust)
        } else {
            try container.encode(trust, forKey: .trust)
        }
        try container.encode(mute, forKey: .mute)
        try container.encode(scan, forKey: .scan)
    }

    /// Loads and validates a config file: unknown top-level keys and malformed values are errors
    /// naming the problem, so a typo never silently disables a threshold or a mute.
    /// Real configs are a few KB; a larger file is refused unread.
    public static let maxFileBytes = 1024 * 1024

    public static func load(path: String) throws(ConfigError) -> MamoriConfig {
        // A regular file of at most 1 MB: a FIFO or device named mamori.yml must not hang every command.
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(path, maxBytes: maxFileBytes) } catch {
            switch error {
            case let .openFailed(_, reason), let .readFailed(_, reason): throw ConfigError.unreadable(path, reason: reason)
            case let .tooLarge(_, limit): throw ConfigError.unreadable(path, reason: "it is larger than \(StreamIOError.sizeText(limit)), the most mamori reads for a config file")
            default: throw ConfigError.unreadable(path, reason: error.description)
            }
        }
        return try parse(String(decoding: bytes, as: UTF8.self), source: path)
    }

    public static func parse(_ text: String, source: String = "mamori.yml") throws(ConfigError) -> MamoriConfig {
        let node: Node?
        do throws(YAMLLimits.TooDeep) { try YAMLLimits.check(text) } catch { throw ConfigError.malformed(source, error.description) }
        do { node = try Yams.compose(yaml: text) } catch { throw ConfigError.malformed(source, "\(error)") }
        guard let node else { return MamoriConfig() }
        guard let mapping = node.mapping else { throw ConfigError.malformed(source, "the top level must be a mapping of sections") }
        for key in mapping.keys {
            let name = key.string ?? "?"
            if let advice = unsupported[name] { throw ConfigError.malformed(source, "section '\(name)' is not read by any command: \(advice)") }
            if sections[name] == nil {
                throw ConfigError.malformed(source, "unknown section '\(name)' (known: \(sections.keys.sorted().joined(separator: ", ")))")
            }
        }
        if let scan = mapping["scan"] {
            guard let section = scan.mapping else { throw ConfigError.malformed(source, "scan: must be a mapping (checks, exclude_checks, services, severity)") }
            for key in section.keys where ScanSettings.CodingKeys(rawValue: key.string ?? "") == nil {
                throw ConfigError.malformed(source, "scan: unknown key '\(key.string ?? "?")' (known: checks, exclude_checks, services, severity)")
            }
        }
        if let rules = mapping["mute"]?.sequence {
            for (index, rule) in rules.enumerated() {
                guard let keys = rule.mapping?.keys else { continue }
                for key in keys where MuteRule.CodingKeys(rawValue: key.string ?? "") == nil {
                    throw ConfigError.malformed(source, "mute.\(index): unknown key '\(key.string ?? "?")' (known: \(MuteRule.CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
            }
        }
        if let trust = mapping["trust"]?.mapping {
            for key in trust.keys where !TrustSection.keys.contains(key.string ?? "") {
                throw ConfigError.malformed(source, "trust: unknown key '\(key.string ?? "?")' (known: accounts, organization, ous)")
            }
        }
        let config: MamoriConfig
        do { config = try YAMLDecoder().decode(MamoriConfig.self, from: text) }
        catch { throw ConfigError.malformed(source, describe(error)) }
        for account in config.trust where !AccountID.isValid(account) {
            throw ConfigError.malformed(source, "trust: '\(account)' is not a 12-digit AWS account ID")
        }
        for ou in config.trustOUs where ou.wholeMatch(of: /ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}/) == nil {
            throw ConfigError.malformed(source, "trust.ous: '\(ou)' is not an organizational unit ID (ou-xxxx-xxxxxxxx)")
        }
        for rule in config.mute where rule.reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ConfigError.malformed(source, "mute: every rule needs a reason (it is shown in the report)")
        }
        return config
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return "\(path): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, let context):
            let path = (context.codingPath + [key]).map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return "\(path) is required"
        default:
            return "\(error)"
        }
    }
}

/// Age limits for the IAM checks, in days.
public struct Thresholds: Codable, Sendable, Equatable {
    public var unusedCredentialDays: Int
    public var accessKeyMaxAgeDays: Int
    public var staleKeyAgeDays: Int
    public var staleKeyUnusedDays: Int
    public var rootRecentUseDays: Int

    public init(unusedCredentialDays: Int = 90, accessKeyMaxAgeDays: Int = 90, staleKeyAgeDays: Int = 365,
                staleKeyUnusedDays: Int = 30, rootRecentUseDays: Int = 30) {
        self.unusedCredentialDays = unusedCredentialDays
        self.accessKeyMaxAgeDays = accessKeyMaxAgeDays
        self.staleKeyAgeDays = staleKeyAgeDays
        self.staleKeyUnusedDays = staleKeyUnusedDays
        self.rootRecentUseDays = rootRecentUseDays
    }

    /// Named sets (`--thresholds cis`, `thresholds: cis`). `default` is Mamori's own: 90 days for unused
    /// credentials, as FSBP IAM.8; `cis` uses CIS AWS Foundations Benchmark v3.0.0's 45 days (1.12).
    public static func named(_ name: String) -> Thresholds? {
        switch name.lowercased() {
        case "default": Thresholds()
        case "cis": Thresholds(unusedCredentialDays: 45)
        default: nil
        }
    }

    public static let setNames = ["default", "cis"]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case unusedCredentialDays = "unused_credential_days"
        case accessKeyMaxAgeDays = "access_key_max_age_days"
        case staleKeyAgeDays = "stale_key_age_days"
        case staleKeyUnusedDays = "stale_key_unused_days"
        case rootRecentUseDays = "root_recent_use_days"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Thresholds()
        func value(_ key: CodingKeys, _ fallback: Int) throws -> Int {
            let days = try container.decodeIfPresent(Int.self, forKey: key) ?? fallback
            guard days > 0 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "must be a positive number of days")
            }
            return days
        }
        unusedCredentialDays = try value(.unusedCredentialDays, defaults.unusedCredentialDays)
        accessKeyMaxAgeDays = try value(.accessKeyMaxAgeDays, defaults.accessKeyMaxAgeDays)
        staleKeyAgeDays = try value(.staleKeyAgeDays, defaults.staleKeyAgeDays)
        staleKeyUnusedDays = try value(.staleKeyUnusedDays, defaults.staleKeyUnusedDays)
        rootRecentUseDays = try value(.rootRecentUseDays, defaults.rootRecentUseDays)
    }
}

/// Mutes matching failing findings; every field given must match. `check`, `region`, `regions` and
/// `resource` are globs (`*`, `?`); `account`/`accounts` are exact ids. After `expires` (a UTC
/// date, the last day the mute holds) the rule stops muting and reports say so.
public struct MuteRule: Codable, Sendable, Equatable {
    public var check: String?
    public var account: String?
    public var accounts: [String]?
    public var region: String?
    public var regions: [String]?
    public var resource: String?
    public var expires: MuteExpiry?
    public var reason: String

    public init(check: String? = nil, account: String? = nil, accounts: [String]? = nil, region: String? = nil, regions: [String]? = nil,
                resource: String? = nil, expires: MuteExpiry? = nil, reason: String) {
        self.check = check
        self.account = account
        self.accounts = accounts
        self.region = region
        self.regions = regions
        self.resource = resource
        self.expires = expires
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case check, account, accounts, region, regions, resource, expires, reason }

    public func matches(_ finding: Finding) -> Bool {
        if let check, !Glob.matches(check, finding.check) { return false }
        if let account, account != finding.account { return false }
        if let accounts, !accounts.contains(finding.account) { return false }
        if let region, !Glob.matches(region, finding.region) { return false }
        if let regions, !regions.contains(where: { Glob.matches($0, finding.region) }) { return false }
        if let resource, !Glob.matches(resource, finding.resource) { return false }
        return true
    }

    /// Whether the rule has stopped muting at `date` (it holds through its `expires` day, UTC).
    public func isExpired(at date: Date) -> Bool {
        guard let expires else { return false }
        return date >= expires.endOfDay
    }

    /// How reports name the rule: its reason and what it matched.
    public var summary: String {
        var parts: [String] = []
        if let check { parts.append("check \(check)") }
        if let account { parts.append("account \(account)") }
        if let accounts { parts.append("accounts \(accounts.joined(separator: ","))") }
        if let region { parts.append("region \(region)") }
        if let regions { parts.append("regions \(regions.joined(separator: ","))") }
        if let resource { parts.append("resource \(resource)") }
        return "\"\(reason)\"" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
    }
}

/// A mute rule's `expires:` date, written YYYY-MM-DD.
public struct MuteExpiry: Codable, Sendable, Equatable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int

    public init?(_ text: String) {
        guard let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})/),
              let year = Int(match.1), let month = Int(match.2), let day = Int(match.3) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Reject 2026-02-30 and the like: the date must survive a round trip.
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: year, month: month, day: day)
        else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        // YAML may hand an unquoted date over as a string; anything else is refused with the expected form.
        let text = (try? container.decode(String.self)) ?? ""
        guard let parsed = MuteExpiry(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expires must be a date written YYYY-MM-DD")
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    /// The first instant after the expiry day, UTC.
    public var endOfDay: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return calendar.date(byAdding: .day, value: 1, to: start)!
    }
}

/// The `scan:` section: which checks run. Empty lists mean "no restriction"; flags override fields.
public struct ScanSettings: Codable, Sendable, Equatable {
    /// Only these check ids (empty: every check).
    public var checks: [String]
    public var excludeChecks: [String]
    /// Only checks of these services (`iam`, `s3`, `ec2`, …; empty: every service).
    public var services: [String]
    /// Minimum severity of the findings kept.
    public var severity: Severity?

    public init(checks: [String] = [], excludeChecks: [String] = [], services: [String] = [], severity: Severity? = nil) {
        self.checks = checks
        self.excludeChecks = excludeChecks
        self.services = services
        self.severity = severity
    }

    enum CodingKeys: String, CodingKey {
        case checks, services, severity
        case excludeChecks = "exclude_checks"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        checks = try container.decodeIfPresent([String].self, forKey: .checks) ?? []
        excludeChecks = try container.decodeIfPresent([String].self, forKey: .excludeChecks) ?? []
        services = try container.decodeIfPresent([String].self, forKey: .services) ?? []
        if let name = try container.decodeIfPresent(String.self, forKey: .severity) {
            guard let severity = Severity(rawValue: name.lowercased()) else {
                throw DecodingError.dataCorruptedError(forKey: .severity, in: container,
                    debugDescription: "unknown severity '\(name)' (known: \(Severity.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            self.severity = severity
        } else {
            severity = nil
        }
    }

    /// These settings with every field the flags give replacing the config's.
    public func overridden(checks: [String], excludeChecks: [String], services: [String], severity: Severity?) -> ScanSettings {
        ScanSettings(checks: checks.isEmpty ? self.checks : checks, excludeChecks: excludeChecks.isEmpty ? self.excludeChecks : excludeChecks,
                     services: services.isEmpty ? self.services : services, severity: severity ?? self.severity)
    }
}

/// A configuration file problem.
public enum ConfigError: Error, CustomStringConvertible, Sendable {
    case unreadable(String, reason: String)
    case malformed(String, String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read config file \(path): \(reason)"
        case .malformed(let path, let reason): return "config file \(path): \(reason)"
        }
    }
}

/// Shell-style globbing (`*` any run, `?` one character), iterative so long inputs stay linear-ish.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.unicodeScalars), t = Array(text.unicodeScalars)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

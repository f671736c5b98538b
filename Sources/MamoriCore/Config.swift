import Foundation
import StreamIO
import Yams

/// `mamori.yml`: thresholds, trusted accounts and muted findings. Sections owned by other
/// commands (`imds:`, `secrets:`, `iac:`) are read by those commands and only checked to exist here.
public struct MamoriConfig: Codable, Sendable {
    public var thresholds: Thresholds
    /// Account IDs the user trusts (image builders, partners): `trust: [...]` or `trust: {accounts: [...]}`.
    public var trust: [String]
    /// `trust: {organization: true}`: every account of the caller's organisation (ListAccounts).
    public var trustOrganization: Bool
    /// `trust: {ous: [ou-…]}`: the accounts under these OUs, nested OUs included.
    public var trustOUs: [String]
    public var mute: [MuteRule]

    public init(thresholds: Thresholds = Thresholds(), trust: [String] = [], trustOrganization: Bool = false, trustOUs: [String] = [],
                mute: [MuteRule] = []) {
        self.thresholds = thresholds
        self.trust = trust
        self.trustOrganization = trustOrganization
        self.trustOUs = trustOUs
        self.mute = mute
    }

    enum CodingKeys: String, CodingKey { case thresholds, trust, mute }

    /// The mapping form of `trust:`.
    struct TrustSection: Codable {
        var accounts: [String]?
        var organization: Bool?
        var ous: [String]?
        static let keys: Set<String> = ["accounts", "organization", "ous"]
    }

    /// Trust resolved from the organisation is asked for (`organization: true` or `ous:`).
    public var wantsOrganizationTrust: Bool { trustOrganization || !trustOUs.isEmpty }

    static let knownKeys: Set<String> = ["thresholds", "trust", "mute", "imds", "secrets", "iac", "amis", "scan", "hunt"]

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        thresholds = try container.decodeIfPresent(Thresholds.self, forKey: .thresholds) ?? Thresholds()
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
            if !knownKeys.contains(name) {
                throw ConfigError.malformed(source, "unknown section '\(name)' (known: \(knownKeys.sorted().joined(separator: ", ")))")
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
        for account in config.trust where !(account.count == 12 && account.allSatisfy(\.isNumber)) {
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

/// Mutes matching failing findings; every field given must match. `resource` is a glob (`*`, `?`).
public struct MuteRule: Codable, Sendable, Equatable {
    public var check: String?
    public var account: String?
    public var region: String?
    public var resource: String?
    public var reason: String

    public init(check: String? = nil, account: String? = nil, region: String? = nil, resource: String? = nil, reason: String) {
        self.check = check
        self.account = account
        self.region = region
        self.resource = resource
        self.reason = reason
    }

    public func matches(_ finding: Finding) -> Bool {
        if let check, !Glob.matches(check, finding.check) { return false }
        if let account, account != finding.account { return false }
        if let region, !Glob.matches(region, finding.region) { return false }
        if let resource, !Glob.matches(resource, finding.resource) { return false }
        return true
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

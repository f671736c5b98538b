import Foundation

/// The AWS CLI's shared files: `~/.aws/credentials` (`[name]`) and `~/.aws/config` (`[profile name]`).
public struct ProfileFiles: Sendable {
    /// Settings per profile name, credentials file entries taking precedence, keys lower-cased.
    public var profiles: [String: [String: String]]
    /// `[sso-session NAME]` sections of the config file (IAM Identity Center), keys lower-cased.
    public var ssoSessions: [String: [String: String]]
    /// The user's home, where `~/.aws/sso/cache` lives.
    public var home: String

    public init(profiles: [String: [String: String]], ssoSessions: [String: [String: String]] = [:], home: String = NSHomeDirectory()) {
        self.profiles = profiles
        self.ssoSessions = ssoSessions
        self.home = home
    }

    /// Loads both files from the locations the AWS CLI uses (honouring `AWS_CONFIG_FILE` and
    /// `AWS_SHARED_CREDENTIALS_FILE`). Missing files are fine; unreadable ones are an error.
    ///
    /// Every setting of a run (region, endpoints, retries, CA bundle, the credential chain) asks for
    /// the files; they are read and parsed once per content: the parsed files are kept per path
    /// and the files' size and modification time, so a changed file is read again.
    public static func load(environment: [String: String]) throws(AWSError) -> ProfileFiles {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let configPath = environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
        let credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials"
        let key = "\(home)\u{0}\(configPath)\u{0}\(stamp(configPath))\u{0}\(credentialsPath)\u{0}\(stamp(credentialsPath))"
        if let cached = cache.get(key) { return cached }
        let files = try read(home: home, configPath: configPath, credentialsPath: credentialsPath)
        cache.set(key, files)
        return files
    }

    /// NSLock rather than Synchronization's Mutex: the package still builds for macOS 14.
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String: ProfileFiles] = [:]
        func get(_ key: String) -> ProfileFiles? { lock.withLock { entries[key] } }
        func set(_ key: String, _ files: ProfileFiles) { lock.withLock { entries[key] = files } }
    }

    private static let cache = Cache()

    /// Size and modification time (nanoseconds), or "-" for a missing file.
    private static func stamp(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "-" }
        return "\(info.st_size):\(info.st_mtim.tv_sec):\(info.st_mtim.tv_nsec)"
    }

    private static func read(home: String, configPath: String, credentialsPath: String) throws(AWSError) -> ProfileFiles {
        var profiles: [String: [String: String]] = [:]
        let config = try sections(path: configPath, isConfig: true)
        for (name, values) in config.profiles {
            profiles[name, default: [:]].merge(values) { _, new in new }
        }
        for (name, values) in try sections(path: credentialsPath, isConfig: false).profiles {
            profiles[name, default: [:]].merge(values) { _, new in new }
        }
        return ProfileFiles(profiles: profiles, ssoSessions: config.ssoSessions, home: home)
    }

    static func sections(path: String, isConfig: Bool) throws(AWSError) -> (profiles: [String: [String: String]], ssoSessions: [String: [String: String]]) {
        guard FileManager.default.fileExists(atPath: path) else { return ([:], [:]) }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw AWSError.credentials("cannot read \(path) as UTF-8 text")
        }
        return sections(text: text, isConfig: isConfig)
    }

    /// The profiles of a file's text (see `sections`).
    public static func parse(text: String, isConfig: Bool) -> [String: [String: String]] {
        sections(text: text, isConfig: isConfig).profiles
    }

    /// INI as the AWS CLI reads it: `#`/`;` comments, `key = value`, indented lines continue a
    /// nested section (e.g. `s3 =`), which we skip. In the config file, `[profile NAME]` and
    /// `[default]` are profiles and `[sso-session NAME]` are Identity Center sessions.
    static func sections(text: String, isConfig: Bool) -> (profiles: [String: [String: String]], ssoSessions: [String: [String: String]]) {
        var result: [String: [String: String]] = [:]
        var sessions: [String: [String: String]] = [:]
        var current: String?
        var inSession = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if rawLine.first == " " || rawLine.first == "\t" { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                inSession = false
                if isConfig {
                    if name.hasPrefix("sso-session ") {
                        name = String(name.dropFirst("sso-session ".count)).trimmingCharacters(in: .whitespaces)
                        current = name
                        inSession = true
                        sessions[name, default: [:]] = sessions[name] ?? [:]
                        continue
                    }
                    if name.hasPrefix("profile ") {
                        name = String(name.dropFirst("profile ".count)).trimmingCharacters(in: .whitespaces)
                    } else if name != "default" {
                        current = nil  // services: not profiles
                        continue
                    }
                }
                current = name
                result[name, default: [:]] = result[name] ?? [:]
                continue
            }
            guard let section = current, let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if let hash = value.range(of: " #") { value = String(value[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces) }
            if inSession { sessions[section, default: [:]][key] = value } else { result[section, default: [:]][key] = value }
        }
        return (result, sessions)
    }
}

/// The one rule for which profile is in effect, as the AWS CLI reads it: `--profile`, then
/// `AWS_PROFILE`, then `AWS_DEFAULT_PROFILE`. The credential chain and every profile setting
/// (region, retries, CA bundle, FIPS and dual-stack endpoints) use it, so they never disagree.
public enum ProfileSelection {
    /// The profile named by the user, or nil when none is (the chain then tries the environment before `default`).
    public static func named(_ explicit: String?, environment: [String: String]) -> String? {
        explicit ?? environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"]
    }

    /// The profile whose settings apply: the named one, else `default`.
    public static func effective(_ explicit: String?, environment: [String: String]) -> String {
        named(explicit, environment: environment) ?? "default"
    }

    /// The settings of the profile in effect; empty when the files do not exist or do not name it.
    /// An unreadable file reads as empty here: the credential chain reports it.
    public static func settings(_ explicit: String?, environment: [String: String]) -> [String: String] {
        (try? ProfileFiles.load(environment: environment))?.profiles[effective(explicit, environment: environment)] ?? [:]
    }

    /// The region for global calls: the first `--region`, then `AWS_REGION` / `AWS_DEFAULT_REGION`,
    /// then the profile's `region`, then us-east-1.
    public static func region(_ explicit: String?, environment: [String: String], profile: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"], !region.isEmpty { return region }
        return profile["region"] ?? "us-east-1"
    }
}

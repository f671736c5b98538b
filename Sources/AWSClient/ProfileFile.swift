import Foundation

/// The AWS CLI's shared files: `~/.aws/credentials` (`[name]`) and `~/.aws/config` (`[profile name]`).
public struct ProfileFiles: Sendable {
    /// Settings per profile name, credentials file entries taking precedence, keys lower-cased.
    public var profiles: [String: [String: String]]

    public init(profiles: [String: [String: String]]) { self.profiles = profiles }

    /// Loads both files from the locations the AWS CLI uses (honouring `AWS_CONFIG_FILE` and
    /// `AWS_SHARED_CREDENTIALS_FILE`). Missing files are fine; unreadable ones are an error.
    public static func load(environment: [String: String]) throws(AWSError) -> ProfileFiles {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let configPath = environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
        let credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials"
        var profiles: [String: [String: String]] = [:]
        for (name, values) in try parse(path: configPath, isConfig: true) {
            profiles[name, default: [:]].merge(values) { _, new in new }
        }
        for (name, values) in try parse(path: credentialsPath, isConfig: false) {
            profiles[name, default: [:]].merge(values) { _, new in new }
        }
        return ProfileFiles(profiles: profiles)
    }

    static func parse(path: String, isConfig: Bool) throws(AWSError) -> [String: [String: String]] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw AWSError.credentials("cannot read \(path) as UTF-8 text")
        }
        return parse(text: text, isConfig: isConfig)
    }

    /// INI as the AWS CLI reads it: `#`/`;` comments, `key = value`, indented lines continue a
    /// nested section (e.g. `s3 =`), which we skip.
    public static func parse(text: String, isConfig: Bool) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if rawLine.first == " " || rawLine.first == "\t" { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if isConfig {
                    if name.hasPrefix("profile ") {
                        name = String(name.dropFirst("profile ".count)).trimmingCharacters(in: .whitespaces)
                    } else if name != "default" {
                        current = nil  // sso-session, services: not profiles
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
            result[section, default: [:]][key] = value
        }
        return result
    }
}

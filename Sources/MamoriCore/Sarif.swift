import Foundation

/// A minimal SARIF 2.1.0 log, shared by every command that reports to code-scanning UIs.
/// Only the parts Mamori fills are modelled; encoding omits nil fields.
public struct SarifLog: Codable, Sendable {
    public var version = "2.1.0"
    public var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    public var runs: [SarifRun]

    enum CodingKeys: String, CodingKey {
        case version, runs
        case schema = "$schema"
    }

    public init(runs: [SarifRun]) { self.runs = runs }

    /// Pretty, stable JSON (sorted keys) for files and golden tests.
    public func encoded() throws -> Data {
        try StableJSON.encode(self)
    }
}

/// One tool run: the rules it knows and the results it found.
public struct SarifRun: Codable, Sendable {
    public var tool: Tool
    public var results: [SarifResult]

    public init(toolName: String, version: String, informationUri: String = "https://github.com/mamori-security/mamori",
                rules: [SarifRule], results: [SarifResult]) {
        self.tool = Tool(driver: .init(name: toolName, version: version, informationUri: informationUri, rules: rules))
        self.results = results
    }

    public struct Tool: Codable, Sendable {
        public var driver: Driver
    }

    public struct Driver: Codable, Sendable {
        public var name: String
        public var version: String
        public var informationUri: String
        public var rules: [SarifRule]
    }
}

/// A rule (check) description.
public struct SarifRule: Codable, Sendable {
    public var id: String
    public var name: String?
    public var shortDescription: SarifMessage
    public var fullDescription: SarifMessage?
    public var help: SarifMessage?
    public var defaultConfiguration: Configuration?
    public var properties: Properties?

    public struct Configuration: Codable, Sendable {
        public var level: String
    }

    /// What GitHub code scanning reads: `security-severity` (a CVSS-like score as a string, by
    /// which it sorts and labels alerts) and `tags` (a "security" tag makes it a security alert).
    public struct Properties: Codable, Sendable {
        public var securitySeverity: String
        public var tags: [String]

        enum CodingKeys: String, CodingKey {
            case securitySeverity = "security-severity"
            case tags
        }
    }

    public init(id: String, name: String? = nil, shortDescription: String, fullDescription: String? = nil,
                help: String? = nil, level: SarifLevel? = nil, severity: Severity? = nil, tags: [String] = []) {
        self.id = id
        self.name = name
        self.shortDescription = SarifMessage(text: shortDescription)
        self.fullDescription = fullDescription.map(SarifMessage.init(text:))
        self.help = help.map(SarifMessage.init(text:))
        self.defaultConfiguration = level.map { Configuration(level: $0.rawValue) }
        self.properties = severity.map { Properties(securitySeverity: $0.securitySeverity, tags: ["security"] + tags) }
    }
}

extension Severity {
    /// GitHub's bands: critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9; info is 0.0.
    public var securitySeverity: String {
        switch self {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "0.0"
        }
    }
}

/// SARIF result levels.
public enum SarifLevel: String, Codable, Sendable {
    case error, warning, note, none

    /// The conventional mapping from Mamori severities.
    public init(_ severity: Severity) {
        switch severity {
        case .critical, .high: self = .error
        case .medium: self = .warning
        case .low, .info: self = .note
        }
    }
}

/// Plain-text message.
public struct SarifMessage: Codable, Sendable {
    public var text: String
    public init(text: String) { self.text = text }
}

/// One result, optionally located in a file (line and column are 1-based).
public struct SarifResult: Codable, Sendable {
    public var ruleId: String
    public var level: SarifLevel
    public var message: SarifMessage
    public var locations: [Location]?
    public var partialFingerprints: [String: String]?

    public init(ruleId: String, level: SarifLevel, message: String, file: String? = nil,
                line: Int? = nil, column: Int? = nil, fingerprint: String? = nil) {
        self.ruleId = ruleId
        self.level = level
        self.message = SarifMessage(text: message)
        if let file {
            let region = line.map { Region(startLine: $0, startColumn: column) }
            self.locations = [Location(physicalLocation: .init(artifactLocation: .init(uri: file), region: region))]
        }
        self.partialFingerprints = fingerprint.map { ["mamori/v1": $0] }
    }

    public struct Location: Codable, Sendable {
        public var physicalLocation: PhysicalLocation
    }

    public struct PhysicalLocation: Codable, Sendable {
        public var artifactLocation: ArtifactLocation
        public var region: Region?
    }

    public struct ArtifactLocation: Codable, Sendable {
        public var uri: String
    }

    public struct Region: Codable, Sendable {
        public var startLine: Int
        public var startColumn: Int?
    }
}

import Foundation
import MamoriCore
import Yams
import LogReaders
import SigmaEngine

/// The `imds:` section of `mamori.yml`.
///
/// ```yaml
/// imds:
///   only_source: [10.0.0.0/8, 192.168.0.0/16]   # alert only for on-premises sources
///   ignore_source: [172.31.0.0/16]              # real EC2/VPC ranges
///   rules: [rules/imds_non_ec2_network.yml, my-extra-rule.yml]
///   format: json                                # force a log format
///   field_map:                                  # rule field: log field (generic JSON / CSV)
///     dst_ip: target.address
///     url: request.path
///   source_fields: [client.addr]                # where the alert's source host is read
///   destination_fields: [target.address]
/// ```
public struct ImdsConfig: Codable, Sendable, Equatable {
    public var onlySource: [String]
    public var ignoreSource: [String]
    public var rules: [String]
    public var format: String?
    /// Rule field name → field name in the log. Applied to every format.
    public var fieldMap: [String: String]
    /// Extra CSV header aliases (lowercased header → rule field).
    public var csvAliases: [String: String]
    public var sourceFields: [String]
    public var destinationFields: [String]

    public init(onlySource: [String] = [], ignoreSource: [String] = [], rules: [String] = [], format: String? = nil,
                fieldMap: [String: String] = [:], csvAliases: [String: String] = [:],
                sourceFields: [String] = [], destinationFields: [String] = []) {
        self.onlySource = onlySource
        self.ignoreSource = ignoreSource
        self.rules = rules
        self.format = format
        self.fieldMap = fieldMap
        self.csvAliases = csvAliases
        self.sourceFields = sourceFields
        self.destinationFields = destinationFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case onlySource = "only_source"
        case ignoreSource = "ignore_source"
        case rules
        case format
        case fieldMap = "field_map"
        case csvAliases = "csv_aliases"
        case sourceFields = "source_fields"
        case destinationFields = "destination_fields"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        onlySource = try c.decodeIfPresent([String].self, forKey: .onlySource) ?? []
        ignoreSource = try c.decodeIfPresent([String].self, forKey: .ignoreSource) ?? []
        rules = try c.decodeIfPresent([String].self, forKey: .rules) ?? []
        format = try c.decodeIfPresent(String.self, forKey: .format)
        fieldMap = try c.decodeIfPresent([String: String].self, forKey: .fieldMap) ?? [:]
        csvAliases = try c.decodeIfPresent([String: String].self, forKey: .csvAliases) ?? [:]
        sourceFields = try c.decodeIfPresent([String].self, forKey: .sourceFields) ?? []
        destinationFields = try c.decodeIfPresent([String].self, forKey: .destinationFields) ?? []
    }

    /// Reads only the `imds:` key of a `mamori.yml`; a missing key gives the defaults.
    /// Unknown keys inside `imds:` are errors, so a typo never silently turns suppression off.
    public static func load(path: String) throws(LogDetectError) -> ImdsConfig {
        return try parse(try RuleLoader.readText(path, kind: .config), file: path)
    }

    public static func parse(_ yaml: String, file: String) throws(LogDetectError) -> ImdsConfig {
        let root: Node?
        do throws(YAMLLimits.TooDeep) { try YAMLLimits.check(yaml) } catch { throw .invalidConfig(file: file, reason: error.description) }
        do { root = try Yams.compose(yaml: yaml) } catch { throw .invalidConfig(file: file, reason: "not valid YAML: \(error)") }
        guard let root, case let .mapping(top) = root, let section = top["imds"] else { return ImdsConfig() }
        guard case let .mapping(map) = section else {
            throw .invalidConfig(file: file, reason: "imds: must be a mapping")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        for key in map.keys {
            let name = key.string ?? "?"
            if !known.contains(name) {
                throw .invalidConfig(file: file, reason: "unknown key imds.\(name) (known: \(known.sorted().joined(separator: ", ")))")
            }
        }
        let config: ImdsConfig
        do {
            let text = try Yams.serialize(node: section)
            config = try YAMLDecoder().decode(ImdsConfig.self, from: text)
        } catch {
            throw .invalidConfig(file: file, reason: "\(error)")
        }
        for cidr in config.onlySource + config.ignoreSource where CIDR(cidr) == nil {
            throw .invalidCIDR(cidr)
        }
        if let format = config.format, LogFormat(argument: format) == nil {
            throw .unknownLogFormat(format)
        }
        return config
    }
}

extension LogFormat {
    /// The reader for this format with the configured CSV column aliases.
    func makeParser(config: ImdsConfig, wanted: Set<String>? = nil) -> any LogLineParser {
        makeParser(csvAliases: config.csvAliases, wanted: wanted)
    }
}

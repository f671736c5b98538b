import LogReaders

/// Errors a user can act on: each names the rule, file or option at fault.
public enum LogDetectError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The rule file is not a SIGMA rule we can evaluate.
    case invalidRule(file: String, reason: String)
    /// The rule uses a SIGMA feature outside the supported subset.
    case unsupportedRuleFeature(file: String, feature: String)
    /// A CIDR given on the command line or in `mamori.yml` does not parse.
    case invalidCIDR(String)
    /// The config file could not be read or decoded.
    case invalidConfig(file: String, reason: String)
    /// `--format` named a log format we do not know.
    case unknownLogFormat(String)
    /// The log format could not be recognised from the first lines.
    case undetectableFormat(file: String)
    /// Reading the log failed (wraps the StreamIO error text).
    case readFailed(file: String, reason: String)
    /// A conversion target was asked for something it cannot express.
    case conversionUnsupported(target: String, reason: String)
    /// A CloudTrail event is not a JSON object the flattener can read.
    case invalidEvent(reason: String)

    public var description: String {
        switch self {
        case let .invalidRule(file, reason):
            return "invalid SIGMA rule \(file): \(reason)"
        case let .unsupportedRuleFeature(file, feature):
            return "SIGMA rule \(file) uses \(feature), which mamori's engine does not support (supported: contains, startswith, endswith, all, cidr, re, exists, cased, base64, base64offset, windash; conditions with and/or/not/parentheses/1 of/all of)"
        case let .invalidCIDR(text):
            return "'\(text)' is not a CIDR range (expected e.g. 10.0.0.0/8 or fd00::/8)"
        case let .invalidConfig(file, reason):
            return "cannot read the imds: section of \(file): \(reason)"
        case let .unknownLogFormat(name):
            return "unknown log format '\(name)' (use one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .undetectableFormat(file):
            return "cannot tell the log format of \(file) from its first lines; pass --format (one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .readFailed(file, reason):
            return "cannot read \(file): \(reason)"
        case let .conversionUnsupported(target, reason):
            return "cannot convert to \(target): \(reason)"
        case let .invalidEvent(reason):
            return "not a CloudTrail event: \(reason)"
        }
    }
}

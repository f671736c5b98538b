import LogReaders
import SigmaEngine

/// What `mamori imds scan` evaluates and how it suppresses.
public struct ScanOptions: Sendable {
    public var rules: [CompiledRule]
    /// Forced log format; nil means detect per file.
    public var format: LogFormat?
    /// Alert only for sources inside these ranges (empty: every source).
    public var onlySource: [CIDR]
    /// Never alert for sources inside these ranges (e.g. real EC2/VPC networks).
    public var ignoreSource: [CIDR]
    public var config: ImdsConfig
    /// How many malformed lines are listed (all are counted).
    public var malformedExamples: Int
    /// Turn the literal prefilter off (for testing that it changes nothing).
    public var prefilter: Bool

    public init(rules: [CompiledRule], format: LogFormat? = nil, onlySource: [CIDR] = [], ignoreSource: [CIDR] = [],
                config: ImdsConfig = ImdsConfig(), malformedExamples: Int = 20, prefilter: Bool = true) {
        self.rules = rules
        self.format = format
        self.onlySource = onlySource
        self.ignoreSource = ignoreSource
        self.config = config
        self.malformedExamples = malformedExamples
        self.prefilter = prefilter
    }

    static let defaultSourceFields = ["id.orig_h", "src_ip", "source.ip", "SourceIp", "src", "c-ip", "client_ip", "src_addr", "remote_addr"]
    static let defaultDestinationFields = [
        "id.resp_h", "dest_ip", "dst_ip", "destination.ip", "DestinationIp", "r-ip", "cs-host", "host", "http.hostname",
        "s-ip", "dst", "url.domain",
    ]
    static let timeFields = ["ts", "timestamp", "@timestamp", "time", "UtcTime", "EventTime", "date_time"]

    func isSuppressed(source: String) -> Bool {
        let address = IPAddress(source)
        if let address, ignoreSource.contains(where: { $0.contains(address) }) { return true }
        if !onlySource.isEmpty {
            guard let address else { return true }
            return !onlySource.contains { $0.contains(address) }
        }
        return false
    }
}

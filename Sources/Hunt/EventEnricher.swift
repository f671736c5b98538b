import Foundation
import MamoriCore
import StreamIO
import Yams
import SigmaEngine
import LogReaders

/// The `hunt:` section of `mamori.yml`.
///
///     hunt:
///       egress_cidrs: [203.0.113.0/24, 2001:db8::/32]   # where your people and CI reach AWS from
///       aws_ip_ranges: ./ip-ranges.json                  # AWS's published ranges (optional)
///       baseline: {min_events: 10, learning_hours: 24}   # per-key baselines (``BaselineSettings``)
public struct HuntConfig: Sendable, Equatable {
    public var egressCIDRs: [String] = []
    public var awsIPRanges: String?
    public var baseline = BaselineSettings()

    public init(egressCIDRs: [String] = [], awsIPRanges: String? = nil) {
        self.egressCIDRs = egressCIDRs
        self.awsIPRanges = awsIPRanges
    }

    static let keys: Set<String> = ["egress_cidrs", "aws_ip_ranges", "baseline"]

    /// Reads only `hunt:` (a missing file section gives the defaults). Unknown keys are errors, so a
    /// typo never silently widens what counts as "outside".
    public static func load(path: String) throws(HuntError) -> HuntConfig {
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(path, maxBytes: 1 << 20) } catch { throw .config(file: path, reason: "\(error)") }
        return try parse(String(decoding: bytes, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws(HuntError) -> HuntConfig {
        do throws(YAMLLimits.TooDeep) { try YAMLLimits.check(text) } catch { throw .config(file: file, reason: error.description) }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw .config(file: file, reason: "not valid YAML: \(error)") }
        guard let root, case let .mapping(top) = root, let section = top["hunt"] else { return HuntConfig() }
        guard case let .mapping(map) = section else { throw .config(file: file, reason: "hunt: must be a mapping") }
        var config = HuntConfig()
        for (key, value) in map {
            let name = key.string ?? ""
            guard keys.contains(name) else {
                throw .config(file: file, reason: "hunt: unknown key '\(name)' (known: \(keys.sorted().joined(separator: ", ")))")
            }
            if name == "egress_cidrs" {
                guard case let .sequence(items) = value else { throw .config(file: file, reason: "hunt.egress_cidrs must be a list of CIDRs") }
                config.egressCIDRs = items.compactMap(\.string)
            } else if name == "baseline" {
                config.baseline = try parseBaseline(value, file: file)
            } else {
                guard let path = value.string else { throw .config(file: file, reason: "hunt.aws_ip_ranges must be a file path") }
                config.awsIPRanges = path
            }
        }
        return config
    }

    static func parseBaseline(_ node: Node, file: String) throws(HuntError) -> BaselineSettings {
        guard case let .mapping(map) = node else { throw .config(file: file, reason: "hunt.baseline must be a mapping (enabled, min_events, learning_hours, …)") }
        var settings = BaselineSettings()
        for (key, value) in map {
            let name = key.string ?? ""
            guard BaselineSettings.keys.contains(name) else {
                throw .config(file: file, reason: "hunt.baseline: unknown key '\(name)' (known: \(BaselineSettings.keys.sorted().joined(separator: ", ")))")
            }
            if name == "enabled" {
                guard let flag = value.bool else { throw .config(file: file, reason: "hunt.baseline.enabled must be true or false") }
                settings.enabled = flag
            } else if name == "learning_hours" {
                guard let hours = value.float, hours >= 0, hours.isFinite else {
                    throw .config(file: file, reason: "hunt.baseline.learning_hours must be a number of hours, 0 or more")
                }
                settings.learningHours = hours
            } else {
                guard let number = value.int, number >= 1 else { throw .config(file: file, reason: "hunt.baseline.\(name) must be a whole number, 1 or more") }
                switch name {
                case "min_events": settings.minEvents = number
                case "max_keys": settings.maxKeys = number
                case "max_values_per_key": settings.maxValuesPerKey = number
                default: settings.maxValuesTotal = number
                }
            }
        }
        return settings
    }
}

/// Errors of `mamori hunt` a user can act on.
public enum HuntError: Error, Equatable, Sendable, CustomStringConvertible {
    case config(file: String, reason: String)
    case invalidCIDR(String)
    case ipRanges(file: String, reason: String)
    case checkpoint(file: String, reason: String)

    public var description: String {
        switch self {
        case let .config(file, reason): "cannot read the hunt: section of \(file): \(reason)"
        case let .invalidCIDR(text): "'\(text)' is not a CIDR range (expected e.g. 203.0.113.0/24 or 2001:db8::/32)"
        case let .ipRanges(file, reason): "cannot read AWS IP ranges \(file): \(reason) (download https://ip-ranges.amazonaws.com/ip-ranges.json)"
        case let .checkpoint(file, reason): "--checkpoint \(file): \(reason)"
        }
    }
}

/// Adds the `mamori.*` fields the shipped rules test, facts a single event cannot state by itself:
///
/// - `mamori.sourceOutsideEgress`: `true` when `sourceIPAddress` is an IP address outside the
///   declared egress ranges (`--egress-cidr`, `hunt.egress_cidrs`) and, when `--aws-ip-ranges` is
///   given, outside AWS's EC2 ranges; `false` for addresses inside them and for AWS services
///   (`AWS Internal`, `ec2.amazonaws.com`). With no egress range declared every address is outside.
/// - `mamori.sharedWith` / `mamori.sharedOutside`: for `ModifyImageAttribute`,
///   `ModifySnapshotAttribute`, `ModifyDBSnapshotAttribute` and `ModifyDBClusterSnapshotAttribute`,
///   the accounts (or `all`) added, and `true` when any is `all` or outside the trust list, the
///   organisation's member accounts (when asked for: `--org`, `trust: {organization: true, ous: …}`)
///   and the account itself.
public struct EventEnricher: Sendable {
    public var egress: [CIDR]
    public var ec2Ranges: AddressRanges?
    public var trusted: Set<String>
    /// The organisation's accounts (`--org`'s ListAccounts): a share to one of them stays inside.
    public var members: Set<String>

    public init(egress: [CIDR] = [], ec2Ranges: AddressRanges? = nil, trusted: Set<String> = [], members: Set<String> = []) {
        self.egress = egress
        self.ec2Ranges = ec2Ranges
        self.trusted = trusted
        self.members = members
    }

    public func enrich(_ record: inout Record) {
        if let source = record["sourceIPAddress"] {
            let outside: Bool
            if let address = source.withUnsafeBytes({ IPAddress.parse($0) }) {
                let inEgress = egress.contains { $0.contains(address) }
                let inEC2 = ec2Ranges?.contains(address) ?? false
                outside = !inEgress && !inEC2
            } else {
                outside = false
            }
            record["mamori.sourceOutsideEgress"] = Array((outside ? "true" : "false").utf8)
        }
        // Who a share-out event adds: the engine's reading of the four request shapes.
        var added = CloudTrailRecord.shareTargets(record)
        guard !added.isEmpty else { return }
        let own = record.text(["recipientAccountId", "userIdentity.accountId"]) ?? ""
        added = Array(Set(added)).sorted()
        record["mamori.sharedWith"] = Array(added.joined(separator: ",").utf8)
        // `all` is public: outside whatever the trust list or the organisation says.
        let outside = added.contains { $0.lowercased() == "all" || ($0 != own && !trusted.contains($0) && !members.contains($0)) }
        record["mamori.sharedOutside"] = Array((outside ? "true" : "false").utf8)
    }
}

/// AWS's published EC2 address ranges (ip-ranges.json), searched in O(log n) for IPv4.
public struct AddressRanges: Sendable {
    /// Sorted, merged [start, end] IPv4 intervals.
    var v4: [(UInt32, UInt32)]
    var v6: [CIDR]

    public init(cidrs: [CIDR]) {
        var intervals: [(UInt32, UInt32)] = []
        var v6: [CIDR] = []
        for cidr in cidrs {
            guard cidr.network.isIPv4 else { v6.append(cidr); continue }
            let b = cidr.network.bytes
            let base = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
            let size: UInt32 = cidr.prefixLength == 0 ? UInt32.max : (UInt32(1) << UInt32(32 - cidr.prefixLength)) &- 1
            let start = cidr.prefixLength == 0 ? 0 : base & ~size
            intervals.append((start, start &+ size))
        }
        intervals.sort { $0.0 < $1.0 }
        var merged: [(UInt32, UInt32)] = []
        for interval in intervals {
            if let last = merged.last, interval.0 <= last.1 &+ 1, last.1 != UInt32.max {
                merged[merged.count - 1].1 = max(last.1, interval.1)
            } else {
                merged.append(interval)
            }
        }
        self.v4 = merged
        self.v6 = v6
    }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.isIPv4 else { return v6.contains { $0.contains(address) } }
        let b = address.bytes
        let value = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
        var low = 0, high = v4.count
        while low < high {
            let mid = (low + high) / 2
            if v4[mid].1 < value { low = mid + 1 } else { high = mid }
        }
        return low < v4.count && v4[low].0 <= value && value <= v4[low].1
    }

    /// The `EC2` prefixes of AWS's ip-ranges.json.
    public static func load(path: String) throws(HuntError) -> AddressRanges {
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(path, maxBytes: 64 << 20) } catch { throw .ipRanges(file: path, reason: "\(error)") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw .ipRanges(file: path, reason: "not the JSON object of ip-ranges.json")
        }
        var cidrs: [CIDR] = []
        for (list, key) in [("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")] {
            for entry in object[list] as? [[String: Any]] ?? [] where (entry["service"] as? String) == "EC2" {
                if let text = entry[key] as? String, let cidr = CIDR(text) { cidrs.append(cidr) }
            }
        }
        guard !cidrs.isEmpty else { throw .ipRanges(file: path, reason: "no EC2 prefixes in it") }
        return AddressRanges(cidrs: cidrs)
    }
}

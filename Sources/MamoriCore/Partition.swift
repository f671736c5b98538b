import Foundation

/// An AWS partition: the separate worlds `aws`, `aws-cn` (China) and `aws-us-gov` (GovCloud).
/// ARNs, DNS names and global endpoints differ between them, so every ARN Mamori writes and every
/// host it calls is derived from the region's partition, never spelled `arn:aws:` by hand.
/// Values come from botocore's `data/partitions.json` (`outputs` of each partition).
public struct Partition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The ARN partition: `aws`, `aws-cn`, `aws-us-gov`.
    public let name: String
    /// DNS suffix of regional endpoints (`amazonaws.com`, `amazonaws.com.cn`).
    public let dnsSuffix: String
    /// DNS suffix of dual-stack (IPv4 and IPv6) endpoints (`api.aws`, `api.amazonwebservices.com.cn`).
    public let dualStackDNSSuffix: String
    /// The region global services sign for when no region says otherwise (botocore's `implicitGlobalRegion`).
    public let globalRegion: String

    public static let aws = Partition(name: "aws", dnsSuffix: "amazonaws.com", dualStackDNSSuffix: "api.aws", globalRegion: "us-east-1")
    public static let awsCN = Partition(name: "aws-cn", dnsSuffix: "amazonaws.com.cn",
                                        dualStackDNSSuffix: "api.amazonwebservices.com.cn", globalRegion: "cn-northwest-1")
    /// GovCloud shares the commercial DNS suffixes; only names and global endpoints differ.
    public static let awsUSGov = Partition(name: "aws-us-gov", dnsSuffix: "amazonaws.com", dualStackDNSSuffix: "api.aws", globalRegion: "us-gov-west-1")

    public static let all: [Partition] = [.aws, .awsCN, .awsUSGov]

    public init(name: String, dnsSuffix: String, dualStackDNSSuffix: String, globalRegion: String) {
        self.name = name
        self.dnsSuffix = dnsSuffix
        self.dualStackDNSSuffix = dualStackDNSSuffix
        self.globalRegion = globalRegion
    }

    /// The partition of a region: `cn-*` is China, `us-gov-*` GovCloud, anything else (including
    /// `global`, an empty string and regions AWS adds later) the commercial partition.
    public init(region: String) {
        if region.hasPrefix("cn-") { self = .awsCN }
        else if region.hasPrefix("us-gov-") { self = .awsUSGov }
        else { self = .aws }
    }

    /// The partition named `aws`, `aws-cn` or `aws-us-gov`; nil for any other name.
    public init?(named name: String) {
        guard let known = Self.all.first(where: { $0.name == name }) else { return nil }
        self = known
    }

    /// The partition an ARN names (`arn:aws-cn:iam::…` → `aws-cn`); nil when the text is no ARN of a known partition.
    public init?(arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "arn" else { return nil }
        self.init(named: String(parts[1]))
    }

    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`; region and account are empty for global resources.
    public func arn(_ service: String, region: String = "", account: String = "", _ resource: String) -> String {
        "arn:\(name):\(service):\(region):\(account):\(resource)"
    }

    /// The AWS Management Console's host in this partition. Each partition has its own console and
    /// its own sign-in: a commercial-console link to a China or GovCloud resource opens nothing.
    /// China: console.amazonaws.cn (AWS China's "Getting Started" guide); GovCloud:
    /// console.amazonaws-us-gov.com (sign-in at signin.amazonaws-us-gov.com, AWS GovCloud (US) User Guide).
    public var consoleHost: String {
        switch name {
        case Partition.awsCN.name: "console.amazonaws.cn"
        case Partition.awsUSGov.name: "console.amazonaws-us-gov.com"
        default: "console.aws.amazon.com"
        }
    }

    /// The account's root principal, `arn:PARTITION:iam::ACCOUNT:root`.
    public func rootARN(account: String) -> String { arn("iam", account: account, "root") }

    public var description: String { name }

    // Encoded as the bare name ("aws-cn"), as inventories and reports spell it.
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let known = Partition(named: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "unknown partition '\(name)' (expected aws, aws-cn or aws-us-gov)"))
        }
        self = known
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

extension Finding {
    /// The partition a finding lives in, the one rule every report and page uses: its region's;
    /// for an account-wide finding (`global`) its resource ARN's, else its account's (`accounts`,
    /// from the inventory or learnt with ``Partition/byAccount(_:)``), else the commercial one.
    /// A key ID or a bare name carries no partition, hence the account fallback.
    public func partition(accounts: [String: Partition] = [:]) -> Partition {
        if region != "global" { return Partition(region: region) }
        return Partition(arn: resource) ?? accounts[account] ?? .aws
    }
}

extension Partition {
    /// Each account's partition as its findings show it (a regional finding or an ARN): for stores
    /// that kept findings but not the inventory, so an account-wide finding on a key ID still links
    /// to its own partition's console.
    public static func byAccount(_ findings: some Sequence<Finding>) -> [String: Partition] {
        var partitions: [String: Partition] = [:]
        for finding in findings where partitions[finding.account] == nil {
            if finding.region != "global" { partitions[finding.account] = Partition(region: finding.region) }
            else if let partition = Partition(arn: finding.resource) { partitions[finding.account] = partition }
        }
        return partitions
    }
}

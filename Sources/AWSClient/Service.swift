import Foundation
import MamoriCore

/// The wire protocol of a service, as botocore's `metadata.protocol` names it.
public enum WireProtocol: Sendable, Equatable {
    /// AWS query (IAM, STS, SNS, RDS…): form POST, `member` lists, XML answers.
    case query
    /// EC2 query: form POST, flattened `X.N` lists, `item` lists in answers.
    case ec2
    /// JSON 1.0 / 1.1 with `X-Amz-Target: prefix.Operation`.
    case json(version: String, targetPrefix: String)
    /// REST with JSON bodies (GuardDuty, Security Hub).
    case restJSON
    /// REST with XML bodies (S3).
    case restXML
}

/// A service as Mamori calls it: botocore's identifiers and how to reach it.
public struct AWSService: Sendable {
    /// botocore's service id, also used for `AWS_ENDPOINT_URL_<ID>`.
    public var id: String
    public var signingName: String
    public var endpointPrefix: String
    public var apiVersion: String
    public var wire: WireProtocol
    /// A global service has one endpoint and signs as this region.
    public var globalRegion: String?

    public init(id: String, signingName: String, endpointPrefix: String, apiVersion: String,
                wire: WireProtocol, globalRegion: String? = nil) {
        self.id = id
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.apiVersion = apiVersion
        self.wire = wire
        self.globalRegion = globalRegion
    }

    public static let iam = AWSService(id: "iam", signingName: "iam", endpointPrefix: "iam", apiVersion: "2010-05-08", wire: .query, globalRegion: "us-east-1")
    public static let sts = AWSService(id: "sts", signingName: "sts", endpointPrefix: "sts", apiVersion: "2011-06-15", wire: .query)
    public static let ec2 = AWSService(id: "ec2", signingName: "ec2", endpointPrefix: "ec2", apiVersion: "2016-11-15", wire: .ec2)
    public static let autoscaling = AWSService(id: "auto-scaling", signingName: "autoscaling", endpointPrefix: "autoscaling", apiVersion: "2011-01-01", wire: .query)
    public static let sns = AWSService(id: "sns", signingName: "sns", endpointPrefix: "sns", apiVersion: "2010-03-31", wire: .query)
    public static let rds = AWSService(id: "rds", signingName: "rds", endpointPrefix: "rds", apiVersion: "2014-10-31", wire: .query)
    public static let sqs = AWSService(id: "sqs", signingName: "sqs", endpointPrefix: "sqs", apiVersion: "2012-11-05", wire: .json(version: "1.0", targetPrefix: "AmazonSQS"))
    public static let organizations = AWSService(id: "organizations", signingName: "organizations", endpointPrefix: "organizations", apiVersion: "2016-11-28", wire: .json(version: "1.1", targetPrefix: "AWSOrganizationsV20161128"), globalRegion: "us-east-1")
    public static let cloudtrail = AWSService(id: "cloudtrail", signingName: "cloudtrail", endpointPrefix: "cloudtrail", apiVersion: "2013-11-01", wire: .json(version: "1.1", targetPrefix: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"))
    public static let budgets = AWSService(id: "budgets", signingName: "budgets", endpointPrefix: "budgets", apiVersion: "2016-10-20", wire: .json(version: "1.1", targetPrefix: "AWSBudgetServiceGateway"), globalRegion: "us-east-1")
    public static let costExplorer = AWSService(id: "cost-explorer", signingName: "ce", endpointPrefix: "ce", apiVersion: "2017-10-25", wire: .json(version: "1.1", targetPrefix: "AWSInsightsIndexService"), globalRegion: "us-east-1")
    public static let support = AWSService(id: "support", signingName: "support", endpointPrefix: "support", apiVersion: "2013-04-15", wire: .json(version: "1.1", targetPrefix: "AWSSupport_20130415"), globalRegion: "us-east-1")
    public static let lambda = AWSService(id: "lambda", signingName: "lambda", endpointPrefix: "lambda", apiVersion: "2015-03-31", wire: .restJSON)
    public static let guardduty = AWSService(id: "guardduty", signingName: "guardduty", endpointPrefix: "guardduty", apiVersion: "2017-11-28", wire: .restJSON)
    public static let securityhub = AWSService(id: "securityhub", signingName: "securityhub", endpointPrefix: "securityhub", apiVersion: "2018-10-26", wire: .restJSON)
    public static let ecs = AWSService(id: "ecs", signingName: "ecs", endpointPrefix: "ecs", apiVersion: "2014-11-13", wire: .json(version: "1.1", targetPrefix: "AmazonEC2ContainerServiceV20141113"))
    public static let ssm = AWSService(id: "ssm", signingName: "ssm", endpointPrefix: "ssm", apiVersion: "2014-11-06", wire: .json(version: "1.1", targetPrefix: "AmazonSSM"))
    public static let imagebuilder = AWSService(id: "imagebuilder", signingName: "imagebuilder", endpointPrefix: "imagebuilder", apiVersion: "2019-12-02", wire: .restJSON)
    public static let codebuild = AWSService(id: "codebuild", signingName: "codebuild", endpointPrefix: "codebuild", apiVersion: "2016-10-06", wire: .json(version: "1.1", targetPrefix: "CodeBuild_20161006"))
    public static let cloudformation = AWSService(id: "cloudformation", signingName: "cloudformation", endpointPrefix: "cloudformation", apiVersion: "2010-05-15", wire: .query)
    public static let s3 = AWSService(id: "s3", signingName: "s3", endpointPrefix: "s3", apiVersion: "2006-03-01", wire: .restXML)
    public static let s3control = AWSService(id: "s3-control", signingName: "s3", endpointPrefix: "s3-control", apiVersion: "2018-08-20", wire: .restXML)
}

/// Where requests go: real AWS by default, or an override (an emulator) for every service.
/// Real endpoints follow the region's partition (`aws`, `aws-cn`, `aws-us-gov`), with FIPS and
/// dual-stack variants when asked for; hosts and signing regions are botocore's (`data/endpoints.json`).
public struct EndpointResolver: Sendable {
    /// `--endpoint-url` or `AWS_ENDPOINT_URL`.
    public var override: URL?
    /// `AWS_ENDPOINT_URL_<SERVICE>` values, keyed by upper-cased service id with `_` for spaces and dashes.
    public var serviceOverrides: [String: URL]
    /// `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`: FIPS 140 validated endpoints.
    public var useFIPS: Bool
    /// `AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint`: IPv4 and IPv6 endpoints.
    public var useDualStack: Bool

    public init(override: URL? = nil, serviceOverrides: [String: URL] = [:], useFIPS: Bool = false, useDualStack: Bool = false) {
        self.override = override
        self.serviceOverrides = serviceOverrides
        self.useFIPS = useFIPS
        self.useDualStack = useDualStack
    }

    /// Reads `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_USE_FIPS_ENDPOINT` and
    /// `AWS_USE_DUALSTACK_ENDPOINT` from an environment, the last two falling back to the profile's
    /// `use_fips_endpoint` / `use_dualstack_endpoint` (the environment wins, as in the AWS CLI).
    public static func fromEnvironment(_ env: [String: String], explicit: String? = nil,
                                       profile: [String: String] = [:]) -> EndpointResolver {
        var services: [String: URL] = [:]
        for (key, value) in env where key.hasPrefix("AWS_ENDPOINT_URL_") {
            if let url = URL(string: value) { services[String(key.dropFirst("AWS_ENDPOINT_URL_".count))] = url }
        }
        let base = (explicit ?? env["AWS_ENDPOINT_URL"]).flatMap { URL(string: $0) }
        func flag(_ variable: String, _ key: String) -> Bool {
            (env[variable].flatMap { $0.isEmpty ? nil : $0 } ?? profile[key])?.lowercased() == "true"
        }
        return EndpointResolver(override: base, serviceOverrides: services,
                                useFIPS: flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
                                useDualStack: flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"))
    }

    /// True when requests go to an override rather than AWS.
    public var isOverridden: Bool { override != nil || !serviceOverrides.isEmpty }

    func overrideURL(for service: AWSService) -> URL? {
        let key = service.id.uppercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        return serviceOverrides[key] ?? override
    }

    /// Scheme, host and port for a service in a region. An override (explicit URL, emulator) always wins.
    public func endpoint(for service: AWSService, region: String) -> (scheme: String, host: String, port: Int?) {
        if let url = overrideURL(for: service) {
            return (url.scheme ?? "https", url.host ?? "localhost", url.port)
        }
        return ("https", host(for: service, region: region), nil)
    }

    /// The region a call signs for: a global service's own region in the partition (IAM in China
    /// signs as cn-north-1, Organizations as cn-northwest-1), else the region itself.
    public func signingRegion(for service: AWSService, region: String) -> String {
        guard service.globalRegion != nil else { return region }
        let partition = Partition(region: region)
        return Self.global[service.id]?[partition.name]?.signingRegion ?? partition.globalRegion
    }

    /// A global service's endpoint in one partition: host, signing region, and FIPS / dual-stack hosts where AWS has them.
    struct GlobalEndpoint {
        var host: String
        var signingRegion: String
        var fips: String? = nil
        var dualStack: String? = nil
    }

    /// botocore's partition endpoints (`partitionEndpoint`) of the global services Mamori calls.
    /// GovCloud endpoints are FIPS endpoints already. Budgets and Cost Explorer have none in
    /// GovCloud: they fall back to the regional pattern and fail with AWS's own error.
    static let global: [String: [String: GlobalEndpoint]] = [
        "iam": [
            "aws": .init(host: "iam.amazonaws.com", signingRegion: "us-east-1", fips: "iam-fips.amazonaws.com", dualStack: "iam.global.api.aws"),
            "aws-cn": .init(host: "iam.cn-north-1.amazonaws.com.cn", signingRegion: "cn-north-1"),
            "aws-us-gov": .init(host: "iam.us-gov.amazonaws.com", signingRegion: "us-gov-west-1", fips: "iam.us-gov.amazonaws.com"),
        ],
        "organizations": [
            "aws": .init(host: "organizations.us-east-1.amazonaws.com", signingRegion: "us-east-1",
                         fips: "organizations-fips.us-east-1.amazonaws.com"),
            "aws-cn": .init(host: "organizations.cn-northwest-1.amazonaws.com.cn", signingRegion: "cn-northwest-1"),
            "aws-us-gov": .init(host: "organizations.us-gov-west-1.amazonaws.com", signingRegion: "us-gov-west-1",
                                fips: "organizations.us-gov-west-1.amazonaws.com"),
        ],
        "budgets": [
            "aws": .init(host: "budgets.amazonaws.com", signingRegion: "us-east-1"),
            "aws-cn": .init(host: "budgets.amazonaws.com.cn", signingRegion: "cn-northwest-1"),
        ],
        "cost-explorer": [
            "aws": .init(host: "ce.us-east-1.amazonaws.com", signingRegion: "us-east-1"),
            "aws-cn": .init(host: "ce.cn-northwest-1.amazonaws.com.cn", signingRegion: "cn-northwest-1"),
        ],
        "support": [
            "aws": .init(host: "support.us-east-1.amazonaws.com", signingRegion: "us-east-1"),
            "aws-cn": .init(host: "support.cn-north-1.amazonaws.com.cn", signingRegion: "cn-north-1"),
            "aws-us-gov": .init(host: "support.us-gov-west-1.amazonaws.com", signingRegion: "us-gov-west-1",
                                fips: "support.us-gov-west-1.amazonaws.com"),
        ],
    ]

    /// GovCloud services whose FIPS endpoint is their ordinary one (botocore's `fips` variant
    /// `{service}.{region}.{dnsSuffix}`); the others take the usual `-fips` name.
    static let govCloudFIPSByDefault: Set<String> = [
        "sts", "ec2", "autoscaling", "sns", "rds", "sqs", "cloudtrail", "guardduty", "ssm", "cloudformation",
    ]

    /// The AWS host of a service in a region (no override).
    public func host(for service: AWSService, region: String) -> String {
        let partition = Partition(region: region)
        if service.globalRegion != nil {
            if let global = Self.global[service.id]?[partition.name] {
                // A global endpoint without a FIPS or dual-stack variant is used as it is.
                if useFIPS, let fips = global.fips { return fips }
                if useDualStack, !useFIPS, let dualStack = global.dualStack { return dualStack }
                return global.host
            }
            return regionalHost(service.endpointPrefix, region: partition.globalRegion, partition: partition)
        }
        return regionalHost(service.endpointPrefix, region: region, partition: partition)
    }

    func regionalHost(_ prefix: String, region: String, partition: Partition) -> String {
        // S3's dual-stack names keep the ordinary suffix: s3.dualstack.REGION.amazonaws.com.
        if prefix == "s3" || prefix == "s3-control", useDualStack, !useFIPS || partition != .awsCN {
            return "\(prefix)\(useFIPS ? "-fips" : "").dualstack.\(region).\(partition.dnsSuffix)"
        }
        let suffix = useDualStack ? partition.dualStackDNSSuffix : partition.dnsSuffix
        let fipsName = useFIPS && !(partition == .awsUSGov && !useDualStack && Self.govCloudFIPSByDefault.contains(prefix))
        return "\(prefix)\(fipsName ? "-fips" : "").\(region).\(suffix)"
    }
}

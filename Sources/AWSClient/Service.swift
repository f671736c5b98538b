import Foundation

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
public struct EndpointResolver: Sendable {
    /// `--endpoint-url` or `AWS_ENDPOINT_URL`.
    public var override: URL?
    /// `AWS_ENDPOINT_URL_<SERVICE>` values, keyed by upper-cased service id with `_` for spaces and dashes.
    public var serviceOverrides: [String: URL]

    public init(override: URL? = nil, serviceOverrides: [String: URL] = [:]) {
        self.override = override
        self.serviceOverrides = serviceOverrides
    }

    /// Reads `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` from an environment.
    public static func fromEnvironment(_ env: [String: String], explicit: String? = nil) -> EndpointResolver {
        var services: [String: URL] = [:]
        for (key, value) in env where key.hasPrefix("AWS_ENDPOINT_URL_") {
            if let url = URL(string: value) { services[String(key.dropFirst("AWS_ENDPOINT_URL_".count))] = url }
        }
        let base = (explicit ?? env["AWS_ENDPOINT_URL"]).flatMap { URL(string: $0) }
        return EndpointResolver(override: base, serviceOverrides: services)
    }

    /// True when requests go to an override rather than AWS.
    public var isOverridden: Bool { override != nil || !serviceOverrides.isEmpty }

    func overrideURL(for service: AWSService) -> URL? {
        let key = service.id.uppercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        return serviceOverrides[key] ?? override
    }

    /// Scheme, host and port for a service in a region.
    public func endpoint(for service: AWSService, region: String) -> (scheme: String, host: String, port: Int?) {
        if let url = overrideURL(for: service) {
            return (url.scheme ?? "https", url.host ?? "localhost", url.port)
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        switch service.id {
        case "iam": return ("https", region.hasPrefix("cn-") ? "iam.cn-north-1.\(suffix)" : "iam.\(suffix)", nil)
        case "budgets": return ("https", "budgets.\(suffix)", nil)
        case "organizations", "cost-explorer", "support": return ("https", "\(service.endpointPrefix).us-east-1.\(suffix)", nil)
        default: return ("https", "\(service.endpointPrefix).\(region).\(suffix)", nil)
        }
    }
}

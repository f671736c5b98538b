import Foundation
import MamoriCore
import Testing
@testable import AWSClient

/// Endpoints per partition, FIPS and dual-stack. Expected hosts and signing regions are botocore's
/// (`data/endpoints.json`, `EndpointResolver.construct_endpoint` with `use_fips_endpoint` /
/// `use_dualstack_endpoint`), read from the installed package rather than guessed.
struct PartitionEndpointTests {
    @Test func partitionOfRegion() {
        #expect(Partition(region: "eu-west-1") == .aws)
        #expect(Partition(region: "cn-north-1").name == "aws-cn")
        #expect(Partition(region: "cn-northwest-1").dnsSuffix == "amazonaws.com.cn")
        #expect(Partition(region: "us-gov-west-1").name == "aws-us-gov")
        #expect(Partition(region: "us-gov-east-1").dnsSuffix == "amazonaws.com")
        #expect(Partition(region: "global") == .aws)
        #expect(Partition(arn: "arn:aws-cn:iam::123456789012:root") == .awsCN)
        #expect(Partition(arn: "AKIA…") == nil)
        #expect(Partition.awsCN.rootARN(account: "123456789012") == "arn:aws-cn:iam::123456789012:root")
        #expect(Partition.awsUSGov.arn("ec2", region: "us-gov-west-1", account: "1", "instance/i-1")
                == "arn:aws-us-gov:ec2:us-gov-west-1:1:instance/i-1")
    }

    /// (service, region, plain, FIPS, dual-stack, FIPS + dual-stack)
    static let vectors: [(AWSService, String, String, String, String, String)] = [
        (.ec2, "eu-west-1", "ec2.eu-west-1.amazonaws.com", "ec2-fips.eu-west-1.amazonaws.com", "ec2.eu-west-1.api.aws", "ec2-fips.eu-west-1.api.aws"),
        (.ec2, "cn-north-1", "ec2.cn-north-1.amazonaws.com.cn", "ec2-fips.cn-north-1.amazonaws.com.cn",
         "ec2.cn-north-1.api.amazonwebservices.com.cn", "ec2-fips.cn-north-1.api.amazonwebservices.com.cn"),
        (.ec2, "us-gov-west-1", "ec2.us-gov-west-1.amazonaws.com", "ec2.us-gov-west-1.amazonaws.com",
         "ec2.us-gov-west-1.api.aws", "ec2-fips.us-gov-west-1.api.aws"),
        (.lambda, "us-gov-west-1", "lambda.us-gov-west-1.amazonaws.com", "lambda-fips.us-gov-west-1.amazonaws.com",
         "lambda.us-gov-west-1.api.aws", "lambda-fips.us-gov-west-1.api.aws"),
        (.sts, "us-east-1", "sts.us-east-1.amazonaws.com", "sts-fips.us-east-1.amazonaws.com", "sts.us-east-1.api.aws", "sts-fips.us-east-1.api.aws"),
        (.sts, "cn-northwest-1", "sts.cn-northwest-1.amazonaws.com.cn", "sts-fips.cn-northwest-1.amazonaws.com.cn",
         "sts.cn-northwest-1.api.amazonwebservices.com.cn", "sts-fips.cn-northwest-1.api.amazonwebservices.com.cn"),
        (.s3, "eu-west-1", "s3.eu-west-1.amazonaws.com", "s3-fips.eu-west-1.amazonaws.com",
         "s3.dualstack.eu-west-1.amazonaws.com", "s3-fips.dualstack.eu-west-1.amazonaws.com"),
        (.s3, "cn-north-1", "s3.cn-north-1.amazonaws.com.cn", "s3-fips.cn-north-1.amazonaws.com.cn",
         "s3.dualstack.cn-north-1.amazonaws.com.cn", "s3-fips.cn-north-1.api.amazonwebservices.com.cn"),
        (.s3, "us-gov-west-1", "s3.us-gov-west-1.amazonaws.com", "s3-fips.us-gov-west-1.amazonaws.com",
         "s3.dualstack.us-gov-west-1.amazonaws.com", "s3-fips.dualstack.us-gov-west-1.amazonaws.com"),
        (.iam, "eu-west-1", "iam.amazonaws.com", "iam-fips.amazonaws.com", "iam.global.api.aws", "iam-fips.amazonaws.com"),
        (.iam, "cn-northwest-1", "iam.cn-north-1.amazonaws.com.cn", "iam.cn-north-1.amazonaws.com.cn",
         "iam.cn-north-1.amazonaws.com.cn", "iam.cn-north-1.amazonaws.com.cn"),
        (.iam, "us-gov-east-1", "iam.us-gov.amazonaws.com", "iam.us-gov.amazonaws.com", "iam.us-gov.amazonaws.com", "iam.us-gov.amazonaws.com"),
        (.organizations, "eu-west-1", "organizations.us-east-1.amazonaws.com", "organizations-fips.us-east-1.amazonaws.com",
         "organizations.us-east-1.amazonaws.com", "organizations-fips.us-east-1.amazonaws.com"),
        (.organizations, "cn-north-1", "organizations.cn-northwest-1.amazonaws.com.cn", "organizations.cn-northwest-1.amazonaws.com.cn",
         "organizations.cn-northwest-1.amazonaws.com.cn", "organizations.cn-northwest-1.amazonaws.com.cn"),
        (.organizations, "us-gov-west-1", "organizations.us-gov-west-1.amazonaws.com", "organizations.us-gov-west-1.amazonaws.com",
         "organizations.us-gov-west-1.amazonaws.com", "organizations.us-gov-west-1.amazonaws.com"),
        (.budgets, "cn-north-1", "budgets.amazonaws.com.cn", "budgets.amazonaws.com.cn", "budgets.amazonaws.com.cn", "budgets.amazonaws.com.cn"),
        (.costExplorer, "cn-north-1", "ce.cn-northwest-1.amazonaws.com.cn", "ce.cn-northwest-1.amazonaws.com.cn",
         "ce.cn-northwest-1.amazonaws.com.cn", "ce.cn-northwest-1.amazonaws.com.cn"),
        (.support, "us-gov-west-1", "support.us-gov-west-1.amazonaws.com", "support.us-gov-west-1.amazonaws.com",
         "support.us-gov-west-1.amazonaws.com", "support.us-gov-west-1.amazonaws.com"),
    ]

    @Test(arguments: 0..<vectors.count) func hostsPerPartition(_ index: Int) {
        let (service, region, plain, fips, dualStack, both) = Self.vectors[index]
        #expect(EndpointResolver().endpoint(for: service, region: region).host == plain)
        #expect(EndpointResolver(useFIPS: true).endpoint(for: service, region: region).host == fips)
        #expect(EndpointResolver(useDualStack: true).endpoint(for: service, region: region).host == dualStack)
        #expect(EndpointResolver(useFIPS: true, useDualStack: true).endpoint(for: service, region: region).host == both)
    }

    @Test func globalServicesSignForTheirPartitionsRegion() {
        let resolver = EndpointResolver()
        #expect(resolver.signingRegion(for: .iam, region: "eu-west-1") == "us-east-1")
        #expect(resolver.signingRegion(for: .iam, region: "cn-northwest-1") == "cn-north-1")
        #expect(resolver.signingRegion(for: .organizations, region: "cn-north-1") == "cn-northwest-1")
        #expect(resolver.signingRegion(for: .iam, region: "us-gov-east-1") == "us-gov-west-1")
        #expect(resolver.signingRegion(for: .support, region: "cn-northwest-1") == "cn-north-1")
        #expect(resolver.signingRegion(for: .ec2, region: "cn-northwest-1") == "cn-northwest-1")
    }

    @Test func fipsAndDualStackFromEnvironmentOrProfile() {
        #expect(EndpointResolver.fromEnvironment(["AWS_USE_FIPS_ENDPOINT": "true"]).useFIPS)
        #expect(EndpointResolver.fromEnvironment([:], profile: ["use_fips_endpoint": "True"]).useFIPS)
        #expect(EndpointResolver.fromEnvironment([:], profile: ["use_dualstack_endpoint": "true"]).useDualStack)
        // The environment wins over the profile, as in the AWS CLI.
        #expect(!EndpointResolver.fromEnvironment(["AWS_USE_FIPS_ENDPOINT": "false"], profile: ["use_fips_endpoint": "true"]).useFIPS)
        #expect(!EndpointResolver.fromEnvironment([:]).useFIPS && !EndpointResolver.fromEnvironment([:]).useDualStack)
    }

    @Test func anExplicitEndpointStillWins() {
        let resolver = EndpointResolver.fromEnvironment(["AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true",
                                                         "AWS_ENDPOINT_URL_IAM": "http://127.0.0.1:7000"],
                                                        explicit: "http://127.0.0.1:5000")
        #expect(resolver.endpoint(for: .ec2, region: "cn-north-1").host == "127.0.0.1")
        #expect(resolver.endpoint(for: .ec2, region: "cn-north-1").port == 5000)
        #expect(resolver.endpoint(for: .iam, region: "us-gov-west-1").port == 7000)
    }
}

/// The one profile rule: --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, default (AWSOptions ignored AWS_DEFAULT_PROFILE).
struct ProfileSelectionTests {
    @Test func profileNameRule() {
        #expect(ProfileSelection.named("cli", environment: ["AWS_PROFILE": "env", "AWS_DEFAULT_PROFILE": "old"]) == "cli")
        #expect(ProfileSelection.named(nil, environment: ["AWS_PROFILE": "env", "AWS_DEFAULT_PROFILE": "old"]) == "env")
        #expect(ProfileSelection.named(nil, environment: ["AWS_DEFAULT_PROFILE": "old"]) == "old")
        #expect(ProfileSelection.named(nil, environment: [:]) == nil)
        #expect(ProfileSelection.effective(nil, environment: [:]) == "default")
    }

    @Test func settingsAndRegionComeFromTheSameProfile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-profile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "[profile old]\nregion = cn-north-1\nuse_fips_endpoint = true\n".write(toFile: "\(dir)/config", atomically: true, encoding: .utf8)
        let env = ["AWS_CONFIG_FILE": "\(dir)/config", "AWS_SHARED_CREDENTIALS_FILE": "\(dir)/none", "AWS_DEFAULT_PROFILE": "old"]
        let settings = ProfileSelection.settings(nil, environment: env)
        #expect(ProfileSelection.region(nil, environment: env, profile: settings) == "cn-north-1")
        #expect(ProfileSelection.region("eu-west-1", environment: env, profile: settings) == "eu-west-1")
        #expect(EndpointResolver.fromEnvironment(env, profile: settings).useFIPS)
    }
}

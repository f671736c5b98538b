import Foundation
import Testing

/// `mamori scan` and `mamori check` against the demo estate, through the real binary.
@Suite(.serialized)
struct ScanTests {
    /// The demo estate's failing findings over us-east-1 and eu-west-1, derived by hand from the
    /// seed in Tests/Support/moto_estate.py (check id, resource suffix).
    static let expectedFailures: Set<String> = [
        "iam.compromised_key_quarantine user/eve",
        "iam.console_without_mfa user/alice",
        "iam.unused_credentials user/bob",      // password last used 120 days ago
        "iam.unused_credentials user/carol",    // key never used, 400 days old
        "iam.access_key_older_90d alice",       // 200 days
        "iam.access_key_older_90d carol",       // 400 days
        "iam.access_key_stale carol",           // > 365 days, never used
        "iam.root_without_mfa root",
        "s3.bucket_public demo-public-policy",
        "s3.bucket_public demo-public-acl",
        "s3.bucket_acls_enabled demo-public-acl",
        "iam.users_long_term_credentials root",
        "sns.topic_public demo-public",
        "sqs.queue_public demo-public",
        "ec2.instance_imdsv2_not_required us-east-1",
        "ec2.instance_imdsv2_not_required eu-west-1",
        "ec2.launch_template_imdsv2_not_required us-east-1",
        "ec2.instance_imds_hop_limit us-east-1",           // IMDSv2 required, hop limit 2, no containers
        "ec2.launch_template_imds_hop_limit us-east-1",    // demo-v2-template; demo-eks-nodes passes (eks:cluster-name)
        "cloudtrail.no_multi_region_trail root",
        "guardduty.disabled eu-west-1",
        "securityhub.disabled eu-west-1",
        // whoAMI and shared resources (seed_images in moto_estate.py); no --trust-account here.
        "ec2.instance_ami_untrusted 444455556666",   // public look-alike from an unknown account
        "ec2.instance_ami_untrusted 666677778888",   // privately shared, not trusted without --trust-account
        "ec2.launch_template_ami_untrusted 444455556666", // demo-batch version 2 only (neither default nor latest)
        "autoscaling.group_override_ami_untrusted 444455556666", // demo-workers' t3.small override
        "ssm.parameter_ami_untrusted 444455556666",   // /demo/golden/ami: a look-alike nothing runs yet
        "ec2.fleet_ami_untrusted 444455556666 fleet", // EC2 Fleet override, capacity 0
        "ec2.fleet_ami_untrusted 444455556666 spot-fleet-request", // Spot Fleet launch specification, capacity 0
        "ec2.shared_ami_untrusted 555566667777",
        "ec2.shared_ami_untrusted 666677778888",
        "ec2.shared_snapshot_untrusted 555566667777",
        "rds.shared_snapshot_untrusted 555566667777",
        // Sharing out (share_out in moto_estate.py): "?" where the message names no other account.
        "ec2.ami_shared_out ?",                       // own AMI made public
        "ec2.snapshot_shared_out 444455556666",       // own EBS snapshot shared with an unknown account
        "rds.snapshot_shared_out 444455556666",       // own DB snapshot shared with an unknown account
        "rds.snapshot_shared_out ?",                  // own cluster snapshot made public
        // Keys inside resources (seed_cloud_keys in moto_estate.py): this account's keys critical, another's high.
        "secrets.key_in_cloud_resource AwsEc2Instance critical",               // plain user data, with its secret
        "secrets.key_in_cloud_resource AwsEc2Instance high",                   // gzip user data, another account's key
        "secrets.key_in_cloud_resource AwsEc2LaunchTemplate critical",         // version 2 only, gzip
        "secrets.key_in_cloud_resource AwsAutoScalingLaunchConfiguration high",
        "secrets.key_in_cloud_resource AwsLambdaFunction critical",            // demo-docs-sample's example key is not reported
        "secrets.key_in_cloud_resource AwsEcsTaskDefinition high",
        "secrets.key_in_cloud_resource AwsSsmParameter critical",              // the SecureString holding a key is not read
        "secrets.key_in_cloud_resource AwsCloudFormationStack critical",       // stack output
        "secrets.key_in_cloud_resource AwsCodeBuildProject high",
    ]

    static func key(_ finding: [String: Any], users: [String: String]) -> String {
        let check = finding["check"] as? String ?? ""
        let resource = finding["resource"] as? String ?? ""
        let region = finding["region"] as? String ?? ""
        switch check {
        case "ec2.fleet_ami_untrusted":
            let kind = resource.split(separator: ":").last?.split(separator: "/").first ?? ""
            return "\(check) \(ownerAccount(finding["message"] as? String ?? "")) \(kind)"
        case let c where c.contains("ami_untrusted") || c.contains("shared_"):
            return "\(check) \(ownerAccount(finding["message"] as? String ?? ""))"
        case "secrets.key_in_cloud_resource":
            return "\(check) \(finding["resourceType"] as? String ?? "") \(finding["severity"] as? String ?? "")"
        case "iam.access_key_older_90d", "iam.access_key_stale":
            return "\(check) \(users[resource] ?? resource)"
        case let c where c.hasPrefix("ec2.") || c.hasPrefix("guardduty.") || c.hasPrefix("securityhub."):
            return "\(check) \(region)"
        case let c where c.hasPrefix("s3.") || c.hasPrefix("sns.") || c.hasPrefix("sqs."):
            return "\(check) \(resource.split(whereSeparator: { $0 == ":" || $0 == "/" }).last ?? "")"
        default:
            return "\(check) \(resource.split(separator: ":").last ?? "")"
        }
    }

    /// The foreign account a message names.
    static func ownerAccount(_ message: String) -> String {
        // The first account the message names ("account 444455556666"), not the scanned one; a bare
        // 12-digit run could also be part of a random resource id (i-0650482932577…).
        let named = message.matches(of: /account (\d{12})\b/).map { String($0.1) }
        return named.first { $0 != "123456789012" } ?? "?"
    }

    func scanJSON(_ extra: [String] = []) throws -> (Run, [[String: Any]]) {
        let estate = try MotoEstate.demo()
        let run = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--region", "eu-west-1",
                                  "--format", "json", "--quiet"] + extra)
        return (run, try run.json())
    }

    @Test func demoEstateFindingsAreExactlyTheSeededRisks() throws {
        let (run, findings) = try scanJSON()
        // moto does not serve GetInstanceMetadataDefaults or Cost Anomaly Detection: a partial scan.
        #expect(run.status == 3, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("partial scan"))
        // Key IDs are random per estate: map them back to their users through the messages.
        var users: [String: String] = [:]
        for finding in findings {
            let message = finding["message"] as? String ?? ""
            if let range = message.range(of: " of user "), let resource = finding["resource"] as? String {
                users[resource] = String(message[range.upperBound...].prefix { $0 != " " })
            }
        }
        let keys = Set(findings.map { Self.key($0, users: users) })
        #expect(keys == Self.expectedFailures, "unexpected: \(keys.subtracting(Self.expectedFailures)), missing: \(Self.expectedFailures.subtracting(keys))")
        #expect(findings.count == Self.expectedFailures.count)
    }

    /// Look-alikes that nothing runs yet: one named only by an SSM parameter, one only by an EC2
    /// Fleet override and a Spot Fleet launch specification. The image collector resolves their
    /// owners like any AMI in use, and each finding says where the reference came from.
    @Test func amisReferencedOnlyByParametersAndFleetsAreFlagged() throws {
        let (run, findings) = try scanJSON(["--all"])
        func failing(_ check: String) -> [[String: Any]] {
            findings.filter { $0["check"] as? String == check && $0["status"] as? String == "fail" }
        }
        let parameter = try #require(failing("ssm.parameter_ami_untrusted").first)
        let message = parameter["message"] as? String ?? ""
        #expect(parameter["severity"] as? String == "critical")
        #expect(parameter["resource"] as? String == "arn:aws:ssm:us-east-1:123456789012:parameter/demo/golden/ami")
        #expect(message.contains("SSM parameter /demo/golden/ami uses AMI ami-") && message.contains("amzn2-ami-hvm-2.0.20250101.0-x86_64-gp2"), "\(message)")
        #expect(message.contains("unknown account 444455556666") && message.contains("aws:ec2:image"), "\(message)")
        let parameterImage = try #require(message.firstMatch(of: /ami-[0-9a-f]+/).map { String($0.0) })
        // Nothing else references it: only the parameter's finding names it.
        let others = findings.filter { ($0["message"] as? String ?? "").contains(parameterImage) && $0["check"] as? String != "ssm.parameter_ami_untrusted" }
        #expect(others.isEmpty, "\(others)")
        // The SSM parameters that hold no AMI id (a key, a region list) are not AMI references.
        #expect(findings.filter { $0["check"] as? String == "ssm.parameter_ami_untrusted" }.count == 1)

        // moto does not implement DescribeImageReferences: the enumeration decides, the summary says
        // so, and it is no scan error.
        #expect(run.stderr.contains("AMI references to shared-in images: enumeration only in us-east-1 (DescribeImageReferences:"), "\(run.stderr)")
        let fleets = failing("ec2.fleet_ami_untrusted")
        #expect(fleets.count == 2)
        let fleet = try #require(fleets.first { ($0["resource"] as? String)?.contains(":fleet/fleet-") == true })
        let fleetMessage = fleet["message"] as? String ?? ""
        #expect(fleetMessage.contains("(a launch template override)") && fleetMessage.contains("al2023-ami-2023.6.20250101.0"), "\(fleetMessage)")
        #expect(fleetMessage.contains("by CloudFormation stack demo-batch-stack") && fleetMessage.contains("launching from launch template lt-"), "\(fleetMessage)")
        let spot = try #require(fleets.first { ($0["resource"] as? String)?.contains(":spot-fleet-request/sfr-") == true })
        let spotMessage = spot["message"] as? String ?? ""
        #expect(spotMessage.contains("(a launch specification)") && spotMessage.contains("with fleet role arn:aws:iam::123456789012:role/demo-spot-fleet"), "\(spotMessage)")
    }

    @Test func whoAMIClassificationWithATrustedAccount() throws {
        let (_, findings) = try scanJSON(["--trust-account", "666677778888", "--all"])
        let instances = findings.filter { $0["check"] as? String == "ec2.instance_ami_untrusted" }
        let failing = instances.filter { $0["status"] as? String == "fail" }
        #expect(failing.count == 1)
        let victim = try #require(failing.first)
        #expect(victim["severity"] as? String == "critical")
        #expect((victim["message"] as? String)?.contains("whoAMI") == true)
        #expect((victim["message"] as? String)?.contains("444455556666") == true)
        // The trusted image builder's AMI passes; so do AWS's own (alias "amazon").
        let passing = instances.filter { $0["status"] as? String == "pass" }.compactMap { $0["message"] as? String }
        #expect(passing.contains { $0.contains("trusted account 666677778888") })
        #expect(passing.contains { $0.contains("from amazon (verified provider)") })
        let shared = findings.filter { $0["check"] as? String == "ec2.shared_ami_untrusted" }
        #expect(shared.map { Self.ownerAccount($0["message"] as? String ?? "") } == ["555566667777"])
        // The hop limit as DescribeInstances / DescribeLaunchTemplateVersions report it; the EKS node template passes.
        let hops = findings.filter { ($0["check"] as? String)?.hasSuffix("imds_hop_limit") == true }
        #expect(hops.contains { $0["status"] as? String == "fail" && ($0["message"] as? String)?.contains("HttpPutResponseHopLimit 2") == true })
        #expect(hops.contains { $0["status"] as? String == "pass" && ($0["message"] as? String)?.contains("demo-eks-nodes") == true
            && ($0["message"] as? String)?.contains("tag eks:cluster-name") == true })
        let bad = try Mamori.run(["scan", "--endpoint-url", MotoEstate.demo().endpoint, "--trust-account", "12345"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("12-digit"))
    }

    @Test func jsonFindingsHaveExactlyTheTenPublishedFields() throws {
        let (_, findings) = try scanJSON()
        let fields: Set<String> = ["check", "title", "severity", "status", "account", "region", "resource", "resourceType", "message", "remediation"]
        #expect(!findings.isEmpty)
        for finding in findings {
            #expect(Set(finding.keys) == fields)
            #expect(finding["status"] as? String == "fail")
            #expect(finding["account"] as? String == "123456789012")
            #expect(["critical", "high", "medium", "low", "info"].contains(finding["severity"] as? String ?? ""))
        }
    }

    @Test func allIncludesPassingFindings() throws {
        let (_, findings) = try scanJSON(["--all"])
        let passing = findings.filter { $0["status"] as? String == "pass" }
        #expect(passing.contains { ($0["resource"] as? String)?.hasSuffix("demo-vpce-only") == true })
        #expect(passing.contains { ($0["resource"] as? String)?.hasSuffix("demo-restricted") == true })
        #expect(passing.contains { ($0["resource"] as? String)?.hasSuffix("demo-default") == true })
    }

    @Test func savedInventoryReEvaluatesOfflineToTheSameFindings() throws {
        let estate = try MotoEstate.demo()
        let dir = Mamori.tempDir()
        let inventory = "\(dir)/inventory.json"
        let scan = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--region", "eu-west-1",
                                   "--format", "json", "--quiet", "--save", inventory])
        // No network: point every endpoint at a closed port to prove nothing is called.
        let env = Mamori.environment(extra: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        let check = try Mamori.run(["check", "--inventory", inventory, "--format", "json"], environment: env)
        #expect(check.status == scan.status)
        #expect(try check.json().count == (try scan.json()).count)
        #expect(check.stdout == scan.stdout)
    }

    @Test func tableReportListsFindingsAndWhatCouldNotBeRead() throws {
        let estate = try MotoEstate.demo()
        let run = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--quiet"])
        #expect(run.status == 3)
        #expect(run.stdout.contains("SEVERITY"))
        #expect(run.stdout.contains("s3.bucket_public"))
        #expect(run.stdout.contains("Partial scan"))
        #expect(run.stdout.contains("GetInstanceMetadataDefaults"))
        #expect(!run.stdout.contains("DescribeImageReferences"), "a fallback to the enumeration is not a part that could not be read")
        #expect(!run.stdout.contains("\u{1B}["), "NO_COLOR and a pipe mean no escape codes")
    }

    @Test func configMutesFindingsWithAReasonAndRejectsTypos() throws {
        let estate = try MotoEstate.demo()
        let dir = Mamori.tempDir()
        try """
            thresholds:
              access_key_max_age_days: 365
            mute:
              - check: s3.bucket_public
                resource: "*demo-public-acl"
                reason: static website, reviewed by security 2026-10
            """.write(toFile: "\(dir)/mamori.yml", atomically: true, encoding: .utf8)
        let run = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--quiet",
                                  "--config", "\(dir)/mamori.yml"])
        #expect(run.stdout.contains("static website, reviewed by security 2026-10"))
        #expect(run.stdout.contains("1 muted"))
        let json = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--quiet", "--format", "json",
                                   "--config", "\(dir)/mamori.yml"]).json()
        #expect(!json.contains { $0["check"] as? String == "s3.bucket_public" && ($0["resource"] as? String)?.hasSuffix("demo-public-acl") == true })
        // A 365-day limit leaves only carol's 400-day key.
        #expect(json.filter { $0["check"] as? String == "iam.access_key_older_90d" }.count == 1)

        try "thresholds:\n  acess_key_max_age_days: 10\nmystery: 1\n".write(toFile: "\(dir)/bad.yml", atomically: true, encoding: .utf8)
        let bad = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--config", "\(dir)/bad.yml"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown section 'mystery'"))
    }

    @Test func missingCredentialsAreAClearError() throws {
        var env = Mamori.environment()
        env["AWS_ACCESS_KEY_ID"] = nil
        env["AWS_SECRET_ACCESS_KEY"] = nil
        let run = try Mamori.run(["scan", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"], environment: env)
        #expect(run.status == 2)
        #expect(run.stderr.contains("no AWS credentials found"))
        #expect(run.stderr.contains("--allow-imds"))
    }

    @Test func unreachableEndpointIsAClearError() throws {
        let run = try Mamori.run(["scan", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1", "--quiet"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot identify the account"))
    }

    @Test func profileWithRoleArnAssumesTheRole() throws {
        let estate = try MotoEstate.demo()
        let home = Mamori.tempDir()
        try FileManager.default.createDirectory(atPath: "\(home)/.aws", withIntermediateDirectories: true)
        try """
            [base]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = not-a-real-secret-for-tests
            """.write(toFile: "\(home)/.aws/credentials", atomically: true, encoding: .utf8)
        try """
            [profile auditor]
            role_arn = arn:aws:iam::123456789012:role/mamori-audit
            source_profile = base
            region = us-east-1
            """.write(toFile: "\(home)/.aws/config", atomically: true, encoding: .utf8)
        var env = Mamori.environment(home: home)
        env["AWS_ACCESS_KEY_ID"] = nil
        env["AWS_SECRET_ACCESS_KEY"] = nil
        let run = try Mamori.run(["scan", "--profile", "auditor", "--endpoint-url", estate.endpoint, "--region", "us-east-1",
                                  "--format", "json", "--quiet"], environment: env)
        #expect(run.status == 3, "stderr: \(run.stderr)")
        #expect(try run.json().contains { $0["check"] as? String == "s3.bucket_public" })
        let log = try String(contentsOfFile: estate.requestLog, encoding: .utf8)
        #expect(log.contains("\"sts:AssumeRole\""))
    }
}

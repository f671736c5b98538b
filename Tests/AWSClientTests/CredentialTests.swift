import AWSTestSupport
import Foundation
import MamoriCore
import Testing
@testable import AWSClient

struct CredentialTests {
    let configuration = ClientConfiguration(transport: ReplayTransport([]))

    func home(credentials: String = "", config: String = "") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-creds-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(dir)/.aws", withIntermediateDirectories: true)
        try credentials.write(toFile: "\(dir)/.aws/credentials", atomically: true, encoding: .utf8)
        try config.write(toFile: "\(dir)/.aws/config", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func environmentComesFirst() async throws {
        let env = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t", "HOME": "/nonexistent"]
        let provider = try CredentialChain.resolve(CredentialOptions(environment: env, region: "us-east-1"), configuration: configuration, onEC2: false)
        let creds = try await provider.credentials()
        #expect(creds.accessKeyId == "AKIAENV")
        #expect(creds.sessionToken == "t")
    }

    @Test func keyWithoutSecretIsAClearError() async throws {
        let provider = try CredentialChain.resolve(CredentialOptions(environment: ["AWS_ACCESS_KEY_ID": "AKIA", "HOME": "/nonexistent"], region: "us-east-1"),
                                                   configuration: configuration, onEC2: false)
        await #expect(throws: AWSError.self) { _ = try await provider.credentials() }
    }

    @Test func profileFilesAndPrecedence() async throws {
        let dir = try home(credentials: """
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = d
            # comment
            [dev]
            aws_access_key_id=AKIADEV
            aws_secret_access_key=v ; not a comment in values
            """, config: """
            [profile dev]
            region = eu-west-1
            s3 =
              max_concurrent_requests = 10
            [sso-session corp]
            sso_region = us-east-1
            """)
        let files = try ProfileFiles.load(environment: ["HOME": dir])
        #expect(files.profiles["dev"]?["region"] == "eu-west-1")
        #expect(files.profiles["dev"]?["max_concurrent_requests"] == nil)
        #expect(files.profiles["corp"] == nil)
        #expect(files.ssoSessions["corp"]?["sso_region"] == "us-east-1")
        let dev = try CredentialChain.resolve(CredentialOptions(profile: "dev", environment: ["HOME": dir], region: "us-east-1"),
                                              configuration: configuration, onEC2: false)
        #expect(try await dev.credentials().accessKeyId == "AKIADEV")
        let fallback = try CredentialChain.resolve(CredentialOptions(environment: ["HOME": dir], region: "us-east-1"),
                                                   configuration: configuration, onEC2: false)
        #expect(try await fallback.credentials().accessKeyId == "AKIADEFAULT")
    }

    @Test func missingProfileAndBrokenRoleProfilesAreClearErrors() throws {
        let dir = try home(config: """
            [profile norole]
            role_arn = arn:aws:iam::1:role/x
            [profile loop]
            role_arn = arn:aws:iam::1:role/x
            source_profile = loop2
            [profile loop2]
            role_arn = arn:aws:iam::1:role/y
            source_profile = loop
            [profile sso]
            sso_session = corp
            """)
        for (profile, phrase) in [("absent", "is not in"), ("norole", "neither source_profile"), ("loop", "loop"), ("sso", "no [sso-session corp] section")] {
            #expect {
                _ = try CredentialChain.resolve(CredentialOptions(profile: profile, environment: ["HOME": dir], region: "us-east-1"),
                                                configuration: configuration, onEC2: false)
            } throws: { error in
                "\(error)".contains(phrase)
            }
        }
    }

    @Test func imdsIsNeverUsedOffEC2UnlessAllowed() throws {
        let env = ["HOME": "/nonexistent"]
        #expect {
            _ = try CredentialChain.resolve(CredentialOptions(environment: env, region: "us-east-1"), configuration: configuration, onEC2: false)
        } throws: { "\($0)".contains("--allow-imds") }
        let allowed = try CredentialChain.resolve(CredentialOptions(allowIMDS: true, environment: env, region: "us-east-1"),
                                                  configuration: configuration, onEC2: false)
        #expect(allowed is RefreshingCredentialProvider)
        let onEC2 = try CredentialChain.resolve(CredentialOptions(environment: env, region: "us-east-1"), configuration: configuration, onEC2: true)
        #expect(onEC2 is RefreshingCredentialProvider)
        #expect {
            _ = try CredentialChain.resolve(CredentialOptions(allowIMDS: true, environment: ["HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"],
                                                              region: "us-east-1"), configuration: configuration, onEC2: true)
        } throws: { _ in true }
    }

    /// Every path to metadata-service credentials, as (name, profile, extra environment).
    static let imdsPaths: [(String, String?, [String: String])] = [
        ("chain", nil, [:]),
        ("credential_source", "instance", [:]),
        ("source_profile", "chained", [:]),
        ("container full URI", nil, ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:7/latest/meta-data/iam/security-credentials/r"]),
        ("EcsContainer", "container", ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:7/latest/meta-data/iam/security-credentials/r"]),
    ]

    func imdsHome() throws -> String {
        try home(config: """
            [profile instance]
            role_arn = arn:aws:iam::1:role/r
            credential_source = Ec2InstanceMetadata
            [profile chained]
            role_arn = arn:aws:iam::1:role/s
            source_profile = instance
            [profile container]
            role_arn = arn:aws:iam::1:role/r
            credential_source = EcsContainer
            """)
    }

    /// Resolves, and if that succeeds fetches, counting what reached the transport.
    func attempt(_ profile: String?, _ env: [String: String], allow: Bool, onEC2: Bool) async -> (error: String?, sent: Int) {
        let transport = ReplayTransport([])
        let configuration = ClientConfiguration(endpoints: EndpointResolver(override: URL(string: "http://127.0.0.1:1")), transport: transport)
        do {
            let provider = try CredentialChain.resolve(CredentialOptions(profile: profile, allowIMDS: allow, environment: env, region: "us-east-1"),
                                                       configuration: configuration, onEC2: onEC2)
            _ = try? await provider.credentials()
            return (nil, transport.sent.count)
        } catch {
            return ("\(error)", transport.sent.count)
        }
    }

    @Test(arguments: imdsPaths.indices) func noPathReachesTheMetadataServiceOffEC2(_ index: Int) async throws {
        let (name, profile, extra) = Self.imdsPaths[index]
        let env = ["HOME": try imdsHome(), "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:7"].merging(extra) { a, _ in a }
        let off = await attempt(profile, env, allow: false, onEC2: false)
        #expect(off.sent == 0, "\(name)")
        #expect(off.error?.contains("--allow-imds") == true, "\(name): \(off.error ?? "no error")")
        // AWS_EC2_METADATA_DISABLED=true wins over --allow-imds and over being on EC2.
        let disabled = await attempt(profile, env.merging(["AWS_EC2_METADATA_DISABLED": "TRUE"]) { _, b in b }, allow: true, onEC2: true)
        #expect(disabled.sent == 0, "\(name)")
        #expect(disabled.error?.contains("AWS_EC2_METADATA_DISABLED=true") == true, "\(name): \(disabled.error ?? "no error")")
        // The control: allowed, the same settings do reach the endpoint.
        let allowed = await attempt(profile, env, allow: true, onEC2: false)
        #expect(allowed.error == nil && allowed.sent > 0, "\(name): \(allowed.error ?? "")")
    }

    @Test func metadataEndpointComesFromEnvironmentThenProfileThenMode() throws {
        #expect(try IMDSEndpoint.resolve(environment: [:], profile: [:]) == .ipv4)
        #expect(try IMDSEndpoint.resolve(environment: [:], profile: ["ec2_metadata_service_endpoint_mode": "IPv6"]) == .ipv6)
        let profile = try IMDSEndpoint.resolve(environment: [:], profile: ["ec2_metadata_service_endpoint": "http://127.0.0.1:8080"])
        #expect(profile.host == "127.0.0.1" && profile.port == 8080)
        let env = try IMDSEndpoint.resolve(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://[::1]:9"],
                                           profile: ["ec2_metadata_service_endpoint": "http://127.0.0.1:8080"])
        #expect(env.host == "[::1]" && env.port == 9)
        #expect(throws: AWSError.self) { try IMDSEndpoint.resolve(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "169.254.169.254"], profile: [:]) }
    }

    @Test func containerFullURIOverPlainHTTPMustBeLocal() throws {
        let transport = ReplayTransport([])
        #expect(throws: AWSError.self) {
            _ = try ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://203.0.113.5/creds"], transport: transport)
        }
        #expect(throws: AWSError.self) {
            _ = try ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.169.254/latest/meta-data/iam/security-credentials/r"],
                                                transport: transport)
        }
        #expect(try ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials"],
                                                transport: transport) != nil)
        #expect(try ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.example.com/x"],
                                                transport: transport) != nil)
    }

    @Test func ec2DetectionReadsFirmwareOnly() {
        #expect(IMDSCredentialProvider.runningOnEC2 { $0.hasSuffix("sys_vendor") ? "Amazon EC2\n" : nil })
        #expect(IMDSCredentialProvider.runningOnEC2 { $0.hasSuffix("board_asset_tag") ? "i-0123456789abcdef0" : nil })
        #expect(!IMDSCredentialProvider.runningOnEC2 { $0.hasSuffix("sys_vendor") ? "QEMU" : nil })
    }

    @Test func imdsUsesV2TokenFirst() async throws {
        let transport = ReplayTransport([
            ok("TOKEN"), ok("my-role\n"),
            ok(#"{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#),
        ])
        let endpoint = try IMDSEndpoint.resolve(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1"], profile: [:])
        let creds = try await IMDSCredentialProvider(endpoint: endpoint, transport: transport).credentials()
        #expect(creds.accessKeyId == "ASIAIMDS")
        #expect(transport.sent[0].method == "PUT")
        #expect(transport.sent[1].header("X-aws-ec2-metadata-token") == "TOKEN")
        #expect(transport.sent[2].path == "/latest/meta-data/iam/security-credentials/my-role")
    }

    @Test func assumeRoleParsesSTSAndRefreshesBeforeExpiry() async throws {
        let soon = ISO8601.string(Date().addingTimeInterval(60))
        let later = ISO8601.string(Date().addingTimeInterval(3600))
        func answer(_ id: String, _ expiry: String) -> Result<HTTPResponse, AWSError> {
            ok("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>\(id)</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>\(expiry)</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>")
        }
        let transport = ReplayTransport([answer("ASIA1", soon), answer("ASIA2", later)])
        let configuration = ClientConfiguration(endpoints: EndpointResolver(override: URL(string: "http://127.0.0.1:1")), transport: transport)
        let provider = RefreshingCredentialProvider(AssumeRoleCredentialProvider(
            roleArn: "arn:aws:iam::1:role/r", externalId: "ext", source: StaticCredentialProvider(Credentials(accessKeyId: "A", secretAccessKey: "B")),
            configuration: configuration, region: "us-east-1"))
        #expect(try await provider.credentials().accessKeyId == "ASIA1")
        // Expires within the five-minute margin: refreshed.
        #expect(try await provider.credentials().accessKeyId == "ASIA2")
        #expect(try await provider.credentials().accessKeyId == "ASIA2")
        #expect(transport.sent.count == 2)
        #expect(String(decoding: transport.sent[0].body, as: UTF8.self).contains("ExternalId=ext"))
    }

    /// The files are parsed once per content: a second load reuses them, a changed file is read again.
    @Test func profileFilesAreReadOncePerContent() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-profile-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/.aws", withIntermediateDirectories: true)
        try "[profile a]\nregion = eu-west-1\n".write(toFile: dir + "/.aws/config", atomically: true, encoding: .utf8)
        #expect(try ProfileFiles.load(environment: ["HOME": dir]).profiles["a"]?["region"] == "eu-west-1")
        #expect(try ProfileFiles.load(environment: ["HOME": dir]).profiles["a"]?["region"] == "eu-west-1")
        try "[profile a]\nregion = ap-southeast-2\n".write(toFile: dir + "/.aws/config", atomically: true, encoding: .utf8)
        #expect(try ProfileFiles.load(environment: ["HOME": dir]).profiles["a"]?["region"] == "ap-southeast-2")
    }
}

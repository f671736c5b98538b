import Foundation
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
        for (profile, phrase) in [("absent", "is not in"), ("norole", "neither source_profile"), ("loop", "loop"), ("sso", "aws sso login")] {
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
        let creds = try await IMDSCredentialProvider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1"], transport: transport).credentials()
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
}

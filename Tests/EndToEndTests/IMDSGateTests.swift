import Foundation
import Testing

/// A fake instance metadata service on 127.0.0.1 (`Tests/Support/fake_imds.py`) that would hand
/// out credentials to anyone and records every request it gets.
final class FakeIMDS: Sendable {
    let endpoint: String
    let log: String
    private let process: Process

    init() throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-imds-\(UUID().uuidString).log").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", MotoEstate.repoRoot.appendingPathComponent("Tests/Support/fake_imds.py").path, "--log", log]
        let stdout = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        endpoint = try readyEndpoint(stdout, process: process, orElse: "the fake metadata service exited before it was ready")
    }

    /// `METHOD PATH` of every request received so far.
    var requests: [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    deinit { process.terminate() }
}

/// The firmware files Mamori reads to decide it runs on EC2: on EC2 the "off EC2" half cannot be tested.
let hostLooksLikeEC2 = ["/sys/devices/virtual/dmi/id/sys_vendor", "/sys/devices/virtual/dmi/id/board_asset_tag", "/sys/hypervisor/uuid"]
    .contains { path in
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        return text.contains("Amazon EC2") || text.hasPrefix("i-") || text.lowercased().hasPrefix("ec2")
    }

/// Every way to metadata-service credentials asks the one EC2 check before sending anything.
@Suite(.serialized, .enabled(if: !hostLooksLikeEC2, "this host looks like EC2"))
struct IMDSGateTests {
    /// A home whose ~/.aws/config has every profile shape that leads to the metadata service.
    func home(imds: String) throws -> String {
        let home = Mamori.tempDir()
        try FileManager.default.createDirectory(atPath: "\(home)/.aws", withIntermediateDirectories: true)
        try """
            [profile instance]
            role_arn = arn:aws:iam::123456789012:role/audit
            credential_source = Ec2InstanceMetadata
            ec2_metadata_service_endpoint = \(imds)
            [profile chained]
            role_arn = arn:aws:iam::123456789012:role/second
            source_profile = instance
            ec2_metadata_service_endpoint = \(imds)
            [profile container]
            role_arn = arn:aws:iam::123456789012:role/audit
            credential_source = EcsContainer
            ec2_metadata_service_endpoint = \(imds)
            """.write(toFile: "\(home)/.aws/config", atomically: true, encoding: .utf8)
        return home
    }

    /// No key in the environment and metadata not disabled: only the given settings decide.
    func environment(home: String, _ extra: [String: String] = [:]) -> [String: String] {
        var env = Mamori.environment(home: home, extra: extra)
        env["AWS_ACCESS_KEY_ID"] = nil
        env["AWS_SECRET_ACCESS_KEY"] = nil
        env["AWS_EC2_METADATA_DISABLED"] = extra["AWS_EC2_METADATA_DISABLED"]
        return env
    }

    func scan(_ extra: [String], _ env: [String: String]) throws -> Run {
        try Mamori.run(["scan", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1", "--quiet"] + extra, environment: env)
    }

    /// (name, extra arguments, extra environment) for each path to the metadata service.
    func paths(_ imds: FakeIMDS) -> [(String, [String], [String: String])] {
        [("chain", [], ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.endpoint]),
         ("credential_source", ["--profile", "instance"], [:]),
         ("source_profile", ["--profile", "chained"], [:]),
         ("container full URI", [], ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.endpoint,
                                     "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(imds.endpoint)/latest/meta-data/iam/security-credentials/fake-role"]),
         ("EcsContainer", ["--profile", "container"],
          ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(imds.endpoint)/latest/meta-data/iam/security-credentials/fake-role"])]
    }

    @Test func offEC2NoPathAsksTheMetadataService() throws {
        let imds = try FakeIMDS()
        let home = try home(imds: imds.endpoint)
        for (name, arguments, extra) in paths(imds) {
            let run = try scan(arguments, environment(home: home, extra))
            #expect(run.status == 2, "\(name): \(run.stderr)")
            #expect(run.stderr.contains("--allow-imds"), "\(name): \(run.stderr)")
            #expect(imds.requests.isEmpty, "\(name) asked the metadata service: \(imds.requests)")
        }
    }

    @Test func metadataDisabledWinsOverAllowImds() throws {
        let imds = try FakeIMDS()
        let home = try home(imds: imds.endpoint)
        for (name, arguments, extra) in paths(imds) {
            let run = try scan(arguments + ["--allow-imds"], environment(home: home, extra.merging(["AWS_EC2_METADATA_DISABLED": "true"]) { a, _ in a }))
            #expect(run.status == 2, "\(name): \(run.stderr)")
            #expect(run.stderr.contains("AWS_EC2_METADATA_DISABLED=true"), "\(name): \(run.stderr)")
            #expect(imds.requests.isEmpty, "\(name) asked the metadata service: \(imds.requests)")
        }
    }

    /// The control: with --allow-imds the same settings do reach the configured endpoint, so the
    /// zero counts above are the gate's doing (and both endpoint settings are honoured).
    @Test func allowImdsUsesTheConfiguredEndpoint() throws {
        let imds = try FakeIMDS()
        let home = try home(imds: imds.endpoint)
        _ = try scan(["--allow-imds"], environment(home: home, ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.endpoint]))
        #expect(imds.requests.first == "PUT /latest/api/token")
        #expect(imds.requests.contains("GET /latest/meta-data/iam/security-credentials/fake-role"))
        let before = imds.requests.count
        _ = try scan(["--allow-imds", "--profile", "instance"], environment(home: home))
        #expect(imds.requests.count > before, "the profile's ec2_metadata_service_endpoint was not used")
    }
}

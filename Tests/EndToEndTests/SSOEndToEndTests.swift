import Foundation
import Testing

/// A fake IAM Identity Center portal on 127.0.0.1 (`Tests/Support/fake_sso_portal.py`).
final class FakeSSOPortal: Sendable {
    let endpoint: String
    let log: String
    private let process: Process

    init() throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-sso-\(UUID().uuidString).log").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", MotoEstate.repoRoot.appendingPathComponent("Tests/Support/fake_sso_portal.py").path, "--log", log]
        let stdout = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        endpoint = try readyEndpoint(stdout, process: process, orElse: "the fake SSO portal exited before it was ready")
    }

    /// `METHOD PATH TOKEN` of every request so far.
    var requests: [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    deinit { process.terminate() }
}

/// `sso_session` and legacy `sso_start_url` profiles: the cached token is traded at the portal for
/// role credentials, which then sign the scan; an expired token names the `aws sso login` to run.
@Suite(.serialized)
struct SSOEndToEndTests {
    /// sha1("corp") and sha1("https://legacy.awsapps.com/start"): botocore's token cache file names.
    static let sessionCache = "ee0bfd2552fbd840c02cc48b6e823320543c450f"
    static let legacyCache = "79e435d7a515078e81c9dffc35f38d5687ebd3a7"

    func home(expiresAt: String, token: String = "good-token") throws -> String {
        let home = Mamori.tempDir()
        try FileManager.default.createDirectory(atPath: "\(home)/.aws/sso/cache", withIntermediateDirectories: true)
        try """
            [profile auditor]
            sso_session = corp
            sso_account_id = 123456789012
            sso_role_name = SecurityAudit
            region = us-east-1
            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = eu-west-1
            sso_registration_scopes = sso:account:access
            [profile legacy]
            sso_start_url = https://legacy.awsapps.com/start
            sso_region = eu-west-1
            sso_account_id = 123456789012
            sso_role_name = ReadOnly
            """.write(toFile: "\(home)/.aws/config", atomically: true, encoding: .utf8)
        let cache = #"{"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "\#(token)", "expiresAt": "\#(expiresAt)"}"#
        for name in [Self.sessionCache, Self.legacyCache] {
            try cache.write(toFile: "\(home)/.aws/sso/cache/\(name).json", atomically: true, encoding: .utf8)
        }
        return home
    }

    func environment(home: String, portal: FakeSSOPortal) -> [String: String] {
        var env = Mamori.environment(home: home, extra: ["AWS_ENDPOINT_URL_SSO": portal.endpoint, "AWS_ENDPOINT_URL_SSO_OIDC": portal.endpoint])
        env["AWS_ACCESS_KEY_ID"] = nil
        env["AWS_SECRET_ACCESS_KEY"] = nil
        return env
    }

    /// The names come from botocore itself (the installed package's `SSOTokenLoader`).
    @Test func cacheFileNamesAreBotocores() {
        #expect(botocoreCacheKey(startURL: "https://corp.awsapps.com/start", session: "corp") == Self.sessionCache)
        #expect(botocoreCacheKey(startURL: "https://legacy.awsapps.com/start", session: nil) == Self.legacyCache)
    }

    @Test func cachedTokenBuysRoleCredentialsForTheScan() throws {
        let portal = try FakeSSOPortal()
        let estate = try MotoEstate.demo()
        let home = try home(expiresAt: "2099-01-01T00:00:00Z")
        for (profile, role) in [("auditor", "SecurityAudit"), ("legacy", "ReadOnly")] {
            let run = try Mamori.run(["scan", "--profile", profile, "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--quiet"],
                                     environment: environment(home: home, portal: portal))
            // Findings (1) or a partial scan of what moto lacks (3): the credentials worked either way.
            #expect([0, 1, 3].contains(run.status), "\(profile): \(run.status) \(run.stderr)")
            #expect(!run.stderr.contains("good-token") && !run.stdout.contains("good-token"))
        }
        let requests = portal.requests
        #expect(requests.count == 2, "\(requests)")
        #expect(requests.first == "GET /federation/credentials?account_id=123456789012&role_name=SecurityAudit good-token")
        #expect(requests.last?.contains("role_name=ReadOnly") == true)
    }

    /// A session token about to expire is renewed with its refresh token first, and the cache rewritten.
    @Test func sessionTokenNearExpiryIsRenewed() throws {
        let portal = try FakeSSOPortal()
        let estate = try MotoEstate.demo()
        let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(300))
        let home = try home(expiresAt: soon, token: "stale-token")
        let cacheFile = "\(home)/.aws/sso/cache/\(Self.sessionCache).json"
        let cached = #"{"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "stale-token", "expiresAt": "\#(soon)", "#
            + #""refreshToken": "good-refresh", "clientId": "client-id", "clientSecret": "client-secret", "registrationExpiresAt": "2099-01-01T00:00:00Z"}"#
        try cached.write(toFile: cacheFile, atomically: true, encoding: .utf8)
        let run = try Mamori.run(["scan", "--debug", "--profile", "auditor", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--quiet"],
                                 environment: environment(home: home, portal: portal))
        #expect([0, 1, 3].contains(run.status), "\(run.status) \(run.stderr)")
        // The --debug log names both calls and none of the tokens or the client secret.
        #expect(run.stderr.contains("POST 127.0.0.1 sso-oidc CreateToken eu-west-1: HTTP 200"), "\(run.stderr.prefix(1500))")
        #expect(run.stderr.contains("GET 127.0.0.1 sso GetRoleCredentials eu-west-1: HTTP 200"))
        for secret in ["stale-token", "good-token", "good-refresh", "rotated-refresh", "client-secret", "fake-sso-secret", "fake-sso-session-token"] {
            #expect(!run.stderr.contains(secret) && !run.stdout.contains(secret), "\(secret) in the output")
        }
        #expect(portal.requests.first == "POST /token refresh_token", "\(portal.requests)")
        #expect(portal.requests.dropFirst().first?.hasSuffix(" good-token") == true, "\(portal.requests)")
        let cache = try String(contentsOfFile: cacheFile, encoding: .utf8)
        #expect(cache.contains("\"accessToken\":\"good-token\"") && cache.contains("\"refreshToken\":\"rotated-refresh\""), "\(cache)")
        #expect(cache.contains("\"clientSecret\":\"client-secret\""))
        let mode = try FileManager.default.attributesOfItem(atPath: cacheFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func expiredOrRevokedTokenSaysWhichLoginToRun() throws {
        let portal = try FakeSSOPortal()
        let expired = try home(expiresAt: "2020-01-01T00:00:00UTC")
        let cases = [("auditor", "aws sso login --sso-session corp"), ("legacy", "aws sso login --profile legacy")]
        for (profile, login) in cases {
            let run = try Mamori.run(["scan", "--profile", profile, "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1", "--quiet"],
                                     environment: environment(home: expired, portal: portal))
            #expect(run.status == 2, "\(profile): \(run.stderr)")
            #expect(run.stderr.contains("token expired at 2020-01-01T00:00:00Z: run `\(login)`"), "\(run.stderr)")
        }
        // An expired token is never sent.
        #expect(portal.requests.isEmpty, "\(portal.requests)")
        // A token the portal no longer accepts (signed out elsewhere): the same advice.
        let revoked = try home(expiresAt: "2099-01-01T00:00:00Z", token: "revoked-token")
        let run = try Mamori.run(["scan", "--profile", "auditor", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1", "--quiet"],
                                 environment: environment(home: revoked, portal: portal))
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("expired or was revoked: run `aws sso login --sso-session corp`"), "\(run.stderr)")
        // No cached token at all.
        try FileManager.default.removeItem(atPath: "\(revoked)/.aws/sso/cache")
        let none = try Mamori.run(["scan", "--profile", "legacy", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1", "--quiet"],
                                  environment: environment(home: revoked, portal: portal))
        #expect(none.stderr.contains("no IAM Identity Center token cached"), "\(none.stderr)")
        #expect(none.stderr.contains("run `aws sso login --profile legacy`"), "\(none.stderr)")
    }
}

func botocoreCacheKey(startURL: String, session: String?) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sys; from botocore.utils import SSOTokenLoader; "
                         + "print(SSOTokenLoader()._generate_cache_key(sys.argv[1], sys.argv[2] or None))", startURL, session ?? ""]
    let out = Pipe()
    process.standardOutput = out
    try? process.run()
    process.waitUntilExit()
    return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

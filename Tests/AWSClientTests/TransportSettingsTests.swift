import Foundation
import Testing
@testable import AWSClient

/// What the transport takes from the environment: proxies, NO_PROXY and the CA bundle.
@Suite struct TransportSettingsTests {
    @Test func proxiesAndNoProxyComeFromTheEnvironment() throws {
        let settings = AsyncHTTPTransport.Settings.fromEnvironment([
            "https_proxy": "http://proxy.corp.example:3128", "HTTP_PROXY": "proxy.corp.example",
            "NO_PROXY": " .internal.example, s3.amazonaws.com ,",
        ])
        #expect(settings.httpsProxy == AsyncHTTPTransport.ProxyAddress("proxy.corp.example:3128"))
        #expect(settings.httpsProxy?.port == 3128)
        #expect(settings.httpProxy?.port == 80)
        #expect(settings.noProxy == [".internal.example", "s3.amazonaws.com"])
        #expect(settings.bypassesProxy("api.internal.example"))
        #expect(settings.bypassesProxy("internal.example"))
        #expect(settings.bypassesProxy("S3.AMAZONAWS.COM"))
        #expect(!settings.bypassesProxy("sts.amazonaws.com"))
        #expect(!settings.bypassesProxy("evilinternal.example"))
    }

    @Test func loopbackNeverGoesThroughAProxy() {
        let settings = AsyncHTTPTransport.Settings.fromEnvironment(["HTTPS_PROXY": "http://proxy:8080"])
        for host in ["127.0.0.1", "127.0.0.53", "localhost", "::1", "[::1]"] {
            #expect(settings.bypassesProxy(host), "\(host)")
        }
        #expect(AsyncHTTPTransport.Settings.fromEnvironment(["NO_PROXY": "*"]).bypassesProxy("ec2.amazonaws.com"))
    }

    @Test func caBundleFromTheEnvironmentWinsOverTheProfile() throws {
        #expect(AsyncHTTPTransport.Settings.fromEnvironment(["AWS_CA_BUNDLE": "/env.pem"], profileCABundle: "/profile.pem").caBundle == "/env.pem")
        #expect(AsyncHTTPTransport.Settings.fromEnvironment([:], profileCABundle: "/profile.pem").caBundle == "/profile.pem")
        #expect(AsyncHTTPTransport.Settings.fromEnvironment(["AWS_CA_BUNDLE": ""], profileCABundle: nil).caBundle == nil)
    }

    @Test func anUnreadableOrBadCABundleIsAClearError() throws {
        #expect(throws: AWSError.self) { try AsyncHTTPTransport.make(.init(caBundle: "/nonexistent/ca.pem")) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-not-pem-\(UUID().uuidString).pem").path
        try "not a certificate".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            _ = try AsyncHTTPTransport.make(.init(caBundle: file))
            Issue.record("a file that is not PEM was accepted")
        } catch {
            #expect(error.description.contains("is not a PEM certificate file"), "\(error)")
        }
    }
}

@testable import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `--token`: every request needs it, by header, query (then a session cookie) or that cookie.
/// Through HummingbirdTesting's router framework: the responder sees exactly these requests, no socket.
@Suite("Dashboard token")
struct AuthTests {
    static let token = "s3cret token;=!"
    static let encoded = "s3cret%20token%3B%3D%21"

    /// Runs `body` against the dashboard's responder over a freshly seeded store.
    static func with(token: String? = AuthTests.token, _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        let store = try await Fixtures.store()
        let server = try await DashboardServer(store: store, configuration: DashboardConfiguration(host: "127.0.0.1", port: 0, token: token))
        do { try await server.makeApplication(logLevel: .critical).test(.router, body) } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    static func get(_ client: any TestClientProtocol, _ uri: String, method: HTTPRequest.Method = .get,
                    _ headers: [HTTPField.Name: String] = [:]) async throws -> TestResponse {
        var fields = HTTPFields()
        for (name, value) in headers { fields[name] = value }
        return try await client.execute(uri: uri, method: method, headers: fields, body: nil)
    }

    @Test func requestsWithoutAValidTokenAre401() async throws {
        try await Self.with { client in
            let none = try await Self.get(client, "/")
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer realm=\"mamori\"")
            #expect(String(buffer: none.body).contains("?token=&lt;token&gt;"))
            #expect(none.headers[.contentSecurityPolicy] != nil)
            // Unknown pages do not reveal themselves before the token check.
            let r1 = try await Self.get(client, "/nowhere")
            #expect(r1.status == .unauthorized)
            let r2 = try await Self.get(client, "/", [.authorization: "Bearer wrong"])
            #expect(r2.status == .unauthorized)
            let r3 = try await Self.get(client, "/", [.authorization: "Basic czNjcmV0"])
            #expect(r3.status == .unauthorized)
            let r4 = try await Self.get(client, "/scans/2?token=wrong")
            #expect(r4.status == .unauthorized)
            let r5 = try await Self.get(client, "/", [.cookie: "mamori_session=00"])
            #expect(r5.status == .unauthorized)
            // The old cookie (the token, hex-encoded) is not a session.
            let hex = Array(Self.token.utf8).map { String(format: "%02x", $0) }.joined()
            let r6 = try await Self.get(client, "/", [.cookie: "mamori_token=\(hex); mamori_session=\(hex)"])
            #expect(r6.status == .unauthorized)
            // A prefix of the token is not the token.
            let r7 = try await Self.get(client, "/", [.authorization: "Bearer s3cret"])
            #expect(r7.status == .unauthorized)
        }
    }

    /// Without the token nobody learns which methods exist: 401 before 405.
    @Test func tokenIsCheckedBeforeTheMethod() async throws {
        try await Self.with { client in
            for method in [HTTPRequest.Method.post, .delete, .put] {
                let denied = try await Self.get(client, "/", method: method)
                #expect(denied.status == .unauthorized, "\(method)")
                #expect(denied.headers[.allow] == nil)
                let allowed = try await Self.get(client, "/scans/1", method: method, [.authorization: "Bearer \(Self.token)"])
                #expect(allowed.status == .methodNotAllowed, "\(method)")
                #expect(allowed.headers[.allow] == "GET, HEAD")
                // A valid ?token= on a POST starts no session.
                let query = try await Self.get(client, "/?token=\(Self.encoded)", method: method)
                #expect(query.status == .methodNotAllowed)
                #expect(query.headers[.setCookie] == nil)
            }
        }
    }

    @Test func bearerHeaderIsAccepted() async throws {
        try await Self.with { client in
            let page = try await Self.get(client, "/scans/2", [.authorization: "Bearer \(Self.token)"])
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Scan #2"))
        }
    }

    @Test func queryTokenStartsARandomSessionThatWorks() async throws {
        try await Self.with { client in
            let signIn = try await Self.get(client, "/scans/2/findings?severity=high&token=\(Self.encoded)&page=1")
            #expect(signIn.status == .seeOther)
            #expect(signIn.headers[.location] == "/scans/2/findings?severity=high&page=1")
            let setCookie = try #require(signIn.headers[.setCookie])
            let pair = try #require(setCookie.split(separator: ";").first)
            let id = String(pair.dropFirst("mamori_session=".count))
            #expect(pair.hasPrefix("mamori_session="))
            #expect(setCookie == "\(pair); Path=/; Max-Age=43200; HttpOnly; SameSite=Strict")
            #expect(id.count == 64 && id.allSatisfy(\.isHexDigit))
            #expect(!setCookie.contains("s3cret") && !setCookie.contains(Array("s3cret".utf8).map { String(format: "%02x", $0) }.joined()))
            let page = try await Self.get(client, "/scans/2/findings?severity=high", [.cookie: "other=1; \(pair)"])
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("3 of 6 findings"))
            // Each sign-in is a new session.
            let again = try await Self.get(client, "/?token=\(Self.encoded)")
            #expect(again.headers[.setCookie] != setCookie)
        }
    }

    @Test func signInRedirectStaysOnThisSite() async throws {
        try await Self.with { client in
            let slashes = try await Self.get(client, "//evil.example/x?token=\(Self.encoded)")
            #expect(slashes.status == .seeOther)
            #expect(slashes.headers[.location] == "/evil.example/x")
            let backslash = try await Self.get(client, "/\\evil.example?token=\(Self.encoded)")
            #expect(backslash.headers[.location] == "/evil.example")
        }
    }

    @Test func noTokenConfiguredMeansOpen() async throws {
        try await Self.with(token: nil) { client in
            let r8 = try await Self.get(client, "/")
            #expect(r8.status == .ok)
        }
    }
}

import Foundation
import Testing

/// `--token`: every request needs it, by header, query (then a cookie) or cookie.
@Suite("Dashboard token")
struct AuthTests {
    static let token = "s3cret token;=!"
    /// The cookie carries the token's UTF-8 bytes in hex.
    static let cookie = "mamori_token=" + Array(token.utf8).map { String(format: "%02x", $0) }.joined()

    @Test func requestsWithoutAValidTokenAre401() async throws {
        try await TestServer.with(token: Self.token) { server in
            let none = try await server.get("/")
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate") == "Bearer realm=\"mamori\"")
            #expect(none.body.contains("?token=&lt;token&gt;"))
            #expect(none.header("Content-Security-Policy") != nil)
            // Unknown pages do not reveal themselves before the token check.
            let r1 = try await server.get("/nowhere")
            #expect(r1.status == 401)
            let r2 = try await server.get("/", headers: ["Authorization": "Bearer wrong"])
            #expect(r2.status == 401)
            let r3 = try await server.get("/", headers: ["Authorization": "Basic czNjcmV0"])
            #expect(r3.status == 401)
            let r4 = try await server.get("/scans/2?token=wrong")
            #expect(r4.status == 401)
            let r5 = try await server.get("/", headers: ["Cookie": "mamori_token=00"])
            #expect(r5.status == 401)
            // A prefix of the token is not the token.
            let r6 = try await server.get("/", headers: ["Authorization": "Bearer s3cret"])
            #expect(r6.status == 401)
        }
    }

    @Test func bearerHeaderIsAccepted() async throws {
        try await TestServer.with(token: Self.token) { server in
            let page = try await server.get("/scans/2", headers: ["Authorization": "Bearer \(Self.token)"])
            #expect(page.status == 200)
            #expect(page.body.contains("Scan #2"))
        }
    }

    @Test func queryTokenSetsACookieThatWorks() async throws {
        try await TestServer.with(token: Self.token) { server in
            let encoded = "s3cret%20token%3B%3D%21"
            let signIn = try await server.get("/scans/2/findings?severity=high&token=\(encoded)&page=1")
            #expect(signIn.status == 303)
            #expect(signIn.header("Location") == "/scans/2/findings?severity=high&page=1")
            let setCookie = try #require(signIn.header("Set-Cookie"))
            #expect(setCookie == "\(Self.cookie); Path=/; HttpOnly; SameSite=Strict")
            let page = try await server.get("/scans/2/findings?severity=high", headers: ["Cookie": "other=1; " + Self.cookie])
            #expect(page.status == 200)
            #expect(page.body.contains("3 of 6 findings"))
        }
    }

    @Test func signInRedirectStaysOnThisSite() async throws {
        try await TestServer.with(token: Self.token) { server in
            let encoded = "s3cret%20token%3B%3D%21"
            let slashes = try await server.get("//evil.example/x?token=\(encoded)")
            #expect(slashes.status == 303)
            #expect(slashes.header("Location") == "/evil.example/x")
            let backslash = try await server.get("/\\evil.example?token=\(encoded)")
            #expect(backslash.header("Location") == "/evil.example")
        }
    }

    @Test func noTokenConfiguredMeansOpen() async throws {
        try await TestServer.with { server in
            let r7 = try await server.get("/")
            #expect(r7.status == 200)
        }
    }
}

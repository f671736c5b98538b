@testable import Dashboard
import Foundation
import History
import MamoriCore
import Testing

@Suite("Dashboard parts")
struct UnitTests {
    @Test func routes() throws {
        #expect(try Route.parse(path: "/") == .scans)
        #expect(try Route.parse(path: "/scans/") == .scans)
        #expect(try Route.parse(path: "/scans/12") == .scan(12))
        #expect(try Route.parse(path: "/scans/12/findings") == .findings(12))
        #expect(try Route.parse(path: "/scans/12/metrics") == .metrics(12))
        #expect(try Route.parse(path: "/diff") == .diff)
        let print = "0123456789abcdef0123456789ABCDEF"
        #expect(try Route.parse(path: "/scans/3/findings/\(print)") == .finding(3, print.lowercased()))
        #expect(throws: PageError(.badRequest, "'x' is not a scan id: scan ids are positive whole numbers (see the scan list).")) {
            try Route.parse(path: "/scans/x")
        }
        #expect(throws: PageError.self) { try Route.parse(path: "/scans/9223372036854775808") }
        #expect((try? Route.parse(path: "/scans/1/findings/abc/extra")) == nil)
        do { _ = try Route.parse(path: "/favicon.ico"); Issue.record("expected a 404") } catch { #expect(error.status == .notFound) }
    }

    @Test func queryStringsDecodeLikeBrowserForms() {
        let query = QueryParameters("q=a+b%2Bc&severity=&check=s3.bucket_public&q=second&flag&%zz=1")
        #expect(query["q"] == "a b+c")
        #expect(query["severity"] == nil)
        #expect(query["check"] == "s3.bucket_public")
        #expect(query["flag"] == nil)
        #expect(QueryParameters(nil)["q"] == nil)
    }

    @Test func tokenComparisonIsExact() async {
        #expect(TokenGate.equal("abc", "abc"))
        #expect(!TokenGate.equal("abc", "abd"))
        #expect(!TokenGate.equal("ab", "abc"))
        #expect(!TokenGate.equal("abc\0", "abc"))
        #expect(!TokenGate.equal("", "abc"))
        let gate = TokenGate(token: "t0k")
        #expect(await gate.decide(authorization: "bearer t0k", queryToken: nil, cookies: [:]) == .allowed)
        #expect(await gate.decide(authorization: nil, queryToken: "t0k", cookies: [:]) == .allowedFromQuery)
        // The token itself, plain or hex-encoded (the old cookie), is not a session.
        #expect(await gate.decide(authorization: nil, queryToken: nil, cookies: ["mamori_session": "t0k"]) != .allowed)
        #expect(await gate.decide(authorization: nil, queryToken: nil, cookies: ["mamori_session": "74306b"]) != .allowed)
        #expect(await TokenGate(token: nil).decide(authorization: nil, queryToken: nil, cookies: [:]) == .allowed)
        #expect(TokenGate.cookies(["a=1; mamori_session=ff", "b=2"]) == ["a": "1", "mamori_session": "ff", "b": "2"])
    }

    @Test func sessionsAreRandomExpireAndStayBounded() async throws {
        let gate = TokenGate(token: "t0k", sessionLifetime: .seconds(3600))
        let cookie = await gate.startSession()
        let id = try #require(cookie.split(separator: ";").first?.split(separator: "=").last.map(String.init))
        #expect(cookie == "mamori_session=\(id); Path=/; Max-Age=3600; HttpOnly; SameSite=Strict")
        #expect(id.count == 64 && !id.contains("t0k"))
        #expect(await gate.startSession() != cookie)
        #expect(await gate.decide(authorization: nil, queryToken: nil, cookies: ["mamori_session": id]) == .allowed)
        #expect(await gate.decide(authorization: nil, queryToken: nil, cookies: ["mamori_session": id + "0"]) != .allowed)

        let short = SessionStore(lifetime: .milliseconds(50))
        let expiring = await short.start()
        #expect(await short.isValid(expiring))
        try await Task.sleep(for: .milliseconds(120))
        #expect(await !short.isValid(expiring))

        let small = SessionStore(lifetime: .seconds(60), capacity: 3)
        let first = await small.start()
        for _ in 0..<5 { _ = await small.start() }
        #expect(await small.count == 3)
        #expect(await !small.isValid(first))
    }

    @Test func loopbackAndWarnings() {
        for host in ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"] { #expect(DashboardConfiguration.isLoopback(host), "\(host)") }
        for host in ["0.0.0.0", "10.0.0.5", "::", "example.com", "128.0.0.1", "127.0.0"] { #expect(!DashboardConfiguration.isLoopback(host), "\(host)") }
        #expect(DashboardConfiguration().warnings.isEmpty)
        let open = DashboardConfiguration(host: "0.0.0.0", token: "")
        #expect(open.token == nil)
        #expect(open.warnings.count == 1)
        #expect(open.warnings[0].contains("no --token"))
        #expect(DashboardConfiguration(host: "0.0.0.0", token: "t").warnings[0].contains("token required"))
    }

    @Test func timestampsAreUTCAndLocaleFree() {
        #expect(Formatting.timestamp(Fixtures.day1) == "2026-11-01 10:00 UTC")
        #expect(Formatting.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00 UTC")
        #expect(Formatting.timestamp(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29 00:00 UTC")
        #expect(Formatting.timestamp(Date(timeIntervalSince1970: -1)) == "1969-12-31 23:59 UTC")
        #expect(Formatting.duration(Fixtures.day1, Fixtures.day1.addingTimeInterval(3_725)) == "1h 2m")
        #expect(Formatting.duration(Fixtures.day1, nil) == nil)
    }

    @Test func consoleLinksMustPointAtTheConsole() {
        #expect(Formatting.safeConsoleURL("https://console.aws.amazon.com/iam/home") != nil)
        #expect(Formatting.safeConsoleURL("https://s3.console.aws.amazon.com/s3/buckets/x") != nil)
        // Every partition's own console, and nothing that merely ends like one.
        #expect(Formatting.safeConsoleURL("https://console.amazonaws.cn/ec2/home?region=cn-north-1") != nil)
        #expect(Formatting.safeConsoleURL("https://console.amazonaws-us-gov.com/iam/home") != nil)
        #expect(Formatting.safeConsoleURL("https://evilconsole.amazonaws.cn/") == nil)
        #expect(Formatting.safeConsoleURL("javascript:alert(1)") == nil)
        #expect(Formatting.safeConsoleURL("https://console.aws.amazon.com.evil.example/") == nil)
        #expect(Formatting.safeConsoleURL("http://console.aws.amazon.com/") == nil)
    }

    @Test func filterMatchesAndPages() throws {
        let scan = ScanRecord(id: 1, kind: .account, target: "1", startedAt: Fixtures.day1, state: .complete, toolVersion: "t")
        let stored = [Fixtures.securityHubOff, Fixtures.publicBucket, Fixtures.guardDutyOn, Fixtures.aliceAfter].map { StoredFinding(finding: $0) }
            + [StoredFinding(finding: Fixtures.oldKey, mutedReason: "ticket")]
        let findings = ScanFindings(scan: scan, findings: stored)
        // Most severe first, open before muted before passing.
        #expect(findings.findings.map(\.finding.check) == ["s3.bucket_public", "iam.console_without_mfa", "iam.access_key_older_90d",
                                                           "guardduty.disabled", "securityhub.disabled"])
        #expect(findings.statuses == [.fail, .fail, .muted, .pass, .fail])
        #expect(findings.regions == ["eu-west-1", "global", "us-east-1"])
        let page = try FindingFilter(page: 2).apply(to: findings, pageSize: 2)
        #expect(page == FindingFilter.Result(rows: [2, 3], matched: 5, page: 2, pageCount: 3))
        let text = try FindingFilter(text: "GUARDDUTY").apply(to: findings, pageSize: 10)
        #expect(text.rows == [3])
        let none = try FindingFilter(check: "nope").apply(to: findings, pageSize: 10)
        #expect(none == FindingFilter.Result(rows: [], matched: 0, page: 1, pageCount: 1))
        #expect(throws: PageError.self) { try FindingFilter(check: "nope", page: 2).apply(to: findings, pageSize: 10) }
        #expect(FindingFilter(severity: .high, text: "a b&c", page: 3).query(page: 4) == "severity=high&q=a%20b%26c&page=4")
        #expect(FindingFilter.contains(Array("abcabd".utf8), Array("abd".utf8)))
        #expect(!FindingFilter.contains(Array("ab".utf8), Array("abd".utf8)))
    }

    @Test func ouRollUpCountsEveryAccountBelow() {
        let accounts = [
            AccountRecord(accountId: "1", ouPath: "Root", state: .done, finishedAt: Fixtures.day1),
            AccountRecord(accountId: "2", ouPath: "Root/Prod/Web", state: .done, finishedAt: Fixtures.day1),
            AccountRecord(accountId: "3", ouPath: "Root/Prod", state: .done, finishedAt: Fixtures.day1),
            AccountRecord(accountId: "4", state: .done, finishedAt: Fixtures.day1),
        ]
        let rows = DashboardPages.ouRollUp(accounts, perAccount: ["2": [.high: 2], "3": [.low: 1], "4": [.critical: 5]])
        #expect(rows.map(\.path) == ["Root", "Root/Prod", "Root/Prod/Web"])
        #expect(rows.map(\.accounts) == [3, 2, 1])
        #expect(rows.map(\.failing.total) == [3, 3, 2])
        #expect(rows.map(\.indent) == [0, 16, 32])
    }

    @Test func trendChartDrawsOneLinePerSeverityPresent() {
        let svg = Charts.trend([
            Charts.TrendPoint(scan: 1, date: Fixtures.day1, failing: [.high: 2, .low: 1]),
            Charts.TrendPoint(scan: 2, date: Fixtures.day8, failing: [.high: 4]),
        ])
        #expect(HTMLText.count("<polyline", in: svg) == 2)
        #expect(svg.contains("class=\"line-high\""))
        #expect(svg.contains("class=\"line-low\""))
        #expect(!svg.contains("line-critical"))
        #expect(svg.contains("<title>scan #2, 2026-11-08 10:00 UTC: 4 high</title>"))
        #expect(Charts.trend([]).contains("No failing findings"))
    }
}

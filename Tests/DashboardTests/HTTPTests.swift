import Foundation
import History
import MamoriCore
import Testing

/// The dashboard's pages, through HummingbirdTesting's router framework (no socket: see RouterServer).
@Suite("Dashboard over HTTP")
struct HTTPTests {
    @Test func scanListShowsEveryScanWithCountsAndTheTrend() async throws {
        try await RouterServer.with { server in
            let page = try await server.get("/")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            for id in 1...3 { #expect(page.body.contains("data-scan=\"\(id)\"")) }
            // One trend chart per target: the organisation's two scans and the single account's one.
            #expect(HTMLText.count("aria-label=\"Failing findings by severity per scan\"", in: page.body) == 2)
            #expect(page.body.contains("Failing findings by severity · org org:111111111111</h2>"))
            #expect(page.body.contains("Failing findings by severity · account 333333333333</h2>"))
            // Scan 2: critical 1 (bucket), high 3 (alice, queue, topic), 4 failing, 1 muted, 1 error.
            let two = try #require(HTMLText.row(page.body, "data-scan=\"2\""))
            #expect(two.contains("<td class=\"num sev-critical\">1</td><td class=\"num sev-high\">3</td><td class=\"num sev-medium\">0</td>"))
            #expect(two.contains("<strong>4</strong>"))
            #expect(two.contains("2026-11-08 10:00 UTC"))
            #expect(two.contains("1h 2m"))
            #expect(two.contains("href=\"/diff?a=1&amp;b=2\""))
            // Scan 3 is the only scan of its target: nothing to diff with.
            let three = try #require(HTMLText.row(page.body, "data-scan=\"3\""))
            #expect(!three.contains("/diff?"))
            #expect(three.contains("<strong>120</strong>"))
        }
    }

    @Test func emptyStoreSaysHowToFillIt() async throws {
        try await RouterServer.with(empty: true) { server in
            let page = try await server.get("/")
            #expect(page.status == 200)
            #expect(page.body.contains("id=\"no-scans\""))
            #expect(page.body.contains("mamori scan --db PATH"))
        }
    }

    @Test func securityHeadersOnPagesAndErrors() async throws {
        try await RouterServer.with { server in
            for path in ["/", "/scans/1", "/nowhere", "/scans/x"] {
                let response = try await server.get(path)
                #expect(response.header("Content-Security-Policy")?.hasPrefix("default-src 'none'; style-src 'unsafe-inline'; img-src data:") == true, "\(path)")
                #expect(response.header("X-Content-Type-Options") == "nosniff", "\(path)")
                #expect(response.header("Referrer-Policy") == "no-referrer", "\(path)")
                #expect(response.header("Cache-Control") == "no-store", "\(path)")
                #expect(!response.body.contains("<script"), "no script at all: \(path)")
            }
        }
    }

    @Test func scanSummaryRollsUpAccountsAndOUs() async throws {
        try await RouterServer.with { server in
            let page = try await server.get("/scans/1")
            #expect(page.status == 200)
            let accounts = try #require(HTMLText.element(page.body, id: "accounts"))
            #expect(HTMLText.count("data-account=", in: accounts) == 3)
            // 222222222222: public bucket (critical) + GuardDuty off (medium) = 2; sorted first.
            let prod = try #require(HTMLText.row(accounts, "data-account=\"222222222222\""))
            #expect(prod.contains("<td class=\"num sev-critical\">1</td><td class=\"num sev-high\">0</td><td class=\"num sev-medium\">1</td>"))
            #expect(prod.contains("<strong>2</strong>"))
            #expect(prod.contains("Root/Prod"))
            #expect(accounts.range(of: "222222222222")!.lowerBound < accounts.range(of: "111111111111")!.lowerBound)
            // OU roll-up: Root holds all three accounts and all four failing findings.
            let ous = try #require(HTMLText.element(page.body, id: "ous"))
            let root = try #require(HTMLText.row(ous, ">Root</td>"))
            #expect(root.contains("<td class=\"num\">3</td>"))
            #expect(root.contains("<strong>4</strong>"))
            let sandbox = try #require(HTMLText.row(ous, ">Root/Sandbox</td>"))
            #expect(sandbox.contains("<td class=\"num sev-low\">1</td>"))
            #expect(page.body.contains("Every part of every account was read."))
            #expect(!page.body.contains("id=\"errors\""))
        }
    }

    @Test func scanSummaryListsWhatCouldNotBeRead() async throws {
        try await RouterServer.with { server in
            let page = try await server.get("/scans/2")
            #expect(page.status == 200)
            let errors = try #require(HTMLText.element(page.body, id: "errors"))
            #expect(errors.contains("<td>222222222222</td><td>eu-west-1</td><td>s3:GetBucketPolicy</td><td>access-denied</td>"))
            #expect(errors.contains("Access Denied"))
            #expect(page.body.contains("Partial scan"))
            let failed = try #require(HTMLText.row(page.body, "data-account=\"444444444444\""))
            #expect(failed.contains("state-failed"))
            #expect(page.body.contains("href=\"/diff?a=1&amp;b=2\""))
        }
    }

    @Test func findingsTablePagesOnTheServer() async throws {
        try await RouterServer.with { server in
            let first = try await server.get("/scans/3/findings")
            #expect(first.status == 200)
            #expect(first.body.contains("120 of 120 findings · page 1 of 3"))
            #expect(HTMLText.count("data-fingerprint-row", in: first.body) == 50)
            #expect(first.body.contains("href=\"/scans/3/findings?page=2\""))
            let last = try await server.get("/scans/3/findings?page=3")
            #expect(HTMLText.count("data-fingerprint-row", in: last.body) == 20)
            #expect(!last.body.contains("rel=\"next\""))
            // Odd instances are in eu-west-1: 60 of them, the second page holds 0101 … 0119.
            let west = try await server.get("/scans/3/findings?region=eu-west-1&page=2")
            #expect(west.body.contains("60 of 120 findings · page 2 of 2"))
            #expect(HTMLText.count("data-fingerprint-row", in: west.body) == 10)
            #expect(west.body.contains(Fixtures.instance(119).resource))
            #expect(west.body.contains(Fixtures.instance(101).resource))
            #expect(!west.body.contains(Fixtures.instance(99).resource + "<"))
            #expect(!west.body.contains(Fixtures.instance(100).resource))
            #expect(west.body.contains("href=\"/scans/3/findings?region=eu-west-1\" rel=\"prev\""))
        }
    }

    @Test(arguments: [
        ("", 6, nil),
        ("severity=critical", 1, "arn:aws:s3:::public-assets"),
        ("status=muted", 1, "rotation ticket SEC-12"),
        ("status=pass", 1, "GuardDuty is enabled in eu-west-1."),
        ("status=fail&severity=high", 3, nil),
        ("q=ALICE", 1, "arn:aws:iam::111111111111:user/ops/alice-admin"),
        ("q=without+MFA", 1, "alice-admin"),
        ("q=bucket%20policy", 1, "public-assets"),
        ("check=sqs.queue_public&account=222222222222", 1, "arn:aws:sqs:us-east-1:222222222222:orders"),
        ("account=111111111111", 2, "ci-bot"),
        ("region=global&status=fail", 1, "alice-admin"),
        ("check=sqs.queue_public&account=111111111111", 0, "No finding matches these filters."),
    ] as [(String, Int, String?)])
    func findingsFilters(query: String, rows: Int, expected: String?) async throws {
        try await RouterServer.with { server in
            let page = try await server.get("/scans/2/findings?" + query)
            #expect(page.status == 200)
            #expect(HTMLText.count("data-fingerprint-row", in: page.body) == rows)
            #expect(page.body.contains("\(rows) of 6 findings"))
            if let expected { #expect(page.body.contains(expected)) }
        }
    }

    @Test(arguments: [
        ("/scans/abc", "&#39;abc&#39; is not a scan id"),
        ("/scans/0", "&#39;0&#39; is not a scan id"),
        ("/scans/-4/findings", "&#39;-4&#39; is not a scan id"),
        ("/scans/2/findings?severity=urgent", "Unknown severity &#39;urgent&#39;: use one of critical, high, medium, low, info."),
        ("/scans/2/findings?status=open", "Unknown status &#39;open&#39;"),
        ("/scans/2/findings?page=0", "&#39;page&#39; must be a whole number from 1"),
        ("/scans/2/findings?page=two", "&#39;page&#39; must be a whole number from 1"),
        ("/scans/3/findings?page=4", "Page 4 is past the end: these filters match 120 finding(s), 3 page(s)."),
        ("/scans/2/findings/not-a-fingerprint", "is not a finding fingerprint"),
        ("/diff?a=0&b=2", "&#39;a&#39; must be a positive whole number, not &#39;0&#39;."),
        ("/diff?a=1&b=x", "&#39;b&#39; must be a positive whole number"),
        ("/diff?a=1", "A diff needs both"),
        ("/scans/%3Cscript%3E", "&#39;&lt;script&gt;&#39; is not a scan id"),
    ])
    func badParametersAre400(path: String, message: String) async throws {
        try await RouterServer.with { server in
            let page = try await server.get(path)
            #expect(page.status == 400)
            let box = try #require(HTMLText.element(page.body, id: "error-message"))
            #expect(box.contains(message), "\(box)")
        }
    }

    @Test(arguments: [
        ("/scans/99", "There is no scan #99"),
        ("/scans/99/findings", "There is no scan #99"),
        ("/scans/99/metrics", "There is no scan #99"),
        ("/scans/2/findings/00000000000000000000000000000000", "Scan #2 has no finding with fingerprint 00000000000000000000000000000000"),
        ("/nowhere", "There is no page at /nowhere"),
        ("/scans/2/other", "There is no page at /scans/2/other"),
        ("/diff?a=1&b=99", "There is no scan #99"),
    ])
    func unknownThingsAre404(path: String, message: String) async throws {
        try await RouterServer.with { server in
            let page = try await server.get(path)
            #expect(page.status == 404)
            #expect(page.body.contains(message))
        }
    }

    @Test func onlyGetAndHeadAreAnswered() async throws {
        try await RouterServer.with { server in
            for (method, path) in [("POST", "/"), ("DELETE", "/scans/1"), ("PUT", "/scans/1/findings")] {
                let response = try await server.get(path, method: method)
                #expect(response.status == 405, "\(method) \(path)")
                #expect(response.header("Allow") == "GET, HEAD")
                #expect(response.body.contains("read-only"))
            }
            let get = try await server.get("/scans/1")
            let head = try await server.get("/scans/1", method: "HEAD")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.header("Content-Length") == get.header("Content-Length"))
            #expect(head.header("Content-Security-Policy") != nil)
        }
    }

    @Test func findingDetailShowsFixConsoleLinkAndFirstSighting() async throws {
        try await RouterServer.with { server in
            let bucket = try await server.get("/scans/2/findings/\(Fixtures.publicBucket.fingerprint)")
            #expect(bucket.status == 200)
            #expect(bucket.body.contains("<pre class=\"fix\" id=\"remediation\">Fix: s3 bucket is public.</pre>"))
            #expect(bucket.body.contains("href=\"https://s3.console.aws.amazon.com/s3/buckets/public-assets?region=us-east-1\""))
            #expect(bucket.body.contains("<dd>222222222222 (prod)</dd>"))
            let first = try #require(HTMLText.element(bucket.body, id: "first-seen"))
            #expect(first.contains("First seen in scan #1, 2026-11-01 10:00 UTC."))
            #expect(first.contains("href=\"/scans/1/findings/\(Fixtures.publicBucket.fingerprint)\""))

            let queue = try await server.get("/scans/2/findings/\(Fixtures.publicQueue.fingerprint)")
            #expect(queue.body.contains("New in this scan (not in scan #1)."))
            // The catalog's rationale for the check is shown.
            #expect(queue.body.contains("Why it matters"))

            let muted = try await server.get("/scans/2/findings/\(Fixtures.oldKey.fingerprint)")
            #expect(muted.body.contains("muted (muted: rotation ticket SEC-12)"))

            // The queue only exists in scan 2.
            let missing = try await server.get("/scans/1/findings/\(Fixtures.publicQueue.fingerprint)")
            #expect(missing.status == 404)
        }
    }

    @Test func diffShowsNewFixedStillOpenAndMoved() async throws {
        try await RouterServer.with { server in
            let page = try await server.get("/diff?a=1&b=2")
            #expect(page.status == 200)
            let new = try #require(HTMLText.element(page.body, id: "new"))
            #expect(HTMLText.count("data-fingerprint-row", in: new) == 2)
            #expect(new.contains("arn:aws:sqs:us-east-1:222222222222:orders"))
            #expect(new.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            // GuardDuty now passes: fixed. Security Hub's account could not be read: not "fixed".
            let fixed = try #require(HTMLText.element(page.body, id: "fixed"))
            #expect(HTMLText.count("data-fingerprint-row", in: fixed) == 1)
            #expect(fixed.contains("guardduty.disabled"))
            #expect(!fixed.contains("securityhub"))
            let open = try #require(HTMLText.element(page.body, id: "open"))
            #expect(HTMLText.count("data-fingerprint-row", in: open) == 2)
            #expect(open.contains("arn:aws:iam::111111111111:user/ops/alice-admin<"))
            #expect(open.contains("renamed/moved from arn:aws:iam::111111111111:user/dev/alice<"))
            #expect(page.body.contains("left out (their findings are unknown, not fixed): 444444444444"))
            // Links of fixed findings go to the scan where they were open.
            #expect(fixed.contains("href=\"/scans/1/findings/\(Fixtures.guardDutyOff.fingerprint)\""))

            let chooser = try await server.get("/diff")
            #expect(chooser.status == 200)
            #expect(chooser.body.contains("<option value=\"2\" selected>"))
            #expect(chooser.body.contains("Pick the scan before and the scan after."))
        }
    }

    /// Scans where different accounts failed: the page and `mamori diff` (ScanDiff.compare on the
    /// store) leave out both, so neither calls the findings of the account that was unreadable before "new".
    @Test func diffAgreesWithTheCLIWhenDifferentAccountsFailed() async throws {
        try await RouterServer.with { server in
            let store = server.store
            let x = "555555555555", y = "666666666666"
            let onlyLater = Fixtures.finding("s3.bucket_public", "S3 bucket is public", .critical, account: x, region: "us-east-1",
                                             resource: "arn:aws:s3:::x-bucket", type: "AwsS3Bucket", message: "public")
            let onlyEarlier = Fixtures.finding("sqs.queue_public", "SQS queue is public", .high, account: y, region: "us-east-1",
                                               resource: "arn:aws:sqs:us-east-1:\(y):q", type: "AwsSqsQueue", message: "public")
            let first = try await store.beginScan(NewScan(kind: .org, target: "org:555555555555", startedAt: Fixtures.day15, toolVersion: "0.1.0"))
            try await store.record(Fixtures.result(x, name: "x", ou: "Root", [], state: .failed), scan: first.id)
            try await store.record(Fixtures.result(y, name: "y", ou: "Root", [onlyEarlier]), scan: first.id)
            try await store.finishScan(first.id, state: .partial, finishedAt: Fixtures.day15, metrics: nil)
            let second = try await store.beginScan(NewScan(kind: .org, target: "org:555555555555", startedAt: Fixtures.day15.addingTimeInterval(60), toolVersion: "0.1.0"))
            try await store.record(Fixtures.result(x, name: "x", ou: "Root", [onlyLater]), scan: second.id)
            try await store.record(Fixtures.result(y, name: "y", ou: "Root", [], state: .failed), scan: second.id)
            try await store.finishScan(second.id, state: .partial, finishedAt: Fixtures.day15, metrics: nil)

            let cli = try await ScanDiff.compare(store, from: first.id, to: second.id)
            #expect(cli.new.isEmpty && cli.fixed.isEmpty && cli.open.isEmpty)
            #expect(cli.uncomparableAccounts == [x, y])
            let page = try await server.get("/diff?a=\(first.id)&b=\(second.id)")
            #expect(page.status == 200)
            for (id, expected) in [("new", cli.new.count), ("fixed", cli.fixed.count), ("open", cli.open.count)] {
                let count = HTMLText.element(page.body, id: id).map { HTMLText.count("data-fingerprint-row", in: $0) } ?? 0
                #expect(count == expected, "\(id)")
            }
            #expect(page.body.contains("left out (their findings are unknown, not fixed): \(x), \(y)"))
        }
    }

    @Test func metricsPageComparesWithThePopulation() async throws {
        try await RouterServer.with { server in
            let page = try await server.get("/scans/2/metrics")
            #expect(page.status == 200)
            let table = try #require(HTMLText.element(page.body, id: "metrics"))
            #expect(HTMLText.count("data-metric=", in: table) == 3)
            let mfa = try #require(HTMLText.row(table, "data-metric=\"iam.console_users_without_mfa\""))
            #expect(mfa.contains("<td>1/4 (25%)</td><td>11% of all IAM users</td><td class=\"verdict-worse\">worse</td>"))
            let imds = try #require(HTMLText.row(table, "data-metric=\"ec2.instances_without_imdsv2\""))
            #expect(imds.contains("<td class=\"verdict-better\">better</td>"))
            #expect(page.body.contains("2 metric(s) worse than the population."))
            #expect(page.body.contains("measured 2026-11-08 10:00 UTC"))

            let none = try await server.get("/scans/1/metrics")
            #expect(none.status == 200)
            #expect(none.body.contains("id=\"no-metrics\""))
        }
    }

    @Test func storedTextIsEscapedEverywhere() async throws {
        try await RouterServer.with { server in
            let page = try await server.get("/scans/2/findings?q=script")
            #expect(HTMLText.count("data-fingerprint-row", in: page.body) == 1)
            #expect(page.body.contains("arn:aws:sns:us-east-1:222222222222:&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.body.contains("Topic policy allows &lt;b&gt;anyone&lt;/b&gt; to publish."))
            #expect(!page.body.contains("<script"))
            #expect(!page.body.contains("<b>anyone"))
            // A reflected search value stays inside its attribute.
            let reflected = try await server.get("/scans/2/findings?q=%22%3E%3Cimg%20src%3Dx%3E")
            #expect(reflected.body.contains("value=\"&quot;&gt;&lt;img src=x&gt;\""))
            #expect(!reflected.body.contains("<img"))
        }
    }
}

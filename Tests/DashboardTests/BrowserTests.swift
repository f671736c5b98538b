import Foundation
import MamoriTestSupport
import MamoriCore
import Testing

/// Every page in a real browser: headless Chromium (Debian's `chromium`, see
/// scripts/setup-chromium.sh) dumps the DOM it built and takes a screenshot. Skipped, with the
/// reason, when Chromium is not installed.
@Suite("Dashboard in Chromium", .serialized)
struct BrowserTests {
    static let chromium: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// `<package>/.build/dashboard-screenshots`, next to the build products.
    static let screenshots: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/dashboard-screenshots")

    struct PageCheck: Sendable {
        var name: String
        var path: String
        var check: @Sendable (String) -> Void
    }

    static let pages: [PageCheck] = [
        PageCheck(name: "scans", path: "/") { dom in
            #expect(dom.contains("<h1>Scans</h1>"))
            #expect(HTMLText.count("data-scan=", in: dom) == 3)
            #expect(dom.contains("<svg class=\"chart trend\""))
        },
        PageCheck(name: "scan", path: "/scans/1") { dom in
            let accounts = HTMLText.element(dom, id: "accounts") ?? ""
            #expect(HTMLText.count("data-account=", in: accounts) == 3)
            #expect(dom.contains("Root/Sandbox"))
        },
        PageCheck(name: "findings", path: "/scans/3/findings?region=eu-west-1") { dom in
            let table = HTMLText.element(dom, id: "findings") ?? ""
            #expect(HTMLText.count("data-fingerprint-row", in: table) == 50)
            #expect(table.contains(Fixtures.instance(1).resource))
            #expect(!table.contains(Fixtures.instance(2).resource))
            #expect(dom.contains("60 of 120 findings"))
            // The region filter shows what is applied.
            #expect(dom.contains("<option value=\"eu-west-1\" selected=\"\">"))
        },
        PageCheck(name: "finding", path: "/scans/2/findings/\(Fixtures.publicBucket.fingerprint)") { dom in
            #expect(dom.contains("Fix: s3 bucket is public."))
            #expect(dom.contains("id=\"console-link\""))
            #expect(dom.contains("First seen in scan #1"))
        },
        PageCheck(name: "diff", path: "/diff?a=1&b=2") { dom in
            let new = HTMLText.element(dom, id: "new") ?? ""
            #expect(HTMLText.count("data-fingerprint-row", in: new) == 2)
            #expect(new.contains("arn:aws:sqs:us-east-1:222222222222:orders"))
            // Markup in a resource name is text, not an element.
            #expect(new.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!dom.contains("<script"))
            #expect((HTMLText.element(dom, id: "open") ?? "").contains("renamed/moved from arn:aws:iam::111111111111:user/dev/alice"))
        },
        PageCheck(name: "metrics", path: "/scans/2/metrics") { dom in
            #expect(HTMLText.count("data-metric=", in: HTMLText.element(dom, id: "metrics") ?? "") == 3)
            #expect(dom.contains("1/4 (25%)"))
        },
    ]

    @Test(.enabled(if: chromium != nil, "chromium is not on PATH: run scripts/setup-chromium.sh to run the browser tests"))
    func everyPageRendersInChromium() async throws {
        let chromium = try #require(Self.chromium)
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        try await TestServer.with { server in
            for page in Self.pages {
                let url = server.base + page.path
                let dom = try await Self.run(chromium, ["--dump-dom", url])
                #expect(dom.contains("</html>"), "\(page.name): no document from \(url)")
                page.check(dom)
                let png = Self.screenshots.appendingPathComponent("\(page.name).png")
                try? FileManager.default.removeItem(at: png)
                _ = try await Self.run(chromium, ["--screenshot=\(png.path)", "--window-size=1280,900", url])
                let data = try Data(contentsOf: png)
                #expect(data.count > 10_000, "\(page.name).png is only \(data.count) bytes")
                #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(page.name).png is not a PNG")
            }
        }
    }

    /// The token flow in a browser: `?token=` redirects, the cookie is set, the page loads.
    @Test(.enabled(if: chromium != nil, "chromium is not on PATH: run scripts/setup-chromium.sh to run the browser tests"))
    func tokenLinkSignsTheBrowserIn() async throws {
        let chromium = try #require(Self.chromium)
        try await TestServer.with(token: "browser-token") { server in
            let denied = try await Self.run(chromium, ["--dump-dom", server.base + "/scans/2"])
            #expect(denied.contains("401 · Token required"))
            let dom = try await Self.run(chromium, ["--dump-dom", server.base + "/scans/2?token=browser-token"])
            #expect(dom.contains("Scan #2 · org org:111111111111"))
        }
    }

    /// Runs Chromium headless with a throwaway profile; its stdout (the DOM for --dump-dom).
    static func run(_ chromium: String, _ arguments: [String]) async throws -> String {
        try await offPool { try runBlocking(chromium, arguments) }
    }

    static func runBlocking(_ chromium: String, _ arguments: [String]) throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        // A hung browser must not hang the suite: killed after two minutes.
        let outcome = try ChildProcess.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                                                      "--hide-scrollbars", "--user-data-dir=\(profile.path)"] + arguments,
                                           deadline: 120, name: "chromium --headless")
        return String(decoding: outcome.stdout, as: UTF8.self)
    }
}

import Foundation
import Reports
import Testing

/// Every format rendered from the fixed fixture must match its reviewed golden file byte for byte.
/// Regenerate with `MAMORI_UPDATE_GOLDENS=1 swift test --filter GoldenTests`, then review the diff.
@Suite struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static let cases: [(ReportFormat, String)] = ReportFormat.allCases.filter { $0 != .table }.map { ($0, $0.fileName) }

    @Test(arguments: cases.map(\.1))
    func format(_ fileName: String) throws {
        let format = try #require(ReportFormat.allCases.first { $0.fileName == fileName })
        try compare(format.render(Fixture.input()), fileName)
    }

    @Test func metricsTable() throws {
        let metrics = try #require(Fixture.input().metrics)
        try compare(Data(MetricsReport.table(metrics).utf8), "metrics.txt")
        try compare(MetricsReport.json(metrics), "metrics.json")
    }

    /// The fixture inventory as `mamori scan --save` writes it: scripts/validate-reports.sh renders it with the CLI.
    @Test func fixtureInventory() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try compare(encoder.encode(Fixture.inventory), "inventory.json")
    }

    @Test func renderingIsDeterministic() throws {
        for format in ReportFormat.allCases {
            #expect(try format.render(Fixture.input()) == format.render(Fixture.input()), "\(format)")
        }
    }

    func compare(_ data: Data, _ name: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["MAMORI_UPDATE_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try data.write(to: url)
            return
        }
        let expected = try #require(FileManager.default.contents(atPath: url.path), "missing golden \(name)")
        #expect(String(decoding: data, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(name) differs from its golden")
    }
}

import Foundation
import Testing
@testable import SigmaEngine
@testable import LogReaders

/// Mamori's matches against pySigma's (pysigma-backend-sqlite over the same events in SQLite;
/// scripts/compare-hunt-pysigma.py writes Tests/HuntComparison/pysigma-matches.json): the same
/// event ids for every rule, apart from the differences listed in `known`, each with its reason.
@Suite struct HuntComparisonTests {
    static let repo = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// rule file → events only mamori matches, and why pySigma's SQL differs.
    static let known: [String: (onlyMamori: Set<String>, reason: String)] = [:]

    @Test func sameEventIDsAsPySigma() throws {
        let base = Self.repo.appendingPathComponent("Tests/HuntComparison")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathComponent("pysigma-matches.json"))) as! [String: [String]]
        #expect(expected.count >= 30)
        var records: [(String, Record)] = []
        for line in try String(contentsOf: base.appendingPathComponent("events.jsonl"), encoding: .utf8).split(separator: "\n") {
            let record = try CloudTrailRecord.parse(Array(line.utf8))
            records.append((record.text(["eventID"]) ?? "", record))
        }
        for (file, pySigmaIDs) in expected.sorted(by: { $0.key < $1.key }) {
            let set = try HuntRules.load(paths: [Self.repo.appendingPathComponent(file).path])
            var matcher = HuntMatcher(set)
            var ours = Set<String>()
            for (i, (id, record)) in records.enumerated() {
                for hit in matcher.feed(record: record, time: Date(timeIntervalSince1970: Double(i)), eventID: id) { ours.formUnion(hit.eventIDs) }
            }
            let onlyOurs = ours.subtracting(pySigmaIDs)
            let onlyTheirs = Set(pySigmaIDs).subtracting(ours)
            let allowed = Self.known[file]?.onlyMamori ?? []
            #expect(onlyOurs == allowed, "\(file): only mamori matched \(onlyOurs.sorted())")
            #expect(onlyTheirs.isEmpty, "\(file): only pySigma matched \(onlyTheirs.sorted())")
        }
    }
}

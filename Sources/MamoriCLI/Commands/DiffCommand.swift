import ArgumentParser
import Checks
import Foundation
import History
import MamoriCore
import ScanEngine

/// `mamori diff [SCAN_A] [SCAN_B]`: new, fixed and still-open findings between two stored scans.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two stored scans: new, fixed and still-open failing findings.",
        discussion: """
            Without arguments compares the newest scan with the previous scan of the same account or
            organisation; with one, that scan with its predecessor. Findings are matched by a stable
            fingerprint (check, account, region, resource identity): a renamed IAM user or one moved
            to another path, or an account moved to another OU, is still the same finding. An account
            that could not be read in either scan cannot be compared: its findings are left out of
            both (neither new nor fixed) and the output names it.
            Exit codes: 0, or 1 with --fail-on new when there are new findings; 2 error.
            Examples:
              mamori diff
              mamori diff 12 15 --format json --output diff.json
              mamori scan --no-fail && mamori diff --fail-on new      # CI: fail only on new findings
            """)

    @Argument(help: "The earlier scan (default: the one before SCAN_B).")
    var scanA: Int64?

    @Argument(help: "The later scan (default: the newest).")
    var scanB: Int64?

    @OptionGroup var history: HistoryOptions

    @Option(help: "Output format.")
    var format: FormatChoice<TableOrJSON> = .init(.table)

    @Option(help: "Write the comparison to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when there are findings of this kind: new, or none (default).")
    var failOn: FailOn = .none

    func run() async throws {
        try await Console.run {
            let store = try await history.open()
            let (a, b) = try await pair(store)
            let diff = try await ScanDiff.compare(store, from: a.id, to: b.id)
            await store.close()
            switch format.value {
            case .json:
                try Console.writeJSON(DiffDocument(from: a, to: b, diff: diff), to: output)
            default:
                try Console.writeReport(Data(Self.text(diff, a, b).utf8), to: output)
            }
            return failOn == .new && !diff.new.isEmpty ? 1 : 0
        }
    }

    func pair(_ store: any HistoryStore) async throws -> (ScanRecord, ScanRecord) {
        if let scanA, let scanB {
            return (try await HistoryDatabase.scan(store, scanA), try await HistoryDatabase.scan(store, scanB))
        }
        let later: ScanRecord
        if let scanA {
            later = try await HistoryDatabase.scan(store, scanA)
        } else {
            later = try await HistoryDatabase.latest(store, hint: "run `mamori scan` twice, then diff")
        }
        guard let earlier = try await HistoryDatabase.previous(store, before: later) else {
            throw CLIError("scan \(later.id) is the first scan of \(later.target): nothing to compare with (give two scan ids)")
        }
        return (earlier, later)
    }

    /// Names the accounts left out of the comparison, or nil when every account could be compared.
    static func uncomparableNote(_ diff: ScanDiff, _ a: ScanRecord, _ b: ScanRecord) -> String? {
        guard !diff.uncomparableAccounts.isEmpty else { return nil }
        return "note: left out, could not be read in scan \(a.id) or \(b.id) (their findings are unknown, neither new nor fixed): "
            + TerminalText.sanitize(diff.uncomparableAccounts.joined(separator: ", "))
    }

    /// Scans that ran different check selections (`--checks`, `--services`, `--severity`, `scan:`):
    /// findings of checks only one of them ran show as new or fixed.
    static func selectionNote(_ a: ScanRecord, _ b: ScanRecord) -> String? {
        let (before, after) = (CheckSelection.parameterPart(a.parameters), CheckSelection.parameterPart(b.parameters))
        guard before != after else { return nil }
        func name(_ part: String) -> String { part.isEmpty ? "every check" : "a narrowed check selection" }
        return "note: scan \(a.id) ran \(name(before)) and scan \(b.id) \(name(after)): findings of checks only one of them ran show as new or fixed"
    }

    static func text(_ diff: ScanDiff, _ a: ScanRecord, _ b: ScanRecord) -> String {
        var text = "Scan \(a.id) (\(TextTable.time(a.startedAt))) → scan \(b.id) (\(TextTable.time(b.startedAt))), \(TerminalText.sanitize(b.target))\n"
        text += "\(diff.new.count) new, \(diff.fixed.count) fixed, \(diff.open.count) still open (\(diff.moved.count) renamed or moved)\n"
        if b.state == .partial || b.state == .interrupted {
            text += "note: scan \(b.id) is \(b.state.rawValue): findings in parts it could not read may show as fixed; see `mamori history`\n"
        }
        if let note = uncomparableNote(diff, a, b) { text += note + "\n" }
        if let note = selectionNote(a, b) { text += note + "\n" }
        func section(_ title: String, _ findings: [StoredFinding]) {
            guard !findings.isEmpty else { return }
            text += "\n\(title)\n"
            text += TextTable.render(header: ["SEVERITY", "CHECK", "ACCOUNT", "REGION", "RESOURCE"], rows: findings.map { stored in
                let f = stored.finding
                return [f.severity.rawValue.uppercased(), f.check, f.account, f.region, f.resource]
            })
        }
        section("NEW", diff.new)
        section("FIXED", diff.fixed)
        if !diff.moved.isEmpty {
            text += "\nRENAMED OR MOVED (still open)\n"
            text += TextTable.render(header: ["CHECK", "ACCOUNT", "BEFORE", "NOW"], rows: diff.moved.map { item in
                [item.finding.finding.check, item.finding.finding.account, item.previousResource ?? "", item.finding.finding.resource]
            })
        }
        return text
    }
}

/// When a CI job should fail (`--fail-on`; the engine owns what each value means).
extension FailOn: ExpressibleByArgument {}

/// `mamori diff --format json`.
struct DiffDocument: Encodable {
    struct Item: Encodable {
        var fingerprint: String
        var finding: Finding
        var previousResource: String?
    }

    var from: ScanRecord
    var to: ScanRecord
    var new: [Item]
    var fixed: [Item]
    var open: [Item]
    /// Accounts either scan could not read: left out of new, fixed and open.
    var uncomparableAccounts: [String]

    init(from: ScanRecord, to: ScanRecord, diff: ScanDiff) {
        self.from = from
        self.to = to
        new = diff.new.map { Item(fingerprint: $0.fingerprint, finding: $0.finding) }
        fixed = diff.fixed.map { Item(fingerprint: $0.fingerprint, finding: $0.finding) }
        open = diff.open.map { Item(fingerprint: $0.finding.fingerprint, finding: $0.finding.finding, previousResource: $0.previousResource) }
        uncomparableAccounts = diff.uncomparableAccounts
    }
}

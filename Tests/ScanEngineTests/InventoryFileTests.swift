import Checks
import Foundation
import Inventory
import MamoriCore
import Testing
@testable import ScanEngine

/// The inventory file: the version gate, and reading an organisation's file account by account.
@Suite("Inventory file")
struct InventoryFileTests {
    static let collected = Date(timeIntervalSince1970: 1_760_000_000)

    /// An account with findings (root without MFA, a user without MFA) and hostile-looking strings
    /// (braces, brackets, quotes and escapes inside strings must not confuse the splitter).
    static func account(_ index: Int, users: Int = 3) -> AccountInventory {
        let id = String(format: "%012d", 100_000_000_000 + index)
        let iam = IAMInventory(
            users: (0..<users).map { IAMUser(name: "user-\($0)-{[\"\\}]", arn: "arn:aws:iam::\(id):user/u\($0)", passwordEnabled: true) },
            root: RootUser(arn: "arn:aws:iam::\(id):root", mfaActive: false))
        var account = AccountInventory(accountId: id, accountName: "acct \"\(index)\" }]", regions: ["eu-west-1"], iam: iam)
        account.ouPath = "Root/Prod"
        return account
    }

    static func write(_ inventory: Inventory) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inventory-\(UUID().uuidString).json").path
        try InventoryFile.write(inventory, to: path)
        return path
    }

    static func write(text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inventory-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func roundTrips() throws {
        let path = try Self.write(Inventory(collectedAt: Self.collected, accounts: (0..<5).map { Self.account($0) }))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let read = try InventoryFile.read(path)
        #expect(read.schema == Inventory.currentSchema)
        #expect(read.collectedAt == Self.collected)
        #expect(read.accounts.map(\.accountId) == (0..<5).map { Self.account($0).accountId })
        #expect(read.accounts[2].accountName == "acct \"2\" }]")
        #expect(read.accounts[1].iam?.users.first?.name == "user-0-{[\"\\}]")
    }

    @Test func newerSchemaIsRefusedBeforeAnyAccountIsRead() throws {
        // The accounts of a future schema may not decode at all: the gate still speaks first.
        let path = try Self.write(text: #"{"accounts":[{"future":true}],"collectedAt":"2026-01-01T00:00:00Z","schema":2,"tool":"mamori"}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ScanEngineError.newerInventory(path: path, schema: 2)) { try InventoryFile.read(path) }
        #expect(ScanEngineError.newerInventory(path: path, schema: 2).description == "\(path) was written by a newer Mamori (schema 2); upgrade to read it")
    }

    @Test func currentSchemaOneLineFileIsRead() throws {
        let path = try Self.write(text: #"  {"tool":"mamori","schema":1,"collectedAt":"2026-01-01T00:00:00Z","accounts":[]}  "#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try InventoryFile.read(path).accounts.isEmpty)
    }

    @Test func brokenFilesAreNotInventories() throws {
        for text in ["", "[1,2]", #"{"accounts":[{"accountId":"1""#, #"{"schema":1}"#, #"{"accounts":[1],"schema":1,"tool":"x","collectedAt":"2026-01-01T00:00:00Z"}"#,
                     #"{"accounts":[],"schema":"one","tool":"x","collectedAt":"2026-01-01T00:00:00Z"}"#] {
            let path = try Self.write(text: text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect {
                try InventoryFile.read(path)
            } throws: { error in
                guard case .notAnInventory(let named, _) = error as? ScanEngineError else { return false }
                return named == path
            }
        }
        #expect(throws: ScanEngineError.self) { try InventoryFile.read("/nonexistent/inventory.json") }
        #expect(ScanEngineError.cannotReadInventory(path: "x.json", reason: "No such file or directory").description
                == "cannot read inventory file x.json: No such file or directory")
    }

    /// The splitter hands out each account as soon as it ends and holds at most one account's bytes,
    /// however many accounts the file has: memory follows one account, not the organisation.
    @Test func splitterHoldsOneAccountAtATime() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let file = try encoder.encode(Inventory(collectedAt: Self.collected, accounts: (0..<200).map { Self.account($0, users: 20) }))
        let oneAccount = try encoder.encode(Self.account(0, users: 20)).count
        var splitter = InventorySplitter(keepAccounts: true)
        var emitted = 0
        var emittedAfterFirstTenth = 0
        let chunk = 64 * 1024
        try file.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + chunk, bytes.count)
                try splitter.feed(UnsafeRawBufferPointer(rebasing: bytes[offset..<end])) { element throws(ScanEngineError) in
                    if case .account = element { emitted += 1 }
                }
                offset = end
                if offset <= bytes.count / 10 { emittedAfterFirstTenth = emitted }
            }
        }
        #expect(splitter.isComplete)
        #expect(emitted == 200)
        #expect(emittedAfterFirstTenth >= 10, "accounts must come out while the file is still being read")
        // Pretty-printed at a deeper indent in the file, so a little larger than alone.
        #expect(splitter.largestElement < oneAccount * 2)
        #expect(splitter.largestElement * 100 < file.count)
    }

    /// Evaluating account by account gives what evaluating the whole inventory gave.
    @Test func perAccountEvaluationMatchesWholeEvaluation() throws {
        let inventory = Inventory(collectedAt: Self.collected, accounts: (0..<12).map { Self.account($0) })
        let path = try Self.write(inventory)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = MamoriConfig()
        let today = Self.collected
        let whole = Evaluator.evaluate(inventory, config: config, today: today)
        let streamed = try InventoryFile.evaluate(path, config: config, today: today)
        #expect(streamed.accounts == 12)
        #expect(streamed.evaluation.findings.map(\.fingerprintText) == whole.findings.map(\.fingerprintText))
        #expect(streamed.evaluation.findings.count > 12)
        #expect(streamed.evaluation.errors.keys.sorted() == whole.errors.keys.sorted())
        #expect(streamed.evaluation.accounts == whole.accounts)
        #expect(streamed.accountNames.count == 12)
        #expect(streamed.metrics?.accounts == 12)
        #expect(streamed.collectedAt == Self.collected)
    }
}

extension Finding {
    /// Enough of a finding to compare two evaluations.
    var fingerprintText: String { "\(check)|\(account)|\(region)|\(resource)|\(status)" }
}

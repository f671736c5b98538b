import Checks
import Foundation
import Inventory
import MamoriCore
import Reports
import StreamIO

/// The inventory file (`scan --save`, `check --inventory`): one JSON object with `schema`,
/// `collectedAt`, `tool` and `accounts`, written with sorted keys. Files of a newer schema are
/// refused before any account is read (the version gate).
///
/// An organisation's inventory is large (about 5 MB of decoded values per account), so it is read
/// account by account: the file is streamed twice, first for the small top-level values (the
/// gate and the collection time; `accounts` comes first in the sorted file), then decoding and
/// handing out one account at a time. Memory follows the largest account, not the organisation.
public enum InventoryFile {
    /// The top-level values other than `accounts`.
    public struct Header: Decodable, Sendable, Equatable {
        public var schema: Int
        public var collectedAt: Date
        public var tool: String
    }

    public static func write(_ inventory: Inventory, to path: String) throws(ScanEngineError) {
        do { try StableJSON.encode(inventory).write(to: URL(fileURLWithPath: path)) }
        catch { throw .cannotWriteInventory(path: path, reason: error.localizedDescription) }
    }

    /// The whole inventory (commands that need every account at once: `hunt`, `amis plan`, metrics).
    public static func read(_ path: String) throws(ScanEngineError) -> Inventory {
        let header = try header(path)
        var accounts: [AccountInventory] = []
        try forEachAccount(path, header: header) { accounts.append($0) }
        var inventory = Inventory(collectedAt: header.collectedAt, tool: header.tool, accounts: accounts)
        inventory.schema = header.schema
        return inventory
    }

    /// The top-level values, after the version gate.
    public static func header(_ path: String) throws(ScanEngineError) -> Header {
        var values: [String: [UInt8]] = [:]
        try stream(path, keepAccounts: false) { element throws(ScanEngineError) in
            if case let .value(key, bytes) = element { values[key] = bytes }
        }
        guard values["accounts"] != nil else { throw .notAnInventory(path: path, reason: "it has no \"accounts\"") }
        values["accounts"] = nil
        // The small values, reassembled as one object and decoded as usual.
        var object: [UInt8] = Array("{".utf8)
        for (index, (key, bytes)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { object.append(UInt8(ascii: ",")) }
            object += Array("\"\(key)\":".utf8) + bytes
        }
        object.append(UInt8(ascii: "}"))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        // The schema alone first: a newer file is refused even if the rest no longer decodes.
        struct SchemaOnly: Decodable { var schema: Int }
        let header: Header
        do {
            let schema = try decoder.decode(SchemaOnly.self, from: Data(object)).schema
            guard schema <= Inventory.currentSchema else { throw ScanEngineError.newerInventory(path: path, schema: schema) }
            header = try decoder.decode(Header.self, from: Data(object))
        } catch let error as ScanEngineError {
            throw error
        } catch {
            throw .notAnInventory(path: path, reason: "\(error)")
        }
        return header
    }

    /// Decodes the accounts one at a time and hands each to `body`, which should not keep it.
    public static func forEachAccount(_ path: String, header: Header,
                                      _ body: (AccountInventory) throws(ScanEngineError) -> Void) throws(ScanEngineError) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var index = 0
        try stream(path, keepAccounts: true) { element throws(ScanEngineError) in
            guard case let .account(bytes) = element else { return }
            let account: AccountInventory
            do { account = try decoder.decode(AccountInventory.self, from: Data(bytes)) }
            catch { throw .notAnInventory(path: path, reason: "account \(index + 1): \(error)") }
            index += 1
            try body(account)
        }
    }

    /// Streams the file through ``InventorySplitter``, handing out each element as it ends.
    static func stream(_ path: String, keepAccounts: Bool,
                       _ handle: (InventorySplitter.Element) throws(ScanEngineError) -> Void) throws(ScanEngineError) {
        let reader: FileReader
        do { reader = try FileReader(path: path) }
        catch { throw .cannotReadInventory(path: path, reason: Self.reason(error)) }
        var splitter = InventorySplitter(keepAccounts: keepAccounts)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count: Int
            do { count = try reader.read(into: buffer) }
            catch { throw .cannotReadInventory(path: path, reason: Self.reason(error)) }
            if count == 0 { break }
            do {
                try splitter.feed(UnsafeRawBufferPointer(rebasing: buffer[..<count]), handle)
            } catch let error as InventorySplitter.Malformed {
                throw .notAnInventory(path: path, reason: error.description)
            } catch let error as ScanEngineError {
                throw error
            } catch {
                throw .notAnInventory(path: path, reason: "\(error)")
            }
        }
        guard splitter.isComplete else {
            throw .notAnInventory(path: path, reason: splitter.started ? "the file ends inside the inventory (truncated?)" : "the file holds no JSON object")
        }
    }

    static func reason(_ error: StreamIOError) -> String {
        switch error {
        case let .openFailed(_, reason), let .readFailed(_, reason): reason
        default: error.description
        }
    }

    /// `check --inventory`: the saved inventory evaluated account by account, each account's
    /// values released once evaluated (findings and metrics are combined as `scan --org` does).
    public static func evaluate(_ path: String, config: MamoriConfig, today: Date = Date()) throws(ScanEngineError) -> InventoryEvaluation {
        let header = try header(path)
        var parts: [Evaluation] = []
        var metrics: [PostureMetrics] = []
        var names: [String: String] = [:]
        var accounts = 0
        try forEachAccount(path, header: header) { account in
            let one = Inventory(collectedAt: header.collectedAt, tool: header.tool, accounts: [account])
            let evaluation = Evaluator.evaluate(one, config: config, today: today)
            parts.append(evaluation)
            metrics.append(PostureMetrics.compute(inventory: one, evaluation: evaluation))
            if let name = account.accountName, names[account.accountId] == nil { names[account.accountId] = name }
            accounts += 1
        }
        let evaluation = Evaluation.combining(parts)
        let combined: PostureMetrics? = switch metrics.count {
        case 0: PostureMetrics.compute(inventory: Inventory(collectedAt: header.collectedAt, tool: header.tool), evaluation: evaluation)
        case 1: metrics[0]
        default: PostureMetrics.combine(metrics, measuredAt: header.collectedAt)
        }
        return InventoryEvaluation(evaluation: evaluation, metrics: combined, collectedAt: header.collectedAt, accountNames: names, accounts: accounts)
    }
}

/// A saved inventory's evaluation, with what its report needs.
public struct InventoryEvaluation: Sendable {
    public var evaluation: Evaluation
    public var metrics: PostureMetrics?
    public var collectedAt: Date
    public var accountNames: [String: String]
    /// Accounts evaluated.
    public var accounts: Int

    /// The report input `check` renders (the same as a whole-inventory ReportInput).
    public func reportInput(all: Bool, toolVersion: String) -> ReportInput {
        ReportInput(evaluation: evaluation, findings: ReportInput.shown(evaluation, all: all), generatedAt: collectedAt,
                    toolVersion: toolVersion, metrics: metrics, accountNames: accountNames)
    }
}

/// Splits the top-level JSON object of an inventory as bytes arrive: each element of `accounts`
/// and each other top-level value comes out as its own bytes, so only one account is held at a
/// time. Only the structure is tracked (strings, escapes, nesting); the JSON decoder checks the rest.
struct InventorySplitter {
    enum Element {
        case account([UInt8])
        case value(key: String, bytes: [UInt8])
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    private enum Mode { case key, afterKey, beforeValue, value, accounts, account, afterValue }

    /// Whether account bytes are kept (false: the first pass, which only wants the small values).
    let keepAccounts: Bool
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var mode = Mode.key
    private var key: [UInt8] = []
    private var buffer: [UInt8] = []
    private(set) var started = false
    private(set) var isComplete = false
    private(set) var largestElement = 0

    init(keepAccounts: Bool) {
        self.keepAccounts = keepAccounts
    }

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    private static let open: Set<UInt8> = [UInt8(ascii: "{"), UInt8(ascii: "[")]
    private static let close: Set<UInt8> = [UInt8(ascii: "}"), UInt8(ascii: "]")]

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private var capturing: Bool { mode == .value || (mode == .account && keepAccounts) }

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (Element) throws(ScanEngineError) -> Void) throws {
        for byte in bytes {
            if isComplete {
                if Self.isSpace(byte) { continue }
                throw Malformed(description: "unexpected bytes after the inventory object")
            }
            if inString {
                if capturing { buffer.append(byte) }
                if escaped { escaped = false }
                else if byte == Self.backslash { escaped = true }
                else if byte == Self.quote {
                    inString = false
                    if mode == .key && depth == 1 { mode = .afterKey }
                }
                else if mode == .key && depth == 1 { key.append(byte) }
                continue
            }
            if !started {
                if Self.isSpace(byte) { continue }
                guard byte == UInt8(ascii: "{") else { throw Malformed(description: "the file does not start with a JSON object") }
                started = true
                depth = 1
                mode = .key
                key = []
                continue
            }
            try structural(byte, emit)
        }
    }

    private mutating func structural(_ byte: UInt8, _ emit: (Element) throws(ScanEngineError) -> Void) throws {
        switch mode {
        case .key:
            if Self.isSpace(byte) || byte == UInt8(ascii: ",") { return }
            if byte == UInt8(ascii: "}") && depth == 1 { finishObject(); return }
            guard byte == Self.quote else { throw Malformed(description: "expected a key at the top level") }
            key = []
            inString = true
        case .afterKey:
            if Self.isSpace(byte) { return }
            guard byte == UInt8(ascii: ":") else { throw Malformed(description: "expected ':' after a key") }
            mode = .beforeValue
        case .beforeValue:
            if Self.isSpace(byte) { return }
            if String(decoding: key, as: UTF8.self) == "accounts" {
                guard byte == UInt8(ascii: "[") else { throw Malformed(description: "\"accounts\" is not a list") }
                depth = 2
                mode = .accounts
                try emit(.value(key: "accounts", bytes: Array("[]".utf8)))
                return
            }
            mode = .value
            buffer = [byte]
            if byte == Self.quote { inString = true }
            else if Self.open.contains(byte) { depth += 1 }
        case .value:
            if depth == 1 && (Self.close.contains(byte) || byte == UInt8(ascii: ",")) {
                // The end of a scalar, string or container value at the top level.
                try emitValue(emit)
                if byte == UInt8(ascii: "}") { finishObject() } else if byte == UInt8(ascii: ",") { mode = .key }
                else { throw Malformed(description: "unbalanced ']' at the top level") }
                return
            }
            buffer.append(byte)
            if byte == Self.quote { inString = true }
            else if Self.open.contains(byte) { depth += 1 }
            else if Self.close.contains(byte) { depth -= 1 }
        case .accounts:
            if Self.isSpace(byte) || byte == UInt8(ascii: ",") { return }
            if byte == UInt8(ascii: "]") { depth = 1; mode = .afterValue; return }
            guard byte == UInt8(ascii: "{") else { throw Malformed(description: "an element of \"accounts\" is not an object") }
            depth = 3
            mode = .account
            buffer = keepAccounts ? [byte] : []
        case .account:
            if keepAccounts { buffer.append(byte) }
            if byte == Self.quote { inString = true }
            else if Self.open.contains(byte) { depth += 1 }
            else if Self.close.contains(byte) {
                depth -= 1
                if depth == 2 {
                    largestElement = max(largestElement, buffer.count)
                    let element = buffer
                    buffer = []
                    mode = .accounts
                    if keepAccounts { try emit(.account(element)) }
                }
            }
        case .afterValue:
            if Self.isSpace(byte) { return }
            if byte == UInt8(ascii: ",") { mode = .key }
            else if byte == UInt8(ascii: "}") { finishObject() }
            else { throw Malformed(description: "expected ',' or '}' after a top-level value") }
        }
    }

    private mutating func emitValue(_ emit: (Element) throws(ScanEngineError) -> Void) throws {
        // Trailing whitespace is kept: the decoder accepts it.
        largestElement = max(largestElement, buffer.count)
        let bytes = buffer
        buffer = []
        try emit(.value(key: String(decoding: key, as: UTF8.self), bytes: bytes))
    }

    private mutating func finishObject() {
        depth = 0
        isComplete = true
    }
}

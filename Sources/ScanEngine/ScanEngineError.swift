import Foundation

/// What the scan engine refuses or cannot do, each with the words a user acts on. The CLI prints
/// the description and exits 2; the texts are the ones `mamori` always printed (tests check them).
public enum ScanEngineError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Organizations could not list the member accounts (not the management or a delegated administrator account).
    case cannotListOrganization(account: String, reason: String)
    case unreadableAccountList(path: String)
    case notAnAccountId(path: String, value: String)
    /// `--resume --run NAME` found the run, started with other options.
    case resumeParametersDiffer(scan: Int64, run: String?, stored: String)
    case historyStore(String)
    case cannotStoreAccount(account: String, scan: Int64, reason: String)
    case cannotFinishScan(scan: Int64, reason: String)
    /// A one-account scan ran but could not be stored.
    case cannotStoreScan(reason: String)
    case noSuchScan(Int64)
    case cannotReadInventory(path: String, reason: String)
    case notAnInventory(path: String, reason: String)
    case newerInventory(path: String, schema: Int)
    case cannotWriteInventory(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotListOrganization(account, reason):
            "cannot list the organisation's accounts from \(account) (run from the management or a delegated administrator account): \(reason)"
        case let .unreadableAccountList(path): "cannot read --accounts file \(path)"
        case let .notAnAccountId(path, value): "--accounts file \(path): '\(value)' is not a 12-digit account ID"
        case let .resumeParametersDiffer(scan, run, stored):
            "scan \(scan) (--run \(run ?? "")) was started with other parameters (\(stored)); use the same options to resume it"
        case let .historyStore(reason): "history store: \(reason)"
        case let .cannotStoreAccount(account, scan, reason): "cannot store account \(account) in scan \(scan): \(reason)"
        case let .cannotFinishScan(scan, reason): "cannot store the end of scan \(scan): \(reason)"
        case let .cannotStoreScan(reason): "the scan finished but could not be stored: \(reason) (use --no-history to skip the history)"
        case let .noSuchScan(id): "no scan \(id) in the history store (see `mamori history`)"
        case let .cannotReadInventory(path, reason): "cannot read inventory file \(path)\(reason.isEmpty ? "" : ": \(reason)")"
        case let .notAnInventory(path, reason): "\(path) is not a Mamori inventory: \(reason)"
        case let .newerInventory(path, schema): "\(path) was written by a newer Mamori (schema \(schema)); upgrade to read it"
        case let .cannotWriteInventory(path, reason): "cannot write the inventory to \(path): \(reason)"
        }
    }
}

/// The run was stopped (Ctrl-C, SIGTERM) before it had anything to report.
public struct ScanInterrupted: Error, CustomStringConvertible, Sendable {
    /// The stored scan already opened, which `--resume` continues.
    public var scanId: Int64?
    public var underlying: String
    public var description: String { "interrupted" }

    public init(scanId: Int64?, underlying: String) {
        self.scanId = scanId
        self.underlying = underlying
    }
}

import Foundation
import StreamIO

/// How far the archives of one input (a file, standard input, a staged blob) may expand before
/// the scan of that input stops. A 59 KB nested zip can expand to 256 GiB: without limits it keeps
/// a CI job busy for minutes; with them it stops within a fraction of a second and says so.
public struct ArchiveLimits: Sendable, Hashable {
    /// Bytes all decompressors and zip members of one input may produce together (`--max-archive-size`).
    public var maxExpandedBytes: Int
    /// Expanded bytes per byte of the input (`--max-archive-ratio`); checked only past `ratioFloor`,
    /// so small, very repetitive files are never refused.
    public var maxRatio: Int
    /// Archives inside archives (image → layer → .tar.gz → zip) opened at most (`--max-archive-depth`).
    public var maxDepth: Int

    public static let defaultMaxExpandedBytes = 4 << 30
    public static let defaultMaxRatio = 200
    public static let defaultMaxDepth = 6
    /// Below this much expanded data the ratio is not checked.
    public static let ratioFloor = 64 << 20

    public init(maxExpandedBytes: Int = ArchiveLimits.defaultMaxExpandedBytes,
                maxRatio: Int = ArchiveLimits.defaultMaxRatio,
                maxDepth: Int = ArchiveLimits.defaultMaxDepth) {
        self.maxExpandedBytes = max(1, maxExpandedBytes)
        self.maxRatio = max(1, maxRatio)
        self.maxDepth = max(0, maxDepth)
    }

    /// "4 GiB", "512 MiB", "3 KiB" or "100 bytes", for messages about these limits.
    static func sizeText(_ bytes: Int) -> String {
        for (unit, size) in [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size {
            let value = Double(bytes) / Double(size)
            return value == value.rounded() ? "\(Int(value)) \(unit)" : String(format: "%.1f %@", value, unit)
        }
        return "\(bytes) bytes"
    }
}

/// One input's expansion so far. Every decompressor's output and every zip member is charged
/// here; the first read past a limit throws, and so does every read after it, so the whole input
/// unwinds at once and is reported once.
final class ExpansionBudget {
    let limits: ArchiveLimits
    let input: String
    /// Size of the input as stored (the file's size; for a stream, the bytes read so far).
    var inputBytes: Int
    private(set) var expanded = 0
    /// Why the scan of this input stopped, once it has.
    private(set) var exceeded: String?
    /// Set once the message has been recorded.
    var reported = false

    init(limits: ArchiveLimits, input: String, inputBytes: Int) {
        self.limits = limits
        self.input = input
        self.inputBytes = inputBytes
    }

    /// True when charging `bytes` more would go past a limit (or one was already passed): then
    /// the bytes are streamed and charged as they come, so a scan stops where it always did.
    func wouldExceed(_ bytes: Int) -> Bool {
        if exceeded != nil { return true }
        let total = expanded + bytes
        return total > limits.maxExpandedBytes || (total > ArchiveLimits.ratioFloor && total / max(1, inputBytes) >= limits.maxRatio)
    }

    func charge(_ bytes: Int, name: String) throws(StreamIOError) {
        if let exceeded { throw .readFailed(path: name, reason: exceeded) }
        expanded += bytes
        let stored = max(1, inputBytes)
        if expanded > limits.maxExpandedBytes {
            exceeded = "its archives expand to more than \(ArchiveLimits.sizeText(limits.maxExpandedBytes)) (--max-archive-size)"
        } else if expanded > ArchiveLimits.ratioFloor, expanded / stored >= limits.maxRatio {
            exceeded = "its archives expand more than \(limits.maxRatio) times its \(ArchiveLimits.sizeText(stored)) "
                + "(\(ArchiveLimits.sizeText(expanded)) so far: a likely decompression bomb; --max-archive-ratio)"
        }
        if let exceeded { throw .readFailed(path: name, reason: exceeded) }
    }

    /// The partial-result message for the report.
    var message: String? {
        exceeded.map { "\(input): scan stopped: \($0); what it expanded to after that was not scanned" }
    }
}

/// Charges what passes through to a budget: decompressed bytes (`expanded`), or the bytes of a
/// stream input itself (`input`), whose size is not known up front.
final class BudgetedSource: ByteSource {
    enum Kind { case expanded, input }

    let name: String
    private let source: any ByteSource
    private let budget: ExpansionBudget
    private let kind: Kind

    init(_ source: any ByteSource, budget: ExpansionBudget, kind: Kind = .expanded, name: String? = nil) {
        self.source = source
        self.budget = budget
        self.kind = kind
        self.name = name ?? source.name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        if let exceeded = budget.exceeded { throw .readFailed(path: name, reason: exceeded) }
        let n = try source.read(into: buffer)
        switch kind {
        case .expanded: try budget.charge(n, name: name)
        case .input: budget.inputBytes += n
        }
        return n
    }
}

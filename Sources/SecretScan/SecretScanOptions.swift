#if canImport(Glibc)
import Glibc
#endif

/// Settings of a scan. The CLI fills it from flags; the lead wires the config file into it.
public struct SecretScanOptions: Sendable {
    /// Honour `.gitignore` files (`--no-ignore` turns this off).
    public var respectIgnore: Bool
    /// Accounts the user owns or trusts (`--trust-account`), 12 digits each.
    public var trustedAccounts: Set<String>
    /// Parallel scanning threads.
    public var workers: Int
    /// Files never scanned, such as the baseline file, which lists key IDs by design.
    public var excludedFiles: [String]
    /// How far one input's archives may expand (`--max-archive-size`, `-ratio`, `-depth`).
    public var archiveLimits: ArchiveLimits

    public init(respectIgnore: Bool = true, trustedAccounts: Set<String> = [], workers: Int? = nil, excludedFiles: [String] = [],
                archiveLimits: ArchiveLimits = ArchiveLimits()) {
        self.respectIgnore = respectIgnore
        self.archiveLimits = archiveLimits
        self.trustedAccounts = trustedAccounts
        self.excludedFiles = excludedFiles
        self.workers = max(1, workers ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

/// The outcome of a scan: findings, what was dropped and why, counts and per-input errors.
public struct SecretScanResult: Sendable {
    public var findings: [SecretFinding]
    public var dropped: [DroppedCandidate]
    public var stats: ScanStats
    /// Inputs that could not be (fully) scanned, as user-readable messages.
    public var errors: [String]

    /// Some input was not scanned to its end because it went past an archive limit, or held
    /// archives nested deeper than the depth limit.
    public var isPartial: Bool { stats.stoppedByLimits > 0 || stats.skippedNested > 0 || stats.unreadableObjects > 0 }

    public init(findings: [SecretFinding] = [], dropped: [DroppedCandidate] = [], stats: ScanStats = ScanStats(), errors: [String] = []) {
        self.findings = findings
        self.dropped = dropped
        self.stats = stats
        self.errors = errors
    }
}

import ArgumentParser
import Foundation
import MamoriCore
import SecretScan
import ScanEngine

/// Helpers of `mamori secrets` that are not flag parsing.
enum SecretsRun {
    static func scanRepositories(_ paths: [String], revisions: GitRevisions, engine: GitHistoryEngine,
                                 options: SecretScanOptions) throws -> SecretScanResult {
        var merged = SecretScanResult(findings: [], dropped: [], stats: ScanStats(), errors: [])
        for p in paths {
            let r = try SecretScanner.scanGitHistory(repository: p, revisions: revisions, engine: engine, options: options)
            merged.findings += r.findings
            merged.dropped += r.dropped
            merged.errors += r.errors
            merged.stats.add(r.stats)
        }
        return merged
    }

    /// `--staged`: the index of each repository.
    static func scanStaged(_ paths: [String], options: SecretScanOptions) throws -> SecretScanResult {
        var merged = SecretScanResult(findings: [], dropped: [], stats: ScanStats(), errors: [])
        for p in paths {
            let r = try SecretScanner.scanStaged(repository: p, options: options)
            merged.findings += r.findings
            merged.dropped += r.dropped
            merged.errors += r.errors
            merged.stats.add(r.stats)
        }
        return merged
    }

    /// The baseline `--update-baseline` writes: the current findings, plus (for a partial scan)
    /// the entries already in the file.
    static func updatedBaseline(_ findings: [SecretFinding], path: String, merging: Bool) throws -> Baseline {
        let current = Baseline(findings: findings)
        guard merging, FileManager.default.fileExists(atPath: path) else { return current }
        return try Baseline.load(path: path).merged(with: current)
    }

    static func summary(_ s: ScanStats, elapsed: Double, findings: Int, known: Int, dropped: Int) -> String {
        let mb = Double(s.bytes) / 1_000_000
        var parts = [String(format: "scanned %.1f MB in %.2f s (%.1f MB/s)", mb, elapsed, elapsed > 0 ? mb / elapsed : 0)]
        if s.commits > 0 { parts.append("\(s.commits) commits") } else { parts.append("\(s.files) files") }
        parts.append("\(s.archives) archives")
        parts.append("skipped: \(s.skippedBinary) binary, \(s.skippedIgnored) ignored, \(s.skippedSymlinks) symlinks, "
                     + "\(s.skippedSpecial) special files, \(s.skippedEncrypted) encrypted, \(s.skippedNested) too deeply nested")
        parts.append("\(findings) new findings, \(known) in baseline, \(dropped) dropped, \(s.errors) errors")
        return parts.joined(separator: "; ")
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((TerminalText.sanitizeLines(message) + "\n").utf8))
    }
}

/// `--verify`: asks STS about each distinct key pair, except canaries.
enum SecretsVerification {
    struct RefusedInCI: Error, CustomStringConvertible {
        var description: String {
            "--verify is refused in CI (the CI environment variable is set): verifying keys from CI would use leaked credentials automatically"
        }
    }

    static func verifyAll(_ findings: [SecretFinding], endpoint: String?) async throws -> [SecretFinding] {
        if let ci = ProcessInfo.processInfo.environment["CI"], !ci.isEmpty, ci.lowercased() != "false" {
            throw RefusedInCI()
        }
        var cache: [String: VerificationResult] = [:]
        var out = findings
        for i in out.indices {
            let f = out[i]
            guard let keyId = f.keyId else { continue }
            if let c = f.canary {
                out[i].verification = VerificationResult(status: "skipped", detail: "canary key of \(c.service): using it would alert its owner")
                continue
            }
            guard let secret = f.secret else {
                out[i].verification = VerificationResult(status: "skipped", detail: "no secret found next to the key ID")
                continue
            }
            let cacheKey = keyId + "\u{1F}" + SecretScanFingerprintHelper.digest(secret)
            if let cached = cache[cacheKey] { out[i].verification = cached; continue }
            let result: VerificationResult
            switch await verifyAccessKey(keyId: keyId, secret: secret.reveal(), endpoint: endpoint) {
            case let .active(arn, account): result = VerificationResult(status: "active", arn: arn, account: account)
            case let .inactive(reason): result = VerificationResult(status: "inactive", detail: reason)
            case let .error(message): result = VerificationResult(status: "error", detail: message)
            }
            cache[cacheKey] = result
            out[i].verification = result
        }
        return out
    }
}

import Foundation
import StreamIO

/// Entry points of the leaked-key scanner.
public enum SecretScanner {
    /// Scans files, directories and `-` (standard input). The calling thread walks the
    /// directories while `options.workers` threads scan the files it has listed so far, so
    /// walking and reading overlap.
    public static func scan(paths: [String], options: SecretScanOptions) -> SecretScanResult {
        var stats = ScanStats()
        var errors: [String] = []
        var outputs: [ContentScanner] = []
        if paths.contains("-") {
            let scanner = ContentScanner(limits: options.archiveLimits)
            scanner.scanStream(FileReader(descriptor: 0, name: "-"), name: "-")
            outputs.append(scanner)
        }
        let queue = WorkQueue<String>()
        let scanners = (0..<options.workers).map { _ in ContentScanner(limits: options.archiveLimits) }
        let done = DispatchGroup()
        for scanner in scanners {
            let worker = UncheckedBox(scanner)
            done.enter()
            let thread = Thread {
                // Every path the walker lists was a regular file in its directory listing.
                while let path = queue.next() { worker.value.scanFile(path: path, listed: true) }
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        for path in paths where path != "-" {
            var walker = FileWalker(respectIgnore: options.respectIgnore, excludedFiles: options.excludedFiles)
            walker.walk(root: path) { queue.push($0.path) }
            stats.add(walker.stats)
            errors += walker.errors
        }
        queue.finish()
        done.wait()
        outputs += scanners
        return collect(outputs, stats: stats, errors: errors, git: [:], options: options)
    }

    /// Merges per-worker output into sorted findings and dropped candidates.
    static func collect(_ scanners: [ContentScanner], stats: ScanStats, errors: [String],
                        git: [String: GitOrigin], options: SecretScanOptions) -> SecretScanResult {
        var stats = stats
        var errors = errors
        var findings: [SecretFinding] = []
        var dropped: [DroppedCandidate] = []
        for s in scanners {
            stats.add(s.stats)
            errors += s.errors
            for (name, hits) in s.results {
                for hit in hits {
                    if hit.dropReason != nil {
                        dropped.append(Enrichment.dropped(from: hit, file: name))
                    } else {
                        findings.append(Enrichment.finding(from: hit, file: name, git: nil, options: options))
                    }
                }
            }
        }
        findings.sort { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
        dropped.sort { ($0.file, $0.line) < ($1.file, $1.line) }
        return SecretScanResult(findings: findings, dropped: dropped, stats: stats, errors: errors)
    }
}

/// Per-worker scanners, each touched by exactly one thread (its index) during the parallel loop.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

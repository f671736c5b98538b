import Foundation
import StreamIO

/// Entry points of the leaked-key scanner.
public enum SecretScanner {
    /// Scans files, directories and `-` (standard input). Files are scanned in parallel by
    /// `options.workers` threads, largest first so one big file does not finish last alone.
    public static func scan(paths: [String], options: SecretScanOptions) -> SecretScanResult {
        var stats = ScanStats()
        var errors: [String] = []
        var files: [FileWalker.Entry] = []
        var outputs: [ContentScanner] = []
        for path in paths {
            if path == "-" {
                let scanner = ContentScanner()
                scanner.scanStream(FileReader(descriptor: 0, name: "-"), name: "-")
                outputs.append(scanner)
                continue
            }
            var walker = FileWalker(respectIgnore: options.respectIgnore)
            files += walker.walk(root: path)
            stats.add(walker.stats)
            errors += walker.errors
        }
        files.sort { $0.size > $1.size }
        outputs += scanInParallel(files, workers: options.workers)
        return collect(outputs, stats: stats, errors: errors, git: [:], options: options)
    }

    private static func scanInParallel(_ files: [FileWalker.Entry], workers: Int) -> [ContentScanner] {
        let queue = WorkQueue(count: files.count)
        let count = max(1, min(workers, files.count))
        let scanners = (0..<count).map { _ in ContentScanner() }
        let box = UncheckedBox(scanners)
        DispatchQueue.concurrentPerform(iterations: count) { w in
            let scanner = box.value[w]
            while let i = queue.next() { scanner.scanFile(path: files[i].path) }
        }
        return scanners
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

/// Hands out indices 0..<count to worker threads.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }
}

/// Per-worker scanners, each touched by exactly one thread (its index) during the parallel loop.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

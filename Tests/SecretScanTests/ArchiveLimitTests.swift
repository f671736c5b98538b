import Foundation
import Testing
@testable import SecretScan

/// Archive limits: decompression bombs stop quickly, once, with a message that says why, and the
/// result is marked partial. The bombs are generated small by Tests/Support/make_bombs.py.
@Suite("Archive limits")
struct ArchiveLimitTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Support/make_bombs.py").path

    static func bomb(_ dir: TempDir, _ kind: String, _ name: String, _ extra: [String] = []) -> String {
        #expect(run(["python3", script, kind, name] + extra, in: dir.path) == 0)
        return dir.path + "/" + name
    }

    static func timed(_ body: () -> SecretScanResult) -> (SecretScanResult, Duration) {
        let clock = ContinuousClock()
        var result = SecretScanResult()
        let elapsed = clock.measure { result = body() }
        return (result, elapsed)
    }

    /// 1,024 zip entries sharing one deflated 16 MiB member: 16 GiB from 100 KB.
    @Test func overlappingZipBombStopsAtTheRatio() {
        let dir = TempDir()
        let path = Self.bomb(dir, "overlap", "bomb.zip")
        let (r, elapsed) = Self.timed { SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1)) }
        #expect(elapsed < .seconds(20), "took \(elapsed)")
        #expect(r.isPartial)
        #expect(r.stats.stoppedByLimits == 1)
        #expect(r.errors.count == 1, "\(r.errors)")
        let message = r.errors.first ?? ""
        #expect(message.hasPrefix("\(path): scan stopped: its archives expand more than 200 times"))
        #expect(message.contains("decompression bomb") && message.contains("--max-archive-ratio"))
        // It stopped at the floor, not after reading the bomb.
        #expect(r.stats.bytes < 100 << 20)
    }

    /// Zips inside a zip (each buffered, then opened): the inner members are charged too.
    @Test func zipOfZipsStopsAtTheRatio() {
        let dir = TempDir()
        let path = Self.bomb(dir, "zipzip", "parts.zip")
        let r = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1))
        #expect(r.stats.stoppedByLimits == 1)
        #expect(r.errors.count == 1 && (r.errors.first ?? "").contains("expand more than 200 times"), "\(r.errors)")
        #expect(r.stats.bytes < 100 << 20)
    }

    @Test func gzipOfGzipStopsAtTheRatio() {
        let dir = TempDir()
        let path = Self.bomb(dir, "gzgz", "logs.gz", ["128"])
        let r = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1))
        #expect(r.stats.stoppedByLimits == 1)
        #expect(r.errors == [r.errors.first ?? ""] && (r.errors.first ?? "").contains("expand more than 200 times"))
        // Raising the ratio lets it through: a limit, not a refusal.
        let allowed = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1, archiveLimits: ArchiveLimits(maxRatio: 1_000_000)))
        #expect(!allowed.isPartial && allowed.errors.isEmpty, "\(allowed.errors)")
        #expect(allowed.stats.bytes == 128 << 20)
    }

    /// The size limit on an ordinary archive: what came before the limit is still reported.
    @Test func sizeLimitKeepsWhatWasFound() {
        let dir = TempDir()
        dir.write("payload/a.env", InputTests.pairText)
        dir.write("payload/z.log", String(repeating: "INFO nothing to see here\n", count: 200_000))
        #expect(run(["tar", "-czf", "both.tar.gz", "-C", "payload", "a.env", "z.log"], in: dir.path) == 0)
        let limits = ArchiveLimits(maxExpandedBytes: 1 << 20)
        let r = SecretScanner.scan(paths: [dir.path + "/both.tar.gz"], options: SecretScanOptions(workers: 1, archiveLimits: limits))
        #expect(r.findings.count == 1)
        #expect(r.stats.stoppedByLimits == 1)
        #expect(r.errors == ["\(dir.path)/both.tar.gz: scan stopped: its archives expand to more than 1 MiB (--max-archive-size); what it expanded to after that was not scanned"])
    }

    @Test func depthLimitIsReportedAndPartial() {
        let dir = TempDir()
        let path = Self.bomb(dir, "nested", "deep.gz", ["4"])
        let shallow = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1, archiveLimits: ArchiveLimits(maxDepth: 2)))
        #expect(shallow.isPartial)
        #expect(shallow.stats.skippedNested == 1)
        #expect(shallow.errors.first?.contains("archive nesting deeper than 2 levels was not opened (--max-archive-depth)") == true)
        let deep = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1))
        #expect(!deep.isPartial && deep.errors.isEmpty && deep.stats.files == 1)
    }

    /// Every input has its own budget: a bomb stops itself, not the files after it.
    @Test func budgetsArePerInput() {
        let dir = TempDir()
        let bomb = Self.bomb(dir, "overlap", "bomb.zip", ["64"])
        let key = dir.write("z.env", InputTests.pairText)
        let r = SecretScanner.scan(paths: [bomb, key], options: SecretScanOptions(workers: 1))
        #expect(r.stats.stoppedByLimits == 1)
        #expect(r.findings.count == 1)
    }

    @Test func sizesReadWell() {
        #expect(ArchiveLimits.sizeText(4 << 30) == "4 GiB")
        #expect(ArchiveLimits.sizeText(100_216) == "97.9 KiB")
        #expect(ArchiveLimits.sizeText(12) == "12 bytes")
    }
}

import Foundation
import MamoriCore

/// `mamori hunt --s3 … --checkpoint FILE`: where the S3 listing got to, so a listing that stopped
/// part-way (throttling, a network failure, Ctrl-C) continues on the next run instead of starting
/// over. Per listed prefix it keeps the keys (or sub-prefixes) listed so far and, for a prefix not
/// finished, the continuation token that lists what follows them (S3's `NextContinuationToken` of
/// the last page read); a finished prefix is never listed again.
///
/// The file holds the bucket, prefixes, object keys and continuation tokens, nothing else: no
/// credentials, no event content. It is written atomically (a temporary file renamed over it)
/// after each finished prefix, on each failure and at most once a second while pages arrive (or,
/// for a checkpoint so large that writing it takes over a tenth of a second, at most 10% of the
/// time is spent writing it), so a killed run loses little listing. A run whose listing completes
/// removes it.
///
/// The objects themselves are read again on the next run: the alerts depend on every event
/// (correlations span objects, baselines span the whole input), so reading all of them again is
/// what gives the same alerts as one uninterrupted run.
public final class ListingCheckpoint: @unchecked Sendable {
    struct Prefix: Codable, Equatable {
        var done: Bool
        /// The continuation token after `items`; nil when not started or finished.
        var next: String?
        var items: [String]
    }

    struct Contents: Codable {
        var version = 1
        /// `s3://bucket/prefix` the listing is of.
        var source: String
        var prefixes: [String: Prefix] = [:]
    }

    public let path: String
    private let lock = NSLock()
    private var contents: Contents
    private var lastWrite = Date.distantPast
    /// Seconds between writes while pages arrive: 1, or ten times the last write's duration.
    private var interval = 1.0
    private var writeError: String?

    /// Opens `path`: an existing checkpoint of the same S3 URL is continued, a missing file
    /// starts one (written at once, so an unwritable path fails before any listing).
    public init(path: String, source: String) throws(HuntError) {
        self.path = path
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path),
                  let saved = try? JSONDecoder().decode(Contents.self, from: data), saved.version == 1 else {
                throw .checkpoint(file: path, reason: "not a mamori hunt listing checkpoint (remove it or choose another file)")
            }
            guard saved.source == source else {
                throw .checkpoint(file: path, reason: "it is the checkpoint of \(saved.source), not \(source) (remove it or choose another file)")
            }
            contents = saved
        } else {
            contents = Contents(source: source)
        }
        do { try write() } catch { throw .checkpoint(file: path, reason: "cannot be written: \(error)") }
    }

    /// The prefixes a previous run finished, and those it stopped in.
    public var resumed: (done: Int, partial: Int) {
        lock.withLock { (contents.prefixes.values.filter(\.done).count, contents.prefixes.values.filter { !$0.done }.count) }
    }

    func state(_ prefix: String) -> Prefix? { lock.withLock { contents.prefixes[prefix] } }

    /// Records the listing of `prefix` so far; written when finished, on failure, or a second after the last write.
    func update(_ prefix: String, items: [String], next: String?, done: Bool, failed: Bool = false) {
        lock.withLock {
            contents.prefixes[prefix] = Prefix(done: done, next: done ? nil : next, items: items)
            if done || failed || Date().timeIntervalSince(lastWrite) >= interval {
                do { try write() } catch { writeError = "\(error)" }
            }
        }
    }

    /// Writes what is recorded; the error of any write that failed (the checkpoint is then stale).
    public func flush() -> String? {
        lock.withLock {
            do { try write() } catch { writeError = "\(error)" }
            return writeError
        }
    }

    /// The listing finished: nothing to continue.
    public func remove() {
        lock.withLock { _ = try? FileManager.default.removeItem(atPath: path) }
    }

    private func write() throws {
        let started = Date()
        try StableJSON.encode(contents, .compact).write(to: URL(fileURLWithPath: path), options: .atomic)
        lastWrite = Date()
        interval = max(1, 10 * lastWrite.timeIntervalSince(started))
    }
}

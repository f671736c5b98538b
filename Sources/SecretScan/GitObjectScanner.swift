#if canImport(Glibc)
import Glibc
#endif
import Foundation
import StreamIO

/// Scans git history by object: every blob reachable from the selected commits is read once
/// (listed by `git rev-list --objects`, read from the packs by ``GitPackReader``, the rest by
/// `git cat-file --batch`) and scanned whole, in parallel; only the
/// blobs with hits are then attributed to the commits that introduced them (one `git log --raw`
/// walk, no content diffs, run into a temporary file while the blobs are scanned).
///
/// Generating diffs costs more than scanning their content, so on a long history this is several
/// times faster than streaming `git log -p`, and it reads each unique blob once however many
/// commits carry it. Attribution keeps the diff scan's meaning: a hit is reported at a commit and
/// path where the new blob has it and the blob it replaced (every parent's, for a merge) had not,
/// so a key is reported where it was added (again after a rename or a re-add), not in every
/// later version of the file.
enum GitObjectScanner {
    /// Blobs up to this size are read into memory and scanned by the worker threads; larger ones
    /// are streamed through a scanner on the reading thread, so memory stays bounded.
    static let inlineThreshold = 8 << 20
    /// Bytes of read blobs waiting for a worker before the reader waits.
    static let queueBudget = 32 << 20
    /// Unreadable objects named in the error message (the count is always given).
    static let listedMissing = 10

    static func scan(repository: String, displayName: String, revisions: GitRevisions,
                     options: SecretScanOptions) throws(SecretScanError) -> SecretScanResult {
        try GitProcess.checkRepository(repository)
        let selection = try revisions.logArguments(repository: repository, displayName: displayName)
        // The commit walk needs no blob content: it runs while the blobs are read and scanned.
        let walk = try CommitWalk(repository: repository, selection: selection)
        defer { walk.remove() }
        let read: ReadResult
        do {
            read = try readBlobs(repository: repository, selection: selection, workers: options.workers)
        } catch {
            walk.abandon()
            throw error
        }

        var stats = ScanStats()
        var errors: [String] = []
        var hitsByBlob: [String: [BlobHit]] = [:]
        for scanner in read.scanners {
            stats.add(scanner.stats)
            for (name, hits) in scanner.results {
                let (blob, member) = BlobName.parse(name)
                hitsByBlob[blob, default: []] += hits.map { BlobHit(member: member, hit: $0) }
            }
            errors += scanner.errors.map { BlobName.humanize($0, paths: read.paths) }
        }
        let paths = read.paths
        if !read.missing.isEmpty {
            stats.unreadableObjects += read.missing.count
            let named = read.missing.prefix(listedMissing).joined(separator: ", ")
            let more = read.missing.count > listedMissing ? " and \(read.missing.count - listedMissing) more" : ""
            let count = read.missing.count == 1 ? "1 object" : "\(read.missing.count) objects"
            errors.append("\(displayName): \(count) could not be read and were not scanned "
                          + "(a shallow or partial clone, or a damaged pack): \(named)\(more)")
        }

        var findings: [SecretFinding] = []
        var dropped: [DroppedCandidate] = []
        do {
            try walk.finish()
        } catch {
            walk.failure = error
        }
        if hitsByBlob.isEmpty {
            stats.commits = walk.failure == nil ? (try? walk.attribute(hits: [:]) { _, _, _ in }.0) ?? 0 : 0
            if let failure = walk.failure {
                errors.append("\(displayName): could not walk the commits (\(failure.description))")
                stats.unreadableObjects += 1
            }
        } else {
            var attributed = Set<String>()
            do throws(SecretScanError) {
                if let failure = walk.failure { throw failure }
                (stats.commits, attributed) = try walk.attribute(hits: hitsByBlob) { path, origin, hit in
                    let file = hit.member.isEmpty ? path : path + "!" + hit.member
                    if hit.hit.dropReason != nil {
                        dropped.append(Enrichment.dropped(from: hit.hit, file: file))
                    } else {
                        findings.append(Enrichment.finding(from: hit.hit, file: file, git: origin, options: options))
                    }
                }
            } catch {
                errors.append("\(displayName): could not attribute the findings to commits (\(error.description)); "
                              + "they are reported without a commit")
                stats.unreadableObjects += 1
            }
            // A blob no commit in the selection introduced (its commit unreadable, or only a tag
            // points at it): reported under the path it was listed with, without a commit.
            for (blob, hits) in hitsByBlob where !attributed.contains(blob) {
                let path = paths[blob] ?? blob
                for h in hits {
                    let file = h.member.isEmpty ? path : path + "!" + h.member
                    if h.hit.dropReason != nil {
                        dropped.append(Enrichment.dropped(from: h.hit, file: file))
                    } else {
                        findings.append(Enrichment.finding(from: h.hit, file: file, git: nil, options: options))
                    }
                }
            }
        }
        stats.files = 0
        return SecretScanResult(findings: findings, dropped: dropped, stats: stats, errors: errors)
    }

    /// One hit in a blob; `member` is the archive member path when the blob is an archive.
    struct BlobHit {
        var member: String
        var hit: RawHit
        /// What makes two hits the same leak for attribution: not where it sits.
        var identity: String {
            "\(member)\u{1F}\(hit.keyId ?? "")\u{1F}\(hit.secret ?? "")\u{1F}\(hit.sessionToken ?? "")"
        }
    }

    /// Stream names: the blob's ID, then `!member` inside archives (as the content scanner names them).
    enum BlobName {
        static func parse(_ name: String) -> (blob: String, member: String) {
            guard let bang = name.firstIndex(of: "!") else { return (name, "") }
            return (String(name[..<bang]), String(name[name.index(after: bang)...]))
        }

        /// Error messages name a path with the blob, not only the blob's ID.
        static func humanize(_ message: String, paths: [String: String]) -> String {
            let id = message.prefix { $0.isHexDigit }
            guard id.count >= 40, let path = paths[String(id)] else { return message }
            return "\(path) (blob \(id.prefix(12)))" + message.dropFirst(id.count)
        }
    }

    struct ReadResult {
        var scanners: [ContentScanner]
        /// Blob ID → the path `rev-list` first met it under.
        var paths: [String: String]
        var missing: [String]
    }

    /// `git rev-list --objects` lists the blobs; ``GitPackReader`` reads those in the packs and
    /// the worker threads scan them; what it leaves (loose objects, large blobs, anything it cannot
    /// read) goes to ``catFileCount(workers:)`` `git cat-file --batch` processes.
    static func readBlobs(repository: String, selection: [String], workers: Int) throws(SecretScanError) -> ReadResult {
        let listing = try listBlobs(repository: repository, selection: selection)
        let scanners = (0..<max(1, workers)).map { _ in ContentScanner() }
        var rest = listing.ids
        var unreadable = listing.missing
        // The store (descriptors, indexes) is released before cat-file runs.
        if let outcome = readPacks(repository: repository, ids: listing.ids, scanners: scanners) {
            rest = outcome.left.map { listing.ids[$0] }
            unreadable += recheck(repository: repository, damaged: outcome.damaged.map { listing.ids[$0] }, scanner: scanners[0])
            unreadable += outcome.looped.map { listing.ids[$0] }
        }
        guard !rest.isEmpty else {
            return ReadResult(scanners: scanners, paths: listing.paths, missing: unreadable)
        }
        let (large, missing) = try catFileBlobs(repository: repository, ids: rest, scanners: scanners)
        return ReadResult(scanners: scanners + large, paths: listing.paths, missing: unreadable + missing)
    }

    /// Reads `ids` from the repository's packs (nil when it has none) with ``GitPackReader``.
    static func readPacks(repository: String, ids: [String], scanners: [ContentScanner]) -> GitPackReader.Outcome? {
        let store = GitPackStore(repository: repository)
        guard !store.packs.isEmpty else { return nil }
        let box = UncheckedBox((scanners, ids))
        return GitPackReader.read(ids: ids, store: store, workers: scanners.count, limit: inlineThreshold) { worker, i, bytes in
            box.value.0[worker].scanMemory(bytes, name: box.value.1[i])
        }
    }

    /// Damaged blobs checked one by one with their own `git cat-file` (which would stop a batch
    /// at the first): git also reads other copies (another pack, a loose object, an alternate)
    /// and a base it cannot rebuild from its own. Those it reads are scanned; the rest, and any
    /// beyond the first ``recheckedDamaged``, are returned as unreadable.
    static func recheck(repository: String, damaged: [String], scanner: ContentScanner) -> [String] {
        var unreadable: [String] = []
        for (k, id) in damaged.enumerated() {
            guard k < recheckedDamaged,
                  let bytes = try? GitProcess.output(["-C", repository, "cat-file", "blob", id], environment: environment) else {
                unreadable.append(id)
                continue
            }
            scanner.scanMemory(bytes, name: id)
        }
        return unreadable
    }

    /// Damaged blobs rechecked one by one at most (each costs a git process).
    static let recheckedDamaged = 100

    /// A partial clone would otherwise fetch missing blobs from its remote, one by one.
    static let environment = ["GIT_NO_LAZY_FETCH": "1"]

    /// The blobs of the selected commits, in rev-list's order, with the path each was first met
    /// under, and the objects the repository lacks.
    struct Listing {
        var ids: [String] = []
        var paths: [String: String] = [:]
        var missing: [String] = []
    }

    static func listBlobs(repository: String, selection: [String]) throws(SecretScanError) -> Listing {
        // --missing=print: objects a shallow, partial or damaged repository lacks are listed
        // ("?<id>") instead of ending the walk. Submodule commits are not walked by rev-list.
        let revList = try GitProcess(["-C", repository, "rev-list", "--objects", "--missing=print",
                                      "--filter=object:type=blob", "--filter-provided-objects"] + selection + ["--"],
                                     environment: environment)
        var listing = Listing()
        let lines = BatchReader(revList.output)
        do throws(StreamIOError) {
            while let line = try lines.line() {
                if line.first == "?" {
                    listing.missing.append(String(line.dropFirst()))
                    continue
                }
                if let space = line.firstIndex(of: " ") {
                    let id = String(line[..<space])
                    let path = line[line.index(after: space)...]
                    if !path.isEmpty { listing.paths[id] = String(path) }
                    listing.ids.append(id)
                } else {
                    listing.ids.append(line)
                }
            }
        } catch {
            revList.abandon()
            throw .io(error)
        }
        try revList.finish()
        return listing
    }

    /// Reads `ids` with `git cat-file --batch`: this thread hands them out, in turn, to
    /// ``catFileCount(workers:)`` processes; one thread per cat-file reads its output, and one
    /// thread per scanner scans the blobs. Returns the readers' scanners (blobs too large for
    /// the workers) and the objects cat-file reported missing.
    static func catFileBlobs(repository: String, ids: [String], scanners: [ContentScanner]) throws(SecretScanError) -> ([ContentScanner], [String]) {
        let count = catFileCount(workers: scanners.count)
        var catFiles: [GitProcess] = []
        var inputs: [Int32] = []
        do throws(SecretScanError) {
            for _ in 0..<count {
                // Close-on-exec: no other git may inherit a write end, or its cat-file never sees
                // the end of its list (dup2 onto the child's stdin clears the flag there). No
                // process is started on another thread meanwhile, so pipe then fcntl is enough.
                var fds: [Int32] = [-1, -1]
                guard pipe(&fds) == 0 else {
                    throw .gitFailed("cannot create a pipe: \(String(cString: strerror(errno)))")
                }
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
                let git: GitProcess
                do throws(SecretScanError) {
                    // --buffer: no flush per object.
                    let cache = ["-c", "core.deltaBaseCacheLimit=\(deltaBaseCacheMiB / count)m"]
                    git = try GitProcess(["-C", repository] + cache
                                         + ["cat-file", "--buffer", "--batch=%(objectname) %(objecttype) %(objectsize)"],
                                         input: FileHandle(fileDescriptor: fds[0], closeOnDealloc: false), environment: environment)
                } catch {
                    close(fds[0])
                    close(fds[1])
                    throw error
                }
                close(fds[0])
                inputs.append(fds[1])
                catFiles.append(git)
                #if os(Linux)
                // Gigabytes flow through these pipes: 1 MiB instead of 64 KiB means far fewer
                // wake-ups (F_SETPIPE_SZ; refused quietly above /proc/sys/fs/pipe-max-size).
                _ = fcntl(git.outputHandle.fileDescriptor, 1031, Int32(1 << 20))
                #endif
            }
        } catch {
            for fd in inputs { close(fd) }
            for git in catFiles { git.abandon() }
            throw error
        }

        let queue = WorkQueue<GitBlob>(budget: queueBudget) { $0.bytes.count }
        let done = DispatchGroup()
        for scanner in scanners {
            let worker = UncheckedBox(scanner)
            done.enter()
            let thread = Thread {
                while let blob = queue.next() {
                    worker.value.scanMemory(blob.bytes, name: blob.id)
                }
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        let readers = catFiles.map { BlobReader(catFile: $0, queue: queue) }
        let reading = DispatchGroup()
        for reader in readers {
            reading.enter()
            let thread = Thread {
                reader.run()
                reading.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        // The list is fed from a thread of its own: it blocks SIGPIPE, which then dies with it.
        let feeding = DispatchGroup()
        feeding.enter()
        let feed = UncheckedBox((ids, inputs))
        let feeder = Thread {
            ObjectList.distribute(feed.value.0, to: feed.value.1)
            feeding.leave()
        }
        feeder.stackSize = 1 << 20
        feeder.start()
        feeding.wait()
        reading.wait()
        queue.finish()
        done.wait()
        if let failure = readers.lazy.compactMap(\.failure).first {
            for git in catFiles { git.abandon() }
            throw .io(failure)
        }
        for git in catFiles { try git.finish() }
        return (readers.map(\.large), readers.flatMap(\.missing))
    }

    /// cat-file processes for `workers` scanning threads (one per core): one per two cores, at
    /// least one, at most four. Inflating and scanning cost about the same CPU, so on two cores one
    /// cat-file already keeps both busy, and a second only adds the delta bases both rebuild
    /// (measured on the AWS CLI's history: 3–4 CPU seconds more, no shorter wall time).
    static func catFileCount(workers: Int) -> Int {
        min(4, max(1, workers / 2))
    }

    /// The delta-base cache (`core.deltaBaseCacheLimit`) the cat-file processes share, in MiB.
    /// Above git's default (96 MiB): every version of a large file is a delta on the one before, so
    /// a bigger cache rebuilds fewer bases. On the AWS CLI's history (93,600 blobs, 7.7 GB) one
    /// cat-file took 13.2 CPU s at 96 MiB, 12.3 at 160, 11.9 at 192, 11.5 at 256 (RSS 629, 696,
    /// 737, 826 MB). The whole scan (scripts/bench-git.sh, idle machine): 160 MiB gave 19.6 s and
    /// 936 MB PSS against Kingfisher's 37.1 s and 976 MB; 192 MiB 19.1 s but 984 MB, more than
    /// Kingfisher's 957 in the same run. Divided between the processes, so reading in parallel
    /// takes no more memory.
    static let deltaBaseCacheMiB = 160

    /// Writes each ID to the next cat-file in turn, on a thread of its own.
    enum ObjectList {
        static func distribute(_ ids: [String], to inputs: [Int32]) {
            // A cat-file that ended early makes a write fail with EPIPE instead of ending mamori
            // with SIGPIPE; its reader reports why it ended. Blocked, not unblocked again: a
            // SIGPIPE left pending would be delivered then; it is dropped when this thread ends.
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            var pending = [[UInt8]](repeating: [], count: inputs.count)
            var broken = [Bool](repeating: false, count: inputs.count)
            func flush(_ k: Int) {
                defer { pending[k].removeAll(keepingCapacity: true) }
                guard !broken[k] else { return }
                pending[k].withUnsafeBytes { raw in
                    var written = 0
                    while written < raw.count {
                        let n = write(inputs[k], raw.baseAddress! + written, raw.count - written)
                        if n < 0 {
                            if errno == EINTR { continue }
                            broken[k] = true
                            return
                        }
                        written += n
                    }
                }
            }
            var next = 0
            for id in ids {
                pending[next].append(contentsOf: id.utf8)
                pending[next].append(0x0A)
                if pending[next].count >= 16 << 10 { flush(next) }
                next = (next + 1) % inputs.count
            }
            for k in inputs.indices {
                flush(k)
                close(inputs[k])
            }
        }
    }

    /// Reads one cat-file's output: small blobs go to the scanning threads, large ones are
    /// streamed through this reader's own scanner, so memory stays bounded.
    final class BlobReader: @unchecked Sendable {
        let catFile: GitProcess
        let queue: WorkQueue<GitBlob>
        let large = ContentScanner()
        var missing: [String] = []
        var failure: StreamIOError?

        init(catFile: GitProcess, queue: WorkQueue<GitBlob>) {
            self.catFile = catFile
            self.queue = queue
        }

        func run() {
            let reader = BatchReader(catFile.output)
            do throws(StreamIOError) {
                while let header = try reader.line() {
                    // "<id> blob <size>" or "<id> missing".
                    let fields = header.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                    if fields.count == 2, fields[1] == "missing" {
                        missing.append(String(fields[0]))
                        continue
                    }
                    guard fields.count == 3, let size = Int(fields[2]) else {
                        throw StreamIOError.readFailed(path: "git cat-file", reason: "unexpected header '\(header.prefix(200))'")
                    }
                    let id = String(fields[0])
                    if size <= GitObjectScanner.inlineThreshold {
                        queue.push(GitBlob(id: id, bytes: try reader.bytes(size)))
                    } else {
                        let body = BatchReader.Body(reader: reader, remaining: size, name: id)
                        large.scanStream(body, name: id)
                        try body.drain()
                    }
                    _ = try reader.bytes(1)   // the newline after the content
                }
            } catch {
                failure = error
                // Its list may still be being written: ended, cat-file lets the writer go on.
                if catFile.process.isRunning { catFile.process.terminate() }
            }
        }
    }

    /// The selected commits' tree changes (`git log --raw`, no content diffs), written to a
    /// temporary file while the blobs are scanned, then read once to attribute the hits.
    final class CommitWalk {
        let path = NSTemporaryDirectory() + "mamori-git-walk-\(UUID().uuidString).z"
        private let git: GitProcess
        private let file: FileHandle
        var failure: SecretScanError?

        init(repository: String, selection: [String]) throws(SecretScanError) {
            guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
                throw .gitFailed("cannot create a temporary file in \(NSTemporaryDirectory())")
            }
            self.file = file
            // -c: a merge shows the paths whose result differs from every parent (a conflict
            // resolution's own content); clean merges show nothing, as in `git log -p`.
            do {
                git = try GitProcess(["-C", repository, "-c", "core.quotePath=false", "log", "-z", "--raw", "--no-renames",
                                      "--no-abbrev", "-c", "--no-color", "--no-ext-diff",
                                      "--format=%x1f%H%x1f%an <%ae>%x1f%aI"] + selection + ["--"],
                                     outputFile: file, environment: ["GIT_NO_LAZY_FETCH": "1"])
            } catch {
                try? file.close()
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
        }

        func finish() throws(SecretScanError) {
            defer { try? file.close() }
            try git.finish()
        }

        func abandon() {
            git.abandon()
            try? file.close()
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        /// Calls `report` for each hit a commit introduced at a path. Returns the number of
        /// commits and the blobs with hits that some commit introduced (whether or not it
        /// introduced their hits).
        func attribute(hits: [String: [BlobHit]],
                       report: (_ path: String, _ origin: GitOrigin, _ hit: BlobHit) -> Void) throws(SecretScanError) -> (Int, Set<String>) {
            do {
                return try GitObjectScanner.attribute(FileReader(path: path), hits: hits, report: report)
            } catch {
                throw .io(error)
            }
        }
    }

    /// Reads the `git log -z --raw -c` stream of ``CommitWalk``.
    static func attribute(_ source: any ByteSource, hits: [String: [BlobHit]],
                          report: (_ path: String, _ origin: GitOrigin, _ hit: BlobHit) -> Void) throws(StreamIOError) -> (Int, Set<String>) {
        var identities: [String: Set<String>] = [:]
        func keys(_ blob: Substring) -> Set<String> {
            guard let h = hits[String(blob)] else { return [] }
            if let cached = identities[String(blob)] { return cached }
            let s = Set(h.map(\.identity))
            identities[String(blob)] = s
            return s
        }
        var origin = GitOrigin(commit: "", author: "", date: "")
        var commits = 0
        var introduced = Set<String>()
        var pending: (new: String, old: [Substring])?
        let reader = BatchReader(source)
        while var token = try reader.token() {
            if let p = pending {
                pending = nil
                let path = token
                var before = Set<String>()
                for o in p.old { before.formUnion(keys(o)) }
                introduced.insert(p.new)
                for h in hits[p.new] ?? [] where !before.contains(h.identity) {
                    report(path, origin, h)
                }
                continue
            }
            // Raw records after a commit header start with the newline that ends it.
            if token.first == "\n" { token.removeFirst() }
            if token.first == "\u{1F}" {
                let f = token.split(separator: "\u{1F}", omittingEmptySubsequences: false)
                origin = GitOrigin(commit: f.count > 1 ? String(f[1]) : "", author: f.count > 2 ? String(f[2]) : "",
                                   date: f.count > 3 ? String(f[3]) : "")
                commits += 1
            } else if token.first == ":" {
                // ":<modes…> <ids…> <status>" with one colon (and one old mode and ID) per parent.
                let parents = token.prefix { $0 == ":" }.count
                let parts = token.dropFirst(parents).split(separator: " ")
                guard parts.count >= 2 * (parents + 1) else { continue }
                let ids = parts[(parents + 1)..<(2 * (parents + 1))]
                let new = String(ids.last!)
                // The path token follows either way; only blobs with hits need attention.
                pending = hits[new] != nil ? (new, Array(ids.dropLast())) : nil
                if pending == nil { _ = try reader.token() }
            }
        }
        return (commits, introduced)
    }

    static func countCommits(repository: String, selection: [String]) throws(SecretScanError) -> Int {
        let out = try GitProcess.output(["-C", repository, "rev-list", "--count"] + selection + ["--"])
        return Int(String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}

/// A read blob on its way from the reading thread to the workers.
struct GitBlob {
    var id: String
    var bytes: [UInt8]
}

/// Buffered reading of git's batch and `-z` outputs: header lines, NUL-ended tokens and exact
/// byte counts from one stream.
final class BatchReader {
    private let source: any ByteSource
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var start = 0
    private var end = 0

    init(_ source: any ByteSource) { self.source = source }

    /// The next line without its newline; nil at end of stream.
    func line() throws(StreamIOError) -> String? {
        try until(0x0A)
    }

    /// The next NUL-ended token; nil at end of stream.
    func token() throws(StreamIOError) -> String? {
        try until(0)
    }

    private func until(_ separator: UInt8) throws(StreamIOError) -> String? {
        var out: [UInt8] = []
        while true {
            if start == end {
                if try !fill() { return out.isEmpty ? nil : String(decoding: out, as: UTF8.self) }
            }
            if let i = buffer[start..<end].firstIndex(of: separator) {
                out.append(contentsOf: buffer[start..<i])
                start = i + 1
                return String(decoding: out, as: UTF8.self)
            }
            out.append(contentsOf: buffer[start..<end])
            start = end
        }
    }

    /// Exactly `count` bytes.
    func bytes(_ count: Int) throws(StreamIOError) -> [UInt8] {
        // Filled straight from the stream, not zeroed first: gigabytes of blobs pass through here.
        var failure: StreamIOError?
        let out = [UInt8](unsafeUninitializedCapacity: count) { raw, initialized in
            var got = 0
            while got < count {
                let n: Int
                do throws(StreamIOError) {
                    n = try read(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(raw)[got..<count]))
                } catch {
                    failure = error
                    break
                }
                if n == 0 {
                    failure = .readFailed(path: "git cat-file", reason: "output ends inside an object (\(count - got) bytes missing)")
                    break
                }
                got += n
            }
            // Bytes never read are not handed out: the array is cut to what arrived.
            initialized = got
        }
        if let failure { throw failure }
        return out
    }

    /// Up to `into.count` bytes: buffered ones first, then straight from the stream.
    func read(into target: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        guard target.count > 0 else { return 0 }
        if start < end {
            let n = min(end - start, target.count)
            buffer.withUnsafeBytes { src in target.baseAddress!.copyMemory(from: src.baseAddress! + start, byteCount: n) }
            start += n
            return n
        }
        if target.count >= buffer.count / 2 { return try source.read(into: target) }
        return try fill() ? try read(into: target) : 0
    }

    private func fill() throws(StreamIOError) -> Bool {
        start = 0
        end = 0
        let source = self.source
        end = try Self.readResult(out: &buffer, at: 0) { (b: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int in try source.read(into: b) }
        let n = end
        return n > 0
    }

    /// Runs `body` on `out[offset...]` as raw memory, keeping its typed error (closures of
    /// `withUnsafeMutableBytes` rethrow untyped).
    static func readResult(out: inout [UInt8], at offset: Int,
                           _ body: (UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int) throws(StreamIOError) -> Int {
        let result = out.withUnsafeMutableBytes { raw -> Result<Int, StreamIOError> in
            do throws(StreamIOError) {
                return .success(try body(UnsafeMutableRawBufferPointer(rebasing: raw[offset...])))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// One object's content as a stream (for blobs too large to hold in memory).
    final class Body: ByteSource {
        let name: String
        private let reader: BatchReader
        private var remaining: Int

        init(reader: BatchReader, remaining: Int, name: String) {
            self.reader = reader
            self.remaining = remaining
            self.name = name
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
            guard remaining > 0 else { return 0 }
            let n = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, remaining)]))
            if n == 0 { throw .readFailed(path: name, reason: "git cat-file output ends inside the object") }
            remaining -= n
            return n
        }

        /// Reads and discards what the scanner left (a binary blob is not read past its head).
        func drain() throws(StreamIOError) {
            var scratch = [UInt8](repeating: 0, count: 64 << 10)
            while remaining > 0 {
                _ = try BatchReader.readResult(out: &scratch, at: 0) { (b: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int in try read(into: b) }
            }
        }
    }
}

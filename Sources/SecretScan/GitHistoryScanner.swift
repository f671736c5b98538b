import Foundation
import StreamIO

/// Scans the lines every commit added, on every branch (or in a range of commits), by streaming
/// `git log -p`.
///
/// Consecutive added lines of one hunk are scanned together, so a key ID and its secret on
/// adjacent lines pair as they do in a file. A key that was added and later deleted is still
/// found: its adding commit is in the log.
enum GitHistoryScanner {
    private static let marker: UInt8 = 0x1F

    /// `displayName` names the repository in messages (a URL without credentials for a clone).
    static func scan(repository: String, displayName: String, revisions: GitRevisions,
                     options: SecretScanOptions) throws(SecretScanError) -> SecretScanResult {
        try GitProcess.checkRepository(repository)
        let selection = try revisions.logArguments(repository: repository, displayName: displayName)
        // `--` ends the revisions: a branch named like a file cannot be taken for a path.
        let git = try GitProcess(["-C", repository, "-c", "core.quotePath=false", "log", "-p",
                                  "--no-color", "--no-ext-diff", "--no-textconv", "--unified=0", "--no-renames",
                                  "--format=%x1f%H%x1f%an <%ae>%x1f%aI"] + selection + ["--"])

        let scanner = ContentScanner()
        var state = ParseState()
        var findings: [SecretFinding] = []
        var dropped: [DroppedCandidate] = []
        var stats = ScanStats()
        let reader = LineReader(source: git.output)
        // One handler for every finished hunk, while streaming and at the end.
        func handle(_ hunk: Hunk) {
            for var hit in scanner.scanText(hunk.text, name: hunk.file) {
                hit.line = hunk.firstLine + hit.line - 1
                if hit.dropReason != nil {
                    dropped.append(Enrichment.dropped(from: hit, file: hunk.file))
                } else {
                    findings.append(Enrichment.finding(from: hit, file: hunk.file, git: hunk.origin, options: options))
                }
            }
        }
        do {
            while let line = try reader.next() {
                state.consume(line.bytes, emit: handle)
            }
        } catch {
            git.abandon()
            throw .io(error)
        }
        state.flush(handle)
        try git.finish()
        stats.add(scanner.stats)
        stats.files = 0
        stats.commits = state.commits
        return SecretScanResult(findings: findings, dropped: dropped, stats: stats, errors: scanner.errors)
    }

    /// One block of consecutive added lines.
    struct Hunk {
        var file: String
        var firstLine: Int
        var origin: GitOrigin
        var text: [UInt8]
    }

    /// The `git log -p -U0` grammar: commit marker lines, `diff --git` headers, `+++ b/path`,
    /// `@@ -a,b +c,d @@` and `+` lines.
    struct ParseState {
        var origin = GitOrigin(commit: "", author: "", date: "")
        var file: String?
        var inHeader = false
        var hunk: Hunk?
        var commits = 0

        mutating func consume(_ line: UnsafeRawBufferPointer, emit: (Hunk) -> Void) {
            guard let first = line.first else { return }
            if first == GitHistoryScanner.marker {
                flush(emit)
                let fields = line.split(separator: GitHistoryScanner.marker, omittingEmptySubsequences: false)
                origin = GitOrigin(commit: fields.count > 1 ? String(decoding: fields[1], as: UTF8.self) : "",
                                   author: fields.count > 2 ? String(decoding: fields[2], as: UTF8.self) : "",
                                   date: fields.count > 3 ? String(decoding: fields[3], as: UTF8.self) : "")
                commits += 1
                file = nil
                return
            }
            if !inHeader, first == UInt8(ascii: "+"), hunk != nil {
                hunk?.text.append(contentsOf: line.dropFirst())
                hunk?.text.append(0x0A)
                return
            }
            if starts(line, "diff --git ") {
                flush(emit)
                inHeader = true
                file = nil
            } else if inHeader, starts(line, "+++ ") {
                let path = line.dropFirst(4)
                if starts(UnsafeRawBufferPointer(rebasing: path), "b/") {
                    file = String(decoding: path.dropFirst(2), as: UTF8.self)
                } else {
                    file = nil   // /dev/null: a deletion adds nothing
                }
            } else if starts(line, "@@ ") {
                flush(emit)
                inHeader = false
                if let file, let start = Self.newStart(line) {
                    hunk = Hunk(file: file, firstLine: start, origin: origin, text: [])
                }
            }
        }

        mutating func flush(_ emit: (Hunk) -> Void) {
            if let h = hunk, !h.text.isEmpty { emit(h) }
            hunk = nil
        }

        /// `c` of `@@ -a,b +c,d @@`.
        static func newStart(_ line: UnsafeRawBufferPointer) -> Int? {
            guard let plus = line.firstIndex(of: UInt8(ascii: "+")) else { return nil }
            var v = 0
            var i = plus + 1
            var digits = 0
            while i < line.count, line[i] >= 0x30, line[i] <= 0x39 {
                v = v * 10 + Int(line[i] - 0x30)
                i += 1
                digits += 1
            }
            return digits > 0 ? max(v, 1) : nil
        }

        private func starts(_ b: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
            let p = UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
            guard b.count >= p.count else { return false }
            for i in 0..<p.count where b[i] != p[i] { return false }
            return true
        }
    }
}

/// How `--git` reads history. `auto` picks per repository and selection (see ``GitHistoryEngine/choose(repository:revisions:)``).
public enum GitHistoryEngine: String, Sendable, CaseIterable {
    case auto
    /// Stream `git log -p` and scan the added lines (``GitHistoryScanner``).
    case diff
    /// Scan every reachable blob once, then attribute hits to commits (``GitObjectScanner``).
    case objects

    /// Ranges up to this many commits are scanned by diff: their patches are small, while the
    /// object scan reads whole files and walks the range twice.
    public static let diffCommitLimit = 200

    /// The engine `auto` means: objects for whole histories (`git log -p` spends its time making
    /// diffs), diff for `--since`/`--range` selections of at most ``diffCommitLimit`` commits.
    static func choose(repository: String, revisions: GitRevisions, displayName: String) throws(SecretScanError) -> GitHistoryEngine {
        if revisions == .all { return .objects }
        let selection = try revisions.logArguments(repository: repository, displayName: displayName)
        let count = try GitObjectScanner.countCommits(repository: repository, selection: selection)
        return count <= diffCommitLimit ? .diff : .objects
    }
}

enum GitHistory {
    static func scan(repository: String, displayName: String, revisions: GitRevisions, engine: GitHistoryEngine,
                     options: SecretScanOptions) throws(SecretScanError) -> SecretScanResult {
        try GitProcess.checkRepository(repository)
        switch engine == .auto ? try GitHistoryEngine.choose(repository: repository, revisions: revisions, displayName: displayName) : engine {
        case .objects, .auto:
            return try GitObjectScanner.scan(repository: repository, displayName: displayName, revisions: revisions, options: options)
        case .diff:
            do {
                return try GitHistoryScanner.scan(repository: repository, displayName: displayName, revisions: revisions, options: options)
            } catch .gitFailed(let message) where engine == .auto && damaged(message) {
                // `git log -p` stops at the first object it cannot read; the object scan reads
                // the rest and lists what is missing.
                return try GitObjectScanner.scan(repository: repository, displayName: displayName, revisions: revisions, options: options)
            }
        }
    }

    /// git's words for an object it cannot read.
    static func damaged(_ message: String) -> Bool {
        ["unable to read", "bad object", "missing blob", "missing tree", "could not read", "corrupt"].contains { message.contains($0) }
    }
}

extension SecretScanner {
    /// Scans the history of the commits `revisions` selects (default: every branch and tag) of
    /// the repository at `repository`: a local path, or a URL (see ``GitRemote``) cloned bare into
    /// a temporary directory that is removed afterwards. Keys are reported at the commit that
    /// added them, with its author, date, path and line.
    public static func scanGitHistory(repository: String, revisions: GitRevisions = .all, engine: GitHistoryEngine = .auto,
                                      options: SecretScanOptions) throws(SecretScanError) -> SecretScanResult {
        var result: SecretScanResult
        switch try GitRemote.classify(repository) {
        case .local(let path):
            result = try GitHistory.scan(repository: path, displayName: path, revisions: revisions, engine: engine, options: options)
        case .remote(let remote):
            let clone = try remote.cloneBare()
            defer { clone.remove() }
            result = try GitHistory.scan(repository: clone.path, displayName: remote.display, revisions: revisions,
                                         engine: engine, options: options)
        }
        result.findings.sort { ($0.git?.date ?? "", $0.file, $0.line, $0.column, $0.git?.commit ?? "")
            < ($1.git?.date ?? "", $1.file, $1.line, $1.column, $1.git?.commit ?? "") }
        result.dropped.sort { ($0.file, $0.line) < ($1.file, $1.line) }
        return result
    }
}

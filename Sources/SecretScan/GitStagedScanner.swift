#if canImport(Glibc)
import Glibc
#endif
import Foundation
import StreamIO

/// Scans what the next commit will contain (`--staged`): the index blob of every file the commit
/// adds or changes, read from git's object store, never from the working tree, so an edit left
/// unstaged can neither hide a staged key nor report one that will not be committed.
///
/// Whole blobs are scanned, not only the added lines, so a secret added next to a key ID that was
/// already there still pairs with it, and archives are opened. Paths are relative to the top of
/// the work tree, as git shows them; findings carry no commit (there is none yet).
enum GitStagedScanner {
    /// The object ID of git's empty tree: what an unborn branch's first commit is compared with.
    static let emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

    /// One file the commit adds or changes: its path and the blob staged for it.
    struct Entry: Hashable {
        var path: String
        var blob: String
    }

    static func scan(repository: String, options: SecretScanOptions) throws(SecretScanError) -> SecretScanResult {
        try GitProcess.checkRepository(repository)
        let top = String(decoding: try GitProcess.output(["-C", repository, "rev-parse", "--show-toplevel"]), as: UTF8.self)
            .trimmingCharacters(in: .newlines)
        if top.isEmpty {
            throw .gitFailed("\(repository) is a bare repository: it has no index to scan (--staged scans a work tree)")
        }
        let excluded = excludedPaths(options.excludedFiles, top: top)
        let entries = try stagedEntries(repository: repository).filter { !excluded.contains($0.path) }
        let scanner = ContentScanner(limits: options.archiveLimits)
        if !entries.isEmpty { try readBlobs(entries, repository: repository, into: scanner) }
        return SecretScanner.collect([scanner], stats: ScanStats(), errors: [], git: [:], options: options)
    }

    /// Files whose staged content differs from `HEAD` (all staged files before the first commit),
    /// deletions excluded. Symbolic links (`120000`) and submodules (`160000`) have no text of
    /// their own here and are left out.
    static func stagedEntries(repository: String) throws(SecretScanError) -> [Entry] {
        let base = try GitProcess.succeeds(["-C", repository, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"]) ? "HEAD" : emptyTree
        // Raw -z records: ":oldmode newmode oldblob newblob status\0path\0"; with --cached the new
        // blob is the one in the index.
        let raw = try GitProcess.output(["-C", repository, "diff-index", "--cached", "-z", "--no-renames",
                                         "--diff-filter=AMT", "--no-ext-diff", base, "--"])
        var entries: [Entry] = []
        var fields = raw.split(separator: 0, omittingEmptySubsequences: false)[...]
        while let header = fields.popFirst(), !header.isEmpty {
            guard let pathBytes = fields.popFirst() else { break }
            let parts = String(decoding: header, as: UTF8.self).split(separator: " ")
            guard parts.count >= 5 else { continue }
            let mode = parts[1], blob = String(parts[3])
            guard mode == "100644" || mode == "100755" else { continue }
            entries.append(Entry(path: String(decoding: pathBytes, as: UTF8.self), blob: blob))
        }
        return entries
    }

    /// Streams the blobs through one `git cat-file --batch`, each one scanned under its path.
    /// The object IDs go in through a file: fed through a pipe, git could block writing blobs we
    /// have not read yet while we block writing more IDs.
    private static func readBlobs(_ entries: [Entry], repository: String, into scanner: ContentScanner) throws(SecretScanError) {
        let listPath = NSTemporaryDirectory() + "mamori-staged-\(UUID().uuidString).txt"
        let list = entries.map(\.blob).joined(separator: "\n") + "\n"
        guard FileManager.default.createFile(atPath: listPath, contents: Data(list.utf8)),
              let input = FileHandle(forReadingAtPath: listPath) else {
            throw .gitFailed("cannot create a temporary file in \(NSTemporaryDirectory())")
        }
        defer {
            try? input.close()
            try? FileManager.default.removeItem(atPath: listPath)
        }
        let git = try GitProcess(["-C", repository, "cat-file", "--batch"], input: input)
        do throws(StreamIOError) {
            for entry in entries {
                // "<oid> blob <size>\n<content>\n", or "<oid> missing\n".
                let header = try readLine(git.output).split(separator: " ")
                guard header.count == 3, header[1] == "blob", let size = Int(header[2]) else {
                    throw StreamIOError.readFailed(path: entry.path, reason: "git has no staged blob \(entry.blob)")
                }
                let body = LimitedSource(source: git.output, limit: size, name: entry.path)
                scanner.scanStream(body, name: entry.path)
                try body.drain()
                _ = try readLine(git.output)
            }
        } catch {
            git.abandon()
            throw .io(error)
        }
        try git.finish()
    }

    /// One header line of `cat-file --batch`, read a byte at a time so no blob byte is consumed.
    private static func readLine(_ source: FileReader) throws(StreamIOError) -> String {
        var bytes: [UInt8] = []
        var one = [UInt8](repeating: 0, count: 1)
        while bytes.count < 4096 {
            if try readInto(&one, at: 0, from: source) == 0 { break }
            if one[0] == 0x0A { break }
            bytes.append(one[0])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Repository-relative paths of the excluded files (the baseline) that lie inside the work tree.
    private static func excludedPaths(_ files: [String], top: String) -> Set<String> {
        guard let root = FileWalker.resolve(top) else { return [] }
        var out = Set<String>()
        for file in files {
            guard let resolved = FileWalker.resolve(file), resolved.hasPrefix(root + "/") else { continue }
            out.insert(String(resolved.dropFirst(root.count + 1)))
        }
        return out
    }
}

extension SecretScanner {
    /// Scans what is staged for the next commit in the repository at `repository` (see
    /// ``GitStagedScanner``): the index, never the working tree.
    public static func scanStaged(repository: String, options: SecretScanOptions) throws(SecretScanError) -> SecretScanResult {
        try GitStagedScanner.scan(repository: repository, options: options)
    }
}

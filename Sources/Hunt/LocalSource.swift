import MamoriCore
import Foundation
import StreamIO

/// One place events are read from, named as messages and evidences name it.
public struct InputProblem: Codable, Sendable, Equatable {
    /// The file, the `s3://bucket/key` object or `LookupEvents REGION`.
    public var source: String
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
}

/// Local trail files: a file, or a folder walked recursively for `.json`, `.json.gz`, `.jsonl`,
/// `.jsonl.gz` and `.ndjson` files (CloudTrail's S3 layout copied down with `aws s3 sync` included).
public enum LocalSource {
    static let suffixes = [".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".log", ".log.gz"]

    /// The files under `paths` the window selects, sorted by path (so by day in the S3 layout), and the
    /// paths that could not be listed. `-` is standard input. Files are not opened here.
    public static func files(_ paths: [String], window: HuntWindow, shard: ShardSelector? = nil) -> (files: [String], problems: [InputProblem]) {
        var files: [String] = []
        var problems: [InputProblem] = []
        for path in paths {
            if path == "-" { files.append(path); continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(InputProblem(source: path, reason: "no such file or folder"))
                continue
            }
            guard isDirectory.boolValue else {
                // A file named explicitly is read whatever its name; the window still applies to its path.
                if selected(path, window: window, shard: shard) { files.append(path) }
                continue
            }
            guard let enumerator = FileManager.default.enumerator(atPath: path) else {
                problems.append(InputProblem(source: path, reason: "cannot list the folder"))
                continue
            }
            var found: [String] = []
            while let name = enumerator.nextObject() as? String {
                guard suffixes.contains(where: { name.hasSuffix($0) }) else { continue }
                // CloudTrail-Digest files hold hashes, not events.
                if name.contains("CloudTrail-Digest") { continue }
                let full = path.hasSuffix("/") ? path + name : path + "/" + name
                if selected(full, window: window, shard: shard) { found.append(full) }
            }
            files += found.sorted()
        }
        return (files, problems)
    }

    static func selected(_ path: String, window: HuntWindow, shard: ShardSelector?) -> Bool {
        guard window.selects(path: path) else { return false }
        guard let shard else { return true }
        // Files outside the layout have no account/region/day: the first shard reads them, so none is lost.
        guard let trail = TrailPath(path) else { return shard.index == 0 }
        return shard.contains(trail.shardKey)
    }

    /// Opens a file for the splitter: gzip is recognised by content, as everywhere in Mamori.
    public static func open(_ path: String) throws(StreamIOError) -> any ByteSource {
        try InputOpener.open(path)
    }
}

/// `--shard I/N` over trail keys (account/region/day), with the same hash `scan --org` uses for accounts.
public struct ShardSelector: Sendable, Hashable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public func contains(_ key: String) -> Bool { ShardHash.bucket(of: key, count: count) == index }
}

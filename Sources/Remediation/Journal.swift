import Foundation
import MamoriCore

/// An append-only JSON-lines record of every change Mamori makes, written before and after each
/// call, so an interrupted run can be reviewed, resumed or undone.
public actor Journal {
    public nonisolated let path: String
    private let handle: FileHandle

    /// One line of the journal.
    public struct Entry: Codable, Sendable {
        public var time: Date
        /// "before" (about to call), "after" (the call succeeded) or "failed".
        public var phase: String
        public var step: String
        public var region: String
        public var call: String
        public var parameters: [String: String]
        public var result: String?
        /// How to undo this step, as a command a human can run.
        public var undo: String?

        public init(time: Date, phase: String, step: String, region: String, call: String, parameters: [String: String],
                    result: String? = nil, undo: String? = nil) {
            self.time = time
            self.phase = phase
            self.step = step
            self.region = region
            self.call = call
            self.parameters = parameters
            self.result = result
            self.undo = undo
        }
    }

    /// Opens (creating it and its folder) `.mamori/journal/NAME-TIMESTAMP.jsonl` under `directory`.
    public init(directory: String = ".mamori/journal", name: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let stamp = ISO8601.string(Date()).replacingOccurrences(of: ":", with: "")
        // Two runs within one second must not share (and so overwrite) a journal: create exclusively.
        var candidate = "\(directory)/\(name)-\(stamp).jsonl"
        var fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        var attempt = 1
        while fd < 0 && errno == EEXIST && attempt < 100 {
            candidate = "\(directory)/\(name)-\(stamp)-\(attempt).jsonl"
            fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            attempt += 1
        }
        path = candidate
        guard fd >= 0 else { throw JournalError("cannot create the journal \(candidate): \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        self.handle = handle
    }

    public func record(_ entry: Entry) throws {
        var line = try StableJSON.encode(entry, .compact)
        line.append(0x0A)
        handle.write(line)
        try handle.synchronize()
    }

    /// Reads a journal back (for resume and review).
    public static func read(_ path: String) throws -> [Entry] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw JournalError("cannot read the journal \(path)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try text.split(separator: "\n").map { try decoder.decode(Entry.self, from: Data($0.utf8)) }
    }
}

/// A journal that cannot be written: the change must not go ahead.
public struct JournalError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

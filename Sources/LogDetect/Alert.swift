/// One alert: IMDS traffic from one source host to one destination, aggregated over all lines.
public struct Alert: Codable, Sendable, Equatable {
    public var source: String
    public var destination: String
    /// Time of the first and last matching line, ISO 8601 when the log's time could be read,
    /// else as the log wrote it.
    public var firstSeen: String?
    public var lastSeen: String?
    public var count: Int
    /// The first matching request, secrets redacted.
    public var exampleRequest: String
    /// Selections that matched, across all lines of this alert.
    public var matchedSelections: [String]
    /// IDs of the rules that matched.
    public var rules: [String]
    /// Where the first matching line is.
    public var file: String
    public var line: Int

    enum CodingKeys: String, CodingKey {
        case source, destination, count, rules, file, line
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case exampleRequest = "example_request"
        case matchedSelections = "matched_selections"
    }

    /// Epoch seconds of first/last seen, for ordering when merging files (not encoded).
    var firstEpoch: Double?
    var lastEpoch: Double?

    mutating func merge(_ other: Alert) {
        count += other.count
        for s in other.matchedSelections where !matchedSelections.contains(s) { matchedSelections.append(s) }
        for r in other.rules where !rules.contains(r) { rules.append(r) }
        if let a = firstEpoch, let b = other.firstEpoch {
            if b < a { firstEpoch = b; firstSeen = other.firstSeen; file = other.file; line = other.line; exampleRequest = other.exampleRequest }
        }
        if let a = lastEpoch, let b = other.lastEpoch {
            if b > a { lastEpoch = b; lastSeen = other.lastSeen }
        } else if other.lastSeen != nil {
            lastSeen = other.lastSeen
            lastEpoch = other.lastEpoch
        }
    }
}

/// A line that could not be read as its format, reported with its place.
public struct MalformedLine: Codable, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var reason: String
}

/// Per-file statistics.
public struct FileStats: Codable, Sendable, Equatable {
    public var file: String
    public var format: String?
    public var lines: Int
    public var bytes: Int
    public var malformed: Int
    /// Set when the file could not be read to the end; the lines before still count.
    public var error: String?
}

/// Everything `mamori imds scan` found.
public struct ScanReport: Codable, Sendable {
    public var alerts: [Alert]
    public var malformedCount: Int
    /// The first malformed lines (up to the reporting limit), with file, line number and reason.
    public var malformed: [MalformedLine]
    public var files: [FileStats]
    public var lines: Int
    public var bytes: Int
    /// Matching lines dropped by --only-source / --ignore-source.
    public var suppressed: Int
    public var seconds: Double
    /// The literal needles the prefilter used (empty when every line was evaluated).
    public var prefilter: [String]

    enum CodingKeys: String, CodingKey {
        case alerts, malformed, files, lines, bytes, suppressed, seconds, prefilter
        case malformedCount = "malformed_count"
    }

    /// True when some file could not be read (to the end).
    public var hasErrors: Bool { files.contains { $0.error != nil } }
}

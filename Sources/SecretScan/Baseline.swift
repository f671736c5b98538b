import Foundation
import MamoriCore

/// Known findings that should no longer fail CI (`--baseline FILE`, `--update-baseline`).
///
/// The file holds fingerprints only, plus the key ID and file for people reading it; never a
/// secret. Fingerprints ignore line numbers, so moving code around keeps findings known.
public struct Baseline: Codable, Sendable {
    public struct Entry: Codable, Sendable, Hashable {
        public var fingerprint: String
        public var keyId: String?
        public var type: String
        public var file: String
    }

    public var version = 1
    public var findings: [Entry]

    public init(findings: [SecretFinding]) {
        var seen = Set<String>()
        self.findings = findings.compactMap { f in
            guard seen.insert(f.fingerprint).inserted else { return nil }
            return Entry(fingerprint: f.fingerprint, keyId: f.keyId, type: f.type.rawValue, file: f.file)
        }.sorted { ($0.file, $0.fingerprint) < ($1.file, $1.fingerprint) }
    }

    public var fingerprints: Set<String> { Set(findings.map(\.fingerprint)) }

    /// This baseline plus the entries of `other` it lacks (a partial scan adds, never forgets).
    public func merged(with other: Baseline) -> Baseline {
        var out = self
        var seen = fingerprints
        for e in other.findings where seen.insert(e.fingerprint).inserted { out.findings.append(e) }
        out.findings.sort { ($0.file, $0.fingerprint) < ($1.file, $1.fingerprint) }
        return out
    }

    public static func load(path: String) throws(SecretScanError) -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badBaseline(path: path, reason: "the file cannot be read")
        }
        do {
            return try JSONDecoder().decode(Baseline.self, from: data)
        } catch {
            throw .badBaseline(path: path, reason: "it is not a mamori secrets baseline (\(error))")
        }
    }

    public func save(path: String) throws(SecretScanError) {
        do {
            try (try StableJSON.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}

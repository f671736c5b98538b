import Foundation
import History

/// The dashboard's pages, parsed from a request path. Unknown paths are 404; known paths with a
/// malformed id are 400 so a typo says what is wrong instead of "not found".
enum Route: Sendable, Hashable {
    /// `/`: scan list and trend.
    case scans
    /// `/scans/{id}`: one scan's summary, accounts and errors.
    case scan(Int64)
    /// `/scans/{id}/findings`: the filtered, paged findings table.
    case findings(Int64)
    /// `/scans/{id}/findings/{fingerprint}`: one finding.
    case finding(Int64, String)
    /// `/scans/{id}/metrics`: posture metrics against the population.
    case metrics(Int64)
    /// `/diff?a=&b=`: what changed between two scans.
    case diff
    /// `/hunts`: stored hunts (`mamori hunt --db`), newest first.
    case hunts
    /// `/hunts/{key}`: one hunt's shards merged: completeness and alerts.
    case hunt(String)

    static func parse(path: String) throws(PageError) -> Route {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map { QueryParameters.decode($0) }
        switch segments.count {
        case 0: return .scans
        case 1 where segments[0] == "diff": return .diff
        case 1 where segments[0] == "scans": return .scans
        case 1 where segments[0] == "hunts": return .hunts
        case 2 where segments[0] == "hunts":
            guard HuntKey.isValid(segments[1]) else {
                throw .badRequest("'\(segments[1])' is not a hunt key: keys are 1-128 printable characters without spaces (see the hunt list).")
            }
            return .hunt(segments[1])
        default: break
        }
        guard segments[0] == "scans", segments.count <= 4 else { throw notFound(path) }
        let id = try scanId(segments[1])
        switch segments.count {
        case 2: return .scan(id)
        case 3 where segments[2] == "findings": return .findings(id)
        case 3 where segments[2] == "metrics": return .metrics(id)
        case 4 where segments[2] == "findings": return .finding(id, try fingerprint(segments[3]))
        default: throw notFound(path)
        }
    }

    static func scanId(_ text: String) throws(PageError) -> Int64 {
        guard let id = Int64(text), id > 0 else {
            throw .badRequest("'\(text)' is not a scan id: scan ids are positive whole numbers (see the scan list).")
        }
        return id
    }

    /// Fingerprints are 32 lowercase hex digits (`Finding.fingerprint`).
    static func fingerprint(_ text: String) throws(PageError) -> String {
        let hex = text.lowercased()
        guard hex.utf8.count == 32, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw .badRequest("'\(text)' is not a finding fingerprint (32 hexadecimal digits).")
        }
        return hex
    }

    static func notFound(_ path: String) -> PageError {
        .notFound("There is no page at \(path). Start from the scan list.")
    }
}

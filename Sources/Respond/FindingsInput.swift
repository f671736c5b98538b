import Foundation

/// Reads the key IDs to respond to from `mamori secrets --format json` output (field `keyId`).
public enum FindingsInput {
    /// Unique long-term key IDs (AKIA…) in file order. Temporary keys are listed in `skipped`.
    public static func keyIds(from data: Data, origin: String) throws(RespondInputError) -> (keys: [String], skipped: [String]) {
        guard let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
            throw RespondInputError("\(origin) is not the JSON array of `mamori secrets --format json`")
        }
        var keys: [String] = [], skipped: [String] = []
        for item in array {
            guard let object = item as? [String: Any] else {
                throw RespondInputError("\(origin): every element must be a finding object (see docs/secrets.md)")
            }
            guard let key = object["keyId"] as? String else { continue }
            if key.hasPrefix("AKIA") {
                if !keys.contains(key) { keys.append(key) }
            } else if !skipped.contains(key) {
                skipped.append(key)
            }
        }
        return (keys, skipped)
    }
}

/// Precision filters: documentation examples, placeholders and inline ignores.
///
/// Each returns the reason shown under `--verbose`; the reason never contains a full secret.
enum Filters {
    /// AWS's documented example pairs (IAM User Guide, "Managing access keys").
    static let exampleKeyIds: Set<String> = ["AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE"]
    static let exampleSecrets: Set<String> = [
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    ]
    /// Words that mark a value as a stand-in; five letters or more, so a random key contains one
    /// with negligible probability (about 10⁻⁷ per key for five letters).
    private static let placeholderWords = ["EXAMPLE", "SAMPLE", "DUMMY", "PLACEHOLDER", "CHANGEME", "REDACTED",
                                           "REPLACE", "YOURKEY", "YOURSECRET", "ACCESSKEY", "SECRETKEY", "XXXXX"]

    static func dropReason(keyId: String?, secret: String?, line: UnsafeRawBufferPointer) -> String? {
        if containsIgnoreMarker(line) { return "inline mamori:ignore comment" }
        if let keyId {
            if exampleKeyIds.contains(keyId) || keyId.hasSuffix("EXAMPLE") { return "AWS documentation example key ID" }
            if let reason = placeholder(String(keyId.dropFirst(4))) { return "placeholder key ID (\(reason))" }
        }
        if let secret {
            if exampleSecrets.contains(secret) || secret.hasSuffix("EXAMPLEKEY") {
                return keyId == nil ? "AWS documentation example secret" : "paired with AWS documentation example secret"
            }
            if keyId == nil, let reason = placeholder(secret) { return "placeholder secret (\(reason))" }
        }
        return nil
    }

    /// Why `body` looks like a stand-in rather than a random key, or nil.
    static func placeholder(_ body: String) -> String? {
        let upper = body.uppercased()
        if let w = placeholderWords.first(where: { upper.contains($0) }) { return "contains \(w)" }
        let bytes = Array(body.utf8)
        var run = 1, ascending = 1
        for i in 1..<max(1, bytes.count) {
            run = bytes[i] == bytes[i - 1] ? run + 1 : 1
            ascending = bytes[i] == bytes[i - 1] &+ 1 ? ascending + 1 : 1
            if run >= 6 { return "repeated character" }
            if ascending >= 7 { return "alphabet sequence" }
        }
        if Set(bytes).count <= 5 { return "too few distinct characters" }
        return nil
    }

    private static let marker = Array("mamori:ignore".utf8)

    static func containsIgnoreMarker(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count >= marker.count else { return false }
        var i = 0
        while i + marker.count <= line.count {
            if line[i] == 0x6D {   // 'm'
                var k = 0
                while k < marker.count, line[i + k] == marker[k] { k += 1 }
                if k == marker.count { return true }
            }
            i += 1
        }
        return false
    }
}

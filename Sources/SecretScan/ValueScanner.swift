import MamoriCore

/// A credential found in a value read from a cloud resource (user data, environment variables,
/// parameters, stack outputs). It keeps only what is safe to store: the key ID redacted as every
/// report redacts secrets, a one-way fingerprint, and the account decoded from the key ID. The
/// secret and the full key ID never leave the scanner.
public struct ValueHit: Sendable, Hashable {
    /// The field the credential sat in (`UserData`, `Environment.Variables.AWS_ACCESS_KEY_ID`…).
    public var field: String
    /// Index of the field in the list given to `scan(fields:)`; 0 for a blob.
    public var fieldIndex: Int
    /// Line within the field's text (user data is a script), 1-based.
    public var line: Int
    public var type: SecretFindingType
    /// First 4 and last 4 characters (`AKIA…WXYZ`); nil for a lone secret.
    public var redactedKeyId: String?
    /// SHA-256 of the key ID (or of a lone secret), 32 hex digits: the same key in two places
    /// has the same fingerprint, and nothing of the value can be read back from it.
    public var fingerprint: String
    /// The 12-digit account decoded offline from the key ID.
    public var account: String?
    /// The vendor or AWS service that publicly owns `account`.
    public var accountOwner: String?
    /// The honeytoken service when `account` issues canary keys.
    public var canaryService: String?
    /// True when the secret access key was found next to the key ID.
    public var paired: Bool
    public var confidence: Confidence
}

/// What scanning a resource's values found, and what could not be scanned.
public struct ValueScanResult: Sendable {
    public var hits: [ValueHit]
    /// Values that could not be fully scanned (a corrupt gzip stream), as user-readable messages.
    public var errors: [String]
}

/// `mamori secrets`' detector applied to values held in memory, for `mamori scan`'s key hunt in
/// cloud resources: the same matcher, pairing, example-key and placeholder filters, account
/// decoding and canary list, so a key is reported (or dropped) the same way wherever it hides.
public enum ValueScanner {
    /// Scans named values as one text, `NAME=VALUE` per line, so a key ID in one variable and its
    /// secret in the next pair up as they would in a `.env` file; each hit names its field.
    public static func scan(fields: [(name: String, value: String)]) -> ValueScanResult {
        var bytes: [UInt8] = []
        // First line of each field, in order.
        var starts: [(line: Int, name: String)] = []
        var line = 1
        for (name, value) in fields {
            starts.append((line, name))
            let entry = "\(name)=\(value)\n"
            bytes += entry.utf8
            line += entry.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return run(bytes, name: "values") { hitLine in
            let index = starts.lastIndex { $0.line <= hitLine } ?? 0
            return (starts[index].name, index, hitLine - starts[index].line + 1)
        }
    }

    /// Scans one value as `mamori secrets` scans a file: gzip, tar and zip content is opened,
    /// so gzip-compressed user data is read like plain user data.
    public static func scan(blob: [UInt8], field: String) -> ValueScanResult {
        run(blob, name: field) { (field, 0, $0) }
    }

    private static func run(_ bytes: [UInt8], name: String, locate: (Int) -> (field: String, index: Int, line: Int)) -> ValueScanResult {
        guard !bytes.isEmpty else { return ValueScanResult(hits: [], errors: []) }
        let scanner = ContentScanner()
        scanner.scanStream(MemoryBytes(bytes, name: name), name: name)
        var hits: [ValueHit] = []
        for (_, raw) in scanner.results {
            for hit in raw where hit.dropReason == nil {
                let account = hit.keyId.flatMap(AccountDecoder.account(fromKeyId:))
                let (field, index, line) = locate(hit.line)
                let subject = hit.keyId ?? ("secret-sha256:" + SHA256.hex(hit.secret ?? ""))
                hits.append(ValueHit(
                    field: field, fieldIndex: index, line: line, type: hit.prefix?.findingType ?? .secretAccessKey,
                    redactedKeyId: hit.keyId.map(Redaction.redact),
                    fingerprint: String(SHA256.hex("mamori-cloud-key-v1\n" + subject).prefix(32)),
                    account: account, accountOwner: account.flatMap { KnownAccounts.bundled.name(of: $0) },
                    canaryService: account.flatMap(CanaryAccounts.entry(for:))?.service,
                    paired: hit.keyId != nil && hit.secret != nil, confidence: Enrichment.confidence(of: hit)))
            }
        }
        // Errors name the stream, which is only our label; keep the reason.
        return ValueScanResult(hits: hits, errors: scanner.errors)
    }
}

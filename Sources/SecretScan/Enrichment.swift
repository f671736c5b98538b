import MamoriCore

/// Turns raw hits into findings: decoded account, canary and trust flags, confidence, fingerprint.
enum Enrichment {
    static func finding(from hit: RawHit, file: String, git: GitOrigin?, options: SecretScanOptions) -> SecretFinding {
        let account = hit.keyId.flatMap(AccountDecoder.account(fromKeyId:))
        let type = hit.prefix?.findingType ?? .secretAccessKey
        return SecretFinding(
            type: type, keyId: hit.keyId, account: account,
            accountOwner: account.flatMap { KnownAccounts.bundled.name(of: $0) }, accountName: nil, accountOuPath: nil, confidence: confidence(of: hit),
            file: file, line: hit.line, column: hit.column, git: git,
            secret: hit.secret.map(SecretValue.init), sessionToken: hit.sessionToken.map(SecretValue.init),
            fingerprint: fingerprint(type: type, file: file, keyId: hit.keyId, secret: hit.secret, commit: git?.commit),
            canary: account.flatMap(CanaryAccounts.entry(for:)),
            trusted: account.map(options.trustedAccounts.contains) ?? false,
            verification: nil, offset: hit.offset)
    }

    static func dropped(from hit: RawHit, file: String) -> DroppedCandidate {
        DroppedCandidate(value: hit.keyId ?? Redaction.redact(hit.secret ?? ""), file: file, line: hit.line,
                         reason: hit.dropReason ?? "", offset: hit.offset)
    }

    static func confidence(of hit: RawHit) -> Confidence {
        if hit.keyId != nil, hit.secret != nil { return .high }
        if let p = hit.prefix { return p == .akia || p == .asia ? .medium : .low }
        return hit.secretName == .aws ? .medium : .low
    }

    /// Stable across line moves and re-runs: no line or column, only what identifies the leak.
    /// A lone secret enters as its own SHA-256, so the fingerprint reveals nothing of it.
    static func fingerprint(type: SecretFindingType, file: String, keyId: String?, secret: String?, commit: String?) -> String {
        let subject = keyId ?? ("secret-sha256:" + SHA256.hex(secret ?? ""))
        let input = "mamori-secrets-v1\n\(type.rawValue)\n\(file)\n\(subject)\n\(commit ?? "")"
        return String(SHA256.hex(input).prefix(32))
    }
}

/// A one-way digest of a secret, for de-duplicating work without keeping the value around.
public enum SecretScanFingerprintHelper {
    public static func digest(_ secret: SecretValue) -> String { SHA256.hex(secret.reveal()) }
}

/// The kinds of AWS unique identifiers the scanner reports, by their documented four-letter prefix.
///
/// Source: IAM User Guide, "IAM identifiers — Unique identifiers"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
/// Only the prefixes that name *credentials* are reported; `AIDA` (user), `AROA` (role) and the
/// other resource prefixes identify principals, not secrets, and would only add noise.
public enum KeyIdPrefix: String, Codable, Sendable, CaseIterable {
    /// Long-term access key of an IAM user or root.
    case akia = "AKIA"
    /// Temporary access key from STS; useless without its session token.
    case asia = "ASIA"
    /// STS service bearer token.
    case abia = "ABIA"
    /// Context-specific credential.
    case acca = "ACCA"

    /// The finding type reported for a key ID with this prefix.
    public var findingType: SecretFindingType {
        switch self {
        case .akia: return .accessKeyId
        case .asia: return .temporaryAccessKeyId
        case .abia: return .bearerTokenId
        case .acca: return .contextCredentialId
        }
    }

    /// Recognises the prefix at `p` (four bytes must be readable).
    @inline(__always)
    static func at(_ p: UnsafeRawPointer) -> KeyIdPrefix? {
        guard p.load(as: UInt8.self) == 0x41, p.load(fromByteOffset: 3, as: UInt8.self) == 0x41 else { return nil }
        switch (p.load(fromByteOffset: 1, as: UInt8.self), p.load(fromByteOffset: 2, as: UInt8.self)) {
        case (0x4B, 0x49): return .akia   // KI
        case (0x53, 0x49): return .asia   // SI
        case (0x42, 0x49): return .abia   // BI
        case (0x43, 0x43): return .acca   // CC
        default: return nil
        }
    }
}

/// Decodes the AWS account ID embedded in an access key ID, offline.
///
/// Technique: the 16 characters after the prefix are RFC 4648 base32; the first 48 bits of the
/// decoded bytes, masked with `0x7fffffffff80` and shifted right by 7, are the 12-digit account ID.
/// Published by Tal Be'ery, "A short note on AWS KEY ID" (2023,
/// https://medium.com/@TalBeerySec/a-short-note-on-aws-key-id-f88cc4317489), correcting the earlier
/// work of Aidan Steele ("AWS Access Key ID formats", https://awsteele.com/blog/2020/09/26/aws-access-key-format.html).
/// It is the same method trufflehog's `GetAccountNumFromID` uses. Known pairs are in the tests.
public enum AccountDecoder {
    private static let values: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    /// The 12-digit account ID, or nil when `keyId` is not a prefix plus at least 10 base32 characters.
    public static func account(fromKeyId keyId: String) -> String? {
        let bytes = Array(keyId.utf8)
        guard bytes.count >= 14 else { return nil }
        // Ten base32 characters are 50 bits; the first 48 of them are the six bytes the method uses.
        var v: UInt64 = 0
        for b in bytes[4..<14] {
            let d = values[Int(b)]
            guard d >= 0 else { return nil }
            v = (v << 5) | UInt64(d)
        }
        let first48 = v >> 2
        let account = (first48 & 0x7fff_ffff_ff80) >> 7
        let digits = String(account)
        guard digits.count <= 12 else { return nil }
        return String(repeating: "0", count: 12 - digits.count) + digits
    }
}

import MamoriCore

/// The scanner's view of a key ID's prefix (the prefixes themselves are ``AccessKeyID/Prefix`` in
/// MamoriCore, the one definition of a key ID): what it reports and how it recognises one in bytes.
/// Only the prefixes that name *credentials* are reported; `AIDA` (user), `AROA` (role) and the
/// other resource prefixes identify principals, not secrets, and would only add noise.
extension AccessKeyID.Prefix {
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
    static func at(_ p: UnsafeRawPointer) -> AccessKeyID.Prefix? {
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

// The key-ID → account decoder (`AccountDecoder`) lives in MamoriCore: the leaked-key response uses it too.

import Foundation

/// An AWS access key ID: one of the documented credential prefixes and 16 RFC 4648 base32
/// characters (IAM User Guide, "IAM identifiers — Unique identifiers",
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
///
/// The one rule for "is this a key ID" (the secret scanner's prefixes, the leaked-key response's
/// input check, key IDs read from findings and events), and the one meaning of the words: the
/// scanner *finds* key IDs, the response *looks up* the owner of one (`KeyOwnerLookup`).
public struct AccessKeyID: Sendable, Hashable, ValidatedStringCodable, CustomStringConvertible {
    /// The credential prefixes. `AIDA` (user), `AROA` (role) and the other resource prefixes name
    /// principals, not secrets, and are not key IDs.
    public enum Prefix: String, Codable, Sendable, CaseIterable {
        /// Long-term access key of an IAM user or root.
        case akia = "AKIA"
        /// Temporary access key from STS; useless without its session token.
        case asia = "ASIA"
        /// STS service bearer token.
        case abia = "ABIA"
        /// Context-specific credential.
        case acca = "ACCA"
    }

    /// The characters after the prefix.
    public static let base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

    public let value: String
    public let prefix: Prefix

    /// nil unless `text` is a known prefix followed by exactly 16 base32 characters.
    public init?(_ text: String) { self.init(text[...]) }

    public init?(_ text: Substring) {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, let prefix = Prefix(rawValue: String(decoding: bytes[0..<4], as: UTF8.self)),
              bytes[4...].allSatisfy(Self.isBase32) else { return nil }
        self.value = String(text)
        self.prefix = prefix
    }

    /// An access key that can sign requests: long-term (AKIA) or temporary (ASIA). The leaked-key
    /// response acts on these; bearer-token and context IDs have no IAM key to rotate.
    public var signsRequests: Bool { prefix == .akia || prefix == .asia }

    /// A long-term key (AKIA): the one an IAM user or root owns until it is deleted.
    public var isLongTerm: Bool { prefix == .akia }

    /// The account that issued the key, decoded offline (``AccountDecoder``).
    public var account: String? { AccountDecoder.account(fromKeyId: value) }

    public var description: String { value }

    @inline(__always)
    static func isBase32(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "2") && byte <= UInt8(ascii: "7"))
    }

    public static let invalidText = "an AWS access key ID"
}

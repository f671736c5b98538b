import Foundation

/// A 12-digit AWS account ID: the one rule every input that names an account checks
/// (configuration `trust:`, account directories, `--trust-account`, key decoding).
/// ASCII digits only: `isNumber` alone would let other scripts' digits through.
public struct AccountID: Sendable, Hashable, Comparable, ValidatedStringCodable, CustomStringConvertible {
    public let value: String

    /// nil unless `text` is exactly twelve ASCII digits.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        value = text
    }

    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    public var description: String { value }
    public static func < (lhs: AccountID, rhs: AccountID) -> Bool { lhs.value < rhs.value }

    public static let invalidText = "a 12-digit AWS account ID"
}

/// An identifier JSON carries as a plain string, checked when read: a bad value is a decoding
/// error naming what was expected, never a value that fails later.
public protocol ValidatedStringCodable: Codable {
    init?(_ text: String)
    var value: String { get }
    /// "a 12-digit AWS account ID": what the error says the text is not.
    static var invalidText: String { get }
}

extension ValidatedStringCodable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not \(Self.invalidText)"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
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
/// Here in MamoriCore because the secret scanner and the leaked-key response both need it.
public enum AccountDecoder {
    private static let values: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in AccessKeyID.base32Alphabet.utf8.enumerated() { t[Int(c)] = Int8(i) }
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

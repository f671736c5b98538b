import MamoriCore

/// What a finding is.
public enum SecretFindingType: String, Codable, Sendable, CaseIterable {
    case accessKeyId = "aws-access-key-id"
    case temporaryAccessKeyId = "aws-temporary-access-key-id"
    case bearerTokenId = "aws-bearer-token-id"
    case contextCredentialId = "aws-context-credential-id"
    /// A secret access key found under a telling name, with no key ID near it.
    case secretAccessKey = "aws-secret-access-key"

    /// Short human title, also the SARIF rule name.
    public var title: String {
        switch self {
        case .accessKeyId: return "AWS access key ID"
        case .temporaryAccessKeyId: return "AWS temporary (STS) access key ID"
        case .bearerTokenId: return "AWS STS bearer token ID"
        case .contextCredentialId: return "AWS context-specific credential ID"
        case .secretAccessKey: return "AWS secret access key"
        }
    }
}

/// How sure the scanner is that a finding is a real credential.
public enum Confidence: String, Codable, Sendable, Comparable, CaseIterable {
    case low, medium, high

    private var rank: Int { self == .low ? 0 : self == .medium ? 1 : 2 }
    public static func < (a: Confidence, b: Confidence) -> Bool { a.rank < b.rank }
}

/// A secret value held in memory (for `--verify` only). It prints, dumps and reflects redacted,
/// so an accidental `print`, string interpolation or `dump` cannot leak it.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let raw: String
    init(_ raw: String) { self.raw = raw }

    /// The full value: only for passing to the verifier, never for output.
    public func reveal() -> String { raw }
    /// First 4 and last 4 characters.
    public var redacted: String { Redaction.redact(raw) }
    public var description: String { redacted }
    public var debugDescription: String { redacted }
    public var customMirror: Mirror { Mirror(self, children: ["redacted": redacted]) }
}

/// Where in a git history a finding was added.
public struct GitOrigin: Codable, Sendable, Hashable {
    public var commit: String
    public var author: String
    public var date: String
}

/// One leaked-credential finding. Its JSON form is documented in docs/secrets.md and read by
/// `mamori respond leaked-key --from-findings` (which keys on `keyId`).
public struct SecretFinding: Sendable, Hashable {
    public var type: SecretFindingType
    /// The access key ID in full (an identifier, not a secret); nil for a lone secret.
    public var keyId: String?
    /// The account decoded from the key ID.
    public var account: String?
    /// The vendor or AWS service that publicly owns `account` (fwdcloudsec known_aws_accounts).
    public var accountOwner: String?
    /// The user's name for `account` (`--accounts FILE` or `--org`).
    public var accountName: String?
    /// The account's OU path from the root (`Root/Workloads`), when known.
    public var accountOuPath: String?
    public var confidence: Confidence
    /// File path (archive members as `outer.tar!inner/file`); `-` for standard input.
    public var file: String
    public var line: Int
    public var column: Int
    public var git: GitOrigin?
    /// The paired secret access key (or the lone secret), kept for `--verify`; printed redacted.
    public var secret: SecretValue?
    /// A session token found next to a temporary key, printed redacted.
    public var sessionToken: SecretValue?
    /// True when a key ID and its secret were found together.
    public var paired: Bool { keyId != nil && secret != nil }
    public var fingerprint: String
    /// The canary service when the decoded account issues honeytokens.
    public var canary: CanaryAccounts.Entry?
    /// True when the decoded account is one the user trusts (`--trust-account`).
    public var trusted: Bool
    /// Filled by `--verify`.
    public var verification: VerificationResult?
    /// Absolute byte offset in the scanned stream (internal bookkeeping for line numbers).
    var offset: Int = 0
}

extension SecretFinding {
    /// `belongs to prod-payments (Root/Workloads)` once the account is named.
    public var accountBelongsTo: String? {
        accountName.map { AccountDirectory.Entry(id: account ?? "", name: $0, ouPath: accountOuPath).belongsTo }
    }

    /// Names the decoded account from `directory`.
    public mutating func name(from directory: AccountDirectory) {
        guard let account, let entry = directory.entry(for: account) else { return }
        accountName = entry.name
        accountOuPath = entry.ouPath
    }
}

/// The outcome of `--verify` for one finding.
public struct VerificationResult: Codable, Sendable, Hashable {
    /// `active`, `inactive`, `error` or `skipped`.
    public var status: String
    public var arn: String?
    public var account: String?
    public var detail: String?

    public init(status: String, arn: String? = nil, account: String? = nil, detail: String? = nil) {
        self.status = status
        self.arn = arn
        self.account = account
        self.detail = detail
    }
}

/// A candidate the scanner dropped, with why (shown under `--verbose`).
public struct DroppedCandidate: Sendable, Hashable {
    /// The key ID in full, or the secret redacted.
    public var value: String
    public var file: String
    public var line: Int
    public var reason: String
    var offset: Int = 0
}

extension SecretFinding: Encodable {
    enum CodingKeys: String, CodingKey {
        case keyId, account, accountOwner, accountName, accountOuPath, type, confidence, file, line, column, commit, author, date
        case secret, sessionToken, paired, fingerprint, canary, canaryService, trusted, verification
    }

    /// Stable field set: absent values are written as `null` so consumers see one schema.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(keyId, forKey: .keyId)
        try c.encode(account, forKey: .account)
        try c.encode(accountOwner, forKey: .accountOwner)
        try c.encode(accountName, forKey: .accountName)
        try c.encode(accountOuPath, forKey: .accountOuPath)
        try c.encode(type, forKey: .type)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(file, forKey: .file)
        try c.encode(line, forKey: .line)
        try c.encode(column, forKey: .column)
        try c.encode(git?.commit, forKey: .commit)
        try c.encode(git?.author, forKey: .author)
        try c.encode(git?.date, forKey: .date)
        try c.encode(secret?.redacted, forKey: .secret)
        try c.encode(sessionToken?.redacted, forKey: .sessionToken)
        try c.encode(paired, forKey: .paired)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(canary != nil, forKey: .canary)
        try c.encode(canary?.service, forKey: .canaryService)
        try c.encode(trusted, forKey: .trusted)
        try c.encodeIfPresent(verification, forKey: .verification)
    }
}

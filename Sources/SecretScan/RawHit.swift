import MamoriCore

/// What the byte matcher found at one place, before enrichment into a ``SecretFinding``.
struct RawHit: Sendable {
    var prefix: AccessKeyID.Prefix?
    var keyId: String?
    var secret: String?
    /// How the lone or paired secret was recognised.
    var secretName: SecretName?
    var sessionToken: String?
    /// Absolute byte offset of the key ID (or of the lone secret) in the stream.
    var offset: Int
    var line = 0
    var column = 0
    /// Set when a filter dropped the hit; shown under `--verbose`.
    var dropReason: String?
}

/// The kind of name a secret sat under.
enum SecretName: Sendable {
    /// `aws_secret_access_key`, `SecretAccessKey`, `AWS_SECRET_KEY`…
    case aws
    /// `secret_key` (Terraform's AWS provider, boto's keyword arguments).
    case generic
}

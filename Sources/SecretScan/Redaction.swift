/// Redaction of secret values for every output.
public enum Redaction {
    /// At most the first 4 and last 4 characters, joined by `…`; values of 12 characters or fewer
    /// are fully masked, since 8 shown characters would be most of them.
    public static func redact(_ value: String) -> String {
        let chars = Array(value)
        guard chars.count > 12 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(4)) + "…" + String(chars.suffix(4))
    }
}

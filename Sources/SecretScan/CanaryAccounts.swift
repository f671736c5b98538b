/// AWS accounts that issue honeytoken ("canary") access keys.
///
/// Using such a key — even a harmless `sts:GetCallerIdentity` — sets off the owner's alarm, so the
/// scanner flags them and `--verify` refuses them. Each entry names where it is published.
public enum CanaryAccounts {
    /// One known canary account.
    public struct Entry: Sendable, Hashable {
        public let account: String
        public let service: String
        public let source: String
    }

    private static let trufflehogList =
        "https://github.com/trufflesecurity/trufflehog/blob/main/pkg/detectors/aws/access_keys/canary.go"

    /// Accounts behind Thinkst canarytokens.org AWS-key tokens ("thinkstCanaryList" in trufflehog).
    private static let thinkst = [
        "052310077262", "171436882533", "534261010715", "595918472158", "717712589309",
        "819147034852", "992382622183", "730335385048", "266735846894", "893192397702",
    ]

    /// Accounts of other honeytoken services modelled on canarytokens.org
    /// ("thinkstKnockoffsCanaryList" in trufflehog).
    private static let lookalikes = [
        "044858866125", "251535659677", "344043088457", "351906852752", "390477818340",
        "426127672474", "427150556519", "439872796651", "445142720921", "465867158099",
        "637958123769", "693412236332", "732624840810", "735421457923", "959235150393",
        "982842642351",
    ]

    /// Every known entry.
    public static let all: [Entry] =
        thinkst.map { Entry(account: $0, service: "Thinkst canarytokens.org", source: trufflehogList) }
        + lookalikes.map { Entry(account: $0, service: "canarytokens-style honeytoken service", source: trufflehogList) }

    private static let byAccount: [String: Entry] = Dictionary(all.map { ($0.account, $0) }, uniquingKeysWith: { a, _ in a })

    /// The entry for `account`, when it is a known canary account.
    public static func entry(for account: String) -> Entry? { byAccount[account] }
}

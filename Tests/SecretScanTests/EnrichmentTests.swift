import Foundation
import MamoriCore
import Testing
@testable import SecretScan

struct AccountDecoderTests {
    /// Published pairs: Aidan Steele's and Tal Be'ery's example, and trufflehog's canary fixture.
    @Test func knownPairs() {
        #expect(AccountDecoder.account(fromKeyId: "ASIAY34FZKBOKMUTVV7A") == "609629065308")
        #expect(AccountDecoder.account(fromKeyId: "AKIASP2TPHJSQH3FJRUX") == "171436882533")
        // The last characters do not take part in the account.
        #expect(AccountDecoder.account(fromKeyId: "AKIASP2TPHJSQH3FJXYZ") == "171436882533")
    }

    /// `AKIAQAAAAAAA…`: 'Q' is 16 = 0b10000, the top bit of the 48 used, which the mask drops.
    @Test func zeroAccount() {
        #expect(AccountDecoder.account(fromKeyId: "AKIAQAAAAAAAAAAAAAAA") == "000000000000")
    }

    @Test func rejectsBadInput() {
        #expect(AccountDecoder.account(fromKeyId: "AKIA") == nil)
        #expect(AccountDecoder.account(fromKeyId: "AKIA0000000000000000") == nil)
        #expect(AccountDecoder.account(fromKeyId: "cheeseburger") == nil)
    }

    @Test func canaryAccountsAreFlagged() {
        let f = scanText("aws_access_key_id = AKIASP2TPHJSQH3FJRUX\n").findings
        #expect(f.count == 1)
        #expect(f.first?.account == "171436882533")
        #expect(f.first?.canary?.service == "Thinkst canarytokens.org")
        #expect(CanaryAccounts.all.allSatisfy { $0.account.count == 12 && $0.source.hasPrefix("https://") })
    }

    /// 454464851268 is Cloudhealth's in fwdcloudsec/known_aws_accounts. Its key ID is built by
    /// hand: account << 7 (bit 47 clear), as 48 bits, base32 from bit 47 down; 'Q' sets no account bit.
    @Test func knownVendorAccountsAreNamed() {
        #expect(AccountDecoder.account(fromKeyId: Self.vendorKey) == "454464851268")
        let f = scanText("key \(Self.vendorKey)\n").findings
        #expect(f.first?.accountOwner == "Cloudhealth")
    }

    static let vendorKey: String = {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let bits48: UInt64 = 454_464_851_268 << 7
        var v = bits48 << 2   // 50 bits for ten characters
        var chars: [Character] = []
        for _ in 0..<10 { chars.insert(alphabet[Int(v & 31)], at: 0); v >>= 5 }
        return "AKIA" + String(chars) + "MZQWTR"
    }()

    @Test func trustedAccounts() {
        let options = SecretScanOptions(trustedAccounts: ["609629065308"], workers: 1)
        let f = scanText("a ASIAY34FZKBOKMUTVV7A\nb AKIASP2TPHJSQH3FJRUX\n", options: options).findings
        #expect(f.map(\.trusted) == [true, false])
    }
}

struct FilterTests {
    @Test func documentationExamplesAreDroppedWithAReason() {
        let text = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        let r = scanText(text)
        #expect(r.findings.isEmpty)
        #expect(r.dropped.count == 1)
        #expect(r.dropped.first?.reason == "AWS documentation example key ID")
    }

    @Test func loneExampleSecretIsDropped() {
        let r = scanText("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
        #expect(r.findings.isEmpty)
        #expect(r.dropped.first?.reason == "AWS documentation example secret")
        #expect(r.dropped.first?.value == "wJal…EKEY")
    }

    @Test func placeholders() {
        let r = scanText("a=AKIAXXXXXXXXXXXXXXXX\nb=AKIAABCDEFGHIJKLMNOP\nc=AKIAYOURKEYGOESHERE2\n")
        #expect(r.findings.isEmpty)
        #expect(r.dropped.map(\.reason) == [
            "placeholder key ID (contains XXXXX)", "placeholder key ID (alphabet sequence)", "placeholder key ID (contains YOURKEY)",
        ])
    }

    @Test func inlineIgnore() {
        let r = scanText("aws_access_key_id = \(Planted.keyId)  # mamori:ignore test fixture\n")
        #expect(r.findings.isEmpty)
        #expect(r.dropped.first?.reason == "inline mamori:ignore comment")
    }
}

struct RedactionTests {
    @Test func firstAndLastFour() {
        #expect(Redaction.redact("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") == "wJal…EKEY")
        #expect(Redaction.redact("short") == "*****")
        #expect(Redaction.redact("") == "")
    }

    @Test func secretValueNeverPrintsInFull() {
        let v = SecretValue(Planted.secret)
        #expect(!"\(v)".contains(Planted.secret))
        #expect(!String(reflecting: v).contains(Planted.secret))
        var dumped = ""
        dump(v, to: &dumped)
        #expect(!dumped.contains(Planted.secret))
    }

    /// No output format, no dropped-candidate text and no error message carries a full secret.
    @Test func noOutputContainsAFullSecret() throws {
        let text = """
            aws_access_key_id = \(Planted.tempKeyId)
            aws_secret_access_key = \(Planted.tempSecret)
            aws_session_token = \(Planted.sessionToken)
            AWS_SECRET_ACCESS_KEY=\(Planted.secondSecret)
            aws_secret_access_key = \(Planted.secret) # mamori:ignore
            """
        let r = scanText(text, name: "leak.env")
        #expect(r.findings.count == 2)
        var outputs = [try SecretReport.json(r.findings), try SecretReport.sarif(r.findings, version: "test"), SecretReport.table(r.findings)]
        outputs += r.dropped.map { "\($0)" } + r.errors + r.findings.map { "\($0)" }
        var dumped = ""
        dump(r.findings, to: &dumped)
        outputs.append(dumped)
        for out in outputs {
            for secret in [Planted.tempSecret, Planted.sessionToken, Planted.secondSecret, Planted.secret] {
                #expect(!out.contains(secret))
                #expect(!out.contains(secret.dropFirst(4).prefix(20)))
            }
        }
        #expect(outputs[0].contains(Planted.tempKeyId))
        #expect(outputs[0].contains("Hk3L…BnMq"))
    }
}

struct FingerprintAndBaselineTests {
    @Test func stableAcrossLineMoves() {
        let body = "aws_access_key_id = \(Planted.keyId)\naws_secret_access_key = \(Planted.secret)\n"
        let dir = TempDir()
        let path = dir.write("settings.ini", body)
        let before = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1)).findings
        dir.write("settings.ini", "# header\n\n[default]\nregion = x\n" + body)
        let after = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1)).findings
        #expect(before.count == 1 && after.count == 1)
        #expect(before.first?.line == 1)
        #expect(after.first?.line == 5)
        #expect(before.first?.fingerprint == after.first?.fingerprint)
        #expect(before.first?.fingerprint.count == 32)
    }

    @Test func differsByFileAndKey() {
        let a = Enrichment.fingerprint(type: .accessKeyId, file: "a", keyId: Planted.keyId, secret: nil, commit: nil)
        let b = Enrichment.fingerprint(type: .accessKeyId, file: "b", keyId: Planted.keyId, secret: nil, commit: nil)
        let c = Enrichment.fingerprint(type: .accessKeyId, file: "a", keyId: Planted.secondKeyId, secret: nil, commit: nil)
        #expect(Set([a, b, c]).count == 3)
    }

    @Test func baselineRoundTripHidesKnownFindings() throws {
        let dir = TempDir()
        let path = dir.write("a.env", "AWS_ACCESS_KEY_ID=\(Planted.keyId)\n")
        let first = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1)).findings
        let baselinePath = dir.path + "/baseline.json"
        try Baseline(findings: first).save(path: baselinePath)
        let saved = try String(contentsOfFile: baselinePath, encoding: .utf8)
        #expect(saved.contains(Planted.keyId))
        let loaded = try Baseline.load(path: baselinePath)
        #expect(loaded.fingerprints == Set(first.map(\.fingerprint)))
        dir.write("a.env", "AWS_ACCESS_KEY_ID=\(Planted.keyId)\nAWS_ACCESS_KEY_ID=\(Planted.secondKeyId)\n")
        let second = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1)).findings
        let new = second.filter { !loaded.fingerprints.contains($0.fingerprint) }
        #expect(new.map(\.keyId) == [Planted.secondKeyId])
    }

    @Test func baselineFileIsNotScanned() throws {
        let dir = TempDir()
        let path = dir.write("a.env", "AWS_ACCESS_KEY_ID=\(Planted.keyId)\n")
        let baselinePath = dir.path + "/baseline.json"
        try Baseline(findings: SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1)).findings).save(path: baselinePath)
        let r = SecretScanner.scan(paths: [dir.path], options: SecretScanOptions(workers: 1, excludedFiles: [baselinePath]))
        #expect(r.findings.map(\.file) == [path])
    }

    @Test func badBaselineIsAClearError() {
        let dir = TempDir()
        let path = dir.write("b.json", "not json")
        #expect(throws: SecretScanError.self) { try Baseline.load(path: path) }
    }

    @Test func sha256KnownAnswer() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}

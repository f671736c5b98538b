import Testing
@testable import PolicyAnalysis

@Suite("Wildcard coverage")
struct WildcardTests {
    @Test(arguments: [
        ("s3:*", "s3:GetObject", true),
        ("s3:Get*", "s3:GetObject", true),
        ("s3:Get*", "s3:Get*", true),
        ("s3:*", "s3:Get*", true),
        ("s3:Get*", "s3:*", false),        // a narrower deny does not cover a broader allow
        ("s3:Put*", "s3:GetObject", false),
        ("S3:GETOBJECT", "s3:GetObject", true),
        ("s3:Get?bject", "s3:GetObject", true),
        ("s3:Get?bject", "s3:Get*bject", false), // ? is one character, * is any run
        ("*", "sqs:SendMessage", true),
    ])
    func covers(general: String, specific: String, expected: Bool) {
        #expect(Wildcard.covers(general, specific, caseInsensitive: true) == expected)
    }

    @Test(arguments: [
        ("s3:Put*", "s3:GetObject", false),
        ("s3:Get*", "s3:*Object", true),
        ("s3:GetObject", "s3:GetObject", true),
        ("arn:aws:s3:::b", "arn:aws:s3:::b/*", false),
    ])
    func overlaps(a: String, b: String, expected: Bool) {
        #expect(Wildcard.overlaps(a, b, caseInsensitive: true) == expected)
    }

    @Test func concreteValues() {
        #expect(ConditionAnalysis.isConcreteARN("arn:aws:s3:::my-bucket"))
        #expect(ConditionAnalysis.isConcreteARN("arn:aws:s3:::my-bucket/*"))
        #expect(!ConditionAnalysis.isConcreteARN("arn:aws:s3:::my-*"))
        #expect(!ConditionAnalysis.isConcreteARN("arn:aws:sns:*:*:*"))
        #expect(ConditionAnalysis.isConcreteARN("arn:aws:sns:*:123456789012:*"))
        #expect(ConditionAnalysis.isNarrowCIDR("192.0.2.1"))
        #expect(!ConditionAnalysis.isNarrowCIDR("0.0.0.0/0"))
        #expect(ConditionAnalysis.isPrivateAddress("172.20.0.0/16"))
        #expect(!ConditionAnalysis.isPrivateAddress("172.32.0.0/16"))
    }
}

@Suite("Verdict text")
struct VerdictRenderingTests {
    @Test func publicText() throws {
        let verdict = try PolicyAnalyzer.analyze(policy: #"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]}"#, type: .sqs)
        #expect(verdict.renderText() == "public\n  - Statement 1 allows sqs:SendMessage (send) to \"*\" with no condition restricting the caller.\n  - To fix: name specific principals, or add a condition such as aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID.\n")
    }

    @Test func notPublicText() {
        let verdict = PolicyVerdict(isPublic: false, reasons: ["No statement allows access to everyone."])
        #expect(verdict.renderText() == "not public\n  - No statement allows access to everyone.\n")
    }

    @Test func jsonHasVerdictFields() {
        let verdict = PolicyVerdict(isPublic: true, reasons: ["r/1"])
        #expect(verdict.renderJSON(type: .sns) == """
        {
          "public" : true,
          "reasons" : [
            "r/1"
          ],
          "type" : "sns",
          "verdict" : "public"
        }

        """)
    }
}

import Testing
@testable import PolicyAnalysis

@Suite("Malformed policies give typed errors")
struct PolicyErrorTests {
    private func error(_ text: String) -> PolicyAnalysisError? {
        do {
            _ = try PolicyAnalyzer.analyze(policy: text, type: .s3)
            return nil
        } catch {
            return error
        }
    }

    @Test func truncatedJSONPointsAtEnd() {
        // Line 2, column 15 is just past the last character of the second line.
        let e = error("{\"Statement\": [\n  {\"Effect\": 1")
        #expect(e == .invalidJSON(message: "unterminated object: expected ',' or '}'", line: 2, column: 15))
        #expect(e?.description == "malformed JSON at line 2, column 15: unterminated object: expected ',' or '}'")
    }

    @Test func trailingCommaIsRejected() {
        let e = error("{\"Statement\": [],}")
        #expect(e == .invalidJSON(message: "expected a quoted member name but found '}'", line: 1, column: 18))
    }

    @Test func documentsAboveTheLimitAreRefusedUnparsed() {
        // Valid JSON padded with whitespace: refused by size alone, before the parser sees it.
        let policy = "{\"Statement\": []}" + String(repeating: " ", count: PolicyAnalyzer.maxDocumentBytes)
        #expect(error(policy) == .documentTooLarge(bytes: policy.utf8.count, limit: 1024 * 1024))
        #expect(error(policy)?.description.contains("above mamori's limit of 1 MB") == true)
        let atLimit = "{\"Statement\": []}" + String(repeating: " ", count: PolicyAnalyzer.maxDocumentBytes - 17)
        #expect(error(atLimit) == nil)
    }

    @Test func emptyDocument() {
        #expect(error("  \n") == .invalidJSON(message: "the document is empty", line: 1, column: 1))
    }

    @Test func topLevelArray() {
        #expect(error("[]") == .wrongType(path: "the policy document", expected: "a JSON object", found: "an array"))
    }

    @Test func missingStatement() {
        #expect(error("{\"Version\": \"2012-10-17\"}") == .missingElement(path: "the policy document", element: "Statement"))
    }

    @Test func effectOfWrongType() {
        let e = error(#"{"Statement": [{"Effect": 1, "Principal": "*", "Action": "s3:*"}]}"#)
        #expect(e == .wrongType(path: "Statement[0].Effect", expected: "\"Allow\" or \"Deny\"", found: "a number"))
        #expect(e?.description == "invalid policy: Statement[0].Effect must be \"Allow\" or \"Deny\", found a number")
    }

    @Test func unknownEffect() {
        let e = error(#"{"Statement": {"Effect": "allow", "Principal": "*", "Action": "s3:*"}}"#)
        #expect(e == .invalidValue(path: "Statement[0].Effect", message: "must be \"Allow\" or \"Deny\", found \"allow\""))
    }

    @Test func missingEffect() {
        #expect(error(#"{"Statement": [{"Principal": "*", "Action": "s3:*"}]}"#) == .missingElement(path: "Statement[0]", element: "Effect"))
    }

    @Test func actionArrayWithObject() {
        let e = error(#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", {"x": 1}]}]}"#)
        #expect(e == .wrongType(path: "Statement[0].Action[1]", expected: "a string", found: "an object"))
    }

    @Test func principalStringOtherThanStar() {
        let e = error(#"{"Statement": [{"Effect": "Allow", "Principal": "123456789012", "Action": "s3:*"}]}"#)
        #expect(e == .invalidValue(path: "Statement[0].Principal", message: "a string principal must be \"*\"; name others as {\"AWS\": \"123456789012\"}"))
    }

    @Test func identityPolicyWithoutPrincipal() {
        let e = error(#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#)
        #expect(e == .invalidValue(path: "Statement[0]", message: "a resource policy statement needs \"Principal\" or \"NotPrincipal\" (is this an identity policy?)"))
    }

    @Test func conditionValueObject() {
        let e = error(#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Condition": {"StringEquals": {"aws:SourceAccount": {"a": "b"}}}}]}"#)
        #expect(e == .wrongType(path: "Statement[0].Condition.StringEquals.aws:SourceAccount", expected: "a string, number, boolean or an array of them", found: "an object"))
    }

    @Test func badJSONInsideWrapper() {
        let e = error(#"{"Policy": "{\"Statement\": ["}"#)
        #expect(e == .invalidJSON(message: "in the policy text inside Policy: expected a value but found the end of the document", line: 1, column: 16))
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 5000)
        #expect(error(text) == .invalidJSON(message: "nesting deeper than 256 levels", line: 1, column: 257))
    }

    @Test func invalidUTF8AndEscapes() {
        #expect(error(#"{"Statement": "\q"}"#) == .invalidJSON(message: "invalid escape sequence in string", line: 1, column: 16))
    }

    @Test func emptyActionList() {
        let e = error(#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": []}]}"#)
        #expect(e == .invalidValue(path: "Statement[0]", message: "the action list is empty"))
    }
}

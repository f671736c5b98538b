import Foundation
import Testing
import SigmaEngine

/// SIGMA semantics as the SigmaHQ specification defines them (modifiers, wildcards, lists,
/// case-insensitivity, conditions). Expected values are worked out from the spec, not the code.
@Suite struct SigmaEngineTests {
    @Test func plainValuesAreCaseInsensitiveEquality() throws {
        let r = try rule("  sel:\n    method: GET\n  condition: sel\n")
        #expect(matches(r, ["method": "get"]))
        #expect(matches(r, ["method": "GET"]))
        #expect(!matches(r, ["method": "GETX"]))
        #expect(!matches(r, [:]))
    }

    @Test func containsStartswithEndswith() throws {
        let c = try rule("  sel:\n    url|contains: /Latest/Meta-Data\n  condition: sel\n")
        #expect(matches(c, ["url": "http://x/latest/meta-data/iam"]))
        #expect(!matches(c, ["url": "/latest/meta_data"]))
        let s = try rule("  sel:\n    url|startswith: /latest\n  condition: sel\n")
        #expect(matches(s, ["url": "/LATEST/api/token"]))
        #expect(!matches(s, ["url": "x/latest"]))
        let e = try rule("  sel:\n    url|endswith: token\n  condition: sel\n")
        #expect(matches(e, ["url": "/latest/api/TOKEN"]))
        #expect(!matches(e, ["url": "/latest/api/token/"]))
    }

    @Test func wildcardsAndEscapes() throws {
        let r = try rule("  sel:\n    host: 'ip-10-*.ec2.interna?'\n  condition: sel\n")
        #expect(matches(r, ["host": "ip-10-0-0-1.ec2.internal"]))
        #expect(matches(r, ["host": "IP-10-.EC2.INTERNAL"]))
        #expect(!matches(r, ["host": "ip-10-0-0-1.ec2.internal2"]))
        let literal = try rule("  sel:\n    q: 'a\\*b'\n  condition: sel\n")
        #expect(matches(literal, ["q": "a*b"]))
        #expect(!matches(literal, ["q": "axxb"]))
        let backtrack = try rule("  sel:\n    v: '*ab*abc'\n  condition: sel\n")
        #expect(matches(backtrack, ["v": "xxabyyababc"]))
        #expect(!matches(backtrack, ["v": "xxabyyabab"]))
    }

    @Test func listsAreOrAndAllMakesThemAnd() throws {
        let any = try rule("  sel:\n    url|contains:\n      - meta-data\n      - api/token\n  condition: sel\n")
        #expect(matches(any, ["url": "/latest/api/token"]))
        let all = try rule("  sel:\n    url|contains|all:\n      - latest\n      - token\n  condition: sel\n")
        #expect(matches(all, ["url": "/latest/api/token"]))
        #expect(!matches(all, ["url": "/latest/meta-data"]))
    }

    @Test func fieldsInAMapAreAndListOfMapsIsOr() throws {
        let and = try rule("  sel:\n    method: PUT\n    uri|contains: token\n  condition: sel\n")
        #expect(matches(and, ["method": "PUT", "uri": "/latest/api/token"]))
        #expect(!matches(and, ["method": "GET", "uri": "/latest/api/token"]))
        let or = try rule("  sel:\n    - method: PUT\n    - uri|contains: token\n  condition: sel\n")
        #expect(matches(or, ["method": "GET", "uri": "/latest/api/token"]))
        #expect(matches(or, ["method": "PUT"]))
        #expect(!matches(or, ["method": "GET"]))
    }

    @Test func cidrMatchesIPv4AndIPv6InEveryNotation() throws {
        let r = try rule("  sel:\n    dst|cidr:\n      - 169.254.169.254/32\n      - fd00:ec2::254/128\n  condition: sel\n")
        #expect(matches(r, ["dst": "169.254.169.254"]))
        #expect(matches(r, ["dst": "fd00:ec2::254"]))
        #expect(matches(r, ["dst": "FD00:EC2::254"]))
        #expect(matches(r, ["dst": "fd00:0ec2:0000:0000:0000:0000:0000:0254"]))
        #expect(matches(r, ["dst": "fd00:ec2:0:0:0:0:0:254"]))
        #expect(matches(r, ["dst": "[fd00:ec2::254]"]))
        #expect(matches(r, ["dst": "::ffff:169.254.169.254"]))
        #expect(!matches(r, ["dst": "169.254.169.253"]))
        #expect(!matches(r, ["dst": "fd00:ec2::255"]))
        #expect(!matches(r, ["dst": "not-an-ip"]))
        #expect(!matches(r, ["dst": "169.254.169.0254"]))
        let net = try rule("  sel:\n    src|cidr: 10.0.0.0/8\n  condition: sel\n")
        #expect(matches(net, ["src": "10.255.1.2"]))
        #expect(!matches(net, ["src": "11.0.0.1"]))
    }

    @Test func regexIsCaseSensitiveUnlessI() throws {
        let r = try rule("  sel:\n    ua|re: '^aws-cli/2\\.[0-9]+'\n  condition: sel\n")
        #expect(matches(r, ["ua": "aws-cli/2.15.0 Python"]))
        #expect(!matches(r, ["ua": "AWS-CLI/2.15.0"]))
        let i = try rule("  sel:\n    ua|re|i: 'boto'\n  condition: sel\n")
        #expect(matches(i, ["ua": "Boto3/1.34"]))
    }

    @Test func existsAndNull() throws {
        let e = try rule("  sel:\n    token|exists: true\n  condition: sel\n")
        #expect(matches(e, ["token": "x"]))
        #expect(!matches(e, [:]))
        let ne = try rule("  sel:\n    token|exists: false\n  condition: sel\n")
        #expect(matches(ne, [:]))
        let n = try rule("  sel:\n    user: null\n  condition: sel\n")
        #expect(matches(n, [:]))
        #expect(matches(n, ["user": ""]))
        #expect(!matches(n, ["user": "bob"]))
    }

    @Test func casedModifier() throws {
        let r = try rule("  sel:\n    h|cased: X-aws-ec2-metadata-token\n  condition: sel\n")
        #expect(matches(r, ["h": "X-aws-ec2-metadata-token"]))
        #expect(!matches(r, ["h": "x-aws-ec2-metadata-token"]))
    }

    @Test func keywordsSearchTheWholeLine() throws {
        let r = try rule("  keywords:\n    - 'X-aws-ec2-metadata-token'\n  condition: keywords\n")
        #expect(matches(r, [:], line: "GET / headers: x-aws-ec2-metadata-token: abc"))
        #expect(!matches(r, [:], line: "GET /"))
    }

    @Test func conditionsPrecedenceAndQuantifiers() throws {
        // not > and > or: "a or b and not c" is "a or (b and (not c))".
        let r = try rule("  a:\n    x: 1\n  b:\n    y: 1\n  c:\n    z: 1\n  condition: a or b and not c\n")
        #expect(matches(r, ["x": "1", "z": "1"]))
        #expect(matches(r, ["y": "1"]))
        #expect(!matches(r, ["y": "1", "z": "1"]))
        let p = try rule("  a:\n    x: 1\n  b:\n    y: 1\n  c:\n    z: 1\n  condition: (a or b) and not c\n")
        #expect(!matches(p, ["x": "1", "z": "1"]))
        let one = try rule("  sel_a:\n    x: 1\n  sel_b:\n    y: 1\n  other:\n    z: 1\n  condition: 1 of sel_*\n")
        #expect(matches(one, ["y": "1"]))
        #expect(!matches(one, ["z": "1"]))
        let all = try rule("  sel_a:\n    x: 1\n  sel_b:\n    y: 1\n  condition: all of them\n")
        #expect(matches(all, ["x": "1", "y": "1"]))
        #expect(!matches(all, ["x": "1"]))
        let allOf = try rule("  sel_a:\n    x: 1\n  sel_b:\n    y: 1\n  condition: all of sel_*\n")
        #expect(!matches(allOf, ["y": "1"]))
    }

    @Test func numbersMatchTheirText() throws {
        let r = try rule("  sel:\n    id.resp_p: 80\n  condition: sel\n")
        #expect(matches(r, ["id.resp_p": "80"]))
        #expect(!matches(r, ["id.resp_p": "8080"]))
    }

    @Test func badRulesAreClearErrors() {
        #expect(throws: LogDetectError.self) { try rule("  sel:\n    x|base64offset: a\n  condition: sel\n") }
        #expect(throws: LogDetectError.self) { try rule("  sel:\n    x: a\n  condition: sel and\n") }
        #expect(throws: LogDetectError.self) { try rule("  sel:\n    x: a\n  condition: missing\n") }
        #expect(throws: LogDetectError.self) { try rule("  sel:\n    x: a\n  condition: sel | count() > 5\n") }
        #expect(throws: LogDetectError.self) { try rule("  sel:\n    x|cidr: 10.0.0.0/40\n  condition: sel\n") }
        #expect(throws: LogDetectError.self) { try rule("  sel:\n    x|re: '(unclosed'\n  condition: sel\n") }
    }

    @Test func needlesOfNegationsAndConjunctions() throws {
        // A negated selection gives no needle: every line must be evaluated.
        let negated = try rule("  a:\n    x: foo\n  condition: not a\n")
        #expect(Needles.derive([negated]) == nil)
        // For an AND, one side's needle suffices.
        let and = try rule("  a:\n    x: abcdef\n  b:\n    y|re: z\n  condition: a and b\n")
        #expect(Needles.derive([and]) == ["abcdef"])
    }
}

import Testing
@testable import IaCScan

@Suite struct HCLParserTests {
    @Test func blocksLabelsAndAttributes() throws {
        let body = try HCLParser.parseFile("""
        data "aws_ami" "x" {
          most_recent = true
          owners = ["self", "123456789012"]
          filter {
            name   = "name"
            values = ["a-*"]
          }
        }
        """)
        let block = try #require(body.blocks.first)
        #expect(block.type == "data")
        #expect(block.labels == ["aws_ami", "x"])
        #expect(block.location == SourceLocation(line: 1, column: 1))
        #expect(block.body.attribute("most_recent")?.value.boolValue == true)
        #expect(block.body.attribute("owners")?.value.elements?.compactMap(\.literalString) == ["self", "123456789012"])
        let filter = try #require(block.body.blocks("filter").first)
        #expect(filter.location == SourceLocation(line: 4, column: 3))
        #expect(filter.body.attribute("name")?.value.literalString == "name")
    }

    @Test func commentsAreIgnored() throws {
        let body = try HCLParser.parseFile("""
        # owners = ["a"]
        // owners = ["b"]
        /* owners = ["c"]
           still a comment */
        a = 1 # trailing
        """)
        #expect(body.attributes.map(\.name) == ["a"])
    }

    @Test func heredocsKeepTheirTextAndEndOnTheMarker() throws {
        let body = try HCLParser.parseFile("x = <<-EOT\n  a { \"b\n  EOT\ny = 2\n")
        #expect(body.attribute("x")?.value.literalString == "  a { \"b")
        #expect(body.attribute("y")?.location == SourceLocation(line: 4, column: 1))
    }

    @Test func templatesWithNestedBracesAndQuotes() throws {
        let body = try HCLParser.parseFile(#"x = "a-${lookup({ k = "}" }, "k")}-b""#)
        let value = try #require(body.attribute("x")?.value)
        #expect(value.literalString == nil)
        #expect(value.anyString == #"a-${lookup({ k = "}" }, "k")}-b"#)
    }

    @Test func escapesAreDecoded() throws {
        let body = try HCLParser.parseFile(#"x = "a\"b\\c\u0041$${lit}""#)
        #expect(body.attribute("x")?.value.literalString == #"a"b\cA${lit}"#)
    }

    @Test func forExpressionsConditionalsAndCalls() throws {
        let body = try HCLParser.parseFile("""
        a = [for s in var.l : upper(s) if s != ""]
        b = { for k, v in var.m : k => v... }
        c = var.x ? [1] : [
          2,
        ]
        d = provider::aws::arn_parse("arn:aws:iam::1:root").account_id
        e = -1
        """)
        #expect(body.attributes.map(\.name) == ["a", "b", "c", "d", "e"])
        if case .number(let n) = body.attribute("e")?.value.value { #expect(n == "-1") } else { Issue.record("e is not a number") }
    }

    @Test func jsonDocumentsParseAsObjects() throws {
        let root = try HCLParser.parseExpressionDocument(#"{"data": {"aws_ami": {"n": {"owners": [], "most_recent": true}}}}"#)
        let body = JSONTemplates.hclBody(fromJSON: root)
        let block = try #require(body.blocks.first)
        #expect(block.labels == ["aws_ami", "n"])
        #expect(block.body.attribute("owners")?.value.elements?.isEmpty == true)
    }

    @Test(arguments: [
        ("a = \"x\n", 1, 5, "string is never closed"),
        ("a = [1, 2\n", 2, 1, "expected ']'"),
        ("block {\n a = 1\n", 3, 1, "never closed"),
        ("a = 1 2\n", 1, 7, "expected a new line"),
        ("x = <<EOT\nabc\n", 1, 5, "heredoc"),
        ("/* open", 1, 1, "comment"),
        ("a = @\n", 1, 5, "unexpected character"),
    ])
    func malformedInputIsLocated(input: String, line: Int, column: Int, text: String) {
        do {
            _ = try HCLParser.parseFile(input)
            Issue.record("no error for \(input.debugDescription)")
        } catch {
            #expect(error.location == SourceLocation(line: line, column: column), "\(error)")
            #expect(error.message.contains(text), "\(error.message)")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let input = "a = " + String(repeating: "[", count: 5000)
        #expect(throws: HCLParseError.self) { _ = try HCLParser.parseFile(input) }
    }
}

import Foundation
import Testing
@testable import AWSClient

/// Our own XML reader (no libxml2 in the release binary): what AWS responses use, and clear errors.
@Suite struct XMLReaderTests {
    func parse(_ text: String) throws(AWSError) -> XElement { try XElement.parse(Data(text.utf8)) }

    @Test func readsElementsAttributesEntitiesAndCDATA() throws {
        let root = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <ListUsersResult>
                <Users>
                  <member><UserName>a&amp;b &lt;c&gt; &#x41;&#66;</UserName><Path>/</Path></member>
                  <member><UserName><![CDATA[<raw> & text]]></UserName><Empty/></member>
                </Users>
              </ListUsersResult>
              <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type='CanonicalUser'><ID>x</ID></Grantee>
            </ListUsersResponse>
            """)
        #expect(root.name == "ListUsersResponse")
        let users = root.path("ListUsersResult", "Users")?.children("member") ?? []
        #expect(users.map { $0.string("UserName") } == ["a&b <c> AB", "<raw> & text"])
        #expect(users[1].string("Empty") == "")
        let grantee = try #require(root.child("Grantee"))
        #expect(grantee.attributes == ["xsi:type": "CanonicalUser"])
        #expect(root.first("ID")?.text == "x")
    }

    @Test func namespacePrefixesAreDroppedFromNames() throws {
        let root = try parse(#"<s:Envelope xmlns:s="urn:x"><s:Body>1</s:Body></s:Envelope>"#)
        #expect(root.name == "Envelope")
        #expect(root.string("Body") == "1")
    }

    @Test func malformedDocumentsAreErrorsNamingTheLine() {
        let cases = [
            "<a><b>cut short",
            "<a>\n<b></a>",
            "",
            "just text",
            "<a></a><b></b>",
            "<a>&unknown;</a>",
            "<a x=1></a>",
            "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",
        ]
        for text in cases {
            #expect(throws: AWSError.self, "\(text)") { try parse(text) }
        }
        do {
            _ = try parse("<a>\n<b></a>")
        } catch {
            #expect(error.description.contains("line 2"), "\(error)")
        }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        #expect(throws: AWSError.self) { try parse(deep) }
        let fine = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(throws: Never.self) { try parse(fine) }
    }
}

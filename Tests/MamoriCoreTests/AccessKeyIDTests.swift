import Foundation
import MamoriCore
import Testing

/// One definition of an access key ID, used by the scanner, the response and the hunt.
@Suite struct AccessKeyIDTests {
    @Test func acceptsTheDocumentedCredentialPrefixesOnly() throws {
        for (text, prefix) in [("AKIAIOSFODNN7EXAMPLE", AccessKeyID.Prefix.akia), ("ASIAY34FZKBOKMUTVV7A", .asia),
                               ("ABIAIOSFODNN7EXAMPL2", .abia), ("ACCAIOSFODNN7EXAMPL2", .acca)] {
            let id = try #require(AccessKeyID(text))
            #expect(id.prefix == prefix && id.value == text)
        }
        // Principal IDs, wrong lengths, lower case and characters outside base32 (0, 1, 8, 9) are not key IDs.
        for text in ["AIDAIOSFODNN7EXAMPLE", "AROAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLEX",
                     "akiaiosfodnn7example", "AKIAIOSFODNN1EXAMPLE", "AKIAIOSFODNN8EXAMPLE", "AKIAIOSFODNN7EXAMPL\u{C9}", ""] {
            #expect(AccessKeyID(text) == nil, "\(text)")
        }
    }

    @Test func whatTheResponseActsOn() throws {
        #expect(try #require(AccessKeyID("AKIAIOSFODNN7EXAMPLE")).signsRequests)
        #expect(try #require(AccessKeyID("AKIAIOSFODNN7EXAMPLE")).isLongTerm)
        #expect(try #require(AccessKeyID("ASIAY34FZKBOKMUTVV7A")).signsRequests)
        #expect(try #require(AccessKeyID("ASIAY34FZKBOKMUTVV7A")).isLongTerm == false)
        #expect(try #require(AccessKeyID("ABIAIOSFODNN7EXAMPL2")).signsRequests == false)
    }

    @Test func decodesItsAccountAndRoundTripsAsJSON() throws {
        let id = try #require(AccessKeyID("ASIAY34FZKBOKMUTVV7A"))
        #expect(id.account == "609629065308")
        let data = try StableJSON.encode([id], .compact)
        #expect(String(decoding: data, as: UTF8.self) == #"["ASIAY34FZKBOKMUTVV7A"]"#)
        #expect(try JSONDecoder().decode([AccessKeyID].self, from: data) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([AccessKeyID].self, from: Data(#"["AIDAIOSFODNN7EXAMPLE"]"#.utf8)) }
    }
}

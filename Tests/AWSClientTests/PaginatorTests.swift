import AWSTestSupport
import Foundation
import Testing
@testable import AWSClient

/// AWSClient's one paginator: every page, IAM's IsTruncated, and the repeated-token guard.
struct PaginatorTests {
    static func users(_ names: [String], marker: String?) -> Result<HTTPResponse, AWSError> {
        let members = names.map { "<member><UserName>\($0)</UserName></member>" }.joined()
        let tail = marker.map { "<IsTruncated>true</IsTruncated><Marker>\($0)</Marker>" } ?? "<IsTruncated>false</IsTruncated>"
        return ok("<ListUsersResponse><ListUsersResult><Users>\(members)</Users>\(tail)</ListUsersResult></ListUsersResponse>")
    }

    @Test func followsMarkersWhileTruncated() async throws {
        let transport = ReplayTransport([Self.users(["a", "b"], marker: "m1"), Self.users(["c"], marker: nil)])
        var names: [String] = []
        try await testClient(transport).queryPages(.iam, region: "us-east-1", action: "ListUsers", inputToken: "Marker",
                                                   outputToken: "Marker", truncated: "IsTruncated") { page in
            names += page.list("Users").compactMap { $0.string("UserName") }
        }
        #expect(names == ["a", "b", "c"])
        #expect(transport.sent.count == 2)
    }

    @Test func aRepeatedTokenIsAnErrorNotALoop() async {
        let transport = ReplayTransport([Self.users(["a"], marker: "same"), Self.users(["b"], marker: "same"), Self.users(["c"], marker: "same")])
        await #expect(throws: AWSError.self) {
            try await testClient(transport).queryPages(.iam, region: "us-east-1", action: "ListUsers", inputToken: "Marker",
                                                       outputToken: "Marker", truncated: "IsTruncated") { _ in }
        }
        #expect(transport.sent.count == 2)
    }

    @Test func runStopsOnAnEmptyToken() async throws {
        var calls = 0
        try await Paginator.run("Op") { (token: String?) throws(AWSError) -> String? in
            calls += 1
            return token == nil ? "next" : ""
        }
        #expect(calls == 2)
    }
}

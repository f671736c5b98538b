import Foundation
import Testing

/// `mamori version`: the version, commit, build date and Swift version, as text and JSON.
struct VersionTests {
    @Test func versionAsJSONHasEveryField() throws {
        let run = try Mamori.run(["version", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: String] ?? [:]
        #expect(Set(object.keys) == ["version", "commit", "buildDate", "swiftVersion"])
        #expect(object["version"]?.split(separator: ".").count == 3)
        #expect(object["swiftVersion"]?.hasPrefix("6.") == true)
    }

    @Test func versionAsTextMatchesTheVersionFlag() throws {
        let text = try Mamori.run(["version"])
        let flag = try Mamori.run(["--version"])
        #expect(text.stdout.hasPrefix("mamori \(flag.stdout.trimmingCharacters(in: .whitespacesAndNewlines))\n"))
    }
}

import Foundation
import StreamIO
import Testing
@testable import SecretScan

/// The detector on values held in memory (`mamori scan`'s key hunt in cloud resources).
struct ValueScannerTests {
    static let key = "AKIABZPUZDIKGVQ7WTZM"   // account 123456789012
    static let secret = "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"

    @Test func fieldsPairAndNameTheirField() {
        let result = ValueScanner.scan(fields: [("BUCKET", "demo"), ("AWS_ACCESS_KEY_ID", Self.key), ("AWS_SECRET_ACCESS_KEY", Self.secret)])
        #expect(result.errors.isEmpty)
        let hit = try? #require(result.hits.first)
        #expect(result.hits.count == 1)
        #expect(hit?.field == "AWS_ACCESS_KEY_ID" && hit?.fieldIndex == 1)
        #expect(hit?.paired == true && hit?.confidence == .high)
        #expect(hit?.account == "123456789012")
        #expect(hit?.redactedKeyId == "AKIA…WTZM")
        // Nothing of the secret or the full key ID in what is kept.
        let kept = String(describing: result.hits)
        #expect(!kept.contains(Self.secret) && !kept.contains(Self.key) && !kept.contains(String(Self.secret.prefix(8))))
    }

    @Test func multiLineValuesKeepTheirField() {
        let result = ValueScanner.scan(fields: [("script", "#!/bin/sh\necho hi\n"), ("other", "x\nexport KEY=\(Self.key)\n")])
        #expect(result.hits.map(\.field) == ["other"])
        #expect(result.hits.first?.line == 2)
    }

    @Test func gzipBlobsAreOpenedAndExamplesDropped() throws {
        let text = Array("#!/bin/bash\nexport AWS_ACCESS_KEY_ID=\(Self.key)\nexport OTHER=AKIAIOSFODNN7EXAMPLE\n".utf8)
        let hits = ValueScanner.scan(blob: try gzip(text), field: "UserData").hits
        #expect(hits.count == 1)
        #expect(hits.first?.field == "UserData" && hits.first?.line == 2)
        #expect(ValueScanner.scan(blob: Array("AKIAIOSFODNN7EXAMPLE".utf8), field: "UserData").hits.isEmpty)
        #expect(ValueScanner.scan(blob: [], field: "UserData").hits.isEmpty)
    }

    @Test func sameKeySameFingerprint() {
        let a = ValueScanner.scan(fields: [("K", Self.key)]).hits.first?.fingerprint
        let b = ValueScanner.scan(blob: Array("x \(Self.key) y".utf8), field: "UserData").hits.first?.fingerprint
        #expect(a != nil && a == b)
        #expect(a?.contains("BZPUZDIK") == false)
    }

    /// The system gzip tool, so the test does not depend on our own writer.
    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-c"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }
}

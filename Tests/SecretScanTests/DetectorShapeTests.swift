import Foundation
import Testing
@testable import SecretScan

/// Every file shape the issue lists: the key ID and its secret must be found and paired.
struct DetectorShapeTests {
    static let k = Planted.keyId, s = Planted.secret

    static let shapes: [(name: String, text: String, line: Int, column: Int)] = [
        ("app.env", "# prod\nAWS_ACCESS_KEY_ID=\(k)\nAWS_SECRET_ACCESS_KEY=\(s)\n", 2, 19),
        ("credentials.ini", "[default]\naws_access_key_id = \(k)\naws_secret_access_key = \(s)\nregion = eu-west-1\n", 2, 21),
        ("creds.json", "{\n  \"AccessKeyId\": \"\(k)\",\n  \"SecretAccessKey\": \"\(s)\"\n}\n", 2, 19),
        ("config.yaml", "aws:\n  access_key_id: \(k)\n  secret_access_key: \(s)\n", 2, 18),
        ("main.tf", "provider \"aws\" {\n  region     = \"us-east-1\"\n  access_key = \"\(k)\"\n  secret_key = \"\(s)\"\n}\n", 3, 17),
        ("settings.py", "import boto3\nclient = boto3.client('s3', aws_access_key_id='\(k)',\n    aws_secret_access_key='\(s)')\n", 2, 48),
        ("index.js", "const s3 = new S3({ accessKeyId: \"\(k)\", secretAccessKey: \"\(s)\" });\n", 1, 35),
        ("main.go", "package main\n\nvar creds = credentials.NewStaticCredentials(\"\(k)\", \"\(s)\", \"\")\n", 3, 47),
        ("Config.swift", "let accessKeyId = \"\(k)\"\nlet secretAccessKey = \"\(s)\"\n", 1, 20),
        ("deploy.sh", "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=\"\(k)\"\nexport AWS_SECRET_ACCESS_KEY=\"\(s)\"\naws s3 ls\n", 2, 27),
        ("app.log", "2024-05-01T10:00:00Z INFO start\n2024-05-01T10:00:01Z DEBUG env={\"AWS_ACCESS_KEY_ID\":\"\(k)\",\"AWS_SECRET_ACCESS_KEY\":\"\(s)\"}\n", 2, 54),
    ]

    @Test(arguments: 0..<shapes.count)
    func findsAndPairs(_ index: Int) {
        let shape = Self.shapes[index]
        let result = scanText(shape.text, name: shape.name)
        #expect(result.findings.count == 1, "\(shape.name)")
        guard let f = result.findings.first else { return }
        #expect(f.keyId == Self.k)
        #expect(f.secret?.reveal() == Self.s, "\(shape.name): secret not paired")
        #expect(f.paired)
        #expect(f.confidence == .high)
        #expect(f.type == .accessKeyId)
        #expect(f.line == shape.line, "\(shape.name)")
        #expect(f.column == shape.column, "\(shape.name)")
    }

    @Test func windowsLineEndings() {
        let text = "[default]\r\naws_access_key_id = \(Self.k)\r\naws_secret_access_key = \(Self.s)\r\n"
        let f = scanText(text, name: "credentials").findings
        #expect(f.count == 1)
        #expect(f.first?.secret?.reveal() == Self.s)
        #expect(f.first?.line == 2)
    }

    @Test func keySplitAcrossQuotes() {
        // Python implicit concatenation and JavaScript `+` concatenation.
        let py = "KEY = (\"\(Self.k.prefix(10))\"\n       \"\(Self.k.dropFirst(10))\")\nAWS_SECRET = \"\(Self.s.prefix(20))\" + \"\(Self.s.dropFirst(20))\"\n"
        let f = scanText(py, name: "split.py").findings
        #expect(f.count == 1)
        #expect(f.first?.keyId == Self.k)
        #expect(f.first?.secret?.reveal() == Self.s)
        let js = "const aws_secret_access_key = '\(Self.s.prefix(15))' + '\(Self.s.dropFirst(15))';\n"
        let g = scanText(js, name: "split.js").findings
        #expect(g.count == 1)
        #expect(g.first?.type == .secretAccessKey)
        #expect(g.first?.secret?.reveal() == Self.s)
    }

    @Test(arguments: [false, true])
    func utf16(bigEndian: Bool) {
        let text = "\u{FEFF}aws_access_key_id=\(Self.k)\r\naws_secret_access_key=\(Self.s)\r\n"
        var data = Data()
        for unit in text.utf16 {
            let bytes = bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xff)] : [UInt8(unit & 0xff), UInt8(unit >> 8)]
            data.append(contentsOf: bytes)
        }
        let dir = TempDir()
        let path = dir.write("export.reg", data)
        let r = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1))
        #expect(r.findings.count == 1)
        #expect(r.findings.first?.keyId == Self.k)
        #expect(r.findings.first?.secret?.reveal() == Self.s)
        #expect(r.findings.first?.line == 1)
        #expect(r.stats.skippedBinary == 0)
    }

    /// One 3 MB line; the key sits just before or just after the first buffer's owned range
    /// ends (chunk + overlap bytes), so the key and its secret straddle two buffers.
    @Test(arguments: [-60, -25, 0, 25, 60])
    func minifiedLongLineAcrossBufferBoundary(shift: Int) {
        let boundary = StreamScanner.chunkSize + StreamScanner.overlap
        let filler = String(repeating: "a", count: boundary - 20 + shift)
        let pair = "var c={accessKeyId:\"\(Self.k)\",secretAccessKey:\"\(Self.s)\"};"
        let text = filler + pair + String(repeating: "x=1;", count: 500_000)
        let f = scanText(text, name: "bundle.min.js").findings
        #expect(f.count == 1)
        #expect(f.first?.line == 1)
        #expect(f.first?.column == filler.utf8.count + 21)
        #expect(f.first?.secret?.reveal() == Self.s)
    }

    /// Bytes scanned where they lie in memory (git blobs, JSON files) give the same hits, lines
    /// and columns as the same bytes streamed through the chunk buffer, keys at every buffer edge.
    @Test func memoryScanMatchesStreamScan() {
        let pair = "accessKeyId: \"\(Self.k)\", secretAccessKey: \"\(Self.s)\"\n"
        var text = ""
        var boundaries: [Int] = []
        var edge = StreamScanner.chunkSize + StreamScanner.overlap
        for _ in 0..<3 {
            boundaries.append(edge)
            edge += StreamScanner.chunkSize
        }
        for (i, b) in boundaries.enumerated() {
            let shift = [-40, 0, 30][i]
            let fill = b + shift - text.utf8.count
            text += String(repeating: "filler line of text\n", count: fill / 20) + String(repeating: "x", count: fill % 20) + pair
        }
        text += String(repeating: "tail\n", count: 1000)
        for length in [text.utf8.count, StreamScanner.chunkSize + 2 * StreamScanner.overlap, 1000] {
            let bytes = Array(text.utf8.prefix(length))
            let streamed = try! StreamScanner().scan(MemoryBytes(bytes, name: "t"))
            let inPlace = bytes.withUnsafeBytes { StreamScanner().scan(memory: $0) }
            #expect(inPlace.bytes == streamed.bytes)
            #expect(inPlace.hits.map { [$0.offset, $0.line, $0.column] } == streamed.hits.map { [$0.offset, $0.line, $0.column] })
            #expect(inPlace.hits.map(\.keyId) == streamed.hits.map(\.keyId))
            #expect(inPlace.hits.map(\.secret) == streamed.hits.map(\.secret))
            if length == text.utf8.count { #expect(inPlace.hits.count == 3) }
        }
    }

    @Test func lineNumbersAfterManyBuffers() {
        let lines = (0..<200_000).map { "line \($0) of filler text" }
        let text = lines.joined(separator: "\n") + "\nkey=\(Self.k)\n"
        let f = scanText(text, name: "big.txt").findings
        #expect(f.first?.line == 200_001)
        #expect(f.first?.column == 5)
    }

    @Test func temporaryKeyWithSessionToken() {
        let text = """
            {"Credentials": {"AccessKeyId": "\(Planted.tempKeyId)", "SecretAccessKey": "\(Planted.tempSecret)",
             "SessionToken": "\(Planted.sessionToken)", "Expiration": "2024-05-01T12:00:00Z"}}
            """
        let f = scanText(text, name: "assume-role.json").findings
        #expect(f.count == 1)
        #expect(f.first?.type == .temporaryAccessKeyId)
        #expect(f.first?.sessionToken?.reveal() == Planted.sessionToken)
        #expect(f.first?.secret?.reveal() == Planted.tempSecret)
    }

    @Test func twoPairsInOneFileEachGetTheirOwnSecret() {
        let text = "[a]\naws_access_key_id=\(Planted.keyId)\naws_secret_access_key=\(Planted.secret)\n"
            + "[b]\naws_access_key_id=\(Planted.secondKeyId)\naws_secret_access_key=\(Planted.secondSecret)\n"
        let f = scanText(text, name: "credentials").findings
        #expect(f.count == 2)
        #expect(f.first { $0.keyId == Planted.keyId }?.secret?.reveal() == Planted.secret)
        #expect(f.first { $0.keyId == Planted.secondKeyId }?.secret?.reveal() == Planted.secondSecret)
    }

    /// A credentials dump with thousands of pairs: every key keeps its own secret (and the
    /// pairing stays linear, or this test would take minutes).
    @Test func thousandsOfPairsInOneFile() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var state: UInt64 = 4   // fixed seed: the same keys every run
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        var expected: [String: String] = [:]
        var text = "user,access_key_id,secret_access_key\n"
        for i in 0..<5000 {
            let key = "AKIA" + String((0..<16).map { _ in alphabet[Int(next() % 32)] })
            // At most five equal characters in a row: six would read as a placeholder.
            let secret = String(format: "Z%05dq", i) + String(Self.s.dropFirst(7))
            expected[key] = secret
            text += "user\(i),\(key),\(secret)\n"
        }
        let f = scanText(text, name: "credentials.csv").findings
        #expect(f.count == expected.count)
        #expect(f.allSatisfy { expected[$0.keyId ?? ""] == $0.secret?.reveal() })
    }

    @Test func loneKeyIdIsMediumConfidence() {
        let f = scanText("user key: \(Self.k)\n").findings
        #expect(f.count == 1)
        #expect(f.first?.paired == false)
        #expect(f.first?.confidence == .medium)
        #expect(f.first?.secret == nil)
    }

    @Test func loneNamedSecret() {
        let f = scanText("AWS_SECRET_ACCESS_KEY=\(Self.s)\n", name: ".env").findings
        #expect(f.count == 1)
        #expect(f.first?.type == .secretAccessKey)
        #expect(f.first?.keyId == nil)
        #expect(f.first?.confidence == .medium)
    }

    @Test func boundariesAndAlphabet() {
        // Not keys: inside a longer token, lowercase tail, digits 0/1/8/9 outside base32, too short.
        let text = """
            XAKIAZ7QMBX3NHV5TKD2W
            AKIAZ7QMBX3NHV5TKD2Wq
            AKIA0189QMBX3NHV5TKD
            AKIAZ7QMBX3NHV5TKD2
            AIDAZ7QMBX3NHV5TKD2W
            """
        #expect(scanText(text).findings.isEmpty)
    }

    @Test func otherCredentialPrefixes() {
        let f = scanText("a=ABIAZ7QMBX3NHV5TKD2W\nb=ACCAZ7QMBX3NHV5TKD2W\n").findings
        #expect(f.map(\.type) == [.bearerTokenId, .contextCredentialId])
        #expect(f.allSatisfy { $0.confidence == .low })
    }

    @Test func secretsNeedATellingNameOrANearbyKey() {
        // A 40-character random token alone, or under an unrelated name, is not reported.
        #expect(scanText("checksum: \(Self.s)\n").findings.isEmpty)
        #expect(scanText("client_secret = \"\(Self.s)\"\n").findings.isEmpty)
    }
}

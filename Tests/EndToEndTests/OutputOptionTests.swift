import Foundation
import Testing

/// `--output FILE` writes the report where standard output would have gone, for the commands that
/// lacked it; `imds scan` takes `table` like every other command.
struct OutputOptionTests {
    @Test func secretsWritesItsReportToOutput() throws {
        let dir = Mamori.tempDir()
        // Built at run time so this file holds no key-shaped literal.
        let keyId = "AKIA" + "QYLPMN5HFIQR7XYZ"
        let secret = String("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzRKNZCYRKQ".reversed())
        try "aws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n".write(toFile: "\(dir)/creds.ini", atomically: true, encoding: .utf8)
        let report = Mamori.tempDir() + "/secrets.json"
        let run = try Mamori.run(["secrets", "\(dir)/creds.ini", "--format", "json", "--output", report])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let text = try String(contentsOfFile: report, encoding: .utf8)
        #expect(text.contains(keyId))
        #expect(!text.contains(secret))
        let bad = try Mamori.run(["secrets", "\(dir)/creds.ini", "--output", "\(dir)/missing-folder/out.txt"])
        #expect(bad.status == 2, "\(bad.stderr)")
    }

    @Test func imdsScanWritesItsReportToOutputAndTakesTable() throws {
        let dir = Mamori.tempDir()
        try "src_ip,dst_ip,url\n10.0.0.5,169.254.169.254,/latest/meta-data/\n".write(toFile: "\(dir)/proxy.csv", atomically: true, encoding: .utf8)
        let report = dir + "/imds.txt"
        let run = try Mamori.run(["imds", "scan", "\(dir)/proxy.csv", "--format", "table", "--output", report])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("10.0.0.5"))
    }
}

import Foundation
import Testing

/// Hostile inputs named on the command line end quickly with exit 2 and the real cause, never a hang.
@Suite struct InputLimitsEndToEndTests {
    @Test func fifosAndDevicesNamedDirectlyAreRefused() throws {
        let dir = Mamori.tempDir()
        let fifo = "\(dir)/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let cases: [([String], String)] = [
            (["iac", fifo], "named pipe (FIFO), not a regular file"),
            (["imds", "scan", fifo], "named pipe (FIFO), not a regular file"),
            (["imds", "scan", "/dev/zero"], "/dev/zero: it is a device, not a regular file"),
            (["policy", "/dev/zero", "--type", "s3"], "it is a device, not a regular file"),
        ]
        for (arguments, message) in cases {
            let run = try Mamori.run(arguments, cwd: dir, deadline: 60)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("permission denied"), "\(arguments): \(run.stderr)")
        }
    }

    @Test func policyDocumentsAboveOneMegabyteAreRefusedBeforeParsing() throws {
        let dir = Mamori.tempDir()
        let big = "\(dir)/big.json"
        let statement = #"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},"#
        let text = #"{"Statement":["# + String(repeating: statement, count: 2 * 1024 * 1024 / statement.utf8.count) + #"{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#
        try text.write(toFile: big, atomically: true, encoding: .utf8)
        let run = try Mamori.run(["policy", big, "--type", "s3"], deadline: 60)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("is larger than 1 MB"), "\(run.stderr)")
    }

    @Test func deeplyNestedAutoLoadedConfigIsAnErrorNotACrash() throws {
        let dir = Mamori.tempDir()
        // Block style as `- - - … x` (10 KB); indented mappings 5,000 deep are 12 MB, refused by the 1 MB cap first.
        let block = "trust:\n" + String(repeating: "- ", count: 5_000) + "x\n"
        let flow = "trust: " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n"
        for text in [block, flow] {
            try text.write(toFile: "\(dir)/mamori.yml", atomically: true, encoding: .utf8)
            let run = try Mamori.run(["check", "--inventory", "\(dir)/none.json"], cwd: dir, deadline: 60)
            #expect(run.status == 2, "\(run.stderr)")
            #expect(run.stderr.contains("config file mamori.yml: YAML nested more than 64 levels deep"), "\(run.stderr)")
        }
    }
}

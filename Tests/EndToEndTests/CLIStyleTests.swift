import Foundation
import Testing

/// One CLI style: `--output FILE` and `table`/`json` format names on the commands that lacked them.
@Suite struct CLIStyleTests {
    @Test func outputFileAndTableFormatEverywhere() throws {
        let dir = Mamori.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let policy = "\(dir)/policy.json"
        try #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#
            .write(toFile: policy, atomically: true, encoding: .utf8)

        let verdict = try Mamori.run(["policy", policy, "--type", "s3", "--format", "json", "--output", "\(dir)/verdict.json"])
        #expect(verdict.status == 1 && verdict.stdout.isEmpty)
        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/verdict.json"))) as? [String: Any])
        #expect(written["public"] as? Bool == true)
        // `table` is accepted where `text` was the name; `text` still works.
        #expect(try Mamori.run(["policy", policy, "--type", "s3", "--format", "table"]).stdout.hasPrefix("public"))
        #expect(try Mamori.run(["policy", policy, "--type", "s3", "--format", "text"]).stdout.hasPrefix("public"))

        let history = try Mamori.run(["history", "--db", "\(dir)/h.sqlite", "--format", "json", "--output", "\(dir)/scans.json"])
        #expect(history.status == 0 && history.stdout.isEmpty, "stderr: \(history.stderr)")
        #expect(try String(contentsOfFile: "\(dir)/scans.json", encoding: .utf8).hasPrefix("["))

        let host = try Mamori.run(["imds", "host", "--format", "json", "--output", "\(dir)/host.json"])
        #expect([0, 1].contains(host.status) && host.stdout.isEmpty, "stderr: \(host.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/host.json"))

        let rule = try Mamori.run(["imds", "rule", "--target", "splunk", "--output", "\(dir)/imds.spl"])
        #expect(rule.status == 0 && rule.stdout.isEmpty)
        #expect(try String(contentsOfFile: "\(dir)/imds.spl", encoding: .utf8).contains("169.254.169.254"))

        let iac = try Mamori.run(["iac", dir, "--format", "table"])
        #expect(iac.status == 0, "stderr: \(iac.stderr)")

        let list = try Mamori.run(["checks", "list", "--output", "\(dir)/checks.txt"])
        #expect(list.status == 0 && list.stdout.isEmpty)
        #expect(try String(contentsOfFile: "\(dir)/checks.txt", encoding: .utf8).contains("ec2.instance_imdsv2_not_required"))
    }

    /// One error path (`CLIError`): every command's bad input exits 2 with its usual first words,
    /// usage errors included (ArgumentParser's own code would be 64).
    @Test func errorsExitTwoWithEachCommandsPrefix() throws {
        let dir = Mamori.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cases: [([String], String)] = [
            (["policy", "\(dir)/missing.json", "--type", "ec2"], "mamori policy: --type must be one of s3, sns, sqs (got \"ec2\")"),
            (["policy", "\(dir)/missing.json", "--type", "s3"], "mamori policy: cannot read \(dir)/missing.json"),
            (["imds", "scan", "--format", "sarif", "\(dir)/x.log"], "mamori imds: --format sarif is not offered by this command; use table or json"),
            (["imds", "rule", "--target", "nothing"], "mamori imds: --target nothing: use one of"),
            (["iac", "--format", "yaml", dir], "The value 'yaml' is invalid for '--format <format>'. Please provide one of 'table', 'json' or 'sarif'."),
            (["secrets", "--config", "\(dir)/missing.yml", dir], "error: "),
            (["check", "--inventory", "\(dir)/missing.json"], "mamori: cannot read inventory file \(dir)/missing.json"),
            (["diff", "1", "2", "--db", "\(dir)/history.sqlite"], "mamori: no scan 1 in the history store (see `mamori history`)"),
            (["scan", "--no-such-flag"], "Unknown option '--no-such-flag'"),
        ]
        for (arguments, start) in cases {
            let run = try Mamori.run(arguments)
            #expect(run.status == 2, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains(start), "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(arguments)")
        }
    }

    /// One output-format vocabulary (`OutputFormat`): every command parses `--format` through it,
    /// refuses a format it does not write with exit 2 and a message naming exactly the formats it
    /// does write, and accepts the same spellings (any case, `text` for table).
    @Test func oneFormatVocabularyEveryCommand() throws {
        let dir = Mamori.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let policy = "\(dir)/policy.json"
        try #"{"Version":"2012-10-17","Statement":[]}"#.write(toFile: policy, atomically: true, encoding: .utf8)
        try "x\n".write(toFile: "\(dir)/x.log", atomically: true, encoding: .utf8)
        let db = "\(dir)/h.sqlite"
        // (arguments before --format, arguments after, the formats the command offers)
        let commands: [([String], [String], String)] = [
            (["secrets"], [dir], "'table', 'json' or 'sarif'"),
            (["iac"], [dir], "'table', 'json' or 'sarif'"),
            (["hunt"], [dir], "'table', 'json' or 'ocsf'"),
            (["policy", policy, "--type", "s3"], [], "'table' and 'json'"),
            (["history", "--db", db], [], "'table' and 'json'"),
            (["history", "hunt", "k", "--db", db], [], "'table' and 'json'"),
            (["diff", "1", "2", "--db", db], [], "'table' and 'json'"),
            (["checks", "list"], [], "'table' and 'json'"),
            (["version"], [], "'table' and 'json'"),
            (["imds", "host"], [], "'table' and 'json'"),
            (["report", "metrics", "--db", db], [], "'table' and 'json'"),
            (["amis", "plan", "--inventory", "\(dir)/none.json"], [], "'table' and 'json'"),
            (["respond", "leaked-key", "AKIAIOSFODNN7EXAMPLE"], [], "'markdown' and 'json'"),
        ]
        for (before, after, offered) in commands {
            let run = try Mamori.run(before + ["--format", "html"] + after)
            #expect(run.status == 2, "\(before): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("The value 'html' is invalid for '--format <format>'. Please provide one of \(offered)."), "\(before): \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(before)")
        }
        // The findings reports (scan, check, report render) take every format, comma-separated.
        let check = try Mamori.run(["check", "--inventory", "\(dir)/none.json", "--format", "json,yaml", "--output-dir", dir])
        #expect(check.status == 2 && check.stderr.contains("unknown --format 'yaml'; use table, json, sarif, ocsf, asff, csv, markdown or html"), "\(check.stderr)")
        // imds scan shares --format with log formats: an output it does not write is refused by name.
        let imds = try Mamori.run(["imds", "scan", "--format", "html", "\(dir)/x.log"])
        #expect(imds.status == 2 && imds.stderr.contains("--format html is not offered by this command; use table or json"), "\(imds.stderr)")
        // Spellings: any case, and `text` for table.
        #expect(try Mamori.run(["version", "--format", "JSON"]).stdout.contains("\"version\""))
        #expect(try Mamori.run(["imds", "host", "--format", "Text", "--output", "\(dir)/host.txt"]).stderr.isEmpty)
        #expect(try Mamori.run(["secrets", "--format", "TABLE", dir]).status == 0)
    }
}

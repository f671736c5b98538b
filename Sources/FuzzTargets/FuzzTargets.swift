import Dispatch
import Foundation
import AWSClient
import IaCScan
import LogDetect
import Hunt
import MamoriCore
import PolicyAnalysis
import SecretScan
import StreamIO
import SigmaEngine
import LogReaders

/// One parser of untrusted bytes, as a fuzzer drives it. `run` only has to return: thrown errors are
/// the right answer to bad input; a crash, a hang or runaway memory is the bug.
public struct FuzzTarget: Sendable {
    public let name: String
    /// Byte strings the format gives meaning to (the mutation harness inserts and repeats them;
    /// `scripts/fuzz.sh --libfuzzer` writes them as a libFuzzer dictionary).
    public let dictionary: [[UInt8]]
    public let run: @Sendable (Data) -> Void

    /// `rawTokens`: byte strings that are not UTF-8 text (binary magic numbers).
    init(_ name: String, dictionary: [String], rawTokens: [[UInt8]] = [], run: @escaping @Sendable (Data) -> Void) {
        self.name = name
        self.dictionary = dictionary.map { Array($0.utf8) } + rawTokens
        self.run = run
    }
}

/// Every parser that reads bytes an attacker can shape. Shared by the seeded mutation harness in
/// `Tests/FuzzTests` (every test run) and the libFuzzer binary `mamori-fuzz` (scripts/fuzz.sh).
public enum FuzzTargets {
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    public static let all: [FuzzTarget] = [
        policy, hcl, cloudFormation, sigmaRule, sigmaCondition, huntRule, config, logs, cloudTrail, xml, archive, accounts,
    ]

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// Writes the input to a file named for the readers that choose a format by name.
    static func withFile(_ data: Data, name: String, _ body: (String) -> Void) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-fuzz-files-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: data)
        body(path)
    }

    /// Runs an async reader to its end from synchronous code (libFuzzer calls in synchronously).
    /// Never called from Swift concurrency's own threads, so blocking here cannot starve them.
    static func blocking(_ work: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await work()
            done.signal()
        }
        done.wait()
    }

    static let policy = FuzzTarget("policy", dictionary: ["{", "}", "[", "]", "\"", ":", ",", "\"Statement\"", "\"Principal\"",
                                                         "\"*\"", "\"Condition\"", "\"NotPrincipal\"", "\\u0000", "1e999", "-0"]) { data in
        for type in PolicyResourceType.allCases {
            _ = try? PolicyAnalyzer.analyze(policy: text(data), type: type, account: "111122223333")
        }
    }

    static let hcl = FuzzTarget("hcl", dictionary: ["{", "}", "[", "]", "(", ")", "\"", "${", "%{", "<<EOT\n", "EOT\n", "=", "\n",
                                                   "#", "/*", "*/", "? :", "for x in y :", "data \"aws_ami\" \"a\" {"]) { data in
        _ = try? HCLParser.parseFile(text(data))
        _ = try? HCLParser.parseExpressionDocument(text(data))
        withFile(data, name: "main.tf") { path in blocking { _ = try? await IaCScanner().scan(paths: [path]) } }
    }

    /// CloudFormation templates (YAML with short-form tags such as `!Ref`, and JSON), read by `mamori iac`.
    static let cloudFormation = FuzzTarget("cloudformation", dictionary: ["\n", "  ", "- ", ": ", "!Ref ", "!Sub ", "!GetAtt ", "!If [",
                                                                       "Fn::Transform", "Type: String", "ImageId: ", "{", "[", "&a ", "*a"]) { data in
        withFile(data, name: "template.yaml") { path in blocking { _ = try? await IaCScanner().scan(paths: [path]) } }
    }

    static let sigmaRule = FuzzTarget("sigma-rule", dictionary: ["\n", "  ", "- ", ": ", "|contains", "|re", "|cidr", "|base64offset",
                                                               "|all", "|windash", "{", "[", "&a", "*a", "!!binary ", "'", "\"", "(", "not "]) { data in
        guard let rule = try? SigmaParser.parse(yaml: text(data), file: "fuzz.yml") else { return }
        let compiled = CompiledRule(rule)
        let line = Array("GET http://169.254.169.254/latest/meta-data/ HTTP/1.1".utf8)
        let record = Record(fields: ["url": Array("/latest/meta-data/".utf8), "dst_ip": Array("169.254.169.254".utf8)])
        line.withUnsafeBytes { raw in _ = compiled.evaluate(record, line: raw) }
    }

    static let sigmaCondition = FuzzTarget("sigma-condition", dictionary: ["(", ")", "not ", " and ", " or ", "1 of ", "all of ",
                                                                         "them", "sel*", " "]) { data in
        _ = try? SigmaCondition.check(text(data), file: "fuzz.yml")
    }

    static let huntRule = FuzzTarget("hunt-rule", dictionary: ["\n", "  ", "- ", ": ", "---\n", "correlation:", "type: temporal",
                                                             "timespan: ", "group-by:", "rules:", "|cidr", "|re", "|exists", "{", "["]) { data in
        _ = try? HuntRules.parse(yaml: text(data), file: "fuzz.yml")
    }

    static let config = FuzzTarget("config", dictionary: ["\n", "  ", "- ", ": ", "{", "[", "&a ", "*a", "<<: *a", "~", "!!str "]) { data in
        _ = try? MamoriConfig.parse(text(data), source: "fuzz.yml")
    }

    /// Each log format forced, and detection; the rule is the shipped IMDS rule.
    static let imdsScanner: LogDetect.Scanner? = {
        guard let rule = try? BuiltInRules.imdsRule() else { return nil }
        return LogDetect.Scanner(options: ScanOptions(rules: [CompiledRule(rule)]))
    }()

    static let logs = FuzzTarget("logs", dictionary: ["\n", "\t", "#fields\t", "#Fields: ", "#separator \\x09\n", "{", "}", "\"",
                                                     ",", "\"http\":{", "\"request_headers\":[", "169.254.169.254", "\\u00"]) { data in
        guard let base = imdsScanner else { return }
        withFile(data, name: "fuzz.log") { path in
            blocking {
                _ = await base.scan(paths: [path])
                for format in LogFormat.allCases {
                    var options = base.options
                    options.format = format
                    _ = await LogDetect.Scanner(options: options).scan(paths: [path])
                }
            }
        }
    }

    static let cloudTrail = FuzzTarget("cloudtrail", dictionary: ["{", "}", "[", "]", "\"", "\\\"", "\"Records\":[", "\"eventName\":",
                                                                 "\"userIdentity\":{", "\"requestParameters\":", ",", "\n", "\\u"]) { data in
        let splitter = EventSplitter(source: MemorySource(data, name: "fuzz.json"), chunk: 4096, maxEventBytes: 16 * 1024)
        while true {
            guard let event = try? splitter.next() else { break }
            if let record = try? CloudTrailRecord.parse(event) {
                _ = CloudTrailRecord.eventTime(record)
                _ = CloudTrailRecord.shareTargets(record)
            }
        }
    }

    static let xml = FuzzTarget("xml", dictionary: ["<a>", "</a>", "<", ">", "/>", "&amp;", "&#", "&#x", "<![CDATA[", "]]>",
                                                   "<!DOCTYPE a [<!ENTITY x \"y\">]>", "<?xml ", "xmlns:a=\"b\" ", "\""]) { data in
        _ = try? XElement.parse(data)
    }

    /// Archives are read by the secret scanner, which picks the reader by name and by magic bytes.
    static let archive = FuzzTarget("archive", dictionary: ["PK\u{03}\u{04}", "PK\u{01}\u{02}", "PK\u{05}\u{06}", "ustar", "AKIA", "--XX\n",
                                                           "Content-Transfer-Encoding: base64\n", "=?utf-8?B?"],
                                    rawTokens: [[0x1F, 0x8B, 0x08], [0xFF, 0xFF, 0xFF, 0xFF]]) { data in
        let names = ["fuzz.zip", "fuzz.tar", "fuzz.tar.gz", "fuzz.gz", "fuzz.eml"]
        let name = names[Int(data.count % names.count)]
        withFile(data, name: name) { path in
            _ = SecretScanner.scan(paths: [path], options: SecretScanOptions(workers: 1))
        }
    }

    static let accounts = FuzzTarget("accounts", dictionary: [",", "\n", "\"", "{", "[", "111122223333", "ou-"]) { data in
        _ = try? AccountDirectory.parse(text(data), file: "fuzz.csv")
    }
}

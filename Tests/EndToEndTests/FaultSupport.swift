import Foundation
import MamoriTestSupport

/// A running `mamori-fault-proxy` in front of an estate. It stops when `stop()` closes its stdin
/// (or when this test process exits).
final class FaultProxyProcess: @unchecked Sendable {
    let endpoint: String
    let logPath: String
    private let process: Process
    private let stdin: Pipe

    /// Built next to `mamori` (EndToEndTests depends on the executable target).
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["MAMORI_FAULT_PROXY_BIN"] { return explicit }
        return URL(fileURLWithPath: Mamori.binary).deletingLastPathComponent().appendingPathComponent("mamori-fault-proxy").path
    }()

    private init(endpoint: String, logPath: String, process: Process, stdin: Pipe) {
        self.endpoint = endpoint
        self.logPath = logPath
        self.process = process
        self.stdin = stdin
    }

    static func start(upstream: String, _ arguments: [String]) throws -> FaultProxyProcess {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-faults-\(UUID().uuidString).log").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--upstream", upstream, "--log", log] + arguments
        let stdout = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do { try process.run() } catch { throw EstateError("cannot start \(binary): \(error)") }
        let endpoint = try readyEndpoint(stdout, process: process, orElse: "mamori-fault-proxy exited before it was ready (status \(process.isRunning ? -1 : process.terminationStatus))")
        return FaultProxyProcess(endpoint: endpoint, logPath: log, process: process, stdin: stdin)
    }

    /// Closes stdin, which the proxy takes as the signal to exit.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        awaitExit(process)  // a proxy that does not exit cannot hang the suite
    }

    /// One `--log` line: service, action, outcome (a fault name or "pass").
    struct Entry: Equatable {
        let service: String
        let action: String
        let outcome: String
    }

    func entries() throws -> [Entry] {
        try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { throw EstateError("bad proxy log line: \(line)") }
            return Entry(service: fields[0], action: fields[1], outcome: fields[2])
        }
    }
}

/// A scan's report and saved inventory, reduced to what two runs can be compared on.
struct ScanOutcome: Sendable {
    let run: Run
    /// Each finding as JSON with sorted keys, sorted.
    let findings: [String]
    /// `kind service operation region resource` of every part that could not be read, sorted.
    let errors: [String]
    /// The error entries' text fields, for messages and finer checks.
    let errorEntries: [[String: String]]

    static func scan(endpoint: String, regions: [String], extra: [String] = [], environment: [String: String] = Mamori.environment()) throws -> ScanOutcome {
        let dir = Mamori.tempDir()
        let report = "\(dir)/findings.json", inventory = "\(dir)/inventory.json"
        var arguments = ["scan", "--endpoint-url", endpoint, "--format", "json", "--all", "--quiet", "--output", report, "--save", inventory]
        for region in regions { arguments += ["--region", region] }
        let run = try Mamori.run(arguments + extra, environment: environment)
        guard let reportData = FileManager.default.contents(atPath: report),
              let array = try JSONSerialization.jsonObject(with: reportData) as? [[String: Any]] else {
            throw EstateError("no JSON report (status \(run.status)): \(run.stderr.prefix(500))")
        }
        let findings = try array.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }.sorted()
        guard let inventoryData = FileManager.default.contents(atPath: inventory),
              let root = try JSONSerialization.jsonObject(with: inventoryData) as? [String: Any],
              let accounts = root["accounts"] as? [[String: Any]] else {
            throw EstateError("no saved inventory (status \(run.status)): \(run.stderr.prefix(500))")
        }
        let entries = accounts.flatMap { $0["errors"] as? [[String: Any]] ?? [] }
        let errors = entries.map { entry in
            ["kind", "service", "operation", "region", "resource"].map { entry[$0] as? String ?? "-" }.joined(separator: " ")
        }.sorted()
        return ScanOutcome(run: run, findings: findings, errors: errors,
                           errorEntries: entries.map { $0.compactMapValues { $0 as? String } })
    }
}

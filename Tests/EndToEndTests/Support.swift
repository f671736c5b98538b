import Foundation
import MamoriTestSupport
import Testing

/// The demo estate served by `Tests/Support/moto_estate.py` (moto, in-process, 127.0.0.1 only),
/// shared by every end-to-end test of one run. It stops when this process exits (its stdin closes).
final class MotoEstate: Sendable {
    let endpoint: String
    let requestLog: String
    private let process: Process

    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static let shared: Result<MotoEstate, EstateError> = Result { () throws(EstateError) in try MotoEstate.start(scenario: "demo") }

    static func demo() throws -> MotoEstate { try shared.get() }

    private init(endpoint: String, requestLog: String, process: Process) {
        self.endpoint = endpoint
        self.requestLog = requestLog
        self.process = process
    }

    static func start(scenario: String, environment: [String: String] = [:]) throws(EstateError) -> MotoEstate {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-requests-\(UUID().uuidString).jsonl").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repoRoot.appendingPathComponent("Tests/Support/moto_estate.py").path,
                             "--port", "0", "--scenario", scenario, "--log", log]
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        let stdout = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do { try process.run() } catch { throw EstateError("cannot start python3: \(error)") }
        // The estate prints "READY <endpoint>" once seeded; one that never does is killed.
        let endpoint = try readyEndpoint(stdout, process: process, orElse: "the moto estate exited before it was ready (is moto[server] installed?)")
        return MotoEstate(endpoint: endpoint, requestLog: log, process: process)
    }
}

/// Reads a helper process's standard output up to its `READY <endpoint>` line. A helper that is
/// not ready within `deadline` seconds is killed (its pipe then ends) and the test fails.
func readyEndpoint(_ stdout: Pipe, process: Process, deadline: TimeInterval = 180,
                   orElse failure: @autoclosure () -> String) throws(EstateError) -> String {
    let watchdog = Watchdog(pid: process.processIdentifier, seconds: deadline, name: "a helper process")
    defer { watchdog.finish() }
    var buffer = Data()
    while true {
        let chunk = stdout.fileHandleForReading.availableData
        if chunk.isEmpty { throw EstateError("\(failure()) (or it was not ready within \(Int(deadline)) s)") }
        buffer.append(chunk)
        if let text = String(data: buffer, encoding: .utf8), let line = text.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }) {
            return String(line.dropFirst("READY ".count))
        }
    }
}

struct EstateError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The outcome of one run of the real `mamori` binary.
struct Run {
    let status: Int32
    let stdout: String
    let stderr: String

    func json() throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]] else {
            throw EstateError("stdout is not a JSON array: \(stdout.prefix(300))")
        }
        return array
    }
}

enum Mamori {
    /// The binary built next to this test bundle.
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["MAMORI_BIN"] { return explicit }
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent(), Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("mamori").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return dir.appendingPathComponent("mamori").path
    }()

    /// Environment with test credentials only: nothing from the developer's own AWS set-up.
    static func environment(home: String? = nil, extra: [String: String] = [:]) -> [String: String] {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "HOME": home ?? FileManager.default.temporaryDirectory.appendingPathComponent("mamori-home-empty").path,
                   "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_EC2_METADATA_DISABLED": "true",
                   "NO_COLOR": "1"]
        env.merge(extra) { _, new in new }
        return env
    }

    /// Runs the binary to completion. Past `deadline` seconds it is killed and the test fails with
    /// its stacks and standard error (see `ChildProcess`).
    static func run(_ arguments: [String], environment: [String: String] = Mamori.environment(), cwd: String? = nil,
                    deadline: TimeInterval = 300) throws -> Run {
        let outcome = try ChildProcess.run(binary, arguments, environment: environment, cwd: cwd, deadline: deadline,
                                           name: "mamori " + arguments.prefix(3).joined(separator: " "))
        return Run(status: outcome.status, stdout: String(decoding: outcome.stdout, as: UTF8.self),
                   stderr: String(decoding: outcome.stderr, as: UTF8.self))
    }

    static func tempDir() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

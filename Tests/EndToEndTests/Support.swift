import Foundation
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
        // The estate prints "READY <endpoint>" once seeded.
        let endpoint = try readyEndpoint(stdout, orElse: "the moto estate exited before it was ready (is moto[server] installed?)")
        return MotoEstate(endpoint: endpoint, requestLog: log, process: process)
    }
}

/// Reads a helper process's standard output up to its `READY <endpoint>` line.
func readyEndpoint(_ stdout: Pipe, orElse failure: @autoclosure () -> String) throws(EstateError) -> String {
    var buffer = Data()
    while true {
        let chunk = stdout.fileHandleForReading.availableData
        if chunk.isEmpty { throw EstateError(failure()) }
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

    static func run(_ arguments: [String], environment: [String: String] = Mamori.environment(), cwd: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        // Read both pipes concurrently so a large report cannot fill one and block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    static func tempDir() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

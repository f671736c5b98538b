import Foundation
import StreamIO

/// A `git` child process: the one place the scanner starts git, so every git call gets the same
/// treatment (stdin closed or a file, stderr to a file, failures as ``SecretScanError/gitFailed(_:)``).
///
/// stderr goes to a file, not a pipe: git could fill a pipe nobody reads until stdout ends.
final class GitProcess {
    let process = Process()
    /// git's standard output, streamed.
    let output: FileReader
    /// The read end of git's standard output, to become another git's standard input (a pipeline
    /// with no copy through this process).
    var outputHandle: FileHandle { outPipe.fileHandleForReading }
    private let outPipe = Pipe()
    private let errPath: String
    private let errHandle: FileHandle
    /// Applied to git's stderr before it reaches an error message (hides credentials in URLs).
    private let scrub: (String) -> String

    /// Starts `git ARGUMENTS`. `input` becomes its standard input (default: empty); with
    /// `outputFile`, git writes there and `output` is empty.
    init(_ arguments: [String], input: FileHandle? = nil, outputFile: FileHandle? = nil, environment: [String: String] = [:],
         scrub: @escaping (String) -> String = { $0 }) throws(SecretScanError) {
        errPath = NSTemporaryDirectory() + "mamori-git-\(UUID().uuidString).err"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        guard let err = FileHandle(forWritingAtPath: errPath) else {
            throw .gitFailed("cannot create a temporary file in \(NSTemporaryDirectory())")
        }
        errHandle = err
        self.scrub = scrub
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        if let outputFile {
            process.standardOutput = outputFile
            try? outPipe.fileHandleForWriting.close()
        } else {
            process.standardOutput = outPipe
        }
        process.standardError = err
        process.standardInput = input ?? FileHandle.nullDevice
        output = FileReader(descriptor: outPipe.fileHandleForReading.fileDescriptor, name: "git \(arguments.first ?? "")")
        do { try process.run() } catch {
            cleanUp()
            throw .gitFailed("cannot start git (is it installed?): \(error.localizedDescription)")
        }
    }

    /// Waits for git to end; a non-zero exit becomes `gitFailed` with git's own message.
    func finish() throws(SecretScanError) {
        process.waitUntilExit()
        defer { cleanUp() }
        if process.terminationStatus != 0 {
            throw .gitFailed(scrub(errorText()))
        }
    }

    /// Stops git early (the reader failed) and waits for it.
    func abandon() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        cleanUp()
    }

    private func errorText() -> String {
        let text = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "exit status \(process.terminationStatus)" : trimmed
    }

    private func cleanUp() {
        try? errHandle.close()
        try? FileManager.default.removeItem(atPath: errPath)
    }

    /// Runs `git ARGUMENTS` to completion and returns its standard output (small outputs only:
    /// name lists, one revision).
    static func output(_ arguments: [String], environment: [String: String] = [:],
                       scrub: @escaping (String) -> String = { $0 }) throws(SecretScanError) -> [UInt8] {
        let git = try GitProcess(arguments, environment: environment, scrub: scrub)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        do {
            while true {
                let n = try readInto(&chunk, at: 0, from: git.output)
                if n == 0 { break }
                bytes.append(contentsOf: chunk[0..<n])
            }
        } catch {
            git.abandon()
            throw .io(error)
        }
        try git.finish()
        return bytes
    }

    /// True when `git ARGUMENTS` exits 0 (output discarded).
    static func succeeds(_ arguments: [String]) throws(SecretScanError) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { throw .gitFailed("cannot start git (is it installed?): \(error.localizedDescription)") }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// Fails with `notAGitRepository` unless `path` is inside a repository (bare or not).
    static func checkRepository(_ path: String) throws(SecretScanError) {
        if try !succeeds(["-C", path, "rev-parse", "--git-dir"]) { throw .notAGitRepository(path) }
    }
}

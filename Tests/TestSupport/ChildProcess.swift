import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process a test starts (the `mamori` binary, moto, the fault proxy, Chromium, psql,
/// boto3 scripts), with a deadline. Past it the child is killed with SIGKILL and the test fails with
/// what the child left: its threads' stacks (gdb, when installed) and its standard error. No child
/// can hang the suite: CI has 90 minutes, and a stuck `mamori scan --org` once used all of them.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    public let name: String
    private var watchdog: Watchdog?

    /// What became of a finished child.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: Data
    }

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, cwd: String? = nil,
                name: String? = nil) {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        self.name = name ?? ([URL(fileURLWithPath: executable).lastPathComponent] + arguments.prefix(3)).joined(separator: " ")
    }

    /// Starts the child; it is killed if still running `deadline` seconds from now.
    public func start(deadline: TimeInterval) throws {
        try process.run()
        watchdog = Watchdog(pid: process.processIdentifier, seconds: deadline, name: name)
    }

    /// Waits for the child to end. Throws `ChildTimeout` when the watchdog had to kill it.
    public func wait(stderr: @autoclosure () -> Data = Data()) throws(ChildTimeout) {
        process.waitUntilExit()
        if let report = watchdog?.finish() {
            throw ChildTimeout(report: report, stderr: String(decoding: stderr().suffix(4000), as: UTF8.self))
        }
    }

    /// Runs to completion with standard output and error captured (read concurrently so a large
    /// output cannot fill one pipe and block the child) and standard input empty.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, cwd: String? = nil,
                           deadline: TimeInterval = 300, name: String? = nil) throws -> Outcome {
        let child = ChildProcess(executable, arguments, environment: environment, cwd: cwd, name: name)
        let out = Pipe(), err = Pipe()
        child.process.standardOutput = out
        child.process.standardError = err
        child.process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try child.start(deadline: deadline)
        let errData = LockedData()
        // A thread of its own, not a dispatch or concurrency pool thread a busy suite may be holding.
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = errData.wait()
        try child.wait(stderr: stderr)
        return Outcome(status: child.process.terminationStatus, stdout: outData, stderr: stderr)
    }
}

/// A child killed at its deadline: the test fails with this.
public struct ChildTimeout: Error, CustomStringConvertible {
    public let report: String
    public let stderr: String
    public var description: String { "\(report)\n--- its standard error (end) ---\n\(stderr)" }
}

/// Waits up to `seconds` for a process that was asked to exit (its stdin closed, say), then kills
/// it: a helper that ignores the request cannot hang the suite.
public func awaitExit(_ process: Process, killAfter seconds: TimeInterval = 30) {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
}

/// Kills a process that outlives its deadline, from a dedicated thread (also used alone, for a
/// helper process that must become ready in time).
public final class Watchdog: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var report: String?

    public init(pid: Int32, seconds: TimeInterval, name: String) {
        let thread = Thread { [self] in
            if done.wait(timeout: .now() + seconds) == .success { return }
            let text = "\(name) (pid \(pid)) still running after \(Int(seconds)) s: killed with SIGKILL\n" + Self.stacks(pid)
            lock.withLock { report = text }
            kill(pid, SIGKILL)
        }
        thread.name = "test-watchdog"
        thread.start()
    }

    /// Stops watching; the report when the child had to be killed.
    @discardableResult
    public func finish() -> String? {
        done.signal()
        return lock.withLock { report }
    }

    /// The stuck process's thread stacks, for the failure message (bounded in time and length).
    static func stacks(_ pid: Int32) -> String {
        let gdb = "/usr/bin/gdb"
        guard FileManager.default.isExecutableFile(atPath: gdb) else { return "(no gdb: no stacks)" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["30", gdb, "-p", String(pid), "-batch", "-nx", "-ex", "thread apply all bt 15"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "(gdb did not start)" }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("#") || $0.hasPrefix("Thread") }
        return "--- thread stacks ---\n" + lines.prefix(200).joined(separator: "\n")
    }
}

/// Data handed from a reader thread, waited for without a pool thread.
public final class LockedData: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private var data = Data()
    public init() {}
    public func set(_ value: Data) {
        data = value
        ready.signal()
    }
    public func wait() -> Data {
        ready.wait()
        return data
    }
}

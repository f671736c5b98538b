import Foundation
import MamoriTestSupport
@testable import SecretScan

/// Synthetic credentials used across the tests: random-looking, never issued by AWS.
enum Planted {
    static let keyId = "AKIAZ7QMBX3NHV5TKD2W"
    static let secret = "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"
    static let tempKeyId = "ASIAZ4RTWX7MKPLD3QNB"
    static let tempSecret = "Hk3Lm9Qw2Er7Ty5Ui8Op1As4Df6Gh0JkZxCvBnMq"
    static let sessionToken = "IQoJb3JpZ2luX2VjEJr" + String(repeating: "Ab3Cd5Ef7Gh9Jk2Lm4", count: 12) + "=="
    static let secondKeyId = "AKIAZ2WQPL6XKDM4TJBR"
    static let secondSecret = "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"
}

/// A temporary directory removed at deinit.
final class TempDir {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "mamori-secrets-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) -> String {
        let full = path + "/" + name
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: data)
        return full
    }
}

/// Scans text written to a file named `name`.
func scanText(_ text: String, name: String = "input.txt", options: SecretScanOptions = SecretScanOptions(workers: 1)) -> SecretScanResult {
    let dir = TempDir()
    let path = dir.write(name, text)
    return SecretScanner.scan(paths: [path], options: options)
}

/// Runs a command, returns its exit status.
@discardableResult
func run(_ args: [String], in directory: String) -> Int32 {
    let environment = ProcessInfo.processInfo.environment.merging(
        ["GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.com",
         "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.com"]) { _, new in new }
    // A deadline, so a stuck git cannot hang the suite.
    return (try? ChildProcess.run("/usr/bin/env", args, environment: environment, cwd: directory, deadline: 120))?.status ?? -1
}

import ArgumentParser
import Foundation
import LogDetect
import MamoriCore

/// `mamori imds host`
struct ImdsHostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Check this (non-EC2) machine's AWS tool set-up against bulletin AWS-2025-021.",
        discussion: """
            Exit codes: 0 nothing to change, 1 something to change (FAIL or WARN), 2 error.
            Example:
              mamori imds host --format json --output host-check.json
            """
    )

    @Option(help: "Output format (text is accepted for table).")
    var format: FormatChoice<TableOrJSON> = .init(.table)

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(help: ArgumentHelp("Read the system's files (/etc, /proc, /sys, /var/lib, homes) below this directory instead of / (for tests and mounted images).", valueName: "DIR"))
    var root: String = "/"

    func run() async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.command("imds", "--root \(root): not a directory")
        }
        let items = root == "/" ? HostCheck().run() : HostCheck(root: root, home: String(root.reversed().drop(while: { $0 == "/" }).reversed()) + NSHomeDirectory()).run()
        let rendered: String
        switch format.value {
        case .json: rendered = ImdsRendering.json(items)
        default: rendered = ImdsRendering.text(items)
        }
        do { try Console.writeReport(Data(rendered.utf8), to: output) } catch { throw CLIError.command("imds", "\(error)") }
        if items.contains(where: { $0.status == .fail || $0.status == .warn }) { throw ExitCode(1) }
    }
}

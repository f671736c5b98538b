import ArgumentParser
import Foundation
import MamoriCore

/// `mamori imds`: IMDS spoofing detection for networks outside AWS (bulletin AWS-2025-021).
struct ImdsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imds",
        abstract: "Detect instance-metadata (IMDS) traffic on networks outside AWS: scan logs, convert the SIGMA rule, check this host.",
        discussion: """
            Example:
              mamori imds scan /var/log/squid/access.log --only-source 10.0.0.0/8 --format json --output alerts.json
            """,
        subcommands: [ImdsScanCommand.self, ImdsRuleCommand.self, ImdsHostCommand.self]
    )
}

/// Output helpers shared by the `imds` subcommands (their errors are `CLIError.command("imds", …)`).
enum ImdsCLI {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

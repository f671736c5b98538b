import ArgumentParser
import Checks
import Foundation
import MamoriCore

/// `mamori checks`: the check catalogue.
struct ChecksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checks",
        abstract: "The posture checks: ids, severities, what they read, the IAM actions they need, compliance mappings.",
        discussion: """
            Example:
              mamori checks list --format json --output checks.json
            """,
        subcommands: [ChecksListCommand.self],
        defaultSubcommand: ChecksListCommand.self)
}

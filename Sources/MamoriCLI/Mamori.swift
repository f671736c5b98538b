import ArgumentParser
import Foundation
import MamoriCore

/// The `mamori` command: a thin layer over the Mamori libraries.
@main
struct Mamori: AsyncParsableCommand {
    /// Usage errors exit 2 like every other error (ArgumentParser's default is 64): Mamori's exit
    /// codes are 0 clean, 1 findings, 2 error, 3 partial.
    static func main() async {
        do {
            var command = try parseAsRoot()
            // Organisation scans stop cleanly on Ctrl-C: trap from the start, before any work.
            if let scan = command as? ScanCommand, scan.organization.org { SignalTrap.arm() }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            CLIError.exit(error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "mamori",
        abstract: "Find and fix the AWS account risks that real incidents come from.",
        discussion: """
            Examples:
              mamori scan                       # this account, every region
              mamori secrets --git .            # keys in a git history
              mamori hunt ./AWSLogs             # attacks in CloudTrail
              mamori respond leaked-key AKIA... # an exposed key, step by step
            Read-only unless given --apply. See `mamori help COMMAND`.
            """,
        version: MamoriVersion.string,
        subcommands: [
            ScanCommand.self, CheckCommand.self, ChecksCommand.self, PolicyCommand.self, HistoryCommand.self, DiffCommand.self, ServeCommand.self,
            SecretsCommand.self, ImdsCommand.self, HuntCommand.self, IacCommand.self, AmisCommand.self, RespondCommand.self, ReportCommand.self, VersionCommand.self,
        ]
    )
}

enum MamoriVersion {
    static let string = BuildInfo.version
}

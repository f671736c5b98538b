import ArgumentParser

/// The `mamori` command: a thin layer over the Mamori libraries.
@main
struct Mamori: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mamori",
        abstract: "Find and fix the AWS account risks that real incidents come from.",
        version: MamoriVersion.string,
        subcommands: [
            ScanCommand.self, CheckCommand.self, PolicyCommand.self,
            SecretsCommand.self, ImdsCommand.self, IacCommand.self,
        ]
    )
}

enum MamoriVersion {
    static let string = "0.1.0"
}

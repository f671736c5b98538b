import ArgumentParser

/// `mamori amis`: the whoAMI defence beyond the scan.
struct AmisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amis",
        abstract: "Plan and apply the EC2 Allowed AMIs rollout (scan → audit mode → enabled).",
        subcommands: [AmisPlanCommand.self])
}

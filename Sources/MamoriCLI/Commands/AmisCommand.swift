import ArgumentParser

/// `mamori amis`: the whoAMI defence beyond the scan.
struct AmisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amis",
        abstract: "Plan and apply the EC2 Allowed AMIs rollout (scan → audit mode → enabled).",
        discussion: """
            Example:
              mamori amis plan --region us-east-1 --format json --output plan.json
            """,
        subcommands: [AmisPlanCommand.self])
}

import ArgumentParser

/// `mamori report`: posture metrics and reports from a saved inventory.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Posture metrics and reports (SARIF, OCSF, ASFF, CSV, Markdown, HTML) from a saved inventory.",
        discussion: """
            Examples:
              mamori scan --save inventory.json
              mamori report metrics --inventory inventory.json
              mamori report render --inventory inventory.json --format html --output report.html
              mamori report render --inventory inventory.json --format sarif,ocsf,asff,csv,markdown,html --output-dir reports/
            """,
        subcommands: [ReportMetricsCommand.self, ReportRenderCommand.self])
}

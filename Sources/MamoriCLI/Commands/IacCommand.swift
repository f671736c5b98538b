import ArgumentParser
import Foundation
import IaCScan
import MamoriCore

/// `mamori iac PATH...`: find AMI look-ups that a whoAMI name-confusion attack can hijack.
struct IacCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iac",
        abstract: "Find AMI look-ups without pinned owners (whoAMI) in Terraform, Packer, scripts, CI and code.",
        discussion: """
        Scans Terraform (.tf, .tf.json), Packer (.pkr.hcl, .pkr.json, legacy JSON), shell scripts, Makefiles, \
        Dockerfiles, CI YAML, Ansible, Python (boto3, Pulumi, CDK), TypeScript/JavaScript (AWS SDK, Pulumi, \
        CDK, CDKTF), Go and C#. Silence a reviewed finding with a `mamori:ignore [RULE]` comment on its line \
        or the line above. Exit codes: 0 clean, 1 findings, 2 error (bad path, or files that could not be \
        parsed and no findings). Details: docs/iac.md.
        Example:
          mamori iac infra/ --format sarif --output iac.sarif
        """
    )

    @Argument(help: "Files or directories to scan.")
    var paths: [String] = ["."]

    @Option(name: .long, help: "Output format (text is accepted for table).")
    var format: FormatChoice<TableJSONOrSARIF> = .init(.table)

    @Option(name: .long, help: "Report only findings at or above this severity: low, medium, high.")
    var minSeverity: String = "low"

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    func run() async throws {
        // `table` is the terminal report's name in every command; the renderer still calls it `text`.
        let format: IaCOutputFormat = switch self.format.value {
        case .json: .json
        case .sarif: .sarif
        default: .text
        }
        guard let minimum = Severity(rawValue: minSeverity) else {
            throw CLIError.command("iac", "unknown --min-severity '\(minSeverity)'; use info, low, medium, high or critical")
        }
        let result: IaCScanResult
        do {
            result = try await IaCScanner().scan(paths: paths).filtered(minimum: minimum)
        } catch {
            throw CLIError.command("iac", error.description)
        }
        let data: Data
        do {
            switch format {
            case .text: data = Data(IaCReport.text(result).utf8)
            case .json: data = try IaCReport.json(result)
            case .sarif: data = try IaCReport.sarif(result, toolVersion: MamoriVersion.string)
            }
        } catch {
            throw CLIError.command("iac", "cannot encode the report: \(error)")
        }
        if let output {
            do { try data.write(to: URL(fileURLWithPath: output)) } catch {
                throw CLIError.command("iac", "cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(data)
            if format != .text { FileHandle.standardOutput.write(Data("\n".utf8)) }
        }
        if format != .text || output != nil {
            // Machine formats keep stdout clean; errors still reach the terminal.
            for e in result.errors { FileHandle.standardError.write(Data("mamori iac: \(TerminalText.sanitize(e.display))\n".utf8)) }
        }
        if !result.findings.isEmpty { throw ExitCode(1) }
        if !result.errors.isEmpty { throw ExitCode(2) }
    }
}

import ArgumentParser
import Foundation
import MamoriCore
import PolicyAnalysis
import StreamIO

/// `mamori policy FILE --type s3|sns|sqs [--account ID] [--format table|json] [--output FILE]`:
/// says whether one resource policy makes its resource public, and why, before it is applied.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check whether an S3, SNS or SQS resource policy makes the resource public.",
        discussion: """
        Prints "public" or "not public" on the first line, then one reason per line: which statement, which principal, which actions, and which condition restricts it (or why it does not).

        FILE may be a bare policy or AWS CLI output: {"Policy": "..."} (s3api get-bucket-policy) or {"Attributes": {"Policy": "..."}} (sqs get-queue-attributes, sns get-topic-attributes).

        Exit status: 0 not public, 1 public, 2 unreadable file, bad option or malformed policy.
        Example:
          aws s3api get-bucket-policy --bucket my-bucket > policy.json
          mamori policy policy.json --type s3 --account 123456789012 --format json --output verdict.json
        """
    )

    @Argument(help: "Policy document (JSON), or - for standard input.")
    var file: String

    // A String, not an enum, so a wrong value exits 2 with our message like every other input error.
    @Option(name: .long, help: "Resource type: s3, sns or sqs.")
    var type: String

    @Option(name: .long, help: "Owner account ID; grants to other accounts are then reported as cross-account.")
    var account: String?

    @Option(name: .long, help: "Output format (text is accepted for table).")
    var format: FormatChoice<TableOrJSON> = .init(.table)

    @Option(name: .long, help: "Write the verdict to this file instead of standard output.")
    var output: String?

    func run() async throws {
        guard let resourceType = PolicyResourceType(rawValue: type.lowercased()) else {
            throw CLIError.command("policy", "--type must be one of s3, sns, sqs (got \"\(type)\")")
        }
        let json = format.value == .json
        if let account, !AccountID.isValid(account) {
            throw CLIError.command("policy", "--account must be a 12-digit AWS account ID (got \"\(account)\")")
        }
        let text = try readInput()
        let verdict: PolicyVerdict
        do {
            verdict = try PolicyAnalyzer.analyze(policy: text, type: resourceType, account: account)
        } catch {
            throw CLIError.command("policy", "\(file == "-" ? "standard input" : file): \(error.description)")
        }
        let rendered = json ? verdict.renderJSON(type: resourceType) : verdict.renderText(escaping: TerminalText.sanitize)
        do { try Console.writeReport(Data(rendered.utf8), to: output) } catch { throw CLIError.command("policy", "\(error)") }
        if verdict.isPublic { throw ExitCode(1) }
    }

    /// Reads the document, refusing more than ``PolicyAnalyzer/maxDocumentBytes`` before parsing
    /// (a file by its size, standard input as soon as it passes the limit) and any FIFO or device.
    private func readInput() throws -> String {
        let limit = PolicyAnalyzer.maxDocumentBytes
        let tooLarge = "larger than \(StreamIOError.sizeText(limit)), mamori's limit for a policy document (AWS itself caps resource policies at tens of KB); not analysed"
        let bytes: [UInt8]
        do {
            bytes = file == "-" ? try RegularFile.readAll(descriptor: 0, name: "standard input", maxBytes: limit)
                                : try RegularFile.read(file, maxBytes: limit)
        } catch {
            switch error {
            case let .tooLarge(name, _): throw CLIError.command("policy", "\(name) is \(tooLarge)")
            case let .openFailed(name, reason), let .readFailed(name, reason): throw CLIError.command("policy", "cannot read \(name): \(reason)")
            default: throw CLIError.command("policy", error.description)
            }
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw CLIError.command("policy", "\(file == "-" ? "standard input" : file) is not UTF-8 text")
        }
        return text
    }
}

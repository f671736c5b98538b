import ArgumentParser
import Foundation
import MamoriCore

/// The CLI's one error path: every command throws a `CLIError` (or lets another error become one),
/// and ``exit(_:)``, called once from `Mamori.main`, prints it and maps it to the exit code.
///
/// Exit codes (README, `mamori help`): 0 clean, 1 failing findings, 2 error (bad input, nothing
/// usable), 3 partial result. Each command keeps the message prefix it always had (`mamori:`,
/// `mamori policy:`, `error:` for `secrets`): scripts and tests read them.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    /// What the line starts with.
    let prefix: String
    let code: Int32

    /// `mamori: MESSAGE`, exit 2.
    init(_ description: String, code: Int32 = 2) {
        self.init(description, prefix: "mamori: ", code: code)
    }

    /// An error from a library or the engine, reported with its own description.
    init(_ error: any Error) {
        if let error = error as? CLIError { self = error } else { self.init("\(error)") }
    }

    private init(_ description: String, prefix: String, code: Int32) {
        self.description = description
        self.prefix = prefix
        self.code = code
    }

    /// `mamori COMMAND: MESSAGE` (`policy`, `imds`, `iac`).
    static func command(_ name: String, _ message: String) -> CLIError {
        CLIError(message, prefix: "mamori \(name): ", code: 2)
    }

    /// `error: MESSAGE` (`secrets`, whose notes and warnings have no `mamori:` prefix either).
    static func plain(_ message: String) -> CLIError {
        CLIError(message, prefix: "error: ", code: 2)
    }

    /// The line on standard error: attacker-controlled text (file names, AWS strings) made visible, never executed.
    var line: String { TerminalText.sanitizeLines(prefix + description) }

    /// Prints the error and ends the process with its code. Usage errors exit 2 like every other
    /// error (ArgumentParser's default is 64); `ExitCode`, help and `--version` keep ArgumentParser's handling.
    static func exit(_ error: any Error) -> Never {
        if let error = error as? CLIError {
            FileHandle.standardError.write(Data((error.line + "\n").utf8))
            Foundation.exit(error.code)
        }
        if Mamori.exitCode(for: error).rawValue == 64 {
            FileHandle.standardError.write(Data((Mamori.fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
        Mamori.exit(withError: error)
    }
}

import ArgumentParser
import Foundation
import MamoriCore

/// Standard error output and the progress line.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("mamori: \(TerminalText.sanitizeLines(message))\n".utf8))
    }

    /// A progress callback: a single rewritten line on a terminal, nothing otherwise.
    static func progress(enabled: Bool) -> @Sendable (String) -> Void {
        guard enabled, isatty(STDERR_FILENO) == 1 else { return { _ in } }
        return { message in
            FileHandle.standardError.write(Data("\r\u{1B}[K… \(TerminalText.sanitize(message))".utf8))
        }
    }

    static func clearProgress(enabled: Bool) {
        if enabled, isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// Writes a report to `--output FILE` when given, else to standard output: one rule for every
    /// command that writes a report.
    static func writeReport(_ data: Data, to output: String?) throws {
        guard let output else {
            FileHandle.standardOutput.write(data)
            return
        }
        do { try data.write(to: URL(fileURLWithPath: output)) }
        catch { throw CLIError("cannot write \(TerminalText.sanitize(output)): \(error.localizedDescription)") }
    }

    /// `--format json` output: the one stable encoding (StableJSON) and a final newline, written
    /// like every report.
    static func writeJSON(_ value: some Encodable, to output: String?) throws {
        var data = try StableJSON.encode(value)
        data.append(0x0A)
        try writeReport(data, to: output)
    }

    /// Runs a command body that returns its exit code; any error becomes a ``CLIError`` (exit 2),
    /// reported by ``CLIError/exit(_:)`` like every other command's.
    static func run(_ body: () async throws -> Int32) async throws {
        let code: Int32
        do { code = try await body() }
        catch let error as ExitCode { throw error }
        catch let error as ValidationError { throw error }
        catch { throw CLIError(error) }
        if code != 0 { throw ExitCode(code) }
    }
}

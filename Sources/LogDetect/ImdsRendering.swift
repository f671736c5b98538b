import Foundation
import MamoriCore
import StreamIO
import LogReaders
import SigmaEngine

/// Terminal and JSON output for `mamori imds`.
public enum ImdsRendering {
    /// The terminal summary: one block per alert, then malformed lines and throughput.
    /// Addresses, URLs and file names come from the logs: each goes through `TerminalText`.
    public static func text(_ report: ScanReport) -> String {
        let safe = TerminalText.sanitize
        var out = ""
        if report.alerts.isEmpty {
            out += "No IMDS traffic found.\n"
        } else {
            out += "\(report.alerts.count) alert\(report.alerts.count == 1 ? "" : "s"): traffic to the EC2 instance metadata service on this network\n\n"
            for a in report.alerts {
                out += "  \(safe(a.source)) -> \(safe(a.destination))   \(a.count) request\(a.count == 1 ? "" : "s")\n"
                out += "    seen      \(safe(a.firstSeen ?? "?")) .. \(safe(a.lastSeen ?? "?"))\n"
                out += "    example   \(safe(a.exampleRequest))\n"
                out += "    matched   \(safe(a.matchedSelections.joined(separator: ", ")))  (rule \(safe(a.rules.joined(separator: ", "))))\n"
                out += "    at        \(safe(a.file)):\(a.line)\n\n"
            }
        }
        if report.suppressed > 0 {
            out += "\(report.suppressed) matching line\(report.suppressed == 1 ? "" : "s") suppressed by --only-source / --ignore-source.\n"
        }
        if report.malformedCount > 0 {
            out += "\(report.malformedCount) malformed line\(report.malformedCount == 1 ? "" : "s") skipped (counted, not evaluated):\n"
            for m in report.malformed { out += "  \(safe(m.file)):\(m.line): \(safe(m.reason))\n" }
            if report.malformedCount > report.malformed.count {
                out += "  … and \(report.malformedCount - report.malformed.count) more (--max-malformed N lists more)\n"
            }
        }
        for f in report.files where f.error != nil {
            out += "error: \(safe(f.file)): \(safe(f.error ?? ""))\n"
        }
        let rate = report.seconds > 0 ? Double(report.lines) / report.seconds : 0
        out += String(format: "Scanned %d line%@ (%.1f MB) in %d file%@ in %.2f s (%.2f M lines/s).\n",
                      report.lines, report.lines == 1 ? "" : "s", Double(report.bytes) / 1e6,
                      report.files.count, report.files.count == 1 ? "" : "s", report.seconds, rate / 1e6)
        return out
    }

    /// `--format json`: the whole report, stable key order.
    public static func json<T: Encodable>(_ value: T) -> String {
        (try? StableJSON.text(value)) ?? "{}"
    }

    /// The host check as text.
    public static func text(_ items: [HostCheck.Item]) -> String {
        var out = ""
        for item in items {
            let mark: String
            switch item.status {
            case .ok: mark = "ok  "
            case .warn: mark = "WARN"
            case .fail: mark = "FAIL"
            case .info: mark = "info"
            }
            // Messages quote local settings (an endpoint URL, a route): not ours either.
            out += "[\(mark)] \(TerminalText.sanitize(item.message))\n"
            if let location = item.location { out += "       at:  \(TerminalText.sanitize(location))\n" }
            if !item.fix.isEmpty { out += "       fix: \(TerminalText.sanitize(item.fix))\n" }
        }
        return out
    }
}

/// Loads the rules for a run: the built-in rule unless turned off, plus each file given.
public enum RuleLoader {
    public static func load(files: [String], includeBuiltIn: Bool) throws(LogDetectError) -> [SigmaRule] {
        var rules: [SigmaRule] = []
        if includeBuiltIn { rules.append(try BuiltInRules.imdsRule()) }
        for file in files {
            rules.append(try SigmaParser.parse(yaml: try readText(file), file: file))
        }
        return rules
    }

    /// Rule and configuration files are small; 1 MB is far above any real one and keeps a hostile file cheap.
    public static let maxFileBytes = 1024 * 1024

    public enum FileKind: Sendable { case rule, config }

    /// Reads a rule (or config) file named by the user: a regular file of at most ``maxFileBytes``
    /// (a FIFO or device is refused, not waited on), with the real reason when it cannot be read.
    public static func readText(_ file: String, kind: FileKind = .rule) throws(LogDetectError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(file, maxBytes: maxFileBytes)
        } catch {
            let reason: String
            switch error {
            case let .openFailed(_, why), let .readFailed(_, why): reason = "cannot be read: \(why)"
            case let .tooLarge(_, limit): reason = "larger than \(StreamIOError.sizeText(limit)), not read"
            default: reason = error.description
            }
            switch kind {
            case .rule: throw .invalidRule(file: file, reason: reason)
            case .config: throw .invalidConfig(file: file, reason: reason)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses CIDR arguments, naming the bad one.
    public static func cidrs(_ texts: [String]) throws(LogDetectError) -> [CIDR] {
        var out: [CIDR] = []
        for t in texts {
            guard let c = CIDR(t) else { throw .invalidCIDR(t) }
            out.append(c)
        }
        return out
    }
}

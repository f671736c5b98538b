import ArgumentParser

/// Every format a `mamori` command writes, under one name each. Commands do not declare their own
/// format enums or strings: each offers a subset (``FormatOffer``) and `--format` is parsed,
/// completed, listed in help and refused by this one type, so `json` means the same word
/// everywhere and a wrong value gets the same message from every command.
///
/// The libraries keep their own renderer enums (`ReportFormat`, `HuntFormat`, `IaCOutputFormat`):
/// they are the renderers' APIs. This type is the CLI's vocabulary and maps onto them.
enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, sarif, ocsf, asff, csv, markdown, html

    /// A name as typed: any case, surrounding blanks ignored; `text` (the older name of `table`,
    /// kept for existing scripts) and `md` are accepted.
    init?(name: String) {
        let name = name.trimmingCharacters(in: .whitespaces).lowercased()
        switch name {
        case "text": self = .table
        case "md": self = .markdown
        default: self.init(rawValue: name)
        }
    }

    /// `table, json or sarif`: how help texts and messages list formats.
    static func sentence(_ formats: [OutputFormat]) -> String {
        let names = formats.map(\.rawValue)
        guard names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// The message for a name a command does not offer.
    static func refusal(_ name: String, offered: [OutputFormat]) -> String {
        if let known = OutputFormat(name: name) {
            return "--format \(known.rawValue) is not offered by this command; use \(sentence(offered))"
        }
        return "unknown --format '\(name)'; use \(sentence(offered))"
    }

    /// `--format` given several times or comma-separated (`scan --output-dir`): duplicates dropped,
    /// order kept; a name outside `offered` is a usage error with the one message.
    static func parseList(_ values: [String], offered: [OutputFormat]) throws(ValidationError) -> [OutputFormat] {
        var formats: [OutputFormat] = []
        for value in values {
            for part in value.split(separator: ",") {
                guard let format = OutputFormat(name: String(part)), offered.contains(format) else {
                    throw ValidationError(refusal(String(part), offered: offered))
                }
                if !formats.contains(format) { formats.append(format) }
            }
        }
        return formats
    }
}

/// The formats one command offers. A type, so that ArgumentParser's help (`values: …`), shell
/// completion and its "invalid value" error list exactly these and nothing the command cannot write.
protocol FormatOffer: Sendable {
    static var offered: [OutputFormat] { get }
}

/// `--format` of a command that writes one format at a time.
struct FormatChoice<Offer: FormatOffer>: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    let value: OutputFormat

    /// A default; it must be one the command offers (a programming error otherwise).
    init(_ value: OutputFormat) {
        precondition(Offer.offered.contains(value), "\(value) is not offered")
        self.value = value
    }

    init?(argument: String) {
        guard let format = OutputFormat(name: argument), Offer.offered.contains(format) else { return nil }
        value = format
    }

    static var allValueStrings: [String] { Offer.offered.map(\.rawValue) }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
    var description: String { value.rawValue }
    var defaultValueDescription: String { value.rawValue }
}

/// The offers in use. Adding a format to a command means adding it here, where every command's
/// set can be read at a glance.
enum TableOrJSON: FormatOffer { static let offered: [OutputFormat] = [.table, .json] }
enum TableJSONOrSARIF: FormatOffer { static let offered: [OutputFormat] = [.table, .json, .sarif] }
enum TableJSONOrOCSF: FormatOffer { static let offered: [OutputFormat] = [.table, .json, .ocsf] }
enum MarkdownOrJSON: FormatOffer { static let offered: [OutputFormat] = [.markdown, .json] }
/// The findings reports of `scan`, `check` and `report render`: every format.
enum FindingsReport: FormatOffer { static let offered: [OutputFormat] = OutputFormat.allCases }

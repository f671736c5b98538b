import MamoriCore

/// Which checks run: `--checks`, `--exclude-checks`, `--services`, `--severity` or `scan:` in
/// `mamori.yml`. Validated against the catalogue, so a typo is an error, never an empty scan.
public struct CheckSelection: Sendable, Equatable {
    /// The check ids that run.
    public var checks: Set<String>
    /// Findings below this severity are dropped (a check whose severity varies is judged per finding).
    public var minimumSeverity: Severity?

    /// Every check, every severity.
    public static let all = CheckSelection(checks: Set(Catalog.all.map(\.id)), minimumSeverity: nil)

    public init(checks: Set<String>, minimumSeverity: Severity?) {
        self.checks = checks
        self.minimumSeverity = minimumSeverity
    }

    /// The services `--services` accepts: every check id's prefix.
    public static var services: [String] { Array(Set(Catalog.all.map(\.service))).sorted() }

    /// Resolves settings against the catalogue; unknown ids or services are errors listing the valid ones.
    public init(_ settings: ScanSettings) throws(SelectionError) {
        let known = Set(Catalog.all.map(\.id))
        for id in settings.checks + settings.excludeChecks where !known.contains(id) {
            throw .unknownCheck(id, valid: Catalog.all.map(\.id).sorted())
        }
        for service in settings.services where !Self.services.contains(service) {
            throw .unknownService(service, valid: Self.services)
        }
        var selected = Catalog.all
        if !settings.checks.isEmpty { selected = selected.filter { settings.checks.contains($0.id) } }
        if !settings.services.isEmpty { selected = selected.filter { settings.services.contains($0.service) } }
        selected = selected.filter { !settings.excludeChecks.contains($0.id) }
        if selected.isEmpty { throw .nothingSelected }
        self.init(checks: Set(selected.map(\.id)), minimumSeverity: settings.severity)
    }

    /// The same resolution for settings already validated (the evaluator cannot fail): unknown names select nothing.
    public init(unchecked settings: ScanSettings) {
        do throws(SelectionError) { try self.init(settings) } catch {
            self.init(checks: [], minimumSeverity: settings.severity)
        }
    }

    public var isEverything: Bool { self == .all }

    public func keeps(_ finding: Finding) -> Bool {
        guard checks.contains(finding.check) else { return false }
        if let minimumSeverity, finding.severity < minimumSeverity { return false }
        return true
    }

    /// Whether any selected check belongs to the service: collectors only it needs can be skipped.
    public func needs(service: String) -> Bool {
        Catalog.all.contains { $0.service == service && checks.contains($0.id) }
    }

    /// How a stored scan records a narrowed selection (part of its parameters; empty for every check),
    /// so `--resume` never mixes selections and `diff` can say two scans ran different checks.
    public var parameterText: String {
        guard !isEverything else { return "" }
        var text = ";checks=" + checks.sorted().joined(separator: ",")
        if let minimumSeverity { text += ";severity>=\(minimumSeverity.rawValue)" }
        return text
    }

    /// The selection part of stored scan parameters ("" when the scan ran every check).
    public static func parameterPart(_ parameters: String) -> String {
        guard let start = parameters.range(of: ";checks=") ?? parameters.range(of: ";severity>=") else { return "" }
        return String(parameters[start.lowerBound...])
    }

    /// The selected checks in catalogue order.
    public var definitions: [CheckDefinition] { Catalog.all.filter { checks.contains($0.id) } }
}

/// A check selection that names something the catalogue does not have.
public enum SelectionError: Error, CustomStringConvertible, Equatable {
    case unknownCheck(String, valid: [String])
    case unknownService(String, valid: [String])
    case nothingSelected

    public var description: String {
        switch self {
        case let .unknownCheck(id, valid): "unknown check '\(id)'; valid checks: \(valid.joined(separator: ", ")) (list them with `mamori checks list`)"
        case let .unknownService(name, valid): "unknown service '\(name)'; valid services: \(valid.joined(separator: ", "))"
        case .nothingSelected: "the check selection leaves no check to run (see --checks, --exclude-checks, --services and `scan:` in mamori.yml)"
        }
    }
}

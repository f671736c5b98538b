import Checks
import Foundation
import MamoriCore

/// `report render --compliance cis|fsbp`: findings grouped by the framework's controls, with pass,
/// fail and muted counts per control. Only controls some check maps to appear: Mamori does not
/// cover whole benchmarks, and the report says so rather than implying a full assessment.
public struct ComplianceSummary: Sendable {
    public struct Control: Sendable {
        public var id: String
        public var checks: [String]
        public var passed: Int
        public var failed: Int
        public var muted: Int
        public var findings: [Finding]

        /// Fail when anything fails, pass when something passed and nothing failed, else not evaluated.
        public var verdict: String { failed > 0 ? "fail" : (passed > 0 ? "pass" : "not evaluated") }
    }

    public var framework: Framework
    public var controls: [Control]

    public init(framework: Framework, evaluation: Evaluation) {
        self.framework = framework
        let all = evaluation.findings + evaluation.muted.map { muted in
            var finding = muted.finding
            finding.status = .muted
            return finding
        }
        let byCheck = Dictionary(grouping: all, by: \.check)
        var controls: [String: Control] = [:]
        for check in Catalog.all {
            for mapping in check.compliance where mapping.framework == framework {
                var control = controls[mapping.control] ?? Control(id: mapping.control, checks: [], passed: 0, failed: 0, muted: 0, findings: [])
                control.checks.append(check.id)
                for finding in byCheck[check.id] ?? [] {
                    switch finding.status {
                    case .pass: control.passed += 1
                    case .fail: control.failed += 1
                    case .muted: control.muted += 1
                    }
                    control.findings.append(finding)
                }
                controls[mapping.control] = control
            }
        }
        self.controls = controls.values.sorted { ControlMapping(framework, $0.id) < ControlMapping(framework, $1.id) }
    }

    var name: String { framework == .cis ? "CIS" : "FSBP" }

    /// The Markdown section: a table of controls, then each control's failing and muted findings.
    func markdown(_ escape: (String) -> String) -> String {
        var out = "\n## Compliance: \(escape(framework.title))\n\n"
        out += "Only the controls a Mamori check maps to are listed; a pass covers what the check examines.\n\n"
        out += "| Control | Checks | Pass | Fail | Muted | Verdict |\n|---|---|---:|---:|---:|---|\n"
        for control in controls {
            out += "| \(name) \(escape(control.id)) | \(control.checks.map { "`\($0)`" }.joined(separator: ", ")) | \(control.passed) | \(control.failed) | \(control.muted) | \(control.verdict) |\n"
        }
        for control in controls where control.failed + control.muted > 0 {
            out += "\n### \(name) \(escape(control.id)) (\(control.failed) failing\(control.muted > 0 ? ", \(control.muted) muted" : ""))\n\n"
            out += "| Status | Severity | Check | Account | Region | Resource | Message |\n|---|---|---|---|---|---|---|\n"
            for finding in control.findings.filter({ $0.status != .pass }).sorted(by: Evaluator.order) {
                out += "| \(finding.status.rawValue) | \(finding.severity.rawValue) | `\(finding.check)` | \(escape(finding.account)) | \(escape(finding.region)) | \(escape(finding.resource)) | \(escape(finding.message)) |\n"
            }
        }
        return out
    }

    /// The HTML section: the control table (findings stay in the filterable list below it).
    func html(_ escape: (String) -> String) -> String {
        var html = "<section id=\"compliance\"><h2>Compliance: \(escape(framework.title))</h2>\n"
        html += "<p>Only the controls a Mamori check maps to are listed; a pass covers what the check examines.</p>\n"
        html += "<table><thead><tr><th>Control</th><th>Checks</th><th>Pass</th><th>Fail</th><th>Muted</th><th>Verdict</th></tr></thead><tbody>\n"
        for control in controls {
            html += "<tr><td>\(name) \(escape(control.id))</td><td>\(escape(control.checks.joined(separator: ", ")))</td>"
            html += "<td>\(control.passed)</td><td>\(control.failed)</td><td>\(control.muted)</td><td>\(escape(control.verdict))</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }
}

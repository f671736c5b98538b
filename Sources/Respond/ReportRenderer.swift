import Foundation
import MamoriCore

/// Renders an ``IncidentReport`` as Markdown or JSON. Neither ever holds a secret: the report has none.
public enum ReportRenderer {
    public static func json(_ report: IncidentReport) throws -> String {
        try StableJSON.text(report)
    }

    public static func markdown(_ r: IncidentReport) -> String {
        var out: [String] = []
        func date(_ d: Date?) -> String { d.map(AWSDate.format) ?? "unknown" }
        out.append("# Leaked key response: \(r.keyId)")
        out.append("")
        out.append("Mode: **\(r.mode)**\(r.mode == "plan" ? " (dry run: nothing was changed; --apply creates the replacement)" : ""). Generated \(date(r.generated)).")
        out.append("")
        out.append("## 1. Identify")
        let id = r.identity
        out.append("- Account decoded from the key ID: \(id.decodedAccount ?? "not decodable")"
            + (id.callerAccount.map { id.accountConfirmed ? " (confirmed: Mamori is connected to \($0))" : " (NOT confirmed: Mamori is connected to \($0))" } ?? ""))
        if let s = r.session {
            out.append("- Temporary (STS) key: it cannot be rotated and expires on its own (a role session lasts at most 12 hours, 36 for GetSessionToken)")
            out.append("- Role: \(s.roleName.map { "`\($0)`" + (s.roleSource.map { " (from \($0))" } ?? "") } ?? "not found in the events read (pass --role NAME)")")
            if let session = s.sessionName { out.append("- Session: `\(session)`" + (s.instanceId.map { " — the role credentials of **instance \($0)** (EC2 names instance-profile sessions after the instance)" } ?? "")) }
            out.append("- Seen in \(s.eventCount) event(s)" + (s.firstSeen.map { " from \(date($0)) to \(date(s.lastSeen))" } ?? "")
                + (s.sourceIPs.isEmpty ? "" : ", from \(s.sourceIPs.joined(separator: ", "))"))
        }
        if r.session == nil { out.append("- Owner: \(id.userName.map { "IAM user `\($0)`" } ?? (id.rootKey ? "most likely the account's **root user** (no IAM user owns it; the account has a root access key)" : "not found"))") }
        // IAM keeps no status or last use for a temporary key: the session lines above say what is known.
        if r.session == nil {
            if let key = id.key {
                out.append("- Status: \(key.status); created \(date(key.createDate))\(id.ageDays.map { " (\($0) days ago)" } ?? "")")
            } else {
                out.append("- Status: the key does not exist (any more)")
            }
            if let last = id.lastUse, last.date != nil {
                out.append("- Last used: \(date(last.date)) in \(last.region ?? "?") by \(last.service ?? "?")")
            } else {
                out.append("- Last used: never (or not recorded)")
            }
        }
        out.append("")
        out.append("## 2. Quarantine")
        if let q = r.quarantine {
            if q.isQuarantined {
                out.append("AWS attached **\(q.attached.joined(separator: ", "))** to the user. It denies: \(q.deniedActions.map { "`\($0)`" }.joined(separator: ", ")).")
                for line in q.explanation(user: id.userName ?? "the user", callerArn: id.callerArn) { out.append("- \(line)") }
            } else if let error = q.error {
                out.append("Could not check: \(error)")
            } else {
                out.append("No AWSCompromisedKeyQuarantine policy is attached to the user.")
            }
        } else {
            out.append(r.session != nil ? "Not applicable: AWS attaches AWSCompromisedKeyQuarantine* to IAM users, not to role sessions." : "Not checked (no owner found).")
        }
        if !r.rootProcedure.isEmpty {
            out.append("")
            out.append("## Root key procedure (guidance only: Mamori never changes the root user)")
            for (index, step) in r.rootProcedure.enumerated() { out.append("\(index + 1). \(step)") }
        }
        out.append("")
        if !r.containment.isEmpty {
            out.append("")
            out.append(r.session != nil ? "## Contain: revoke the role's sessions" : "## Contain (--contain)")
            for step in r.containment { out.append("- [\(step.state.rawValue)] \(step.kind.rawValue): \(step.detail)") }
        }
        out.append("")
        out.append("## 3. Rotate")
        for step in r.rotation { out.append("- [\(step.state.rawValue)] \(step.kind.rawValue): \(step.detail)") }
        if r.rotation.isEmpty { out.append(r.session != nil ? "Nothing to rotate: temporary credentials expire; the sessions are revoked instead." : "Nothing to rotate.") }
        if let journal = r.journal { out.append(""); out.append("Journal: `\(journal)`") }
        if !r.earlierJournals.isEmpty { out.append("Earlier journals read: \(r.earlierJournals.map { "`\($0)`" }.joined(separator: ", "))") }
        if !r.goBack.isEmpty {
            out.append("")
            out.append("How to go back:")
            for line in r.goBack { out.append("- \(line)") }
        }
        if r.mode != "finish" {
            out.append("")
            out.append("## 4. CloudTrail review")
            out.append("\(r.eventsRead) events read since \(date(r.since)); \(r.events.count) by the leaked key or what it created; \(r.flaggedEvents.count) flagged.")
            out.append("Followed keys: \(r.followedKeys.joined(separator: ", "))"
                + (r.followedUsers.isEmpty ? "" : "; users: \(r.followedUsers.joined(separator: ", "))")
                + (r.followedRoles.isEmpty ? "" : "; roles: \(r.followedRoles.joined(separator: ", "))"))
            if !r.events.isEmpty {
                out.append("")
                out.append("| Time | Event | Key | Region | Details | Flag |")
                out.append("|---|---|---|---|---|---|")
                for e in r.events {
                    out.append("| \(date(e.time)) | \(cell(e.name)) | \(cell(e.accessKeyId ?? "-")) | \(cell(e.region)) | \(cell(e.summary + (e.errorCode.map { " error=\($0)" } ?? ""))) | \(e.flagged ? "**flagged**" : "") |")
                }
            }
            out.append("")
            out.append("## 5. Resources created since \(date(r.since))")
            if r.resources.isEmpty { out.append("None found in \(r.regions.count) regions.") }
            else {
                out.append("| Type | ID | Region | Created | Created by | Removal (after review) |")
                out.append("|---|---|---|---|---|---|")
                for res in r.resources {
                    out.append("| \(cell(res.type)) | \(cell(res.id)) | \(cell(res.region)) | \(date(res.created)) | \(res.attributedToLeak ? "**leaked key chain** " : "")\(cell(res.createdBy ?? "unknown")) | `\(res.removal)` |")
                }
            }
            if !r.removed.isEmpty {
                out.append("")
                out.append("Removed in this run (journaled): \(r.removed.joined(separator: ", "))")
            }
            out.append("")
            out.append("## 6. Guardrails")
            if let g = r.guardrails {
                out.append("At least two of these (\(g.monitoringMet ? "met" : "NOT met")):")
                for c in g.monitoring { out.append("- \(c.name): \(c.state)\(c.detail.map { " (\($0))" } ?? "")") }
                out.append("At least one of these (\(g.protectionMet ? "met" : "NOT met")):")
                for c in g.protection { out.append("- \(c.name): \(c.state)\(c.detail.map { " (\($0))" } ?? "")") }
            }
        }
        if let cost = r.cost, r.mode != "finish" {
            out.append("")
            out.append("## 7. Cost in the exposure window")
            if let error = cost.error {
                out.append("Could not be read: \(error)")
            } else if cost.days.isEmpty {
                out.append("Cost Explorer reports no cost since \(date(r.since)).")
            } else {
                let total = cost.days.reduce(0) { $0 + $1.amount }
                out.append("\(ReportAssembler.money(total, cost.unit)) over \(cost.days.count) day(s)\(cost.estimated ? " (recent days are estimates)" : ""). "
                    + "Per region and service, daily average in the window against the week before:")
                out.append("")
                out.append("| Region | Service | Week before /day | Window /day | Window total | |")
                out.append("|---|---|---|---|---|---|")
                for line in cost.lines {
                    out.append("| \(cell(line.region)) | \(cell(line.service)) | \(String(format: "%.2f", line.baselinePerDay)) | \(String(format: "%.2f", line.windowPerDay)) | "
                        + "\(String(format: "%.2f", line.windowTotal)) | \(line.rise ? "**rise**" : "") |")
                }
            }
        }
        out.append("")
        out.append("## Other active access keys in the account")
        if r.otherActiveKeys.isEmpty { out.append("None found (only the keys above; see Notes if the list could not be read).") }
        else {
            out.append("Not rotated by this response: decide for each whether it must be rotated too.")
            out.append("")
            out.append("| User | Key | Age | Last used | Note |")
            out.append("|---|---|---|---|---|")
            for k in r.otherActiveKeys {
                let used = k.lastUse.map { $0.date.map { "\(date($0))" + " (\(k.lastUse?.service ?? "?") in \(k.lastUse?.region ?? "?"))" } ?? "never" } ?? "unknown"
                out.append("| \(cell(k.user)) | \(k.accessKeyId) | \(k.ageDays.map { "\($0) days" } ?? "unknown") | \(used) | \(cell(k.note ?? "")) |")
            }
        }
        out.append("")
        out.append("## Timeline")
        for t in r.timeline { out.append("- \(date(t.time)) \(t.what)") }
        out.append("")
        out.append("## Still needs a human")
        if r.needsHuman.isEmpty { out.append("Nothing.") }
        for item in r.needsHuman { out.append("- \(item)") }
        let warnings = r.notes.filter { $0.level != .error }
        if !warnings.isEmpty {
            out.append("")
            out.append("## Notes")
            for n in warnings { out.append("- \(n.step): \(n.message)") }
        }
        out.append("")
        out.append("## Summary for AWS Support")
        out.append("")
        out.append("> \(r.supportSummary)")
        // Names and CloudTrail parameters come from the account, some from the attacker: no line
        // may carry a control character or a line break of its own.
        return out.map(TerminalText.sanitize).joined(separator: "\n") + "\n"
    }

    /// A table cell: control characters, HTML and Markdown (`|` among it) escaped.
    static func cell(_ text: String) -> String { TerminalText.markdown(text) }
}

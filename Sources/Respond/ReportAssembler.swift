import Foundation

/// Derives the timeline, the open items and the AWS Support summary from what the run found.
enum ReportAssembler {
    static func finish(_ report: inout IncidentReport, history: JournalHistory) {
        var timeline: [TimelineEntry] = []
        if let created = report.identity.key?.createDate {
            timeline.append(TimelineEntry(time: created, what: "\(report.keyId) created for \(report.identity.userName ?? "?")"))
        }
        if let last = report.identity.lastUse, let date = last.date {
            timeline.append(TimelineEntry(time: date, what: "\(report.keyId) last used (\(last.service ?? "?") in \(last.region ?? "?"))"))
        }
        for event in report.events where event.flagged {
            timeline.append(TimelineEntry(time: event.time, what: "\(event.name) by \(event.accessKeyId ?? "?") in \(event.region)"
                + (event.summary.isEmpty ? "" : " (\(event.summary))") + (event.errorCode.map { " failed: \($0)" } ?? "")))
        }
        for entry in history.entries where entry.phase == "after" {
            timeline.append(TimelineEntry(time: entry.time, what: "Mamori: \(entry.step) \(entry.result ?? "") (earlier run)"))
        }
        for id in report.removed { timeline.append(TimelineEntry(time: report.generated, what: "Mamori: removed \(id)")) }
        timeline.sort { $0.time < $1.time }
        report.timeline = timeline

        var human: [String] = []
        for step in report.rotation {
            switch step.state {
            case .planned: human.append("Run with --apply to \(step.detail)")
            case .blocked, .failed: human.append(step.detail)
            default: break
            }
        }
        let rotated = report.rotation.contains { $0.kind == .deactivateKey && $0.state == .done }
        let deleted = report.rotation.contains { $0.kind == .deleteKey && $0.state == .done }
        if rotated && !deleted && report.mode != "finish" {
            human.append("Update every application that used \(report.keyId) to the new key, check nothing broke, then run "
                + "`mamori respond leaked-key \(report.keyId) --finish` to delete it")
        }
        if let quarantine = report.quarantine, quarantine.isQuarantined, !deleted {
            human.append("Keep \(quarantine.attached.joined(separator: ", ")) attached to \(report.identity.userName ?? "the user") until the response is complete")
        }
        // Chain members the sweep found are listed once, with their removal command, below.
        let swept = Set(report.resources.filter(\.attributedToLeak).map(\.id)).union(report.removed)
        for key in report.followedKeys where key != report.keyId && key.hasPrefix("AKIA") && !swept.contains(key) {
            human.append("Access key \(key) was created by the leaked key: deactivate and delete it")
        }
        for user in report.followedUsers where !swept.contains(user) { human.append("IAM user \(user) was created by the leaked key: review and delete it") }
        for role in report.followedRoles where !swept.contains(role) { human.append("IAM role \(role) was created by the leaked key: review and delete it") }
        for resource in report.resources where resource.attributedToLeak && !report.removed.contains(resource.id) {
            human.append("Remove \(resource.type) \(resource.id) (\(resource.region)), created by the leaked key: \(resource.removal)")
        }
        let unattributed = report.resources.filter { !$0.attributedToLeak && !report.removed.contains($0.id) }
        if !unattributed.isEmpty {
            human.append("Review \(unattributed.count) resource(s) created since \(AWSDate.format(report.since)) that CloudTrail does not attribute to the leak")
        }
        if let guardrails = report.guardrails {
            if !guardrails.monitoringMet { human.append("Turn on at least two of Budgets, CloudTrail, Trusted Advisor, Cost Anomaly Detection") }
            if !guardrails.protectionMet { human.append("Turn on at least one of root MFA, Security Hub, GuardDuty") }
        }
        for note in report.notes where note.level == .error { human.append("Could not complete \(note.step): \(note.message)") }
        report.needsHuman = human

        let removed = report.resources.filter { $0.attributedToLeak && !report.removed.contains($0.id) }.isEmpty
        report.supportSummary = """
            We have responded to the exposure of access key \(report.keyId) (account \(report.identity.callerAccount ?? report.identity.decodedAccount ?? "unknown")). \
            \(rotated ? "The exposed key has been deactivated and replaced\(deleted ? " and deleted" : "")" : "The exposed key has NOT been rotated yet"). \
            \(rotated ? "All keys rotated. " : "")We reviewed CloudTrail (\(report.eventsRead) events, \(report.flaggedEvents.count) flagged) and swept \(report.regions.count) regions; \
            unauthorised resources reviewed\(removed ? " and removed" : ", removal pending"). \
            Guardrails: \(guardrailLine(report.guardrails)).
            """
        if !rotated || !removed {
            report.supportSummary = "[DRAFT: not true yet, see 'Still needs a human'] " + report.supportSummary
        }
    }

    static func guardrailLine(_ g: GuardrailReport?) -> String {
        guard let g else { return "not checked" }
        return (g.monitoring + g.protection).filter { $0.state == "on" }.map(\.name).joined(separator: ", ").nonEmpty ?? "none on"
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

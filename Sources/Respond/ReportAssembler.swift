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
        for step in report.containment {
            switch step.state {
            case .planned: human.append("Run with --apply\(step.kind == .revokeSessions ? "" : " --contain") to \(step.detail)")
            case .blocked, .failed: human.append(step.detail)
            default: break
            }
        }
        if let session = report.session {
            if let instance = session.instanceId {
                human.append("\(report.keyId) is the role credentials of instance \(instance) (session name), used from \(session.sourceIPs.isEmpty ? "unknown addresses" : session.sourceIPs.joined(separator: ", ")): "
                    + "find how they left the instance (IMDSv1 or a hop limit above 1, an SSRF in its application, a process on it), require IMDSv2 on it "
                    + "(`aws ec2 modify-instance-metadata-options --instance-id \(instance) --http-tokens required --http-put-response-hop-limit 1`), "
                    + "and review what else its role can reach")
            }
            if report.containment.contains(where: { $0.kind == .revokeSessions && $0.state == .done }) {
                human.append("The role's sessions issued before the revocation stop working, including legitimate ones: "
                    + "instances and services get new credentials on their own; people sign in again")
            }
        }
        let flag: [RotationStep.Kind: String] = [.createKey: "--apply", .deactivateKey: "--deactivate", .deleteKey: "--finish"]
        for step in report.rotation {
            switch step.state {
            case .planned: human.append("Run with \(flag[step.kind] ?? "--apply") to \(step.detail)")
            case .blocked, .failed: human.append(step.detail)
            default: break
            }
        }
        // The next phase, once the ones before it are through: one instruction at a time, in the seed's order.
        if !report.rotation.contains(where: { [.planned, .blocked, .failed].contains($0.state) }),
           let next = report.rotation.first(where: { $0.state == .later }) {
            let user = report.identity.userName ?? "USER"
            let replacement = report.rotation.first { $0.kind == .createKey && ($0.state == .done || $0.state == .skipped) }?.keyId
            switch next.kind {
            case .createKey: human.append("Create the replacement: `mamori respond leaked-key \(report.keyId) --apply --secret-file PATH`")
            case .deactivateKey:
                human.append("Move every workload that uses \(report.keyId) to \(replacement ?? "the replacement"), then run "
                    + "`mamori respond leaked-key \(report.keyId) --deactivate` (it refuses while \(report.keyId) was used in the last minutes)")
            case .deleteKey:
                human.append("Check that nothing broke without \(report.keyId) (if something did: `aws iam update-access-key --user-name \(user) "
                    + "--access-key-id \(report.keyId) --status Active`), then run `mamori respond leaked-key \(report.keyId) --finish` to delete it")
            }
        }
        let deleted = report.rotation.contains { $0.kind == .deleteKey && $0.state == .done }
        if let quarantine = report.quarantine, quarantine.isQuarantined, !deleted {
            human.append("Keep \(quarantine.attached.joined(separator: ", ")) attached to \(report.identity.userName ?? "the user") until the response is complete")
        }
        if let quarantine = report.quarantine, let user = report.identity.userName, quarantine.deniesLookupEvents,
           quarantine.explanation(user: user, callerArn: report.identity.callerArn).contains(where: { $0.hasPrefix("Mamori is running as") }) {
            human.append("Mamori runs as the quarantined user \(user), which is denied cloudtrail:LookupEvents: run the review again as another principal (--profile)")
        }
        if report.identity.rootKey {
            report.rootProcedure = rootProcedure(report)
            human.append("\(report.keyId) is most likely the root user's key: follow the root key procedure (Mamori never changes the root user)")
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
        if let cost = report.cost {
            if let error = cost.error { human.append(error) }
            for line in cost.rises {
                human.append("Spend on \(line.service) in \(line.region) rose to \(money(line.windowPerDay, cost.unit))/day in the window "
                    + "(\(money(line.baselinePerDay, cost.unit))/day the week before): find what runs there, the sweep may not list it")
            }
        }
        for note in report.notes where note.level == .error { human.append("Could not complete \(note.step): \(note.message)") }
        report.needsHuman = human

        report.supportSummary = supportSummary(report, history: history)
        report.goBack = goBack(report)
    }

    /// The seed's root-user steps, for a human: sign in as root, remove the key, MFA, review.
    static func rootProcedure(_ r: IncidentReport) -> [String] {
        let mfa = r.guardrails?.protection.first { $0.name == "Root MFA" }?.state ?? "unknown"
        return [
            "Sign in to the AWS console as the root user of account \(r.identity.callerAccount ?? r.identity.decodedAccount ?? "?") "
                + "(its e-mail address, password and MFA device): only the root user can manage its access keys.",
            "If a workload uses \(r.keyId), give it an IAM role (or an IAM user with only the permissions it needs) and move it first: "
                + "the root user should have no access key at all. Do not create a new root key.",
            "Security credentials → Access keys: deactivate \(r.keyId), check that nothing broke, then delete it.",
            "Enable MFA on the root user (Root MFA is \(mfa) in the guardrails below), change the root password, and check that the "
                + "account's e-mail address and alternate contacts were not changed.",
            "Review what the key did: CloudTrail events of the root user (userIdentity.type Root), and the review and sweep in this report; "
                + "then reply to AWS with what was done.",
        ]
    }

    /// How to go back from where the key stands now, as commands (not only in the journal).
    static func goBack(_ r: IncidentReport) -> [String] {
        var contained: [String] = []
        let undoContainment = r.journal.map { "`mamori respond undo \($0) --apply`" } ?? "`mamori respond undo JOURNAL --apply` (the journal of the run that made it)"
        for step in r.containment where step.state == .done {
            let name = step.target.split(separator: "/", maxSplits: 1).last.map(String.init) ?? step.target
            let word = step.target.hasPrefix("role/") ? "role" : "user"
            switch step.kind {
            case .revokeSessions:
                contained.append("To let the revoked sessions work again: \(undoContainment), or `aws iam delete-role-policy --role-name \(name) --policy-name \(ContainmentPolicy.revokeName)`")
            case .denyAll:
                contained.append("To lift the containment of \(step.target): \(undoContainment) (it also re-activates the keys --contain deactivated), "
                    + "or `aws iam delete-\(word)-policy --\(word)-name \(name) --policy-name \(ContainmentPolicy.denyAllName)`")
            case .deactivateKey:
                contained.append("Re-activate \(step.keyId ?? "the key"): `aws iam update-access-key --user-name \(name) --access-key-id \(step.keyId ?? "KEY") --status Active`")
            }
        }
        guard let user = r.identity.userName else {
            if !contained.isEmpty { return contained }
            return r.identity.rootKey ? ["Mamori changed nothing: the root user's key is handled by hand (see the root key procedure)."] : []
        }
        var back: [String] = []
        let undo = r.journal.map { " (or `mamori respond undo \($0) --apply`, which reverses this run's changes)" } ?? ""
        let deleted = r.rotation.contains { $0.kind == .deleteKey && $0.state == .done }
        let inactive = r.identity.key?.status == "Inactive" || r.rotation.contains { $0.kind == .deactivateKey && $0.state == .done }
        let created = r.rotation.first { $0.kind == .createKey && $0.state == .done }?.keyId
        if deleted {
            back.append("\(r.keyId) is deleted and cannot be restored. If a workload still needs a key, use \(created ?? "the replacement") "
                + "or create another: `aws iam create-access-key --user-name \(user)`")
        } else if inactive {
            back.append("If something breaks, re-activate the old key: `aws iam update-access-key --user-name \(user) --access-key-id \(r.keyId) --status Active`"
                + (r.mode == "deactivate" ? undo : ""))
        } else if let created {
            back.append("\(r.keyId) is still active: nothing broke. To withdraw the replacement: `aws iam delete-access-key --user-name \(user) --access-key-id \(created)`"
                + (r.mode == "apply" || r.mode == "resume" ? undo : ""))
        } else if contained.isEmpty {
            back.append("Nothing to go back from: no key was changed.")
        }
        return contained + back
    }

    /// The reply to AWS: only what happened. Every claim comes from a step that is done, a live key
    /// state or a removal made; what is not done is said as plainly.
    static func supportSummary(_ r: IncidentReport, history: JournalHistory) -> String {
        let account = r.identity.callerAccount ?? r.identity.decodedAccount ?? "unknown"
        let user = r.identity.userName.map { "IAM user \($0)" }
            ?? r.session.flatMap { s in s.roleName.map { "session \(s.sessionName ?? "?") of IAM role \($0)" } } ?? "owner not found"
        var done: [String] = []
        var notDone: [String] = []
        for step in r.containment {
            switch (step.kind, step.state) {
            case (.revokeSessions, .done): done.append(step.detail.replacingOccurrences(of: "are denied", with: "were revoked"))
            case (.denyAll, .done): done.append("denied \(step.target) every action (inline policy \(ContainmentPolicy.denyAllName))")
            case (.deactivateKey, .done) where step.keyId != r.keyId: done.append("deactivated \(step.keyId ?? "a key") of \(step.target)")
            case (.revokeSessions, _): notDone.append("the sessions of \(step.target == "?" ? "the role" : step.target) have not been revoked")
            case (.denyAll, _): notDone.append("\(step.target) is not contained")
            default: break
            }
        }
        if r.keyId.hasPrefix("ASIA") {
            var text = "Temporary access key \(r.keyId) (\(user), account \(account)) was exposed. "
            text += "Done: " + (done.isEmpty ? "nothing has been changed yet" : done.joined(separator: "; ")) + ". "
            if !notDone.isEmpty { text += "Not done: " + notDone.joined(separator: "; ") + ". " }
            text += "We reviewed CloudTrail (\(r.eventsRead) events, \(r.flaggedEvents.count) flagged) and swept \(r.regions.count) regions for resources created since \(AWSDate.format(r.since)). "
            text += "Guardrails on: \(guardrailLine(r.guardrails))."
            return notDone.isEmpty ? text : "[DRAFT: not true yet, see 'Still needs a human'] " + text
        }
        let created = r.rotation.first { $0.kind == .createKey && $0.state == .done }
        if let created, let id = created.keyId { done.append("created the replacement key \(id)") }
        else if let other = r.rotation.first(where: { $0.kind == .createKey && $0.state == .skipped }), let id = other.keyId {
            notDone.append("no replacement key was created (the user already had the active key \(id))")
        } else { notDone.append("no replacement key has been created yet") }
        let deleted = r.rotation.contains { $0.kind == .deleteKey && $0.state == .done }
        let deactivated = deleted || r.identity.key?.status == "Inactive" || r.rotation.contains { $0.kind == .deactivateKey && $0.state == .done }
            || r.containment.contains { $0.kind == .deactivateKey && $0.state == .done && $0.keyId == r.keyId }
        if deleted && r.identity.key == nil { done.append("the exposed key \(r.keyId) no longer exists") }
        else if deleted { done.append("deleted the exposed key \(r.keyId)") }
        else if deactivated { done.append("deactivated the exposed key \(r.keyId)"); notDone.append("\(r.keyId) is deactivated but not yet deleted") }
        else { notDone.append("the exposed key \(r.keyId) is still active") }
        let attributed = r.resources.filter(\.attributedToLeak).map(\.id)
        let earlier = history.entries.filter { $0.step == "remove-resource" && $0.phase == "after" }.compactMap(\.result)
        let removed = earlier + r.removed.filter { !earlier.contains($0) }
        if !removed.isEmpty { done.append("removed \(removed.joined(separator: ", "))") }
        // What the attacker made and nobody removed, including users, roles and keys only CloudTrail names.
        let made = attributed + r.followedUsers + r.followedRoles + r.followedKeys.filter { $0 != r.keyId && $0.hasPrefix("AKIA") }
        var seen = Set<String>()
        let remaining = made.filter { !removed.contains($0) && seen.insert($0).inserted }
        if !remaining.isEmpty { notDone.append("resources attributed to the leak are still present: \(remaining.joined(separator: ", "))") }
        var text = "Access key \(r.keyId) (\(user), account \(account)) was exposed. "
        text += "Done: " + (done.isEmpty ? "nothing has been changed yet" : done.joined(separator: "; ")) + ". "
        if !notDone.isEmpty { text += "Not done: " + notDone.joined(separator: "; ") + ". " }
        let others = r.otherActiveKeys.filter { $0.note != "the replacement created by this response" }
        if others.isEmpty {
            text += "No other active access keys were found in the account. "
        } else {
            text += "The account has \(others.count) other active access key(s) (\(others.map { "\($0.accessKeyId) of \($0.user)" }.joined(separator: ", "))); "
                + "they were not rotated as part of this response. "
        }
        if r.mode == "finish" {
            text += "The CloudTrail review and sweep are in the report of the earlier run. "
        } else {
            text += "We reviewed CloudTrail (\(r.eventsRead) events, \(r.flaggedEvents.count) flagged) and swept \(r.regions.count) regions for resources created since \(AWSDate.format(r.since)). "
        }
        text += "Guardrails on: \(guardrailLine(r.guardrails))."
        return notDone.isEmpty ? text : "[DRAFT: not true yet, see 'Still needs a human'] " + text
    }

    static func money(_ amount: Double, _ unit: String) -> String {
        String(format: "%.2f %@", amount, unit)
    }

    static func guardrailLine(_ g: GuardrailReport?) -> String {
        guard let g else { return "not checked" }
        return (g.monitoring + g.protection).filter { $0.state == "on" }.map(\.name).joined(separator: ", ").nonEmpty ?? "none on"
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

import Foundation
import History
import MamoriCore
import Testing

/// What every history store must do, written once and run against each backend by
/// SQLiteStoreTests and PostgresStoreTests. Expected values are worked out by hand from the
/// samples, not read back from a run.
enum StoreContract {
    /// Every field of a scan, its account, findings (failing, passing, muted) and errors comes back as stored.
    static func roundTripsEveryField(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let scan = try await store.beginScan(Sample.newScan())
            #expect(scan.runId == nil)
            #expect(scan.kind == .account)
            #expect(scan.target == "111122223333")
            #expect(scan.parameters == "regions=eu-west-1,us-east-1")
            #expect(scan.startedAt == Date(timeIntervalSince1970: 1_700_000_000.25))
            #expect(scan.finishedAt == nil)
            #expect(scan.state == .running)
            #expect(scan.toolVersion == "0.9.0-test")
            #expect(scan.accounts == 0 && scan.failing.isEmpty && scan.muted == 0 && scan.errors == 0)

            let failing = StoredFinding(finding: Sample.finding(uid: "AIDAEXAMPLEALICE"))
            let passing = StoredFinding(finding: Sample.finding("s3-public", severity: .critical, status: .pass, region: "eu-west-1",
                                                                resource: "arn:aws:s3:::logs", message: "logs is private"))
            let muted = StoredFinding(finding: Sample.finding("iam-root-keys", severity: .critical, resource: "arn:aws:iam::111122223333:root"),
                                      mutedReason: "break-glass account, ticket SEC-42")
            let errors = [Sample.error(resource: "arn:aws:s3:::logs"), Sample.error(resource: nil)]
            let account = Sample.accountRecord()
            try await store.record(AccountResult(account: account, findings: [failing, passing, muted], errors: errors), scan: scan.id)
            let metrics = Data(#"{"score":71.5}"#.utf8)
            try await store.finishScan(scan.id, state: .complete, finishedAt: Date(timeIntervalSince1970: 1_700_000_120.75), metrics: metrics)

            let stored = try #require(try await store.scan(scan.id))
            #expect(stored.state == .complete)
            #expect(stored.finishedAt == Date(timeIntervalSince1970: 1_700_000_120.75))
            #expect(stored.startedAt == Date(timeIntervalSince1970: 1_700_000_000.25))
            // One failing high finding; the passing one is not failing and the muted one counts as muted.
            #expect(stored.failing == ["high": 1])
            #expect(stored.muted == 1)
            #expect(stored.errors == 2)
            #expect(stored.accounts == 1)

            let findings = try await store.findings(scan: scan.id)
            #expect(findings == [failing, passing, muted])
            #expect(findings.map(\.resourceUid) == ["AIDAEXAMPLEALICE", nil, nil])
            #expect(findings.map(\.mutedReason) == [nil, nil, "break-glass account, ticket SEC-42"])
            #expect(findings[0].finding.resourceUid == "AIDAEXAMPLEALICE")
            #expect(findings[0].fingerprint == failing.finding.fingerprint)

            #expect(try await store.errors(scan: scan.id) == errors)
            let accounts = try await store.accounts(scan: scan.id)
            #expect(accounts == [account])
            #expect(accounts.first?.inventory == ["users": 3, "buckets": 12, "instances": 0])
            #expect(accounts.first?.metrics == Data(#"{"mfaUsers":2,"users":3}"#.utf8))
            #expect(accounts.first?.ouPath == "r-ab12/ou-ab12-dev")
            #expect(try await store.metrics(scan: scan.id) == metrics)
            #expect(try await store.scan(scan.id + 1000) == nil)
        }
    }

    /// `scans()` lists newest first with per-scan counts by severity; `limit` keeps the newest.
    static func countsScans(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let first = try await store.beginScan(Sample.newScan())
            try await store.record(AccountResult(account: Sample.accountRecord(), findings: [
                StoredFinding(finding: Sample.finding("a", severity: .critical)),
                StoredFinding(finding: Sample.finding("b", severity: .low)),
                StoredFinding(finding: Sample.finding("c", severity: .low, resource: "arn:aws:iam::111122223333:user/bob")),
                StoredFinding(finding: Sample.finding("d", severity: .low, status: .pass)),
            ], errors: []), scan: first.id)
            try await store.finishScan(first.id, state: .complete, finishedAt: Sample.start.addingTimeInterval(60), metrics: nil)

            let second = try await store.beginScan(Sample.newScan(kind: .org, target: "org:111122223333", startedAt: Sample.start.addingTimeInterval(3600)))
            try await store.record(AccountResult(account: Sample.accountRecord(), findings: [
                StoredFinding(finding: Sample.finding("a", severity: .medium), mutedReason: "accepted"),
            ], errors: [Sample.error()]), scan: second.id)
            try await store.record(AccountResult(account: Sample.accountRecord(Sample.other, state: .failed), findings: [],
                                                 errors: [Sample.error(Sample.other), Sample.error(Sample.other, resource: "x")]), scan: second.id)

            let all = try await store.scans(limit: nil)
            #expect(all.map(\.id) == [second.id, first.id])
            #expect(all[0].kind == .org && all[0].target == "org:111122223333")
            #expect(all[0].failing == [:])
            #expect(all[0].totalFailing == 0)
            #expect(all[0].muted == 1)
            #expect(all[0].errors == 3)
            #expect(all[0].accounts == 2)
            #expect(all[0].state == .running)
            #expect(all[1].failing == ["critical": 1, "low": 2])
            #expect(all[1].totalFailing == 3)
            #expect(all[1].muted == 0 && all[1].errors == 0 && all[1].accounts == 1)
            #expect(try await store.scans(limit: 1).map(\.id) == [second.id])
            #expect(try await store.scans(limit: 0).isEmpty)
            // finishScan without metrics keeps none; with nil it never erases stored ones.
            #expect(try await store.metrics(scan: first.id) == nil)
        }
    }

    /// Recording an account again replaces its account row, findings and errors; other accounts stay.
    static func recordReplacesAccount(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let scan = try await store.beginScan(Sample.newScan(kind: .org, target: "org:111122223333"))
            try await store.record(AccountResult(account: Sample.accountRecord(state: .failed), findings: [
                StoredFinding(finding: Sample.finding("a")), StoredFinding(finding: Sample.finding("b")),
            ], errors: [Sample.error()]), scan: scan.id)
            let keep = StoredFinding(finding: Sample.finding("a", account: Sample.other, resource: "arn:aws:iam::444455556666:user/carol"))
            try await store.record(AccountResult(account: Sample.accountRecord(Sample.other), findings: [keep], errors: [Sample.error(Sample.other)]),
                                   scan: scan.id)

            let again = StoredFinding(finding: Sample.finding("c", severity: .medium))
            let retried = Sample.accountRecord(state: .done, ouPath: "r-ab12/ou-ab12-prod", finishedAt: Date(timeIntervalSince1970: 1_700_000_900))
            try await store.record(AccountResult(account: retried, findings: [again], errors: []), scan: scan.id)

            #expect(Set(try await store.findings(scan: scan.id)) == [keep, again])
            #expect(try await store.errors(scan: scan.id) == [Sample.error(Sample.other)])
            #expect(try await store.accounts(scan: scan.id) == [retried, Sample.accountRecord(Sample.other)])
            let counted = try #require(try await store.scan(scan.id))
            #expect(counted.failing == ["high": 1, "medium": 1])
            #expect(counted.accounts == 2 && counted.errors == 1)
        }
    }

    /// A second beginScan with the same run id joins the first scan; without a run id each call is a new scan.
    static func beginScanJoinsRun(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let first = try await store.beginScan(Sample.newScan(runId: "nightly-2026-11-25", kind: .org, target: "org:111122223333"))
            let joined = try await store.beginScan(Sample.newScan(runId: "nightly-2026-11-25", kind: .org, target: "org:111122223333",
                                                                 startedAt: Sample.start.addingTimeInterval(5)))
            #expect(joined.id == first.id)
            #expect(joined.runId == "nightly-2026-11-25")
            // The joining worker does not move the start time.
            #expect(joined.startedAt == Sample.start)
            let plain1 = try await store.beginScan(Sample.newScan())
            let plain2 = try await store.beginScan(Sample.newScan())
            #expect(plain1.id != plain2.id)
            #expect(plain1.id != first.id)
            #expect(try await store.scans(limit: nil).count == 3)
        }
    }

    /// Shard workers starting at once: every one gets the same scan and exactly one row exists.
    static func concurrentBeginScanMakesOneRow(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for shard in 0..<8 {
                    group.addTask {
                        let scan = try await store.beginScan(Sample.newScan(runId: "shared-run", kind: .org, target: "org:111122223333",
                                                                            startedAt: Sample.start.addingTimeInterval(Double(shard))))
                        // Each shard then records its own account into the joined scan.
                        try await store.record(AccountResult(account: Sample.accountRecord(String(format: "0000000000%02d", shard)),
                                                             findings: [], errors: []), scan: scan.id)
                        return scan.id
                    }
                }
                var ids: [Int64] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            #expect(ids.count == 8)
            #expect(Set(ids).count == 1)
            // The first scan of an empty store is scan 1, whichever worker created it.
            #expect(ids.first == 1)
            let scans = try await store.scans(limit: nil)
            #expect(scans.count == 1)
            #expect(scans.first?.accounts == 8)
            #expect(scans.first?.runId == "shared-run")
        }
    }

    /// Claimed (pending) accounts are counted apart from recorded ones, and a pending account
    /// recorded again as done moves from one count to the other.
    static func countsPendingAccounts(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let scan = try await store.beginScan(Sample.newScan(runId: "claims", kind: .org, target: "org:111122223333"))
            for id in ["000000000001", "000000000002", "000000000003"] {
                try await store.record(AccountResult(account: Sample.accountRecord(id, state: .pending), findings: [], errors: []), scan: scan.id)
            }
            try await store.record(AccountResult(account: Sample.accountRecord("000000000004", state: .skipped), findings: [],
                                                 errors: [Sample.error("000000000004")]), scan: scan.id)
            var counted = try #require(try await store.scan(scan.id))
            #expect(counted.pending == 3)
            #expect(counted.accounts == 1)
            try await store.record(AccountResult(account: Sample.accountRecord("000000000002"),
                                                 findings: [StoredFinding(finding: Sample.finding(account: "000000000002"))], errors: []), scan: scan.id)
            counted = try #require(try await store.scan(scan.id))
            #expect(counted.pending == 2)
            #expect(counted.accounts == 2)
            #expect(counted.failing == ["high": 1])
            #expect(try await store.accounts(scan: scan.id).map(\.state) == [.pending, .done, .pending, .skipped])
        }
    }

    /// Three shard workers, each with its own store (its own connections, as separate processes
    /// have), start one run together, claim their accounts, record them and read the merged scan.
    static func shardWorkersShareOneScan(_ backend: Backend) async throws {
        try await withDatabase(backend) { database in
            // Migrate once first, as `mamori scan` does before its workers exist here.
            await (try await database.open()).close()
            let shards: [[String]] = [["100000000001", "100000000004"], ["100000000002", "100000000005"], ["100000000003", "100000000006"]]
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for accounts in shards {
                    group.addTask {
                        let store = try await database.open()
                        let scan = try await store.beginScan(Sample.newScan(runId: "sharded-nightly", kind: .org, target: "org:111122223333"))
                        for account in accounts {
                            try await store.record(AccountResult(account: Sample.accountRecord(account, state: .pending), findings: [], errors: []),
                                                   scan: scan.id)
                        }
                        for account in accounts {
                            let finding = StoredFinding(finding: Sample.finding(account: account, resource: "arn:aws:iam::\(account):user/alice"))
                            try await store.record(AccountResult(account: Sample.accountRecord(account), findings: [finding], errors: []), scan: scan.id)
                        }
                        await store.close()
                        return scan.id
                    }
                }
                var ids: Set<Int64> = []
                for try await id in group { ids.insert(id) }
                return ids
            }
            #expect(ids.count == 1)
            let reader = try await database.open()
            let scans = try await reader.scans(limit: nil)
            #expect(scans.count == 1)
            #expect(scans.first?.accounts == 6)
            #expect(scans.first?.pending == 0)
            #expect(scans.first?.failing == ["high": 6])
            let accounts = try await reader.accounts(scan: try #require(ids.first))
            #expect(accounts.map(\.accountId) == ["100000000001", "100000000002", "100000000003", "100000000004", "100000000005", "100000000006"])
            #expect(Set(try await reader.findings(scan: try #require(ids.first)).map(\.finding.account)).count == 6)
            await reader.close()
        }
    }

    /// `--resume` finds the newest running or interrupted scan with the same target and parameters,
    /// or the scan of a named run whatever its state.
    static func resumableScan(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let params = "regions=eu-west-1,us-east-1"
            let done = try await store.beginScan(Sample.newScan())
            try await store.finishScan(done.id, state: .complete, finishedAt: Sample.start, metrics: nil)
            let interrupted = try await store.beginScan(Sample.newScan())
            try await store.finishScan(interrupted.id, state: .interrupted, finishedAt: Sample.start, metrics: nil)
            let running = try await store.beginScan(Sample.newScan())
            let otherParameters = try await store.beginScan(Sample.newScan(parameters: "regions=eu-west-1"))
            let partial = try await store.beginScan(Sample.newScan(target: "999988887777"))
            try await store.finishScan(partial.id, state: .partial, finishedAt: Sample.start, metrics: nil)

            #expect(try await store.resumableScan(kind: .account, target: Sample.account, parameters: params, runId: nil)?.id == running.id)
            try await store.finishScan(running.id, state: .complete, finishedAt: Sample.start, metrics: nil)
            #expect(try await store.resumableScan(kind: .account, target: Sample.account, parameters: params, runId: nil)?.id == interrupted.id)
            #expect(try await store.resumableScan(kind: .account, target: Sample.account, parameters: "regions=eu-west-1", runId: nil)?.id
                    == otherParameters.id)
            // A partial scan is finished: nothing to resume.
            #expect(try await store.resumableScan(kind: .account, target: "999988887777", parameters: params, runId: nil) == nil)
            #expect(try await store.resumableScan(kind: .org, target: Sample.account, parameters: params, runId: nil) == nil)

            let run = try await store.beginScan(Sample.newScan(runId: "weekly-48", kind: .org, target: "org:111122223333"))
            try await store.finishScan(run.id, state: .complete, finishedAt: Sample.start, metrics: nil)
            let found = try await store.resumableScan(kind: .org, target: "org:111122223333", parameters: params, runId: "weekly-48")
            #expect(found?.id == run.id)
            #expect(found?.state == .complete)
            #expect(try await store.resumableScan(kind: .org, target: "org:111122223333", parameters: params, runId: "weekly-49") == nil)
        }
    }

    /// A database made by the first schema step, with rows in that shape, upgrades in place:
    /// rows intact, the new columns null.
    static func migratesFromFirstSchema(_ backend: Backend) async throws {
        try await withDatabase(backend) { database in
            let old = try await database.open(upTo: "v1-initial")
            #expect(try await database.appliedMigrations(old) == ["v1-initial"])
            for sql in [
                """
                INSERT INTO scans (kind, target, parameters, started_at, finished_at, state, tool_version, metrics)
                VALUES ('org', 'org:111122223333', 'regions=eu-west-1', 1600000000.5, 1600000100.5, 'complete', '0.1.0', '{"score":50}')
                """,
                """
                INSERT INTO scan_accounts (scan_id, account_id, name, ou_path, state, finished_at, inventory)
                VALUES (1, '111122223333', 'Prod', 'r-ab12/ou-prod', 'done', 1600000050.25, '{"users":2}')
                """,
                """
                INSERT INTO findings (scan_id, account_id, fingerprint, check_id, title, severity, status, region, resource,
                                      resource_type, message, remediation, muted_reason)
                VALUES (1, '111122223333', 'fp-old-1', 'iam-user-mfa', 'MFA', 'high', 'fail', 'global',
                        'arn:aws:iam::111122223333:user/alice', 'AWS::IAM::User', 'no MFA', 'enable MFA', NULL)
                """,
                """
                INSERT INTO scan_errors (scan_id, account_id, kind, service, operation, region, resource, message)
                VALUES (1, '111122223333', 'access-denied', 'iam', 'ListUsers', 'global', NULL, 'denied')
                """,
            ] { try await database.execute(sql, on: old) }
            await old.close()

            let store = try await database.open()
            #expect(try await database.appliedMigrations(store) == ["v1-initial", "v2-uids-runs", "v3-hunts"])
            let scan = try #require(try await store.scan(1))
            #expect(scan.runId == nil)
            #expect(scan.kind == .org && scan.target == "org:111122223333" && scan.parameters == "regions=eu-west-1")
            #expect(scan.startedAt == Date(timeIntervalSince1970: 1_600_000_000.5))
            #expect(scan.finishedAt == Date(timeIntervalSince1970: 1_600_000_100.5))
            #expect(scan.state == .complete && scan.toolVersion == "0.1.0")
            #expect(scan.failing == ["high": 1] && scan.errors == 1 && scan.accounts == 1 && scan.muted == 0)
            #expect(try await store.metrics(scan: 1) == Data(#"{"score":50}"#.utf8))
            let expectedFinding = StoredFinding(
                fingerprint: "fp-old-1",
                finding: Finding(check: "iam-user-mfa", title: "MFA", severity: .high, status: .fail, account: "111122223333", region: "global",
                                 resource: "arn:aws:iam::111122223333:user/alice", resourceType: "AWS::IAM::User", message: "no MFA",
                                 remediation: "enable MFA", resourceUid: nil),
                resourceUid: nil, mutedReason: nil)
            #expect(try await store.findings(scan: 1) == [expectedFinding])
            #expect(try await store.accounts(scan: 1) == [AccountRecord(accountId: "111122223333", name: "Prod", ouPath: "r-ab12/ou-prod", state: .done,
                                                                       finishedAt: Date(timeIntervalSince1970: 1_600_000_050.25),
                                                                       inventory: ["users": 2], metrics: nil)])
            #expect(try await store.errors(scan: 1).map(\.error.operation) == ["ListUsers"])
            // The upgraded schema takes run ids: a new sharded scan gets the next id.
            let next = try await store.beginScan(Sample.newScan(runId: "after-upgrade"))
            #expect(next.id == 2)
            await store.close()
        }
    }

    /// A database with a schema step from a newer Mamori is refused with a message naming the step.
    static func refusesUnknownMigration(_ backend: Backend) async throws {
        try await withDatabase(backend) { database in
            let store = try await database.open()
            try await database.addFutureMigration("v99-from-the-future", on: store)
            await store.close()
            let error = await #expect(throws: HistoryError.self) { _ = try await database.open() }
            #expect(error?.kind == .migration)
            #expect(error?.description.contains("'v99-from-the-future'") == true)
            #expect(error?.description.contains("from a newer Mamori; upgrade Mamori or use another --db") == true)
        }
    }

    /// Diffs over stored scans: an account moved to another OU changes nothing, and the findings of
    /// an account the later scan could not read are not reported fixed.
    static func diffsStoredScans(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let mfa = StoredFinding(finding: Sample.finding("iam-user-mfa"))
            let bucket = StoredFinding(finding: Sample.finding("s3-public", severity: .critical, account: Sample.other, region: "eu-west-1",
                                                               resource: "arn:aws:s3:::public-assets"))
            let before = try await store.beginScan(Sample.newScan(kind: .org, target: "org:111122223333"))
            try await store.record(AccountResult(account: Sample.accountRecord(ouPath: "r-ab12/ou-dev"), findings: [mfa], errors: []), scan: before.id)
            try await store.record(AccountResult(account: Sample.accountRecord(Sample.other), findings: [bucket], errors: []), scan: before.id)

            let after = try await store.beginScan(Sample.newScan(kind: .org, target: "org:111122223333"))
            // The first account moved from the dev OU to the prod OU; the second could not be read.
            try await store.record(AccountResult(account: Sample.accountRecord(ouPath: "r-ab12/ou-prod"), findings: [mfa], errors: []), scan: after.id)
            try await store.record(AccountResult(account: Sample.accountRecord(Sample.other, state: .failed), findings: [],
                                                 errors: [Sample.error(Sample.other)]), scan: after.id)

            let unreadable = Set(try await store.accounts(scan: after.id).filter { $0.state == .failed }.map(\.accountId))
            #expect(unreadable == [Sample.other])
            let diff = ScanDiff.compare(old: try await store.findings(scan: before.id), new: try await store.findings(scan: after.id),
                                        unreadableAccounts: unreadable)
            #expect(diff.new.isEmpty)
            #expect(diff.fixed.isEmpty)
            #expect(diff.open.map(\.finding) == [mfa])
            #expect(diff.moved.isEmpty)
        }
    }
}

import Foundation
import MamoriTestSupport
import Testing

/// `scan --org --shard I/N --run NAME`: N processes scan disjoint shards into one store and
/// `mamori report render --scan` reads the merged scan, equal to one uninterrupted scan. Runs
/// against the PostgreSQL server of the test set-up (scripts/setup-postgres.sh) when there is one,
/// and always against one SQLite file shared by the processes.
@Suite(.serialized)
struct ShardTests {
    static let postgresURL = ProcessInfo.processInfo.environment["MAMORI_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    func arguments() throws -> [String] {
        let org = try OrgTests.org.get()
        return ["scan", "--org", "--endpoint-url", org.estate.endpoint, "--region", "us-east-1", "--quiet", "--format", "json", "--all"]
    }

    func lines(_ json: String) throws -> [String] {
        guard let array = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else { return [] }
        return array.map { f in ["check", "status", "account", "region", "resource", "message"].map { f[$0] as? String ?? "" }.joined(separator: "|") }.sorted()
    }

    /// Runs three shard workers at once and returns the merged report's findings and each worker's accounts.
    func shardedRun(db: String) throws -> (merged: [String], perShard: [Set<String>]) {
        var processes: [(ChildProcess, Pipe)] = []
        for index in 0..<3 {
            let child = ChildProcess(Mamori.binary, try arguments() + ["--db", db, "--shard", "\(index)/3", "--run", "nightly"],
                                     environment: Mamori.environment(), name: "mamori scan --org --shard \(index)/3")
            let out = Pipe()
            child.process.standardOutput = out
            child.process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try child.start(deadline: 300)
            processes.append((child, out))
        }
        var perShard: [Set<String>] = []
        for (child, out) in processes {
            let data = out.fileHandleForReading.readDataToEndOfFile()
            try child.wait()
            perShard.append(Set(try lines(String(decoding: data, as: UTF8.self)).map { String($0.split(separator: "|")[2]) }))
        }
        let history = try Mamori.run(["history", "--db", db, "--format", "json"])
        let scans = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(scans.count == 1, "all shards write into one scan: \(history.stdout)")
        #expect(scans.first?["pending"] as? Int == 0)
        #expect(scans.first?["runId"] as? String == "nightly")
        let id = scans.first?["id"] as? Int ?? 0
        let report = try Mamori.run(["report", "render", "--scan", String(id), "--db", db, "--format", "json", "--all"])
        return (try lines(report.stdout), perShard)
    }

    func check(db: String) throws {
        let reference = try lines(try Mamori.run(try arguments() + ["--no-history"]).stdout)
        let (merged, perShard) = try shardedRun(db: db)
        #expect(merged == reference)
        let all = perShard.reduce(Set<String>()) { $0.union($1) }
        #expect(perShard.map(\.count).reduce(0, +) == all.count, "shards are disjoint: \(perShard)")
        #expect(all == Set(reference.map { String($0.split(separator: "|")[2]) }))
    }

    @Test func shardsShareOneSQLiteFile() throws {
        try check(db: Mamori.tempDir() + "/shared.sqlite")
    }

    @Test(.enabled(if: postgresURL != nil, "no PostgreSQL test server (scripts/setup-postgres.sh found none): PostgreSQL sharding not tested"))
    func shardsShareOnePostgreSQL() throws {
        guard let admin = Self.postgresURL else { return }
        let name = "mamori_shard_\(UInt32.random(in: 0...UInt32.max))"
        let psql = try ChildProcess.run("/usr/bin/env", ["psql", admin, "-q", "-c", "CREATE DATABASE \(name)"], deadline: 60)
        #expect(psql.status == 0)
        var components = URLComponents(string: admin)
        components?.path = "/\(name)"
        try check(db: components?.string ?? admin)
    }

    @Test func shardNeedsARunName() throws {
        let run = try Mamori.run(["scan", "--org", "--shard", "0/2"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--shard needs --run"))
        let bad = try Mamori.run(["scan", "--org", "--shard", "2/2", "--run", "x"])
        #expect(bad.status == 2)
    }
}

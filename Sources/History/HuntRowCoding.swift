import Foundation
import MamoriCore

/// The one mapping between hunt records and the `hunt_runs` / `hunt_alerts` columns, for both stores.
extension RowCoding {
    /// `HistorySchema.huntRunColumns`, in order.
    public static func values(_ run: HuntRunRecord) -> [HistoryValue] {
        [.text(run.huntKey), .integer(Int64(run.shardIndex)), .integer(Int64(run.shardCount)),
         .real(run.startedAt.timeIntervalSince1970), .real(run.finishedAt.timeIntervalSince1970), .text(jsonText(run.sources)),
         run.since.map { .real($0.timeIntervalSince1970) } ?? .null, run.until.map { .real($0.timeIntervalSince1970) } ?? .null,
         .text(run.parameters), .integer(Int64(run.eventsRead)), .integer(Int64(run.files)), .text(jsonText(run.unread)),
         .integer(Int64(run.exitStatus)), .text(run.toolVersion)]
    }

    /// `run_id` then `HistorySchema.huntAlertColumns`, in order.
    public static func values(_ alert: HuntAlertRecord, run: Int64) -> [HistoryValue] {
        [.integer(run), .text(alert.ruleId), .text(alert.title), .text(alert.level), .text(alert.actor), .text(alert.actorType),
         .text(alert.account), .text(jsonText(alert.accounts)), .text(alert.firstSeen), .text(alert.lastSeen),
         .integer(Int64(alert.count)), .text(jsonText(alert.regions)), .text(jsonText(alert.sourceIPs)),
         .text(jsonText(alert.userAgents)), .text(jsonText(alert.eventNames)), .text(jsonText(alert.eventIds)),
         .integer(alert.eventIdsTruncated ? 1 : 0)]
    }

    public static func huntRun(_ row: RowValues) throws(HistoryError) -> HuntRunRecord {
        guard let id = row.integer("id") else { throw HistoryError(.query, "the history store has a hunt run without an id") }
        func int(_ column: String) -> Int { Int(row.integer(column) ?? 0) }
        return HuntRunRecord(
            id: id, huntKey: try row.required("hunt_key"), shardIndex: int("shard_index"), shardCount: max(1, int("shard_count")),
            startedAt: Date(timeIntervalSince1970: row.real("started_at") ?? 0),
            finishedAt: Date(timeIntervalSince1970: row.real("finished_at") ?? 0),
            sources: try decodedJSON("sources", row), since: row.real("since").map(Date.init(timeIntervalSince1970:)),
            until: row.real("until").map(Date.init(timeIntervalSince1970:)), parameters: row.text("parameters") ?? "",
            eventsRead: int("events_read"), files: int("files"), unread: try decodedJSON("unread", row),
            exitStatus: int("exit_status"), toolVersion: try row.required("tool_version"), alerts: int("alert_count"))
    }

    public static func huntAlert(_ row: RowValues) throws(HistoryError) -> HuntAlertRecord {
        HuntAlertRecord(
            ruleId: try row.required("rule_id"), title: try row.required("title"), level: try row.required("level"),
            actor: try row.required("actor"), actorType: try row.required("actor_type"), account: try row.required("account"),
            accounts: try decodedJSON("accounts", row), firstSeen: try row.required("first_seen"), lastSeen: try row.required("last_seen"),
            count: Int(row.integer("count") ?? 0), regions: try decodedJSON("regions", row), sourceIPs: try decodedJSON("source_ips", row),
            userAgents: try decodedJSON("user_agents", row), eventNames: try decodedJSON("event_names", row),
            eventIds: try decodedJSON("event_ids", row), eventIdsTruncated: (row.integer("event_ids_truncated") ?? 0) != 0)
    }

    static func jsonText<T: Encodable>(_ value: T) -> String {
        (try? StableJSON.encode(value, .compact)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
    }

    static func decodedJSON<T: Decodable>(_ column: String, _ row: RowValues) throws(HistoryError) -> T {
        let text = try row.required(column)
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) }
        catch { throw HistoryError(.query, "the history store has an unreadable \(column) in a hunt row (written by a newer Mamori?): \(error)") }
    }
}

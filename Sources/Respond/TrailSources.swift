import AWSClient
import Foundation
import StreamIO

/// Where CloudTrail events come from: LookupEvents, a trail's S3 log files, local files.
public enum TrailSources {
    /// Reads `.json` and `.json.gz` CloudTrail files from a file or a folder (recursively).
    /// A file that cannot be read or parsed is a note; the other files are still read.
    public static func local(_ path: String, notes: inout [StepNote]) throws -> [TrailEvent] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RespondInputError("--cloudtrail \(path): no such file or folder")
        }
        var files: [String] = []
        if isDirectory.boolValue {
            let enumerator = FileManager.default.enumerator(atPath: path)
            while let name = enumerator?.nextObject() as? String {
                if name.hasSuffix(".json") || name.hasSuffix(".json.gz") { files.append("\(path)/\(name)") }
            }
            files.sort()
        } else {
            files = [path]
        }
        var events: [TrailEvent] = []
        for file in files {
            do {
                let source: any ByteSource
                do { source = try InputOpener.open(file) } catch { throw RespondInputError("cannot read \(file): \(error)") }
                events += try TrailParser.parseFile(try InputOpener.readAll(source), origin: file)
            } catch {
                notes.append(StepNote(step: "cloudtrail", level: .error, message: "\(error)"))
            }
        }
        return events
    }

    /// Decompresses gzip data held in memory (S3 objects).
    static func gunzipIfNeeded(_ data: Data, origin: String) throws -> Data {
        guard InputOpener.isGzip(Array(data.prefix(2))) else { return data }
        do { return try InputOpener.readAll(try InputOpener.open(data: data, name: origin)) }
        catch { throw RespondInputError("\(origin): \(error)") }
    }

    /// A trail that delivers to S3.
    public struct Trail: Sendable, Codable {
        public var name: String
        public var bucket: String
        public var prefix: String?
        public var homeRegion: String?
    }

    public static func trails(client: AWSClient, region: String) async throws(AWSError) -> [Trail] {
        let answer = try await client.json(.cloudtrail, region: region, operation: "DescribeTrails", ["includeShadowTrails": true])
        var seen = Set<String>()
        return (answer["trailList"]?.array ?? []).compactMap { trail in
            guard let bucket = trail["S3BucketName"]?.string, let name = trail["Name"]?.string else { return nil }
            let id = "\(bucket)/\(trail["S3KeyPrefix"]?.string ?? "")"
            guard seen.insert(id).inserted else { return nil }
            return Trail(name: name, bucket: bucket, prefix: trail["S3KeyPrefix"]?.string, homeRegion: trail["HomeRegion"]?.string)
        }
    }

    /// Reads a trail's log files for `account` delivered on or after `since`
    /// (`PREFIX/AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/…json.gz`).
    public static func s3(trail: Trail, account: String, since: Date, client: AWSClient, region: String,
                          notes: inout [StepNote]) async throws -> [TrailEvent] {
        let base = (trail.prefix.map { $0.isEmpty ? "" : "\($0)/" } ?? "") + "AWSLogs/\(account)/CloudTrail/"
        let bucketRegion = trail.homeRegion ?? region
        let keys = try await client.listObjects(bucket: trail.bucket, prefix: base, region: bucketRegion) {
            isOnOrAfter($0, base: base, since: since)
        }.map(\.key)
        var events: [TrailEvent] = []
        for key in keys where key.hasSuffix(".json.gz") || key.hasSuffix(".json") {
            let origin = "s3://\(trail.bucket)/\(key)"
            do {
                let object = try await client.restXML(.s3, region: bucketRegion, bucket: trail.bucket, path: "/" + key, operation: "GetObject")
                events += try TrailParser.parseFile(try gunzipIfNeeded(object.body, origin: origin), origin: origin)
            } catch {
                notes.append(StepNote(step: "cloudtrail", level: .error, message: "\(origin): \(error)"))
            }
        }
        return events
    }

    /// True when the key's `REGION/YYYY/MM/DD` part is on or after `since` (unparseable keys are kept).
    static func isOnOrAfter(_ key: String, base: String, since: Date) -> Bool {
        let parts = key.dropFirst(base.count).split(separator: "/")
        guard parts.count >= 4, let y = Int(parts[1]), let m = Int(parts[2]), let d = Int(parts[3]) else { return true }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        guard let day = calendar.date(from: DateComponents(year: y, month: m, day: d)) else { return true }
        return day.addingTimeInterval(86_400) > since
    }

    /// LookupEvents in one region for one access key (CloudTrail keeps 90 days of management events).
    public static func lookup(accessKey: String, region: String, since: Date, client: AWSClient,
                              notes: inout [StepNote]) async throws(AWSError) -> [TrailEvent] {
        var events: [TrailEvent] = []
        let input: [String: JSONValue] = [
            "LookupAttributes": [["AttributeKey": "AccessKeyId", "AttributeValue": .string(accessKey)]],
            "StartTime": .number(since.timeIntervalSince1970.rounded()),
            "MaxResults": 50,
        ]
        try await client.jsonPages(.cloudtrail, region: region, operation: "LookupEvents", input) { page in
            for item in page["Events"]?.array ?? [] {
                guard let text = item["CloudTrailEvent"]?.string, let event = TrailParser.event(json: text, origin: "LookupEvents \(region)") else {
                    notes.append(StepNote(step: "cloudtrail", level: .warning,
                                          message: "LookupEvents \(region): event \(item["EventId"]?.string ?? "?") has no readable CloudTrailEvent"))
                    continue
                }
                events.append(event)
            }
        }
        return events
    }
}

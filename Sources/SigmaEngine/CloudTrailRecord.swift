import Foundation
import LogReaders

/// One CloudTrail event as the SIGMA engine sees it: the event object flattened with dots, the
/// field names CloudTrail writes and SigmaHQ's aws rules use (`eventName`, `eventSource`,
/// `userIdentity.arn`, `userIdentity.sessionContext.sessionIssuer.userName`,
/// `requestParameters.bucketName`, `errorCode`, `sourceIPAddress`, …).
///
/// Arrays are kept twice: under their own name as compact JSON text (no spaces outside strings,
/// whatever the writer's layout), so `requestParameters.filterSet.items|contains: '"name":"name"'`
/// looks inside them; and element by element under their index, so
/// `requestParameters.instancesSet.items.0.imageId` names the AMI a `RunInstances` launched.
/// JSON `null` and empty objects leave no field (so `|exists: false` matches them); strings are
/// decoded; numbers and booleans keep their JSON text (`true`, `1`).
public enum CloudTrailRecord {
    /// Flattens one event object (the bytes of one element of a trail file's `Records` array,
    /// or one line of JSON lines).
    public static func parse(_ json: UnsafeRawBufferPointer) throws(LogDetectError) -> Record {
        do throws(LineProblem) {
            return try JSONObject.flatten(json, indexArrays: true)
        } catch {
            throw .invalidEvent(reason: error.reason)
        }
    }

    /// Convenience for tests and small inputs.
    public static func parse(_ json: [UInt8]) throws(LogDetectError) -> Record {
        var result: Result<Record, LogDetectError> = .failure(.invalidEvent(reason: "empty"))
        json.withUnsafeBytes { raw in
            do throws(LogDetectError) { result = .success(try parse(raw)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// `eventTime` (`2025-10-10T12:34:56Z`, optionally with fractional seconds) as a Date; nil when
    /// absent or not in CloudTrail's format.
    public static func eventTime(_ record: Record) -> Date? {
        guard let raw = record["eventTime"] else { return nil }
        return parseTime(raw)
    }

    /// Parses CloudTrail's UTC timestamp form `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
    public static func parseTime(_ raw: [UInt8]) -> Date? {
        guard raw.count >= 20, raw[4] == 0x2D, raw[7] == 0x2D, raw[10] == 0x54, raw[13] == 0x3A, raw[16] == 0x3A,
              raw.last == 0x5A else { return nil }
        func num(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for i in a..<b {
                let c = raw[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
              let s = num(17, 19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var fraction = 0.0
        if raw.count > 20 {
            guard raw[19] == 0x2E, raw.count > 21, let f = num(20, raw.count - 1) else { return nil }
            fraction = Double(f) / pow(10, Double(raw.count - 21))
        } else if raw[19] != 0x5A {
            return nil
        }
        // Days from civil (Howard Hinnant's algorithm), no calendar object per event.
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = Double(days * 86_400 + h * 3600 + mi * 60 + s) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// The top-level fields of a CloudTrail record (AWS CloudTrail User Guide, "CloudTrail record
    /// contents"). A hunt rule naming any other top-level field is refused: a typo would otherwise
    /// never match and never say so. `mamori.` is the namespace for fields the hunt adds itself.
    public static let topLevelFields: Set<String> = [
        "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
        "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters",
        "responseElements", "additionalEventData", "requestID", "eventID", "eventType", "apiVersion",
        "managementEvent", "readOnly", "resources", "recipientAccountId", "serviceEventDetails",
        "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "eventCategory", "addendum",
        "sessionCredentialFromConsole", "edgeDeviceDetails", "tlsDetails", "insightDetails",
        "mamori",
    ]

    /// Who a share-out event grants access to: `"all"` or account ids, from `ModifyImageAttribute`
    /// (launchPermission add), `ModifySnapshotAttribute` (createVolumePermission add) and
    /// `ModifyDBSnapshotAttribute`/`ModifyDBClusterSnapshotAttribute` (`valuesToAdd`). The hunt
    /// uses it to drop `aws_shared_out_account` alerts whose accounts are all trusted; empty for
    /// other events.
    public static func shareTargets(_ record: Record) -> [String] {
        let prefixes: [String]
        switch record.text(["eventName"]) {
        case "ModifyImageAttribute": prefixes = ["requestParameters.launchPermission.add.items"]
        case "ModifySnapshotAttribute": prefixes = ["requestParameters.createVolumePermission.add.items"]
        case "ModifyDBSnapshotAttribute", "ModifyDBClusterSnapshotAttribute": prefixes = ["requestParameters.valuesToAdd"]
        default: return []
        }
        var targets: [String] = []
        for prefix in prefixes {
            var i = 0
            while true {
                let item = prefix + "." + String(i)
                if let group = record.text([item + ".group"]) { targets.append(group.lowercased()) }
                else if let user = record.text([item + ".userId", item]) { targets.append(user) }
                else if record.fields.keys.contains(where: { $0.hasPrefix(item + ".") }) { /* organisation ARNs: not an account */ }
                else { break }
                i += 1
            }
        }
        return targets
    }

    /// True when `field` starts with a CloudTrail top-level field.
    public static func isKnownField(_ field: String) -> Bool {
        let top = field.split(separator: ".", maxSplits: 1).first.map(String.init) ?? field
        return topLevelFields.contains(top)
    }
}

import AWSClient
import Foundation

/// A resource that may have been created by whoever holds the leaked key.
public struct SuspectResource: Codable, Sendable, Hashable {
    /// "ec2-instance", "spot-request", "key-pair", "lambda-function", "iam-user", "iam-role", "access-key".
    public var type: String
    public var id: String
    public var region: String
    public var created: Date?
    /// Who created it, when CloudTrail says so (principal and access key).
    public var createdBy: String?
    /// True when CloudTrail attributes it to the leaked key or something it created.
    public var attributedToLeak: Bool
    /// The IAM user an access key belongs to.
    public var owner: String? = nil
    /// A command a human can run to remove it after review.
    public var removal: String
}

/// Step 5: lists what was created in every region since the exposure window began.
public enum RegionSweep {
    /// Enabled regions (DescribeRegions), for "every region".
    public static func enabledRegions(client: AWSClient, region: String) async throws(AWSError) -> [String] {
        try await client.query(.ec2, region: region, action: "DescribeRegions").list("regionInfo")
            .compactMap { $0.string("regionName") }.sorted()
    }

    /// Sweeps one region's EC2 instances, spot requests, key pairs and Lambda functions.
    public static func sweepRegion(_ region: String, since: Date, client: AWSClient, notes: inout [StepNote]) async -> [SuspectResource] {
        var found: [SuspectResource] = []
        do {
            for reservation in try await client.ec2All(region: region, action: "DescribeInstances", list: "reservationSet") {
                for instance in reservation.list("instancesSet") {
                    guard let id = instance.string("instanceId"), instance.child("instanceState")?.string("name") != "terminated" else { continue }
                    let launched = AWSDate.parse(instance.string("launchTime"))
                    if let launched, launched < since { continue }
                    found.append(SuspectResource(type: "ec2-instance", id: id, region: region, created: launched, createdBy: nil, attributedToLeak: false,
                                                 removal: "aws ec2 terminate-instances --region \(region) --instance-ids \(id)"))
                }
            }
        } catch { notes.append(StepNote(step: "sweep", level: .error, message: "\(region): DescribeInstances: \(error)")) }
        do {
            for request in try await client.ec2All(region: region, action: "DescribeSpotInstanceRequests", list: "spotInstanceRequestSet") {
                guard let id = request.string("spotInstanceRequestId") else { continue }
                let created = AWSDate.parse(request.string("createTime"))
                if let created, created < since { continue }
                if ["cancelled", "closed"].contains(request.string("state") ?? "") { continue }
                found.append(SuspectResource(type: "spot-request", id: id, region: region, created: created, createdBy: nil, attributedToLeak: false,
                                             removal: "aws ec2 cancel-spot-instance-requests --region \(region) --spot-instance-request-ids \(id)"))
            }
        } catch { notes.append(StepNote(step: "sweep", level: .error, message: "\(region): DescribeSpotInstanceRequests: \(error)")) }
        do {
            for pair in try await client.query(.ec2, region: region, action: "DescribeKeyPairs").list("keySet") {
                guard let name = pair.string("keyName") else { continue }
                let created = AWSDate.parse(pair.string("createTime"))
                if let created, created < since { continue }
                found.append(SuspectResource(type: "key-pair", id: name, region: region, created: created, createdBy: nil, attributedToLeak: false,
                                             removal: "aws ec2 delete-key-pair --region \(region) --key-name \(name)"))
            }
        } catch { notes.append(StepNote(step: "sweep", level: .error, message: "\(region): DescribeKeyPairs: \(error)")) }
        do {
            try await Paginator.run("ListFunctions") { (marker: String?) throws(AWSError) -> String? in
                let query = marker.map { [QueryItem("Marker", $0)] } ?? []
                let page = try await client.restJSON(.lambda, region: region, method: "GET", path: "/2015-03-31/functions/", query: query, operation: "ListFunctions")
                for function in page["Functions"]?.array ?? [] {
                    guard let name = function["FunctionName"]?.string else { continue }
                    let modified = AWSDate.parse(function["LastModified"]?.string.map(lambdaDate))
                    if let modified, modified < since { continue }
                    found.append(SuspectResource(type: "lambda-function", id: name, region: region, created: modified, createdBy: nil, attributedToLeak: false,
                                                 removal: "aws lambda delete-function --region \(region) --function-name \(name)"))
                }
                return page["NextMarker"]?.string
            }
        } catch { notes.append(StepNote(step: "sweep", level: .error, message: "\(region): Lambda ListFunctions: \(error)")) }
        return found
    }

    /// Lambda writes `2024-01-02T03:04:05.000+0000`; ISO 8601 wants a colon in the offset.
    static func lambdaDate(_ text: String) -> String {
        guard text.hasSuffix("+0000") else { return text }
        return String(text.dropLast(5)) + "Z"
    }

    /// IAM users, roles and access keys created since `since` (global).
    public static func sweepIAM(since: Date, client: AWSClient, region: String, notes: inout [StepNote]) async -> [SuspectResource] {
        var found: [SuspectResource] = []
        do {
            for user in try await client.queryAll(.iam, region: region, action: "ListUsers", list: "Users") {
                guard let name = user.string("UserName") else { continue }
                let created = AWSDate.parse(user.string("CreateDate"))
                if created.map({ $0 >= since }) ?? true {
                    found.append(SuspectResource(type: "iam-user", id: name, region: "global", created: created, createdBy: nil, attributedToLeak: false,
                                                 removal: "aws iam delete-user --user-name \(name) (remove its keys, login profile and policies first)"))
                }
                for key in try await KeyOwnerLookup.listKeys(name, client: client, region: region) where (key.createDate.map { $0 >= since } ?? true) {
                    found.append(SuspectResource(type: "access-key", id: key.accessKeyId, region: "global", created: key.createDate, createdBy: nil,
                                                 attributedToLeak: false, owner: name,
                                                 removal: "aws iam delete-access-key --user-name \(name) --access-key-id \(key.accessKeyId)"))
                }
            }
        } catch { notes.append(StepNote(step: "sweep", level: .error, message: "IAM users and keys: \(error)")) }
        do {
            for role in try await client.queryAll(.iam, region: region, action: "ListRoles", list: "Roles") {
                guard let name = role.string("RoleName"), !(role.string("Path") ?? "").hasPrefix("/aws-service-role/") else { continue }
                let created = AWSDate.parse(role.string("CreateDate"))
                if created.map({ $0 >= since }) ?? true {
                    found.append(SuspectResource(type: "iam-role", id: name, region: "global", created: created, createdBy: nil, attributedToLeak: false,
                                                 removal: "aws iam delete-role --role-name \(name) (detach its policies first)"))
                }
            }
        } catch { notes.append(StepNote(step: "sweep", level: .error, message: "IAM roles: \(error)")) }
        return found
    }

    /// Fills `createdBy` from CloudTrail: the first event that created each resource.
    public static func attribute(_ resources: [SuspectResource], all: [TrailEvent], attributable: [TrailEvent]) -> [SuspectResource] {
        var creator: [String: TrailEvent] = [:]
        for event in all.sorted(by: { $0.time < $1.time }) {
            for id in event.createdResources where creator[id] == nil { creator[id] = event }
        }
        let leaked = Set(attributable.map(\.eventId))
        return resources.map { resource in
            var r = resource
            if let event = creator[resource.id] {
                r.createdBy = "\(event.principal ?? "unknown") with \(event.accessKeyId ?? "no key") (\(event.name), \(AWSDate.format(event.time)))"
                r.attributedToLeak = leaked.contains(event.eventId)
            }
            return r
        }
    }
}

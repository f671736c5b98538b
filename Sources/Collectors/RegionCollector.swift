import AWSClient
import Foundation
import MamoriCore
import Inventory

/// Everything regional: EC2 metadata settings, SNS, SQS, CloudTrail, GuardDuty, Security Hub.
struct RegionCollector {
    let context: CollectionContext
    let region: String
    /// Whether to look for keys inside resources (CloudKeyCollector and launch template user data).
    var cloudKeys = true
    /// Which AMI references beyond instances, templates and Auto Scaling to read.
    var amiReferences = AMIReferenceParts.all

    func collect() async -> RegionInventory {
        context.progress("\(region): EC2, SNS, SQS, CloudTrail, GuardDuty, Security Hub")
        async let instances = context.attempt(.ec2, "DescribeInstances", region: region) { try await fetchInstances() }
        async let templates = context.attempt(.ec2, "DescribeLaunchTemplates", region: region) { try await fetchLaunchTemplates() }
        async let defaults = context.attempt(.ec2, "GetInstanceMetadataDefaults", region: region) { () async throws -> IMDSDefaults in
            let result = try await context.client.query(.ec2, region: region, action: "GetInstanceMetadataDefaults")
            // Absent fields mean "no account-level preference".
            return IMDSDefaults(httpTokens: result.path("accountLevel", "httpTokens")?.text,
                                httpTokensEnforced: result.path("accountLevel", "httpTokensEnforced")?.text)
        }
        async let topics = context.attempt(.sns, "ListTopics", region: region) { try await fetchTopics() }
        async let queues = context.attempt(.sqs, "ListQueues", region: region) { try await fetchQueues() }
        async let trails = context.attempt(.cloudtrail, "DescribeTrails", region: region) { try await fetchTrails() }
        async let guardDuty = context.attempt(.guardduty, "ListDetectors", region: region) { try await fetchGuardDuty() }
        async let securityHub = context.attempt(.securityhub, "DescribeHub", region: region) { try await fetchSecurityHub() }
        // SSM parameters are read once for both the key hunt and the AMI references, beside the rest.
        let wantsParameters = cloudKeys || amiReferences.parameters
        async let parameters = wantsParameters ? ParameterReader(context: context, region: region).read() : nil
        var inventory = RegionInventory(region: region)
        inventory.instances = await instances
        let templateResult = await templates
        inventory.launchTemplates = templateResult?.templates
        inventory.imdsDefaults = await defaults
        inventory.topics = await topics
        inventory.queues = await queues
        inventory.trails = await trails
        inventory.guardDuty = await guardDuty
        inventory.securityHub = await securityHub
        // The key hunt needs the instances (one user data call each); it runs beside the image look-ups.
        let (known, templateKeys) = (inventory.instances ?? [], templateResult?.keys)
        let wantsKeys = cloudKeys
        let parameterRead = await parameters
        async let keys = wantsKeys
            ? CloudKeyCollector(context: context, region: region).collect(instances: known, templates: templateKeys, parameters: parameterRead) : nil
        inventory.images = await ImageCollector(context: context, region: region)
            .collect(instances: inventory.instances ?? [], templates: inventory.launchTemplates ?? [],
                     parameters: amiReferences.parameters ? parameterRead?.images : nil, references: amiReferences)
        inventory.cloudKeys = await keys
        return inventory
    }

    func fetchInstances() async throws -> [EC2Instance] {
        var result: [EC2Instance] = []
        try await queryPages(context, .ec2, region: region, action: "DescribeInstances", ["MaxResults": "1000"],
                             inputToken: "NextToken", outputToken: "nextToken") { page in
            for reservation in page.list("reservationSet") {
                for item in reservation.list("instancesSet") {
                    guard let id = item.string("instanceId") else { continue }
                    let options = item.child("metadataOptions")
                    let tags = item.list("tagSet")
                    func tag(_ key: String) -> String? { tags.first { $0.string("key") == key }?.string("value") }
                    let template = tag("aws:ec2launchtemplate:id")
                    var instance = EC2Instance(
                        id: id, state: item.path("instanceState", "name")?.text ?? "unknown", imageId: item.string("imageId"),
                        launched: item.date("launchTime"), metadata: Self.metadataOptions(options), launchTemplateId: template,
                        containerMarker: ContainerHosts.marker(tagKeys: tags.compactMap { $0.string("key") }))
                    instance.stackName = tag("aws:cloudformation:stack-name")
                    instance.launchTemplateVersion = tag("aws:ec2launchtemplate:version")
                    instance.launchedBy = Self.launcher(tag)
                    result.append(instance)
                }
            }
        }
        return result
    }

    /// What launched an instance, from the tags Auto Scaling, EC2 Fleet and Spot Fleet put on it.
    static func launcher(_ tag: (String) -> String?) -> String? {
        if let group = tag("aws:autoscaling:groupName") { return "Auto Scaling group \(group)" }
        if let fleet = tag("aws:ec2:fleet-id") { return "EC2 Fleet \(fleet)" }
        if let request = tag("aws:ec2spot:fleet-request-id") { return "Spot Fleet request \(request)" }
        return nil
    }

    /// Templates with every version read; the versions' user data is scanned for keys here, so the
    /// key hunt costs no second DescribeLaunchTemplateVersions.
    func fetchLaunchTemplates() async throws -> (templates: [LaunchTemplate], keys: TemplateKeys) {
        var templates: [LaunchTemplate] = []
        try await queryPages(context, .ec2, region: region, action: "DescribeLaunchTemplates", ["MaxResults": "200"],
                             inputToken: "NextToken", outputToken: "nextToken") { page in
            for item in page.list("launchTemplates") {
                guard let id = item.string("launchTemplateId") else { continue }
                var template = LaunchTemplate(id: id, name: item.string("launchTemplateName") ?? id,
                                              defaultVersion: item.string("defaultVersionNumber").flatMap(Int.init),
                                              containerMarker: ContainerHosts.marker(tagKeys: item.list("tagSet").compactMap { $0.string("key") }))
                template.stackName = item.list("tagSet").first { $0.string("key") == "aws:cloudformation:stack-name" }?.string("value")
                templates.append(template)
            }
        }
        let context = self.context
        let region = self.region
        let scanKeys = cloudKeys
        let read = await boundedMap(templates, limit: context.fanOut) { template -> (LaunchTemplate, [CloudKeyHit]?) in
            var template = template
            // Every version, not only $Default and $Latest: any of them can be launched explicitly.
            let versions = await context.attempt(.ec2, "DescribeLaunchTemplateVersions", region: region, resource: template.id) {
                var items: [XElement] = []
                try await queryPages(context, .ec2, region: region, action: "DescribeLaunchTemplateVersions",
                                     ["LaunchTemplateId": template.id, "MaxResults": "200"], inputToken: "NextToken", outputToken: "nextToken") { page in
                    items += page.list("launchTemplateVersionSet")
                }
                return items
            }
            let items = versions ?? []
            let defaultItem = items.first { $0.bool("defaultVersion") == true } ?? items.first
            if let data = defaultItem?.child("launchTemplateData") {
                template.metadata = Self.metadataOptions(data.child("metadataOptions"))
                template.imageId = data.string("imageId")
                // Tags the template puts on its instances, then the user data (decoded here, never kept).
                let launchTags = data.list("tagSpecificationSet").flatMap { $0.list("tagSet").compactMap { $0.string("key") } }
                let userData = data.string("userData").flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
                template.containerMarker = template.containerMarker ?? ContainerHosts.marker(tagKeys: launchTags)
                    ?? ContainerHosts.marker(userData: userData)
            }
            let latest = items.max { (Int($0.string("versionNumber") ?? "") ?? 0) < (Int($1.string("versionNumber") ?? "") ?? 0) }
            template.latestVersion = latest?.string("versionNumber").flatMap(Int.init)
            if let image = latest?.path("launchTemplateData", "imageId")?.text, image != template.imageId {
                template.latestImageId = image
            }
            let others = items.compactMap { item -> TemplateVersionImage? in
                guard let version = item.string("versionNumber").flatMap(Int.init), version != template.defaultVersion,
                      version != template.latestVersion, let image = item.path("launchTemplateData", "imageId")?.text else { return nil }
                return TemplateVersionImage(version: version, imageId: image)
            }.sorted { $0.version < $1.version }
            if versions != nil { template.otherVersionImages = others }
            var origins: [String: String] = [:]
            for item in items {
                guard let version = item.string("versionNumber") else { continue }
                let parts = [item.string("createTime").map { "created \($0)" }, item.string("createdBy").map { "by \($0)" }].compactMap { $0 }
                if !parts.isEmpty { origins[version] = parts.joined(separator: " ") }
            }
            if !origins.isEmpty { template.versionOrigins = origins }
            guard versions != nil, scanKeys else { return (template, nil) }
            let arn = Partition(region: region).arn("ec2", region: region, account: context.accountId, "launch-template/\(template.id)")
            let keys = CloudKeyCollector(context: context, region: region)
            var hits: [CloudKeyHit] = []
            for item in items {
                let version = item.string("versionNumber") ?? "?"
                hits += await keys.userData(item.path("launchTemplateData", "userData")?.text, resource: arn, type: "AwsEc2LaunchTemplate",
                                            field: "LaunchTemplateData.UserData (version \(version))", operation: "DescribeLaunchTemplateVersions")
            }
            return (template, hits)
        }
        return (read.map(\.0), TemplateKeys(hits: read.compactMap(\.1).flatMap { $0 }, templates: read.filter { $0.1 != nil }.count))
    }

    /// `metadataOptions` of an instance or a launch template version.
    static func metadataOptions(_ options: XElement?) -> MetadataOptions {
        MetadataOptions(httpTokens: options?.string("httpTokens"), httpEndpoint: options?.string("httpEndpoint"),
                        httpPutResponseHopLimit: options?.string("httpPutResponseHopLimit").flatMap(Int.init))
    }

    func fetchTopics() async throws -> [SNSTopic] {
        var arns: [String] = []
        try await queryPages(context, .sns, region: region, action: "ListTopics", inputToken: "NextToken", outputToken: "NextToken") { page in
            arns += page.list("Topics").compactMap { $0.string("TopicArn") }
        }
        let context = self.context
        let region = self.region
        return await boundedMap(arns, limit: context.fanOut) { arn in
            let attributes = await context.attempt(.sns, "GetTopicAttributes", region: region, resource: arn) {
                try await context.client.query(.sns, region: region, action: "GetTopicAttributes", ["TopicArn": arn]).list("Attributes")
            }
            let policy = attributes?.first { $0.string("key") == "Policy" }?.string("value")
            return SNSTopic(arn: arn, policy: policy)
        }
    }

    func fetchQueues() async throws -> [SQSQueue] {
        var urls: [String] = []
        try await jsonPages(context, .sqs, region: region, operation: "ListQueues", ["MaxResults": 1000]) { page in
            urls += page["QueueUrls"]?.array.compactMap(\.string) ?? []
        }
        let context = self.context
        let region = self.region
        return await boundedMap(urls, limit: context.fanOut) { url in
            let attributes = await context.attempt(.sqs, "GetQueueAttributes", region: region, resource: url) {
                try await context.client.json(.sqs, region: region, operation: "GetQueueAttributes",
                                              ["QueueUrl": .string(url), "AttributeNames": ["Policy", "QueueArn"]])["Attributes"]
            }
            let arn = attributes??["QueueArn"]?.string ?? url
            return SQSQueue(url: url, arn: arn, policy: attributes??["Policy"]?.string)
        }
    }

    func fetchTrails() async throws -> [Trail] {
        let list = try await context.client.json(.cloudtrail, region: region, operation: "DescribeTrails",
                                                 ["includeShadowTrails": true])["trailList"]?.array ?? []
        var trails: [Trail] = []
        for item in list {
            guard let arn = item["TrailARN"]?.string else { continue }
            var trail = Trail(name: item["Name"]?.string ?? arn, arn: arn, homeRegion: item["HomeRegion"]?.string,
                              multiRegion: item["IsMultiRegionTrail"]?.bool ?? false,
                              organizationTrail: item["IsOrganizationTrail"]?.bool ?? false)
            // Status is read in the trail's home region, where it is authoritative.
            let home = trail.homeRegion ?? region
            trail.logging = await context.attempt(.cloudtrail, "GetTrailStatus", region: home, resource: arn) {
                try await context.client.json(.cloudtrail, region: home, operation: "GetTrailStatus", ["Name": .string(arn)])["IsLogging"]?.bool ?? false
            }
            trails.append(trail)
        }
        return trails
    }

    func fetchGuardDuty() async throws -> ServiceState {
        let ids = try await context.client.restJSON(.guardduty, region: region, method: "GET", path: "/detector",
                                                    operation: "ListDetectors")["detectorIds"]?.array.compactMap(\.string) ?? []
        guard let id = ids.first else { return ServiceState(enabled: false, detail: "no detector") }
        let detector = try await context.client.restJSON(.guardduty, region: region, method: "GET", path: "/detector/\(id)",
                                                         operation: "GetDetector")
        let status = detector["status"]?.string ?? "UNKNOWN"
        return ServiceState(enabled: status == "ENABLED", detail: "detector \(id) \(status.lowercased())")
    }

    func fetchSecurityHub() async throws -> ServiceState {
        do throws(AWSError) {
            let hub = try await context.client.restJSON(.securityhub, region: region, method: "GET", path: "/accounts", operation: "DescribeHub")
            return ServiceState(enabled: true, detail: hub["HubArn"]?.string)
        } catch {
            // Not subscribed is an answer, not a failure.
            if ["InvalidAccessException", "ResourceNotFoundException"].contains(error.code ?? "") {
                return ServiceState(enabled: false, detail: "not enabled")
            }
            throw error
        }
    }
}

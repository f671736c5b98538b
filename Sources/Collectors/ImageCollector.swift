import AWSClient
import Foundation
import Inventory

/// Which AMI references besides instances, templates and Auto Scaling to enumerate: SSM parameters
/// (read by ParameterReader, shared with the key hunt), EC2 / Spot Fleets and Image Builder recipes.
/// Skipped when no selected check reads them.
public struct AMIReferenceParts: Sendable, Equatable {
    public var parameters: Bool
    public var fleets: Bool
    public var recipes: Bool
    /// DescribeImageReferences for the shared-in AMIs (only `ec2.shared_ami_untrusted` reads it).
    public var sharedImageReferences: Bool
    public init(parameters: Bool = true, fleets: Bool = true, recipes: Bool = true, sharedImageReferences: Bool = true) {
        self.parameters = parameters
        self.fleets = fleets
        self.recipes = recipes
        self.sharedImageReferences = sharedImageReferences
    }
    public static let all = AMIReferenceParts()
}

/// whoAMI and shared-resource data for one region: who owns every AMI in use, the Allowed AMIs
/// setting, and AMIs / snapshots other accounts shared into this one.
struct ImageCollector {
    let context: CollectionContext
    let region: String

    /// `parameters`: the SSM parameters holding AMI ids (ParameterReader; nil when not read).
    /// `references`: which other AMI references to enumerate (the check selection's).
    func collect(instances: [EC2Instance], templates: [LaunchTemplate], parameters: [ParameterImage]? = nil,
                 references: AMIReferenceParts = .all) async -> ImageInventory {
        async let fleets = references.fleets ? fetchFleets() : nil
        async let recipes = references.recipes ? fetchRecipes() : nil
        async let allowed = context.attempt(.ec2, "GetAllowedImagesSettings", region: region) { try await fetchAllowedImages() }
        async let autoscaling = context.attempt(.autoscaling, "DescribeLaunchConfigurations", region: region) { try await fetchLaunchConfigurations() }
        async let groups = context.attempt(.autoscaling, "DescribeAutoScalingGroups", region: region) { try await fetchAutoScalingGroups() }
        async let sharedImages = context.attempt(.ec2, "DescribeImages", region: region, resource: "executable-by-self") { try await fetchSharedImages() }
        async let sharedSnapshots = context.attempt(.ec2, "DescribeSnapshots", region: region, resource: "restorable-by-self") { try await fetchSharedSnapshots() }
        async let sharedDB = context.attempt(.rds, "DescribeDBSnapshots", region: region, resource: "shared") { try await fetchSharedDBSnapshots() }
        async let outImages = context.attempt(.ec2, "DescribeImages", region: region, resource: "owned-by-self") { try await fetchSharedOutImages() }
        async let outSnapshots = context.attempt(.ec2, "DescribeSnapshots", region: region, resource: "owned-by-self") { try await fetchSharedOutSnapshots() }
        async let outDB = context.attempt(.rds, "DescribeDBSnapshots", region: region, resource: "manual") { try await fetchSharedOutDBSnapshots() }
        async let imageBPA = context.attempt(.ec2, "GetImageBlockPublicAccessState", region: region) {
            try await context.client.query(.ec2, region: region, action: "GetImageBlockPublicAccessState").string("imageBlockPublicAccessState")
        }
        async let snapshotBPA = context.attempt(.ec2, "GetSnapshotBlockPublicAccessState", region: region) {
            try await context.client.query(.ec2, region: region, action: "GetSnapshotBlockPublicAccessState").string("state")
        }
        var inventory = ImageInventory()
        inventory.launchConfigurations = await autoscaling
        inventory.autoScalingGroups = await groups
        inventory.parameterImages = parameters
        inventory.fleets = await fleets
        inventory.recipeImages = await recipes
        var referenced = Set(instances.compactMap(\.imageId))
        referenced.formUnion(templates.flatMap(\.allImageIds))
        referenced.formUnion((inventory.launchConfigurations ?? []).compactMap(\.imageId))
        referenced.formUnion((inventory.autoScalingGroups ?? []).flatMap { $0.overrideImageIds ?? [] })
        referenced.formUnion((inventory.parameterImages ?? []).map(\.imageId))
        referenced.formUnion((inventory.fleets ?? []).flatMap(\.imageIds))
        referenced.formUnion((inventory.recipeImages ?? []).map(\.imageId))
        // Resolve-only: AMI IDs that come from templates are not always AMI IDs (SSM parameters).
        let ids = referenced.filter { $0.hasPrefix("ami-") }.sorted()
        for batch in stride(from: 0, to: ids.count, by: 100).map({ Array(ids[$0..<min($0 + 100, ids.count)]) }) {
            let images = await context.attempt(.ec2, "DescribeImages", region: region, resource: "in-use") { try await describe(batch) }
            for image in images ?? [] { inventory.images[image.id] = image }
        }
        let missing = ids.filter { inventory.images[$0] == nil }
        if !missing.isEmpty {
            // DescribeImages hides deregistered, unshared and (when enabled) disallowed images;
            // the instance still knows what it was launched from.
            let users = instances.filter { $0.imageId.map(missing.contains) == true }.map(\.id)
            let metadata = await context.attempt(.ec2, "DescribeInstanceImageMetadata", region: region) { try await instanceImageMetadata(users) }
            for image in metadata ?? [] where inventory.images[image.id] == nil { inventory.images[image.id] = image }
        }
        inventory.unresolved = ids.filter { inventory.images[$0] == nil }
        inventory.allowedImages = await allowed
        inventory.sharedImages = await sharedImages.map { $0.filter { $0.ownerId != context.accountId && $0.isPublic != true } }
        if references.sharedImageReferences, let shared = inventory.sharedImages, !shared.isEmpty {
            let (references, path) = await imageReferences(shared.map(\.id))
            inventory.imageReferences = references
            inventory.referencePath = path
        }
        inventory.sharedSnapshots = await sharedSnapshots
        inventory.sharedDBSnapshots = await sharedDB
        inventory.sharedOutImages = await outImages
        inventory.sharedOutSnapshots = await outSnapshots
        inventory.sharedOutDBSnapshots = await outDB
        inventory.imageBlockPublicAccess = await imageBPA ?? nil
        inventory.snapshotBlockPublicAccess = await snapshotBPA ?? nil
        return inventory
    }

    static func image(_ item: XElement, source: String = "describe-images") -> AMIRecord? {
        guard let id = item.string("imageId") else { return nil }
        var record = AMIRecord(id: id, ownerId: item.string("imageOwnerId"), ownerAlias: item.string("imageOwnerAlias"),
                               name: item.string("name"), isPublic: item.bool("isPublic"), created: item.string("creationDate"),
                               allowed: item.bool("imageAllowed"), source: source)
        record.productCodes = item.list("productCodes").compactMap { $0.string("productCode") }
        record.deprecationTime = item.string("deprecationTime")
        return record
    }

    func describe(_ ids: [String]) async throws -> [AMIRecord] {
        do {
            return try await describeOnce(ids)
        } catch {
            // One vanished image fails the whole batch: ask one by one so the rest still resolve.
            let code = (error as? AWSError)?.code ?? ""
            guard code.hasPrefix("InvalidAMIID"), ids.count > 1 else { throw error }
            var found: [AMIRecord] = []
            for id in ids {
                if let one = try? await describeOnce([id]) { found += one }
            }
            return found
        }
    }

    func describeOnce(_ ids: [String]) async throws -> [AMIRecord] {
        var params: [String: String] = ["IncludeDeprecated": "true", "IncludeDisabled": "true"]
        for (index, id) in ids.enumerated() { params["ImageId.\(index + 1)"] = id }
        let result = try await context.client.query(.ec2, region: region, action: "DescribeImages", params)
        return result.list("imagesSet").compactMap { Self.image($0) }
    }

    func instanceImageMetadata(_ instanceIds: [String]) async throws -> [AMIRecord] {
        var records: [AMIRecord] = []
        for batch in stride(from: 0, to: instanceIds.count, by: 100).map({ Array(instanceIds[$0..<min($0 + 100, instanceIds.count)]) }) {
            var params: [String: String] = [:]
            for (index, id) in batch.enumerated() { params["InstanceId.\(index + 1)"] = id }
            try await queryPages(context, .ec2, region: region, action: "DescribeInstanceImageMetadata", params,
                                 inputToken: "NextToken", outputToken: "nextToken") { page in
                for item in page.list("instanceImageMetadataSet") {
                    guard let meta = item.child("imageMetadata"), let id = meta.string("imageId") else { continue }
                    records.append(AMIRecord(id: id, ownerId: meta.string("imageOwnerId"), ownerAlias: meta.string("imageOwnerAlias"),
                                             name: meta.string("name"), isPublic: meta.bool("isPublic"), created: meta.string("creationDate"),
                                             allowed: meta.bool("imageAllowed"), source: "instance-image-metadata"))
                }
            }
        }
        return records
    }

    func fetchAllowedImages() async throws -> AllowedImagesState {
        let result = try await context.client.query(.ec2, region: region, action: "GetAllowedImagesSettings")
        let items = result.list("imageCriterionSet")
        let providers = items.map { $0.list("imageProviderSet").map(\.text) }
        func list(_ item: XElement, _ name: String) -> [String]? { item.child(name).map { $0.children.map(\.text) } }
        let criteria = items.map { item in
            ImageCriterion(providers: list(item, "imageProviderSet"), names: list(item, "imageNameSet"),
                           productCodes: list(item, "marketplaceProductCodeSet"),
                           maxDaysSinceCreated: item.path("creationDateCondition", "maximumDaysSinceCreated").flatMap { Int($0.text) },
                           maxDaysSinceDeprecated: item.path("deprecationTimeCondition", "maximumDaysSinceDeprecated").flatMap { Int($0.text) })
        }
        return AllowedImagesState(state: result.string("state") ?? "disabled", providers: providers, managedBy: result.string("managedBy"),
                                  criteria: criteria)
    }

    func fetchLaunchConfigurations() async throws -> [LaunchConfiguration] {
        var configs: [LaunchConfiguration] = []
        try await queryPages(context, .autoscaling, region: region, action: "DescribeLaunchConfigurations",
                             inputToken: "NextToken", outputToken: "NextToken") { page in
            configs += page.list("LaunchConfigurations").compactMap { item in
                item.string("LaunchConfigurationName").map {
                    var config = LaunchConfiguration(name: $0, imageId: item.string("ImageId"))
                    config.created = item.string("CreatedTime")
                    config.arn = item.string("LaunchConfigurationARN")
                    // Auto Scaling's InstanceMetadataOptions (botocore autoscaling service-2.json).
                    config.metadata = item.child("MetadataOptions").map { options in
                        MetadataOptions(httpTokens: options.string("HttpTokens"), httpEndpoint: options.string("HttpEndpoint"),
                                        httpPutResponseHopLimit: options.string("HttpPutResponseHopLimit").flatMap(Int.init))
                    }
                    return config
                }
            }
        }
        return configs
    }

    func fetchAutoScalingGroups() async throws -> [AutoScalingGroup] {
        var groups: [AutoScalingGroup] = []
        try await queryPages(context, .autoscaling, region: region, action: "DescribeAutoScalingGroups",
                             inputToken: "NextToken", outputToken: "NextToken") { page in
            groups += page.list("AutoScalingGroups").compactMap { item in
                item.string("AutoScalingGroupName").map {
                    let overrides = item.path("MixedInstancesPolicy", "LaunchTemplate", "Overrides")?.children ?? []
                    let templates = overrides.compactMap { $0.path("LaunchTemplateSpecification", "LaunchTemplateId")?.text }
                    let images = overrides.compactMap { $0.string("ImageId") }
                    var group = AutoScalingGroup(name: $0, launchConfiguration: item.string("LaunchConfigurationName"),
                                                 launchTemplateId: item.path("LaunchTemplate", "LaunchTemplateId")?.text
                                                     ?? item.path("MixedInstancesPolicy", "LaunchTemplate", "LaunchTemplateSpecification", "LaunchTemplateId")?.text,
                                                 overrideTemplateIds: templates.isEmpty ? nil : templates, overrideImageIds: images.isEmpty ? nil : images)
                    group.created = item.string("CreatedTime")
                    group.stackName = item.list("Tags").first { $0.string("Key") == "aws:cloudformation:stack-name" }?.string("Value")
                    group.serviceRole = item.string("ServiceLinkedRoleARN")
                    return group
                }
            }
        }
        return groups
    }

    /// At most this many shared-in images are asked about (10 per call): the enumeration covers them all anyway.
    static let referenceLimit = 100

    /// `DescribeImageReferences` for the images shared into the account: which resources (instances,
    /// launch templates, SSM parameters, Image Builder recipes) AWS says reference them. It needs the
    /// image ids up front, so it cannot replace the enumeration (which is what finds unknown public
    /// look-alikes); it names the users of images already known. Where the region or an emulator does
    /// not answer, the enumeration alone decides and the reason is kept for the summary: nothing is
    /// lost, so no scan error is recorded.
    func imageReferences(_ ids: [String]) async -> (references: [String: [String]]?, path: String) {
        var references: [String: [String]] = [:]
        let asked = Array(ids.sorted().prefix(Self.referenceLimit))
        do throws(AWSError) {
            for batch in stride(from: 0, to: asked.count, by: 10).map({ Array(asked[$0..<min($0 + 10, asked.count)]) }) {
                var params = ["IncludeAllResourceTypes": "true"]
                for (index, id) in batch.enumerated() { params["ImageId.\(index + 1)"] = id }
                try await paginate("DescribeImageReferences") { (token: String?) throws(AWSError) -> String? in
                    var page = params
                    if let token { page["NextToken"] = token }
                    let result = try await context.client.query(.ec2, region: region, action: "DescribeImageReferences", page)
                    for item in result.list("imageReferenceSet") {
                        guard let image = item.string("imageId"), let arn = item.string("arn") else { continue }
                        references[image, default: []].append(arn)
                    }
                    return result.string("nextToken")
                }
            }
        } catch {
            return (nil, "enumeration: \(Self.referenceFailure(error))")
        }
        return (references.mapValues { Array(Set($0)).sorted() }, "describe-image-references")
    }

    /// Why DescribeImageReferences gave no answer, in a few words for the summary.
    static func referenceFailure(_ error: AWSError) -> String {
        if error.isUnsupported || ["InvalidAction", "UnsupportedOperation"].contains(error.code ?? "") { return "not supported here" }
        if error.isAccessDenied { return "access denied (ec2:DescribeImageReferences)" }
        if case let .service(code, _, status, _, _) = error { return "\(code) (HTTP \(status))" }
        return "\(error)"
    }

    /// EC2 Fleets and Spot Fleet requests; nil when either listing failed (recorded), so a half-read
    /// region is never taken for one without fleets.
    func fetchFleets() async -> [FleetImages]? {
        let ec2 = await context.attempt(.ec2, "DescribeFleets", region: region) { try await fetchEC2Fleets() }
        let spot = await context.attempt(.ec2, "DescribeSpotFleetRequests", region: region) { try await fetchSpotFleets() }
        guard let ec2, let spot else { return nil }
        return (ec2 + spot).filter { !$0.imageIds.isEmpty }
    }

    func fetchEC2Fleets() async throws -> [FleetImages] {
        var fleets: [FleetImages] = []
        try await queryPages(context, .ec2, region: region, action: "DescribeFleets", ["MaxResults": "1000"],
                             inputToken: "NextToken", outputToken: "nextToken") { page in
            fleets += page.list("fleetSet").compactMap(Self.ec2Fleet)
        }
        return fleets
    }

    func fetchSpotFleets() async throws -> [FleetImages] {
        var fleets: [FleetImages] = []
        try await queryPages(context, .ec2, region: region, action: "DescribeSpotFleetRequests", ["MaxResults": "1000"],
                             inputToken: "NextToken", outputToken: "nextToken") { page in
            fleets += page.list("spotFleetRequestConfigSet").compactMap(Self.spotFleet)
        }
        return fleets
    }

    /// One `fleetSet` item: the overrides' ImageId, and the templates it launches from.
    static func ec2Fleet(_ item: XElement) -> FleetImages? {
        guard let id = item.string("fleetId") else { return nil }
        let configs = item.list("launchTemplateConfigs")
        let images = configs.flatMap { $0.list("overrides").compactMap { $0.string("imageId") } }
        return FleetImages(id: id, kind: "ec2-fleet", state: item.string("fleetState"), type: item.string("type"),
                           created: item.string("createTime"), imageIds: unique(images),
                           launchTemplates: unique(configs.compactMap { templateLabel($0.child("launchTemplateSpecification")) }),
                           stackName: stackTag(item))
    }

    /// One `spotFleetRequestConfigSet` item: the launch specifications' ImageId (Spot Fleet's
    /// template overrides carry no ImageId), the templates and the fleet role that launches.
    static func spotFleet(_ item: XElement) -> FleetImages? {
        guard let id = item.string("spotFleetRequestId") else { return nil }
        let config = item.child("spotFleetRequestConfig")
        let images = config?.list("launchSpecifications").compactMap { $0.string("imageId") } ?? []
        let templates = config?.list("launchTemplateConfigs").compactMap { templateLabel($0.child("launchTemplateSpecification")) } ?? []
        return FleetImages(id: id, kind: "spot-fleet", state: item.string("spotFleetRequestState"), type: config?.string("type"),
                           created: item.string("createTime"), imageIds: unique(images), launchTemplates: unique(templates),
                           stackName: stackTag(item), fleetRole: config?.string("iamFleetRole"))
    }

    static func templateLabel(_ spec: XElement?) -> String? {
        guard let spec, let template = spec.string("launchTemplateId") ?? spec.string("launchTemplateName") else { return nil }
        return spec.string("version").map { "\(template) version \($0)" } ?? template
    }

    static func stackTag(_ item: XElement) -> String? {
        item.list("tagSet").first { $0.string("key") == "aws:cloudformation:stack-name" }?.string("value")
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// Image Builder image and container recipes owned by the account whose base is an AMI. The
    /// list calls' summaries carry `parentImage` (and `instanceImage` for container recipes), so no
    /// Get call per recipe is needed. nil when either listing failed (recorded).
    func fetchRecipes() async -> [RecipeImage]? {
        let images = await context.attempt(.imagebuilder, "ListImageRecipes", region: region) {
            try await recipePages("ListImageRecipes", list: "imageRecipeSummaryList")
        }
        let containers = await context.attempt(.imagebuilder, "ListContainerRecipes", region: region) {
            try await recipePages("ListContainerRecipes", list: "containerRecipeSummaryList")
        }
        guard let images, let containers else { return nil }
        return images.flatMap { Self.recipe($0, kind: "image") } + containers.flatMap { Self.recipe($0, kind: "container") }
    }

    func recipePages(_ operation: String, list: String) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        try await paginate(operation) { (token: String?) throws(AWSError) -> String? in
            var body: [String: JSONValue] = ["owner": "Self", "maxResults": 25]
            if let token { body["nextToken"] = .string(token) }
            let page = try await context.client.restJSON(.imagebuilder, region: region, method: "POST", path: "/\(operation)",
                                                         body: .object(body), operation: operation)
            items += page[list]?.array ?? []
            return page["nextToken"]?.string
        }
        return items
    }

    /// The AMIs of one recipe summary: `parentImage` (an AMI id, or an Image Builder image ARN or a
    /// container image URI, which are not AMIs) and, for container recipes, `instanceImage`.
    static func recipe(_ item: JSONValue, kind: String) -> [RecipeImage] {
        guard let arn = item["arn"]?.string else { return [] }
        let name = item["name"]?.string ?? arn
        return ["parentImage", "instanceImage"].compactMap { field in
            guard let value = item[field]?.string, let id = ParameterImage.imageId(inValue: value) else { return nil }
            return RecipeImage(arn: arn, name: name, kind: kind, imageId: id, field: field, created: item["dateCreated"]?.string)
        }
    }

    func fetchSharedImages() async throws -> [AMIRecord] {
        var images: [AMIRecord] = []
        try await queryPages(context, .ec2, region: region, action: "DescribeImages", ["ExecutableBy.1": "self", "MaxResults": "1000"],
                             inputToken: "NextToken", outputToken: "nextToken") { page in
            images += page.list("imagesSet").compactMap { Self.image($0) }
        }
        return images
    }

    func fetchSharedSnapshots() async throws -> [SharedSnapshot] {
        var snapshots: [SharedSnapshot] = []
        try await queryPages(context, .ec2, region: region, action: "DescribeSnapshots", ["RestorableBy.1": "self", "MaxResults": "1000"],
                             inputToken: "NextToken", outputToken: "nextToken") { page in
            for item in page.list("snapshotSet") {
                guard let id = item.string("snapshotId"), let owner = item.string("ownerId"), owner != context.accountId else { continue }
                snapshots.append(SharedSnapshot(id: id, ownerId: owner, kind: "ebs", description: item.string("description")))
            }
        }
        return snapshots
    }

    func fetchSharedDBSnapshots() async throws -> [SharedSnapshot] {
        var snapshots: [SharedSnapshot] = []
        let params = ["SnapshotType": "shared", "IncludeShared": "true"]
        try await queryPages(context, .rds, region: region, action: "DescribeDBSnapshots", params, inputToken: "Marker", outputToken: "Marker") { page in
            for item in page.list("DBSnapshots") {
                guard let arn = item.string("DBSnapshotArn"), let owner = Self.accountFromARN(arn) else { continue }
                snapshots.append(SharedSnapshot(id: item.string("DBSnapshotIdentifier") ?? arn, arn: arn, ownerId: owner, kind: "rds"))
            }
        }
        try await queryPages(context, .rds, region: region, action: "DescribeDBClusterSnapshots", params, inputToken: "Marker", outputToken: "Marker") { page in
            for item in page.list("DBClusterSnapshots") {
                guard let arn = item.string("DBClusterSnapshotArn"), let owner = Self.accountFromARN(arn) else { continue }
                snapshots.append(SharedSnapshot(id: item.string("DBClusterSnapshotIdentifier") ?? arn, arn: arn, ownerId: owner, kind: "rds-cluster"))
            }
        }
        return snapshots.filter { $0.ownerId != context.accountId }
    }

    /// Own AMIs that are public or carry launch permissions (DescribeImageAttribute launchPermission).
    func fetchSharedOutImages() async throws -> [SharedOutResource] {
        var own: [AMIRecord] = []
        try await queryPages(context, .ec2, region: region, action: "DescribeImages", ["Owner.1": "self", "MaxResults": "1000"],
                             inputToken: "NextToken", outputToken: "nextToken") { page in
            own += page.list("imagesSet").compactMap { Self.image($0) }
        }
        let context = self.context, region = self.region
        let shared = await boundedMap(own, limit: context.fanOut) { image -> SharedOutResource? in
            let permissions = await context.attempt(.ec2, "DescribeImageAttribute", region: region, resource: image.id) {
                try await context.client.query(.ec2, region: region, action: "DescribeImageAttribute",
                                               ["ImageId": image.id, "Attribute": "launchPermission"]).list("launchPermission")
            }
            guard let permissions else { return nil }  // recorded as unread
            let resource = SharedOutResource(
                id: image.id, kind: "ami", name: image.name,
                isPublic: image.isPublic == true || permissions.contains { $0.string("group") == "all" },
                accounts: permissions.compactMap { $0.string("userId") },
                organizations: permissions.compactMap { $0.string("organizationArn") ?? $0.string("organizationalUnitArn") })
            return resource.isShared ? resource : nil
        }
        return shared.compactMap { $0 }
    }

    /// Own EBS snapshots with create-volume permissions (DescribeSnapshotAttribute createVolumePermission).
    func fetchSharedOutSnapshots() async throws -> [SharedOutResource] {
        var ids: [String] = []
        try await queryPages(context, .ec2, region: region, action: "DescribeSnapshots", ["Owner.1": "self", "MaxResults": "1000"],
                             inputToken: "NextToken", outputToken: "nextToken") { page in
            ids += page.list("snapshotSet").compactMap { $0.string("snapshotId") }
        }
        let context = self.context, region = self.region
        let shared = await boundedMap(ids, limit: context.fanOut) { id -> SharedOutResource? in
            let permissions = await context.attempt(.ec2, "DescribeSnapshotAttribute", region: region, resource: id) {
                try await context.client.query(.ec2, region: region, action: "DescribeSnapshotAttribute",
                                               ["SnapshotId": id, "Attribute": "createVolumePermission"]).list("createVolumePermission")
            }
            guard let permissions else { return nil }
            let resource = SharedOutResource(id: id, kind: "ebs", isPublic: permissions.contains { $0.string("group") == "all" },
                                             accounts: permissions.compactMap { $0.string("userId") })
            return resource.isShared ? resource : nil
        }
        return shared.compactMap { $0 }
    }

    /// Own manual RDS DB and cluster snapshots whose `restore` attribute names "all" or accounts.
    func fetchSharedOutDBSnapshots() async throws -> [SharedOutResource] {
        var snapshots: [(id: String, arn: String?, kind: String)] = []
        try await queryPages(context, .rds, region: region, action: "DescribeDBSnapshots", ["SnapshotType": "manual"],
                             inputToken: "Marker", outputToken: "Marker") { page in
            snapshots += page.list("DBSnapshots").compactMap { item in
                item.string("DBSnapshotIdentifier").map { ($0, item.string("DBSnapshotArn"), "rds") }
            }
        }
        try await queryPages(context, .rds, region: region, action: "DescribeDBClusterSnapshots", ["SnapshotType": "manual"],
                             inputToken: "Marker", outputToken: "Marker") { page in
            snapshots += page.list("DBClusterSnapshots").compactMap { item in
                item.string("DBClusterSnapshotIdentifier").map { ($0, item.string("DBClusterSnapshotArn"), "rds-cluster") }
            }
        }
        let context = self.context, region = self.region
        let shared = await boundedMap(snapshots, limit: context.fanOut) { snapshot -> SharedOutResource? in
            let cluster = snapshot.kind == "rds-cluster"
            let operation = cluster ? "DescribeDBClusterSnapshotAttributes" : "DescribeDBSnapshotAttributes"
            let attributes = await context.attempt(.rds, operation, region: region, resource: snapshot.arn ?? snapshot.id) {
                let result = try await context.client.query(.rds, region: region, action: operation,
                                                            [cluster ? "DBClusterSnapshotIdentifier" : "DBSnapshotIdentifier": snapshot.id])
                return (cluster ? result.path("DBClusterSnapshotAttributesResult", "DBClusterSnapshotAttributes")
                                : result.path("DBSnapshotAttributesResult", "DBSnapshotAttributes"))?.children ?? []
            }
            guard let attributes else { return nil }
            let restore = attributes.filter { $0.string("AttributeName") == "restore" }.flatMap { $0.list("AttributeValues").map(\.text) }
            let resource = SharedOutResource(id: snapshot.id, arn: snapshot.arn, kind: snapshot.kind, isPublic: restore.contains("all"),
                                             accounts: restore.filter { $0 != "all" })
            return resource.isShared ? resource : nil
        }
        return shared.compactMap { $0 }
    }

    /// `arn:aws:rds:REGION:ACCOUNT:snapshot:NAME` → ACCOUNT.
    static func accountFromARN(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 4 && !parts[4].isEmpty ? String(parts[4]) : nil
    }
}

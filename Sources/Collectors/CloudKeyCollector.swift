import AWSClient
import Foundation
import MamoriCore
import Inventory
import SecretScan

/// Hunts AWS keys inside one region's resources, where seed 004 says they hide: instance, launch
/// template and launch configuration user data, Lambda and ECS environments, CloudFormation
/// parameters and outputs, SSM String/StringList parameters and CodeBuild plaintext variables.
/// Every value goes through `mamori secrets`' detector (SecretScan.ValueScanner) and is dropped
/// right after: only redacted key IDs, fingerprints and decoded accounts reach the inventory.
/// SecureString parameters are never read (no WithDecryption, never asked for).
struct CloudKeyCollector {
    let context: CollectionContext
    let region: String
    private let calls = CallCounter()

    init(context: CollectionContext, region: String) {
        self.context = context
        self.region = region
    }

    /// The launch templates' hits come from RegionCollector, which already reads every version; the
    /// SSM parameters from ParameterReader (nil: they could not be listed).
    func collect(instances: [EC2Instance], templates: TemplateKeys?, parameters: ParameterReader.Result?) async -> CloudKeyInventory {
        context.progress("\(region): keys in user data, Lambda, ECS, CloudFormation, SSM, CodeBuild")
        async let instanceHits = instanceUserData(instances)
        async let configurations = attempt(.autoscaling, "DescribeLaunchConfigurations") { try await launchConfigurations() }
        async let functions = attempt(.lambda, "ListFunctions") { try await lambdaFunctions() }
        async let tasks = attempt(.ecs, "ListTaskDefinitions") { try await taskDefinitions() }
        async let stacks = attempt(.cloudformation, "DescribeStacks") { try await cloudFormationStacks() }
        async let ssm = ssmParameters(parameters)
        async let projects = attempt(.codebuild, "ListProjects") { try await codeBuildProjects() }
        var inventory = CloudKeyInventory()
        let parts: [(String, Sweep?)] = [
            ("EC2 instance user data", await instanceHits),
            ("launch templates (every version's user data)", templates.map { Sweep(hits: $0.hits, resources: $0.templates) }),
            ("launch configuration user data", await configurations), ("Lambda function environments", await functions),
            ("ECS task definitions", await tasks), ("CloudFormation stack parameters and outputs", await stacks),
            ("SSM String/StringList parameters", await ssm), ("CodeBuild project environments", await projects),
        ]
        for (source, sweep) in parts {
            guard let sweep else { continue }
            inventory.hits += sweep.hits
            inventory.resourcesScanned[source] = sweep.resources
        }
        inventory.apiCalls = await calls.count
        return inventory
    }

    /// What one source yielded: the hits and how many resources were read.
    struct Sweep: Sendable {
        var hits: [CloudKeyHit] = []
        var resources = 0
    }

    // MARK: Sources

    func instanceUserData(_ instances: [EC2Instance]) async -> Sweep {
        // A terminated instance can never run again; its user data is gone with it.
        let live = instances.filter { !["terminated", "shutting-down"].contains($0.state) }
        let (context, region, calls) = (self.context, self.region, self.calls)
        let results = await boundedMap(live, limit: context.fanOut) { instance -> [CloudKeyHit]? in
            await calls.add()
            let value = await context.attempt(.ec2, "DescribeInstanceAttribute", region: region, resource: instance.id) {
                try await context.client.query(.ec2, region: region, action: "DescribeInstanceAttribute",
                                               ["InstanceId": instance.id, "Attribute": "userData"]).path("userData", "value")?.text
            }
            guard let value else { return nil }
            return await self.userData(value, resource: Partition(region: region).arn("ec2", region: region, account: context.accountId, "instance/\(instance.id)"),
                                       type: "AwsEc2Instance", field: "UserData", operation: "DescribeInstanceAttribute")
        }
        return Sweep(hits: results.compactMap { $0 }.flatMap { $0 }, resources: results.filter { $0 != nil }.count)
    }

    func launchConfigurations() async throws -> Sweep {
        var sweep = Sweep()
        var items: [XElement] = []
        try await paginate("DescribeLaunchConfigurations") { (token: String?) throws(AWSError) -> String? in
            var params = ["MaxRecords": "100"]
            if let token { params["NextToken"] = token }
            await calls.add()
            let page = try await context.client.query(.autoscaling, region: region, action: "DescribeLaunchConfigurations", params)
            items += page.list("LaunchConfigurations")
            return page.string("NextToken")
        }
        for item in items {
            guard let name = item.string("LaunchConfigurationName") else { continue }
            sweep.resources += 1
            sweep.hits += await userData(item.string("UserData"), resource: item.string("LaunchConfigurationARN") ?? name,
                                         type: "AwsAutoScalingLaunchConfiguration", field: "UserData", operation: "DescribeLaunchConfigurations")
        }
        return sweep
    }

    func lambdaFunctions() async throws -> Sweep {
        var sweep = Sweep()
        var functions: [JSONValue] = []
        try await paginate("ListFunctions") { (marker: String?) throws(AWSError) -> String? in
            var query = [QueryItem("MaxItems", "50")]
            if let marker { query.append(QueryItem("Marker", marker)) }
            await calls.add()
            let page = try await context.client.restJSON(.lambda, region: region, method: "GET", path: "/2015-03-31/functions",
                                                         query: query, operation: "ListFunctions")
            functions += page["Functions"]?.array ?? []
            return page["NextMarker"]?.string
        }
        for function in functions {
            guard let arn = function["FunctionArn"]?.string else { continue }
            sweep.resources += 1
            let variables = (function["Environment"]?["Variables"]?.object ?? [:]).compactMap { name, value in
                value.string.map { (label: "Environment.Variables.\(name)", name: name, value: $0) }
            }
            sweep.hits += await fields(variables, resource: arn, type: "AwsLambdaFunction", operation: "ListFunctions")
        }
        return sweep
    }

    func taskDefinitions() async throws -> Sweep {
        var arns: [String] = []
        var pages = 0
        let calls = self.calls
        do {
            try await jsonPages(context, .ecs, region: region, operation: "ListTaskDefinitions", ["maxResults": 100],
                                inputToken: "nextToken", outputToken: "nextToken") { page in
                pages += 1
                arns += page["taskDefinitionArns"]?.array.compactMap(\.string) ?? []
            }
        } catch {
            // The page that failed was a call too.
            await calls.add(pages + 1)
            throw error
        }
        await calls.add(pages)
        let (context, region) = (self.context, self.region)
        let results = await boundedMap(arns, limit: context.fanOut) { arn -> [CloudKeyHit]? in
            await calls.add()
            let definition = await context.attempt(.ecs, "DescribeTaskDefinition", region: region, resource: arn) {
                try await context.client.json(.ecs, region: region, operation: "DescribeTaskDefinition", ["taskDefinition": .string(arn)])["taskDefinition"]
            }
            guard let definition else { return nil }
            var values: [(label: String, name: String, value: String)] = []
            for container in definition?["containerDefinitions"]?.array ?? [] {
                let name = container["name"]?.string ?? "?"
                for pair in container["environment"]?.array ?? [] {
                    if let key = pair["name"]?.string, let value = pair["value"]?.string { values.append(("containerDefinitions[\(name)].environment.\(key)", key, value)) }
                }
            }
            return await self.fields(values, resource: arn, type: "AwsEcsTaskDefinition", operation: "DescribeTaskDefinition")
        }
        return Sweep(hits: results.compactMap { $0 }.flatMap { $0 }, resources: results.filter { $0 != nil }.count)
    }

    func cloudFormationStacks() async throws -> Sweep {
        var sweep = Sweep()
        var stacks: [XElement] = []
        try await paginate("DescribeStacks") { (token: String?) throws(AWSError) -> String? in
            await calls.add()
            let page = try await context.client.query(.cloudformation, region: region, action: "DescribeStacks", token.map { ["NextToken": $0] } ?? [:])
            stacks += page.list("Stacks")
            return page.string("NextToken")
        }
        for stack in stacks {
            guard let id = stack.string("StackId") else { continue }
            sweep.resources += 1
            var values: [(label: String, name: String, value: String)] = []
            for parameter in stack.list("Parameters") {
                // NoEcho parameters come back as "****": nothing to read, and nothing to try to read.
                guard let key = parameter.string("ParameterKey"), let value = parameter.string("ParameterValue"), value != "****" else { continue }
                values.append(("Parameters.\(key)", key, value))
            }
            for output in stack.list("Outputs") {
                if let key = output.string("OutputKey"), let value = output.string("OutputValue") { values.append(("Outputs.\(key)", key, value)) }
            }
            sweep.hits += await fields(values, resource: id, type: "AwsCloudFormationStack", operation: "DescribeStacks")
        }
        return sweep
    }

    /// Only String and StringList parameters, as ParameterReader read them (the same read serves the
    /// AMI references): SecureString values are never requested and never scanned.
    func ssmParameters(_ read: ParameterReader.Result?) async -> Sweep? {
        guard let read else { return nil }
        await calls.add(read.calls)
        var sweep = Sweep()
        for parameter in read.parameters {
            sweep.resources += 1
            // The scanner sees the parameter's last path segment as the name (…/aws_secret_access_key=…).
            let bare = String(parameter.name.split(separator: "/").last ?? Substring(parameter.name))
            sweep.hits += await fields([("Value", bare, parameter.value)], resource: parameter.arn, type: "AwsSsmParameter", operation: "GetParameters")
        }
        return sweep
    }

    /// PLAINTEXT variables only: PARAMETER_STORE and SECRETS_MANAGER ones hold a reference, not the value.
    func codeBuildProjects() async throws -> Sweep {
        let (context, region, calls) = (self.context, self.region, self.calls)
        var names: [String] = []
        try await paginate("ListProjects") { (token: String?) throws(AWSError) -> String? in
            await calls.add()
            let page = try await context.client.json(.codebuild, region: region, operation: "ListProjects", token.map { ["nextToken": .string($0)] } ?? [:])
            names += page["projects"]?.array.compactMap(\.string) ?? []
            return page["nextToken"]?.string
        }
        // BatchGetProjects takes at most 100 names.
        let batches = stride(from: 0, to: names.count, by: 100).map { Array(names[$0..<min($0 + 100, names.count)]) }
        let results = await boundedMap(batches, limit: context.fanOut) { batch -> Sweep? in
            await calls.add()
            let projects = await context.attempt(.codebuild, "BatchGetProjects", region: region, resource: batch.first) {
                try await context.client.json(.codebuild, region: region, operation: "BatchGetProjects",
                                              ["names": .array(batch.map(JSONValue.string))])["projects"]?.array ?? []
            }
            guard let projects else { return nil }
            var sweep = Sweep()
            for project in projects {
                guard let name = project["name"]?.string else { continue }
                sweep.resources += 1
                let variables = (project["environment"]?["environmentVariables"]?.array ?? []).compactMap { variable -> (label: String, name: String, value: String)? in
                    guard (variable["type"]?.string ?? "PLAINTEXT") == "PLAINTEXT", let key = variable["name"]?.string,
                          let value = variable["value"]?.string else { return nil }
                    return ("environment.environmentVariables.\(key)", key, value)
                }
                sweep.hits += await self.fields(variables, resource: project["arn"]?.string ?? name,
                                                type: "AwsCodeBuildProject", operation: "BatchGetProjects")
            }
            return sweep
        }
        return Sweep(hits: results.compactMap { $0 }.flatMap(\.hits), resources: results.compactMap { $0 }.reduce(0) { $0 + $1.resources })
    }

    // MARK: Scanning

    /// User data as EC2 and Auto Scaling return it: base64, and often gzip inside (cloud-init
    /// accepts it); the scanner opens gzip by its magic bytes.
    func userData(_ base64: String?, resource: String, type: String, field: String, operation: String) async -> [CloudKeyHit] {
        guard let base64, !base64.isEmpty else { return [] }
        let bytes = Data(base64Encoded: base64, options: .ignoreUnknownCharacters).map { [UInt8]($0) } ?? Array(base64.utf8)
        return await record(ValueScanner.scan(blob: bytes, field: field), resource: resource, type: type, operation: operation)
    }

    /// Named values of one resource, scanned together so a key ID and its secret pair up. The
    /// scanner sees each value under its bare name (`AWS_SECRET_ACCESS_KEY=…`, as a .env file shows
    /// it); hits are reported under the label (`Environment.Variables.AWS_SECRET_ACCESS_KEY`).
    func fields(_ values: [(label: String, name: String, value: String)], resource: String, type: String, operation: String) async -> [CloudKeyHit] {
        guard !values.isEmpty else { return [] }
        let sorted = values.sorted { $0.label < $1.label }
        var result = ValueScanner.scan(fields: sorted.map { (name: $0.name, value: $0.value) })
        for index in result.hits.indices { result.hits[index].field = sorted[result.hits[index].fieldIndex].label }
        return await record(result, resource: resource, type: type, operation: operation)
    }

    func record(_ result: ValueScanResult, resource: String, type: String, operation: String) async -> [CloudKeyHit] {
        for error in result.errors {
            await context.errors.add(CollectionError(kind: .failed, service: "secrets", operation: operation, region: region, resource: resource,
                                                     message: "a value could not be fully scanned for keys: \(error)"))
        }
        return result.hits.map { hit in
            CloudKeyHit(resource: resource, resourceType: type, field: hit.line > 1 ? "\(hit.field) line \(hit.line)" : hit.field,
                        type: hit.type.rawValue, keyId: hit.redactedKeyId, fingerprint: hit.fingerprint, account: hit.account,
                        accountOwner: hit.accountOwner, canaryService: hit.canaryService, paired: hit.paired)
        }
    }

    /// `context.attempt` for a source's first call.
    func attempt(_ service: AWSService, _ operation: String, _ body: () async throws -> Sweep) async -> Sweep? {
        await context.attempt(service, operation, region: region, body)
    }
}

/// Launch template versions' user data, scanned where the versions are read (RegionCollector).
struct TemplateKeys: Sendable {
    var hits: [CloudKeyHit] = []
    /// Templates whose versions were read.
    var templates = 0
}

/// API calls the hunt made, for the scan summary.
actor CallCounter {
    private(set) var count = 0
    func add(_ n: Int = 1) { count += n }
}

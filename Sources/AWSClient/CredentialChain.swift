import Foundation

/// What the user asked for when choosing credentials.
public struct CredentialOptions: Sendable {
    public var profile: String?
    /// Allow the instance metadata service even when this does not look like EC2 (`--allow-imds`).
    public var allowIMDS: Bool
    public var environment: [String: String]
    /// Region for STS calls made while resolving (AssumeRole).
    public var region: String

    public init(profile: String? = nil, allowIMDS: Bool = false, environment: [String: String], region: String) {
        self.profile = profile
        self.allowIMDS = allowIMDS
        self.environment = environment
        self.region = region
    }
}

/// The AWS CLI's credential chain, with one deliberate difference: the instance metadata service
/// is used only on EC2 or when asked (AWS-2025-021: off EC2, a rogue IMDS can hand out credentials).
/// Every way to it goes through `IMDSGate`, which is decided before any request is sent.
public enum CredentialChain {
    public static func resolve(_ options: CredentialOptions, configuration: ClientConfiguration,
                               onEC2: @autoclosure @escaping () -> Bool = IMDSCredentialProvider.runningOnEC2()) throws(AWSError) -> any CredentialProvider {
        let env = options.environment
        let profileName = ProfileSelection.named(options.profile, environment: env)
        if let profileName {
            let files = try ProfileFiles.load(environment: env)
            let context = Context(options: options, files: files, active: files.profiles[profileName] ?? [:],
                                  configuration: configuration, onEC2: onEC2)
            return try profileProvider(profileName, context, seen: [])
        }
        let environment = EnvironmentCredentialProvider(environment: env)
        if environment.isConfigured { return environment }
        if let tokenFile = env["AWS_WEB_IDENTITY_TOKEN_FILE"], let role = env["AWS_ROLE_ARN"] {
            return RefreshingCredentialProvider(WebIdentityCredentialProvider(
                roleArn: role, tokenFile: tokenFile, sessionName: env["AWS_ROLE_SESSION_NAME"],
                configuration: configuration, region: options.region))
        }
        let files = try ProfileFiles.load(environment: env)
        let context = Context(options: options, files: files, active: files.profiles["default"] ?? [:],
                              configuration: configuration, onEC2: onEC2)
        if files.profiles["default"].map(hasCredentials) == true {
            return try profileProvider("default", context, seen: [])
        }
        if let container = try containerProvider(context, purpose: "the container credentials endpoint") {
            return RefreshingCredentialProvider(container)
        }
        // Last resort: ask the gate without throwing, so the user hears about every option at once.
        let refusal = IMDSGate.refusal(allowIMDS: options.allowIMDS, environment: env, onEC2: onEC2)
        if refusal == nil { return RefreshingCredentialProvider(try imdsProvider(context, purpose: "the credential chain")) }
        let why = refusal == .disabled
            ? "The instance metadata service is not used: AWS_EC2_METADATA_DISABLED=true, which --allow-imds does not override."
            : "The instance metadata service is not used outside EC2 unless --allow-imds is given."
        throw AWSError.credentials("""
            no AWS credentials found. Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, pass --profile, or configure \
            ~/.aws/credentials. \(why)
            """)
    }

    /// What resolving one chain needs at every step. `active` is the chosen profile's settings,
    /// which say where the metadata service is (as in the AWS CLI).
    struct Context {
        let options: CredentialOptions
        let files: ProfileFiles
        let active: [String: String]
        let configuration: ClientConfiguration
        let onEC2: () -> Bool
    }

    static func hasCredentials(_ settings: [String: String]) -> Bool {
        ["aws_access_key_id", "role_arn", "credential_process", "web_identity_token_file", "sso_session", "sso_start_url"]
            .contains { settings[$0] != nil }
    }

    /// The metadata service's credentials, if the gate allows them for `purpose`.
    static func imdsProvider(_ context: Context, purpose: String) throws(AWSError) -> IMDSCredentialProvider {
        try IMDSGate.check(purpose, allowIMDS: context.options.allowIMDS, environment: context.options.environment, onEC2: context.onEC2)
        return IMDSCredentialProvider(endpoint: try IMDSEndpoint.resolve(environment: context.options.environment, profile: context.active),
                                      transport: context.configuration.transport)
    }

    /// The container endpoint, or nil when none is set. A full URI that reaches the metadata
    /// service is metadata credentials under another name, so it passes the same gate.
    static func containerProvider(_ context: Context, purpose: String) throws(AWSError) -> ContainerCredentialProvider? {
        let env = context.options.environment
        guard let container = try ContainerCredentialProvider(environment: env, transport: context.configuration.transport) else { return nil }
        // An unreadable endpoint setting is reported when the metadata service is used, not here;
        // the link-local addresses are recognised whatever it says.
        let imds = (try? IMDSEndpoint.resolve(environment: env, profile: context.active)) ?? .ipv4
        if imds.isReached(by: container.url) {
            try IMDSGate.check("\(purpose) \(container.url)", allowIMDS: context.options.allowIMDS, environment: env, onEC2: context.onEC2)
        }
        return container
    }

    static func profileProvider(_ name: String, _ context: Context, seen: Set<String>) throws(AWSError) -> any CredentialProvider {
        let options = context.options, configuration = context.configuration
        guard let settings = context.files.profiles[name] else {
            throw AWSError.credentials("profile '\(name)' is not in ~/.aws/config or ~/.aws/credentials")
        }
        guard !seen.contains(name) else { throw AWSError.credentials("profile '\(name)' has a source_profile loop") }
        let region = settings["region"] ?? options.region
        if let roleArn = settings["role_arn"] {
            if let tokenFile = settings["web_identity_token_file"] {
                return RefreshingCredentialProvider(WebIdentityCredentialProvider(
                    roleArn: roleArn, tokenFile: tokenFile, sessionName: settings["role_session_name"],
                    configuration: configuration, region: region))
            }
            let source: any CredentialProvider
            if let sourceProfile = settings["source_profile"] {
                // A source profile's own keys are used even if it also names a role (AWS CLI behaviour for self-reference).
                if sourceProfile == name, settings["aws_access_key_id"] != nil {
                    source = try staticProvider(settings, name: name)
                } else {
                    source = try profileProvider(sourceProfile, context, seen: seen.union([name]))
                }
            } else if let credentialSource = settings["credential_source"] {
                let purpose = "profile '\(name)' (credential_source = \(credentialSource))"
                switch credentialSource {
                case "Environment": source = EnvironmentCredentialProvider(environment: options.environment)
                case "EcsContainer":
                    guard let container = try containerProvider(context, purpose: purpose) else {
                        throw AWSError.credentials("profile '\(name)': credential_source EcsContainer but no container endpoint is set")
                    }
                    source = container
                case "Ec2InstanceMetadata":
                    source = try imdsProvider(context, purpose: purpose)
                default:
                    throw AWSError.credentials("profile '\(name)': unknown credential_source '\(credentialSource)'")
                }
            } else {
                throw AWSError.credentials("profile '\(name)' has role_arn but neither source_profile nor credential_source")
            }
            return RefreshingCredentialProvider(AssumeRoleCredentialProvider(
                roleArn: roleArn, sessionName: settings["role_session_name"] ?? "mamori",
                externalId: settings["external_id"], durationSeconds: settings["duration_seconds"].flatMap(Int.init),
                source: source, configuration: configuration, region: region))
        }
        if let command = settings["credential_process"] {
            return RefreshingCredentialProvider(ProcessCredentialProvider(command: command))
        }
        if settings["aws_access_key_id"] != nil { return try staticProvider(settings, name: name) }
        if settings["sso_session"] != nil || settings["sso_start_url"] != nil {
            return RefreshingCredentialProvider(try SSOCredentialProvider(profile: name, settings: settings, files: context.files,
                                                                          configuration: configuration))
        }
        throw AWSError.credentials("profile '\(name)' has no credentials (no keys, role_arn or credential_process)")
    }

    static func staticProvider(_ settings: [String: String], name: String) throws(AWSError) -> any CredentialProvider {
        guard let id = settings["aws_access_key_id"], let secret = settings["aws_secret_access_key"] else {
            throw AWSError.credentials("profile '\(name)' has aws_access_key_id but no aws_secret_access_key")
        }
        return StaticCredentialProvider(Credentials(accessKeyId: id, secretAccessKey: secret,
                                                    sessionToken: settings["aws_session_token"], source: "profile \(name)"))
    }
}

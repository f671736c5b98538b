import AWSClient
import ArgumentParser
import Foundation

/// How to reach AWS: shared by every command that calls it.
struct AWSOptions: ParsableArguments {
    @Option(help: "Named profile from ~/.aws/config or ~/.aws/credentials (default: AWS_PROFILE).")
    var profile: String?

    @Option(name: .customLong("region"), help: "Region to scan; repeat for several (default: every enabled region).")
    var regions: [String] = []

    @Flag(help: "Scan every region AWS has, reporting those not enabled for the account.")
    var allRegions = false

    @Option(help: "Send every request to this endpoint (an emulator); default: AWS_ENDPOINT_URL.")
    var endpointURL: String?

    @Flag(help: "Allow credentials from the instance metadata service even when this machine does not look like EC2.")
    var allowImds = false

    @Option(help: "Requests in flight at once per account (and at most half of it, at least 2, per region).")
    var maxRequests = 16

    @Option(help: "Attempts per AWS call, the first included (default: AWS_MAX_ATTEMPTS, else max_attempts in the profile, else 5). AWS_RETRY_MODE / retry_mode choose legacy, standard or adaptive (default adaptive: pace a region's service once it throttles).")
    var maxAttempts: Int?

    @Flag(help: "Log every AWS request on standard error: method, host, service, action, region, status, latency, attempt. Never keys, signatures, session tokens, parameters or AWS error messages.")
    var debug = false

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The settings of the profile in effect (AWSClient's one rule: --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, default).
    var profileSettings: [String: String] { ProfileSelection.settings(profile, environment: environment) }

    /// The region for global calls (STS, IAM signing): first --region, then the environment, then the profile.
    func homeRegion() -> String {
        ProfileSelection.region(regions.first, environment: environment, profile: profileSettings)
    }

    func validate() throws {
        if allRegions && !regions.isEmpty { throw ValidationError("--all-regions and --region exclude each other") }
        if maxRequests < 1 || maxRequests > 256 { throw ValidationError("--max-requests must be between 1 and 256") }
        if let maxAttempts, maxAttempts < 1 || maxAttempts > RetryPolicy.attemptsLimit {
            throw ValidationError("--max-attempts must be between 1 and \(RetryPolicy.attemptsLimit) (1 means no retries)")
        }
        if let endpointURL, URL(string: endpointURL)?.host == nil {
            throw ValidationError("--endpoint-url '\(endpointURL)' is not a URL (example: http://127.0.0.1:5000)")
        }
    }

    func configuration() throws -> ClientConfiguration {
        ClientConfiguration(endpoints: EndpointResolver.fromEnvironment(environment, explicit: endpointURL, profile: profileSettings),
                            retry: try retryPolicy(),
                            maxConcurrentRequests: maxRequests, maxConcurrentRequestsPerRegion: max(2, maxRequests / 2),
                            transport: try transport(), requestLog: debug ? .standardError() : nil)
    }

    /// HTTPS_PROXY/HTTP_PROXY/NO_PROXY and AWS_CA_BUNDLE (else the profile's `ca_bundle`).
    func transport() throws -> AsyncHTTPTransport {
        let env = environment
        let bundle = profileSettings["ca_bundle"]
        do { return try AsyncHTTPTransport.make(.fromEnvironment(env, profileCABundle: bundle)) }
        catch { throw CLIError(error.description) }
    }

    /// --max-attempts, then AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, then the profile, as the AWS CLI reads them.
    func retryPolicy() throws -> RetryPolicy {
        let env = environment
        // An unreadable profile file is reported by the credential chain; retries just use their defaults.
        do { return try RetryPolicy.resolve(maxAttempts: maxAttempts, environment: env, profile: profileSettings) }
        catch { throw CLIError(error.description) }
    }

    func client() throws -> AWSClient {
        let configuration = try configuration()
        let credentials = try CredentialChain.resolve(
            CredentialOptions(profile: profile, allowIMDS: allowImds, environment: environment, region: homeRegion()),
            configuration: configuration)
        return AWSClient(credentials: credentials, configuration: configuration)
    }
}

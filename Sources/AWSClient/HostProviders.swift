import Foundation
import MamoriCore

/// ECS / EKS Pod Identity container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`).
/// Built only by `CredentialChain`, which sends a full URI that is really the instance metadata
/// service through `IMDSGate` first.
public struct ContainerCredentialProvider: CredentialProvider {
    let url: URL
    let authorization: String?
    let transport: any HTTPTransport

    /// Nil when the environment does not point at a container endpoint. A full URI over plain HTTP
    /// must name a container agent or loopback address, as the AWS SDKs require: anything else
    /// would send the authorization token across the network in clear text.
    init?(environment: [String: String], transport: any HTTPTransport) throws(AWSError) {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            guard let url = URL(string: "http://169.254.170.2\(relative)") else {
                throw AWSError.credentials("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI '\(relative)' is not a URL path")
            }
            self.url = url
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            guard let url = URL(string: full), let host = url.host, !host.isEmpty, let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https" else {
                throw AWSError.credentials("AWS_CONTAINER_CREDENTIALS_FULL_URI '\(full)' is not an http(s) URL")
            }
            guard scheme == "https" || Self.plainHTTPHosts.contains(host.lowercased()) || host.hasPrefix("127.") else {
                throw AWSError.credentials("""
                    AWS_CONTAINER_CREDENTIALS_FULL_URI '\(full)': plain HTTP is allowed only to loopback or the ECS/EKS \
                    agent (169.254.170.2, 169.254.170.23, fd00:ec2::23); use https for any other host
                    """)
            }
            self.url = url
        } else {
            return nil
        }
        if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], let data = FileManager.default.contents(atPath: file) {
            authorization = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            authorization = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
        }
        self.transport = transport
    }

    static let plainHTTPHosts: Set<String> = ["localhost", "::1", "[::1]", "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]"]

    public func credentials() async throws(AWSError) -> Credentials {
        var headers: [HTTPHeader] = []
        if let authorization { headers.append(HTTPHeader("Authorization", authorization)) }
        let request = HTTPRequest(method: "GET", scheme: url.scheme ?? "http", host: url.host ?? "", port: url.port,
                                  path: url.path, headers: headers)
        let response = try await transport.send(request, timeout: 5)
        guard response.status == 200 else { throw AWSError.credentials("container endpoint \(url) answered HTTP \(response.status)") }
        return try JSONCredentials.parse(response.body, source: "container")
    }
}

/// Where the instance metadata service is: `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else the profile's
/// `ec2_metadata_service_endpoint`, else the link-local address for the endpoint mode
/// (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` / `ec2_metadata_service_endpoint_mode`: IPv4 or IPv6),
/// as the AWS CLI resolves it.
public struct IMDSEndpoint: Sendable, Equatable {
    public let scheme: String
    /// As it goes into a URL: an IPv6 address keeps its brackets.
    public let host: String
    public let port: Int?

    static let ipv4 = IMDSEndpoint(scheme: "http", host: "169.254.169.254", port: nil)
    static let ipv6 = IMDSEndpoint(scheme: "http", host: "[fd00:ec2::254]", port: nil)

    init(scheme: String, host: String, port: Int?) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    public static func resolve(environment: [String: String], profile: [String: String]) throws(AWSError) -> IMDSEndpoint {
        for (value, source) in [(environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"], "AWS_EC2_METADATA_SERVICE_ENDPOINT"),
                                (profile["ec2_metadata_service_endpoint"], "ec2_metadata_service_endpoint")] {
            guard let value, !value.isEmpty else { continue }
            // A setting we cannot read must not quietly fall back to the real link-local address.
            guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = url.host, !host.isEmpty else {
                throw AWSError.credentials("\(source) '\(value)' is not an http(s) URL (example: http://169.254.169.254)")
            }
            return IMDSEndpoint(scheme: scheme, host: host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host, port: url.port)
        }
        let mode = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"] ?? profile["ec2_metadata_service_endpoint_mode"] ?? "IPv4"
        switch mode.lowercased() {
        case "ipv4": return .ipv4
        case "ipv6": return .ipv6
        default: throw AWSError.credentials("ec2_metadata_service_endpoint_mode '\(mode)': use IPv4 or IPv6")
        }
    }

    /// True when `url` reaches this endpoint or either link-local metadata address.
    func isReached(by url: URL) -> Bool {
        guard let raw = url.host?.lowercased() else { return false }
        let host = raw.contains(":") && !raw.hasPrefix("[") ? "[\(raw)]" : raw
        if host == Self.ipv4.host || host == Self.ipv6.host { return true }
        let defaultPort: (String?) -> Int? = { $0?.lowercased() == "https" ? 443 : 80 }
        return host == self.host.lowercased() && (url.port ?? defaultPort(url.scheme)) == (port ?? defaultPort(scheme))
    }
}

/// The one decision whether Mamori may ask the instance metadata service for credentials. Every
/// path there goes through `check`: the chain's last resort, a profile's `credential_source =
/// Ec2InstanceMetadata` (directly or as a role's source) and a container endpoint that is really
/// the metadata service. Off EC2 the metadata address can be answered by anyone on the local
/// network (AWS-2025-021), so it is used only on EC2 or with `--allow-imds`, and never when
/// `AWS_EC2_METADATA_DISABLED=true`, which wins over both.
public enum IMDSGate {
    public enum Refusal: Sendable, Equatable {
        /// `AWS_EC2_METADATA_DISABLED=true`.
        case disabled
        /// Not EC2 and no `--allow-imds`.
        case notEC2
    }

    /// Why the metadata service may not be used, or nil when it may. `onEC2` is asked only when it matters.
    public static func refusal(allowIMDS: Bool, environment: [String: String], onEC2: () -> Bool) -> Refusal? {
        if environment["AWS_EC2_METADATA_DISABLED"]?.trimmingCharacters(in: .whitespaces).lowercased() == "true" { return .disabled }
        if allowIMDS || onEC2() { return nil }
        return .notEC2
    }

    /// Throws the error that tells the user what to do when `purpose` (e.g. "profile 'x'
    /// (credential_source = Ec2InstanceMetadata)") may not use the metadata service.
    public static func check(_ purpose: String, allowIMDS: Bool, environment: [String: String], onEC2: () -> Bool) throws(AWSError) {
        guard let refusal = refusal(allowIMDS: allowIMDS, environment: environment, onEC2: onEC2) else { return }
        throw AWSError.credentials(message(purpose, refusal))
    }

    static func message(_ purpose: String, _ refusal: Refusal) -> String {
        switch refusal {
        case .disabled:
            return """
                \(purpose) needs the instance metadata service, but AWS_EC2_METADATA_DISABLED=true forbids it \
                (--allow-imds does not override that). Unset it on EC2, or use other credentials.
                """
        case .notEC2:
            return """
                \(purpose) needs the instance metadata service, and this machine does not look like EC2: off EC2 \
                anyone on the network can answer that address (AWS-2025-021), so Mamori does not ask it. \
                If this really is EC2, or you run a metadata endpoint you trust, pass --allow-imds.
                """
        }
    }
}

/// EC2 instance profile credentials over IMDSv2 only (token first; IMDSv1 is never used).
/// Built only by `CredentialChain`, after `IMDSGate` allowed it.
public struct IMDSCredentialProvider: CredentialProvider {
    let endpoint: IMDSEndpoint
    let transport: any HTTPTransport

    init(endpoint: IMDSEndpoint, transport: any HTTPTransport) {
        self.endpoint = endpoint
        self.transport = transport
    }

    func request(_ method: String, _ path: String, _ headers: [HTTPHeader]) -> HTTPRequest {
        HTTPRequest(method: method, scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port, path: path, headers: headers)
    }

    public func credentials() async throws(AWSError) -> Credentials {
        let tokenResponse = try await transport.send(
            request("PUT", "/latest/api/token", [HTTPHeader("X-aws-ec2-metadata-token-ttl-seconds", "21600")]), timeout: 2)
        guard tokenResponse.status == 200 else { throw AWSError.credentials("IMDSv2 token request answered HTTP \(tokenResponse.status)") }
        let token = String(decoding: tokenResponse.body, as: UTF8.self)
        let auth = [HTTPHeader("X-aws-ec2-metadata-token", token)]
        let base = "/latest/meta-data/iam/security-credentials/"
        let roles = try await transport.send(request("GET", base, auth), timeout: 2)
        guard roles.status == 200, let role = String(decoding: roles.body, as: UTF8.self).split(separator: "\n").first else {
            throw AWSError.credentials("this instance has no IAM role (IMDS answered HTTP \(roles.status))")
        }
        let creds = try await transport.send(request("GET", base + role, auth), timeout: 2)
        guard creds.status == 200 else { throw AWSError.credentials("IMDS credentials for \(role) answered HTTP \(creds.status)") }
        return try JSONCredentials.parse(creds.body, source: "instance profile \(role)")
    }

    /// True when this machine looks like an EC2 instance, judged from local firmware data only
    /// (never by probing the network: on other networks that address may be an attacker's).
    public static func runningOnEC2(fileReader: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }) -> Bool {
        if let vendor = fileReader("/sys/devices/virtual/dmi/id/sys_vendor"), vendor.contains("Amazon EC2") { return true }
        if let tag = fileReader("/sys/devices/virtual/dmi/id/board_asset_tag"), tag.hasPrefix("i-") { return true }
        if let uuid = fileReader("/sys/hypervisor/uuid"), uuid.lowercased().hasPrefix("ec2") { return true }
        return false
    }
}

/// `credential_process` in a profile: runs the command and reads its JSON (Version 1).
public struct ProcessCredentialProvider: CredentialProvider {
    public let command: String
    public init(command: String) { self.command = command }

    public func credentials() async throws(AWSError) -> Credentials {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch { throw AWSError.credentials("credential_process could not start: \(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw AWSError.credentials("credential_process exited with status \(process.terminationStatus)")
        }
        return try JSONCredentials.parse(data, source: "credential_process")
    }
}

enum JSONCredentials {
    static func parse(_ data: Data, source: String) throws(AWSError) -> Credentials {
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch { throw AWSError.credentials("\(source) returned malformed JSON") }
        guard let id = json["AccessKeyId"]?.string, let secret = json["SecretAccessKey"]?.string else {
            throw AWSError.credentials("\(source) returned no AccessKeyId/SecretAccessKey")
        }
        let token = json["Token"]?.string ?? json["SessionToken"]?.string
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token,
                           expiration: json["Expiration"]?.string.flatMap(ISO8601.parse), source: source)
    }
}

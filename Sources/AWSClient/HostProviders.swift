import Foundation

/// ECS / EKS Pod Identity container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`).
public struct ContainerCredentialProvider: CredentialProvider {
    let url: URL
    let authorization: String?
    let transport: any HTTPTransport

    /// Nil when the environment does not point at a container endpoint.
    public init?(environment: [String: String], transport: any HTTPTransport) {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], let url = URL(string: "http://169.254.170.2\(relative)") {
            self.url = url
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], let url = URL(string: full) {
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

/// EC2 instance profile credentials over IMDSv2 only (token first; IMDSv1 is never used).
public struct IMDSCredentialProvider: CredentialProvider {
    let scheme: String
    let host: String
    let port: Int?
    let transport: any HTTPTransport

    public init(environment: [String: String], transport: any HTTPTransport) {
        let endpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap(URL.init(string:))
        scheme = endpoint?.scheme ?? "http"
        host = endpoint?.host ?? "169.254.169.254"
        port = endpoint?.port
        self.transport = transport
    }

    public func credentials() async throws(AWSError) -> Credentials {
        let tokenResponse = try await transport.send(
            HTTPRequest(method: "PUT", scheme: scheme, host: host, port: port, path: "/latest/api/token",
                        headers: [HTTPHeader("X-aws-ec2-metadata-token-ttl-seconds", "21600")]), timeout: 2)
        guard tokenResponse.status == 200 else { throw AWSError.credentials("IMDSv2 token request answered HTTP \(tokenResponse.status)") }
        let token = String(decoding: tokenResponse.body, as: UTF8.self)
        let auth = [HTTPHeader("X-aws-ec2-metadata-token", token)]
        let base = "/latest/meta-data/iam/security-credentials/"
        let roles = try await transport.send(HTTPRequest(method: "GET", scheme: scheme, host: host, port: port, path: base, headers: auth), timeout: 2)
        guard roles.status == 200, let role = String(decoding: roles.body, as: UTF8.self).split(separator: "\n").first else {
            throw AWSError.credentials("this instance has no IAM role (IMDS answered HTTP \(roles.status))")
        }
        let creds = try await transport.send(HTTPRequest(method: "GET", scheme: scheme, host: host, port: port, path: base + role, headers: auth), timeout: 2)
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

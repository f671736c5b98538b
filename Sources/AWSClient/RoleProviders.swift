import Foundation
import MamoriCore

/// Assumes a role with STS using another provider's credentials (profiles with `role_arn`,
/// organisation scans). Wrap it in `RefreshingCredentialProvider` to renew before expiry.
public struct AssumeRoleCredentialProvider: CredentialProvider {
    public let roleArn: String
    public let sessionName: String
    public let externalId: String?
    public let durationSeconds: Int?
    let client: AWSClient
    let region: String

    public init(roleArn: String, sessionName: String = "mamori", externalId: String? = nil, durationSeconds: Int? = nil,
                source: any CredentialProvider, configuration: ClientConfiguration, region: String) {
        self.roleArn = roleArn
        self.sessionName = sessionName
        self.externalId = externalId
        self.durationSeconds = durationSeconds
        self.client = AWSClient(credentials: source, configuration: configuration)
        self.region = region
    }

    public func credentials() async throws(AWSError) -> Credentials {
        var params = ["RoleArn": roleArn, "RoleSessionName": sessionName]
        if let externalId { params["ExternalId"] = externalId }
        if let durationSeconds { params["DurationSeconds"] = String(durationSeconds) }
        let result: XElement
        do { result = try await client.query(.sts, region: region, action: "AssumeRole", params) }
        catch { throw AWSError.credentials("cannot assume \(roleArn): \(error)") }
        return try STSCredentials.parse(result, source: "assume-role \(roleArn)")
    }
}

/// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (EKS, GitHub OIDC): an unsigned
/// `AssumeRoleWithWebIdentity` call with the token read fresh on every refresh.
public struct WebIdentityCredentialProvider: CredentialProvider {
    public let roleArn: String
    public let tokenFile: String
    public let sessionName: String
    let configuration: ClientConfiguration
    let region: String

    public init(roleArn: String, tokenFile: String, sessionName: String?, configuration: ClientConfiguration, region: String) {
        self.roleArn = roleArn
        self.tokenFile = tokenFile
        self.sessionName = sessionName ?? "mamori"
        self.configuration = configuration
        self.region = region
    }

    public func credentials() async throws(AWSError) -> Credentials {
        guard let data = FileManager.default.contents(atPath: tokenFile),
              let token = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            throw AWSError.credentials("cannot read the web identity token file \(tokenFile)")
        }
        let form = [("Action", "AssumeRoleWithWebIdentity"), ("Version", AWSService.sts.apiVersion), ("RoleArn", roleArn),
                    ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
        let body = form.map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
        let endpoint = configuration.endpoints.endpoint(for: .sts, region: region)
        let request = HTTPRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                                  headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                  body: Data(body.utf8))
        let response = try await configuration.transport.send(request, timeout: configuration.timeout)
        if response.status >= 300 {
            throw AWSError.credentials("web identity: \(ErrorDecoder.decode(response, wire: .query, operation: "AssumeRoleWithWebIdentity"))")
        }
        let root = try XElement.parse(response.body)
        return try STSCredentials.parse(root.child("AssumeRoleWithWebIdentityResult") ?? root, source: "web identity \(roleArn)")
    }
}

enum STSCredentials {
    static func parse(_ result: XElement, source: String) throws(AWSError) -> Credentials {
        guard let creds = result.first("Credentials"), let id = creds.string("AccessKeyId"),
              let secret = creds.string("SecretAccessKey") else {
            throw AWSError.decoding("STS answer has no Credentials element")
        }
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: creds.string("SessionToken"),
                           expiration: creds.string("Expiration").flatMap(ISO8601.parse), source: source)
    }
}


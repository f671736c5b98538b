import Crypto
import Foundation
import MamoriCore

/// IAM Identity Center (SSO) profiles, as the AWS CLI reads them: `sso_session` (a
/// `[sso-session NAME]` section) or the legacy `sso_start_url` in the profile, plus
/// `sso_account_id` and `sso_role_name`. The access token is the one `aws sso login` cached under
/// `~/.aws/sso/cache/<sha1 of the session name, or of the start URL>.json` (botocore's
/// `SSOTokenLoader`); the portal's `GetRoleCredentials` trades it for role credentials. Wrap it
/// in `RefreshingCredentialProvider`: each refresh reads the token file again, so a new
/// `aws sso login` is picked up without restarting. For `sso_session` profiles a token within 15
/// minutes of expiry is renewed first with SSO OIDC `CreateToken` (its refresh token), and the
/// cache file rewritten, as botocore's `SSOTokenProvider` does.
public struct SSOCredentialProvider: CredentialProvider {
    public let profile: String
    /// The `sso_session` name; nil for a legacy profile.
    public let sessionName: String?
    public let startURL: String
    public let ssoRegion: String
    public let accountId: String
    public let roleName: String
    let cacheDirectory: String
    let configuration: ClientConfiguration
    let now: @Sendable () -> Date

    /// Reads the profile's settings; what is missing is named.
    init(profile: String, settings: [String: String], files: ProfileFiles, configuration: ClientConfiguration,
         now: @escaping @Sendable () -> Date = Date.init) throws(AWSError) {
        self.profile = profile
        self.configuration = configuration
        self.now = now
        cacheDirectory = "\(files.home)/.aws/sso/cache"
        var merged = settings
        if let session = settings["sso_session"] {
            guard let section = files.ssoSessions[session] else {
                throw AWSError.credentials("profile '\(profile)': sso_session = \(session), but ~/.aws/config has no [sso-session \(session)] section")
            }
            // The AWS CLI refuses a profile and its session disagreeing; the session is the source of truth.
            for key in ["sso_start_url", "sso_region"] {
                if let own = settings[key], let shared = section[key], own != shared {
                    throw AWSError.credentials("profile '\(profile)': \(key) differs from the one in [sso-session \(session)]")
                }
            }
            merged.merge(section) { _, shared in shared }
            sessionName = session
        } else {
            sessionName = nil
        }
        let session = sessionName
        func required(_ key: String) throws(AWSError) -> String {
            guard let value = merged[key], !value.isEmpty else {
                let inSession = key == "sso_start_url" || key == "sso_region"
                let place = session.map { inSession ? "[sso-session \($0)]" : "profile '\(profile)'" } ?? "profile '\(profile)'"
                throw AWSError.credentials("profile '\(profile)' uses IAM Identity Center but \(place) has no \(key)")
            }
            return value
        }
        let startURL = try required("sso_start_url"), ssoRegion = try required("sso_region")
        let accountId = try required("sso_account_id"), roleName = try required("sso_role_name")
        self.startURL = startURL
        self.ssoRegion = ssoRegion
        self.accountId = accountId
        self.roleName = roleName
    }

    /// What to run when the token is missing or expired.
    public var loginCommand: String {
        sessionName.map { "aws sso login --sso-session \($0)" } ?? "aws sso login --profile \(profile)"
    }

    /// The token cache file: sha1 of the session name, or of the start URL for legacy profiles.
    public var tokenFile: String {
        let key = sessionName ?? startURL
        let digest = Insecure.SHA1.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(cacheDirectory)/\(digest).json"
    }

    /// botocore's `_REFRESH_WINDOW`.
    static let tokenRefreshWindow: TimeInterval = 15 * 60

    public func credentials() async throws(AWSError) -> Credentials {
        let token = try await accessToken()
        let endpoint = configuration.endpoints.endpoint(for: .sso, region: ssoRegion)
        // Unsigned (botocore: `authtype: none`); the token travels in its own header.
        let request = HTTPRequest(method: "GET", scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                                  path: "/federation/credentials",
                                  query: [QueryItem("account_id", accountId), QueryItem("role_name", roleName)],
                                  headers: [HTTPHeader("x-amz-sso_bearer_token", token)])
        let response = try await send(request, service: .sso, operation: "GetRoleCredentials")
        if response.status == 401 || response.status == 403 {
            throw AWSError.credentials("profile '\(profile)': the IAM Identity Center session has expired or was revoked: run `\(loginCommand)`")
        }
        if response.status >= 300 {
            throw AWSError.credentials("profile '\(profile)': IAM Identity Center GetRoleCredentials for role \(roleName) in account \(accountId): "
                                       + "\(ErrorDecoder.decode(response, wire: .restJSON, operation: "GetRoleCredentials"))")
        }
        let role = try JSONValue.parse(response.body)["roleCredentials"]
        guard let role, let id = role["accessKeyId"]?.string, let secret = role["secretAccessKey"]?.string else {
            throw AWSError.decoding("IAM Identity Center answer has no roleCredentials")
        }
        // `expiration` is epoch milliseconds.
        let expiration: Date? = if case .number(let ms)? = role["expiration"] { Date(timeIntervalSince1970: ms / 1000) } else { nil }
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: role["sessionToken"]?.string,
                           expiration: expiration, source: "sso profile \(profile) (\(roleName) in \(accountId))")
    }

    /// The cached access token, renewed first when it is about to expire and can be.
    func accessToken() async throws(AWSError) -> String {
        let path = tokenFile
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSError.credentials("profile '\(profile)': no IAM Identity Center token cached (\(path)): run `\(loginCommand)`")
        }
        guard let json = try? JSONValue.parse(data), let token = json["accessToken"]?.string, !token.isEmpty,
              let expiresText = json["expiresAt"]?.string else {
            throw AWSError.credentials("profile '\(profile)': the cached IAM Identity Center token \(path) is unreadable: run `\(loginCommand)`")
        }
        guard let expires = Self.parseExpiry(expiresText) else {
            throw AWSError.credentials("profile '\(profile)': the cached token's expiresAt '\(expiresText)' is not a date: run `\(loginCommand)`")
        }
        if sessionName != nil, expires.timeIntervalSince(now()) < Self.tokenRefreshWindow, let renewed = await renew(json, path: path) {
            return renewed
        }
        guard expires > now() else {
            throw AWSError.credentials("profile '\(profile)': the IAM Identity Center token expired at \(ISO8601.string(expires)): run `\(loginCommand)`")
        }
        return token
    }

    /// SSO OIDC `CreateToken` with the cached refresh token (unsigned, `POST /token`); the new
    /// token is written back to the cache like the AWS CLI does. Nil when the cache holds no usable
    /// registration or the call fails: the caller then uses the old token while it lasts.
    func renew(_ cached: JSONValue, path: String) async -> String? {
        guard let refreshToken = cached["refreshToken"]?.string, let clientId = cached["clientId"]?.string,
              let clientSecret = cached["clientSecret"]?.string,
              let registrationText = cached["registrationExpiresAt"]?.string,
              let registrationExpires = Self.parseExpiry(registrationText), registrationExpires > now() else { return nil }
        let body: JSONValue = ["grantType": "refresh_token", "clientId": .string(clientId), "clientSecret": .string(clientSecret),
                               "refreshToken": .string(refreshToken)]
        let endpoint = configuration.endpoints.endpoint(for: .ssoOIDC, region: ssoRegion)
        let request = HTTPRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port, path: "/token",
                                  headers: [HTTPHeader("Content-Type", "application/json")], body: body.serialized())
        guard let response = try? await send(request, service: .ssoOIDC, operation: "CreateToken"), response.status == 200,
              let answer = try? JSONValue.parse(response.body), let token = answer["accessToken"]?.string, !token.isEmpty,
              case .number(let expiresIn)? = answer["expiresIn"] else { return nil }
        var updated = cached.object
        updated["accessToken"] = .string(token)
        updated["expiresAt"] = .string(ISO8601.string(now().addingTimeInterval(expiresIn)))
        if let rotated = answer["refreshToken"]?.string { updated["refreshToken"] = .string(rotated) }
        // Best effort, owner-only like the AWS CLI's cache: the token in hand works either way.
        let data = JSONValue.object(updated).serialized()
        let temporary = path + ".mamori-\(UUID().uuidString)"
        if FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) {
            if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
        }
        return token
    }

    /// One unsigned call, in the `--debug` log like every other (fields only: no token, no secret).
    func send(_ request: HTTPRequest, service: AWSService, operation: String) async throws(AWSError) -> HTTPResponse {
        let started = ContinuousClock.now
        do {
            let response = try await configuration.transport.send(request, timeout: configuration.timeout)
            configuration.requestLog?.record(method: request.method, host: request.host, service: service, operation: operation,
                                             region: ssoRegion, outcome: .status(response.status), started: started, attempt: 1, retryIn: nil)
            return response
        } catch {
            configuration.requestLog?.record(method: request.method, host: request.host, service: service, operation: operation,
                                             region: ssoRegion, outcome: .failed(error), started: started, attempt: 1, retryIn: nil)
            throw error
        }
    }

    /// `2024-01-02T03:04:05Z` (AWS CLI v2), with fractions, or the legacy `2024-01-02T03:04:05UTC`.
    static func parseExpiry(_ text: String) -> Date? {
        let normalised = text.hasSuffix("UTC") ? String(text.dropLast(3)) + "Z" : text
        return ISO8601.parse(normalised)
    }
}

extension AWSService {
    /// The IAM Identity Center portal (`portal.sso.REGION.amazonaws.com`), botocore `sso` 2019-06-10.
    public static let sso = AWSService(id: "sso", signingName: "awsssoportal", endpointPrefix: "portal.sso", apiVersion: "2019-06-10", wire: .restJSON)
    /// IAM Identity Center OIDC (`oidc.REGION.amazonaws.com`), botocore `sso-oidc` 2019-06-10; `AWS_ENDPOINT_URL_SSO_OIDC`.
    public static let ssoOIDC = AWSService(id: "sso-oidc", signingName: "sso-oauth", endpointPrefix: "oidc", apiVersion: "2019-06-10", wire: .restJSON)
}

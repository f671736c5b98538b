import AWSTestSupport
import Foundation
import Testing
@testable import AWSClient

/// Retry settings as the AWS CLI reads them: flag, then environment, then profile.
struct RetrySettingsTests {
    @Test func defaultsAreFiveAttemptsAdaptive() throws {
        let policy = try RetryPolicy.resolve(environment: [:])
        #expect(policy.maxAttempts == 5)
        #expect(policy.mode == .adaptive)
        #expect(policy.paces)
    }

    @Test func flagBeatsEnvironmentBeatsProfile() throws {
        let profile = ["max_attempts": "7", "retry_mode": "legacy"]
        #expect(try RetryPolicy.resolve(environment: [:], profile: profile).maxAttempts == 7)
        #expect(try RetryPolicy.resolve(environment: [:], profile: profile).mode == .legacy)
        let env = ["AWS_MAX_ATTEMPTS": "10", "AWS_RETRY_MODE": "Standard"]
        #expect(try RetryPolicy.resolve(environment: env, profile: profile).maxAttempts == 10)
        #expect(try RetryPolicy.resolve(environment: env, profile: profile).mode == .standard)
        #expect(try RetryPolicy.resolve(maxAttempts: 2, environment: env, profile: profile).maxAttempts == 2)
        #expect(try RetryPolicy.resolve(environment: ["AWS_MAX_ATTEMPTS": " "], profile: profile).maxAttempts == 7, "blank means unset")
    }

    @Test func badValuesNameTheirSource() {
        #expect(throws: RetryConfigurationError("AWS_MAX_ATTEMPTS 'ten' should be a whole number of attempts from 1 to 100 (1 means no retries)")) {
            try RetryPolicy.resolve(environment: ["AWS_MAX_ATTEMPTS": "ten"])
        }
        #expect(throws: RetryConfigurationError("max_attempts in the AWS config profile '0' should be a whole number of attempts from 1 to 100 (1 means no retries)")) {
            try RetryPolicy.resolve(environment: [:], profile: ["max_attempts": "0"])
        }
        #expect(throws: RetryConfigurationError("AWS_RETRY_MODE 'turbo' is not a retry mode (use legacy, standard or adaptive)")) {
            try RetryPolicy.resolve(environment: ["AWS_RETRY_MODE": "turbo"])
        }
    }

    @Test func standardModeBacksOffWithoutPacing() async throws {
        let throttled = failure(503, "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors></Response>")
        let transport = ReplayTransport([throttled, ok("<R><RResult/></R>")])
        let configuration = ClientConfiguration(endpoints: EndpointResolver(override: URL(string: "http://127.0.0.1:1")),
                                                retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01, mode: .standard),
                                                transport: transport)
        let client = AWSClient(credentials: StaticCredentialProvider(Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")),
                               configuration: configuration)
        _ = try await client.query(.ec2, region: "eu-west-1", action: "R")
        #expect(transport.sent.count == 2)
        #expect(await client.pacing.rate("eu-west-1/ec2") == nil)
    }
}

/// Every answer the fault proxy (and a bad day at AWS) produces is retried, not reported.
struct TransientFailureTests {
    /// The issue's list: throttling codes in each protocol's shape, plus 429 and 503 without a code.
    @Test func everyThrottlingAnswerIsRetriedAndPaced() {
        let answers: [(Int, [String: String], String, WireProtocol)] = [
            (400, [:], "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>", .query),
            (400, [:], #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#, .json(version: "1.1", targetPrefix: "X")),
            (503, [:], "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors></Response>", .ec2),
            (429, ["x-amzn-ErrorType": "TooManyRequestsException:http://internal.amazon.com/coral/com.amazon.coral.service/"], #"{"message":"Too Many Requests"}"#, .restJSON),
            (503, [:], "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>", .restXML),
            (429, [:], "", .restJSON),
        ]
        for (status, headers, body, wire) in answers {
            let error = ErrorDecoder.decode(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)), wire: wire, operation: "Op", emulator: true)
            #expect(error.isThrottling && error.isRetryable, "\(error)")
        }
        let unavailable = ErrorDecoder.decode(HTTPResponse(status: 503, body: Data()), wire: .query, operation: "Op", emulator: true)
        #expect(unavailable.isRetryable && unavailable.code == "ServiceUnavailable")
        let ec2Unavailable = ErrorDecoder.decode(HTTPResponse(status: 503, body: Data("<Response><Errors><Error><Code>Unavailable</Code><Message>m</Message></Error></Errors></Response>".utf8)),
                                                 wire: .ec2, operation: "Op", emulator: true)
        #expect(ec2Unavailable.isRetryable)
        let internalFailure = ErrorDecoder.decode(HTTPResponse(status: 500, body: Data("<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code></Error></ErrorResponse>".utf8)),
                                                  wire: .query, operation: "Op", emulator: true)
        #expect(internalFailure.isRetryable && !internalFailure.isUnsupported)
    }

    @Test func nonRetryableErrorsAreClassifiedNotRetried() async throws {
        let denied = failure(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>")
        let transport = ReplayTransport([denied, ok("<never/>")])
        await #expect { try await testClient(transport, maxAttempts: 5).query(.iam, region: "us-east-1", action: "ListUsers") } throws: { error in
            (error as? AWSError)?.isAccessDenied == true
        }
        #expect(transport.sent.count == 1)
    }

    @Test func aCutShortErrorDocumentIsADecodingErrorAndRetried() async throws {
        let cut = failure(400, "<ErrorResponse><Error><Type>Sender</Type><Code>Thrott")
        let error = ErrorDecoder.decode(HTTPResponse(status: 400, body: Data("<ErrorResponse><Error><Type>Sender</Type><Code>Thrott".utf8)),
                                        wire: .query, operation: "ListUsers")
        guard case let .decoding(reason) = error else { Issue.record("not a decoding error: \(error)"); return }
        #expect(reason.hasPrefix("ListUsers: HTTP 400 error document is incomplete: malformed XML"))
        #expect(error.isRetryable)
        let transport = ReplayTransport([cut, failure(400, #"{"__type":"Thrott"#), ok("<ListUsersResponse><ListUsersResult/></ListUsersResponse>")])
        _ = try await testClient(transport, maxAttempts: 3).query(.iam, region: "us-east-1", action: "ListUsers")
        #expect(transport.sent.count == 3)
    }

    @Test func aCutShortS3DocumentIsRetriedInsideTheClient() async throws {
        let xml = ["content-type": "application/xml"]
        let transport = ReplayTransport([ok("<ListAllMyBucketsResult><Buckets><Bucket><Na", headers: xml),
                                         ok(#"{"Version":"2012-10-17","Statement":[{"#, headers: ["content-type": "application/json"]),
                                         ok("<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>", headers: xml)])
        let response = try await testClient(transport, maxAttempts: 3).restXML(.s3, region: "us-east-1", operation: "ListBuckets")
        #expect(transport.sent.count == 3)
        #expect(String(decoding: response.body, as: UTF8.self) == "<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>")
        // Objects that are not API documents are left alone.
        let object = ReplayTransport([ok("<not xml", headers: ["content-type": "text/plain"])])
        _ = try await testClient(object).restXML(.s3, region: "us-east-1", bucket: "b", path: "/k", operation: "GetObject")
        #expect(object.sent.count == 1)
    }

    @Test func aBodyShorterThanItsContentLengthIsATransportError() {
        let short = HTTPResponse(status: 200, headers: ["Content-Length": "120"], body: Data(repeating: 0x41, count: 60))
        #expect(ResponseIntegrity.truncation(of: short, method: "POST") == 60)
        #expect(ResponseIntegrity.truncation(of: short, method: "HEAD") == nil)
        let whole = HTTPResponse(status: 200, headers: ["Content-Length": "60"], body: Data(repeating: 0x41, count: 60))
        #expect(ResponseIntegrity.truncation(of: whole, method: "POST") == nil)
        let gzip = HTTPResponse(status: 200, headers: ["Content-Length": "20", "Content-Encoding": "gzip"], body: Data(repeating: 0x41, count: 5))
        #expect(ResponseIntegrity.truncation(of: gzip, method: "GET") == nil)
    }
}

/// Pacing spaces out callers that arrive together.
struct PacingSpacingTests {
    final class FrozenClock: @unchecked Sendable { let now = 500.0 }

    @Test func waitingCallersReserveSuccessiveTokens() async {
        let clock = FrozenClock()
        let limiter = AdaptiveRateLimiter(minimumRate: 0.5, decrease: 0.5, recovery: 1, clock: { clock.now })
        await limiter.throttled("us-east-1/iam", observedRate: 40)  // 20 per second from now on
        let waits = await withTaskGroup(of: Double.self) { group in
            for _ in 0..<3 { group.addTask { await limiter.acquire("us-east-1/iam") } }
            var all: [Double] = []
            for await wait in group { all.append(wait) }
            return all.sorted()
        }
        // No token left after the throttle: the three wait 1, 2 and 3 slots of 1/20 s.
        #expect(waits.map { ($0 * 1000).rounded() } == [50, 100, 150])
    }
}

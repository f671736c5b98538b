import AWSTestSupport
import Foundation
import Testing
@testable import AWSClient

/// Each wire protocol against responses shaped from botocore's models.
struct ProtocolTests {
    @Test func awsQueryBuildsAFormAndReturnsTheResultElement() async throws {
        let transport = ReplayTransport(body: """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDA</UserId>
              <Account>123456789012</Account></GetCallerIdentityResult>
              <ResponseMetadata><RequestId>01234567-89ab</RequestId></ResponseMetadata>
            </GetCallerIdentityResponse>
            """)
        let result = try await testClient(transport).query(.sts, region: "eu-west-1", action: "GetCallerIdentity")
        #expect(result.string("Account") == "123456789012")
        let request = try #require(transport.sent.first)
        #expect(String(decoding: request.body, as: UTF8.self) == "Action=GetCallerIdentity&Version=2011-06-15")
        #expect(request.header("Authorization")?.contains("/eu-west-1/sts/aws4_request") == true)
    }

    @Test func iamSignsAsUsEast1WhateverTheRegion() async throws {
        let transport = ReplayTransport(body: "<ListUsersResponse><ListUsersResult><Users/></ListUsersResult></ListUsersResponse>")
        _ = try await testClient(transport).query(.iam, region: "ap-northeast-1", action: "ListUsers")
        #expect(transport.sent.first?.header("Authorization")?.contains("/us-east-1/iam/aws4_request") == true)
    }

    @Test func ec2ItemListsAndNextToken() async throws {
        let transport = ReplayTransport(body: """
            <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>r-1</requestId>
              <reservationSet><item><instancesSet>
                <item><instanceId>i-1</instanceId><imageId>ami-1</imageId><instanceState><name>running</name></instanceState>
                  <metadataOptions><httpTokens>optional</httpTokens><httpEndpoint>enabled</httpEndpoint></metadataOptions></item>
                <item><instanceId>i-2</instanceId><instanceState><name>stopped</name></instanceState></item>
              </instancesSet></item></reservationSet>
              <nextToken>tok-2</nextToken>
            </DescribeInstancesResponse>
            """)
        let root = try await testClient(transport).query(.ec2, region: "us-east-1", action: "DescribeInstances", ["MaxResults": "1000"])
        let instances = root.list("reservationSet").flatMap { $0.list("instancesSet") }
        #expect(instances.map { $0.string("instanceId") } == ["i-1", "i-2"])
        #expect(instances[0].path("metadataOptions", "httpTokens")?.text == "optional")
        #expect(root.string("nextToken") == "tok-2")
    }

    @Test func queryErrorDocumentBecomesATypedError() async throws {
        let transport = ReplayTransport(status: 403, body: """
            <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>
            <Message>User: arn:aws:iam::1:user/x is not authorized to perform: iam:ListUsers</Message></Error>
            <RequestId>req-9</RequestId></ErrorResponse>
            """)
        await #expect {
            _ = try await testClient(transport).query(.iam, region: "us-east-1", action: "ListUsers")
        } throws: { error in
            guard let error = error as? AWSError else { return false }
            return error.isAccessDenied && !error.isRetryable && error.description.contains("not authorized")
                && error.description.contains("req-9")
        }
        #expect(transport.sent.count == 1, "access denied is not retried")
    }

    @Test func ec2ErrorDocument() {
        let error = ErrorDecoder.decode(HTTPResponse(status: 400, body: Data("""
            <Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized</Message></Error></Errors>
            <RequestID>abc</RequestID></Response>
            """.utf8)), wire: .ec2, operation: "DescribeInstances")
        #expect(error.code == "UnauthorizedOperation")
        #expect(error.isAccessDenied)
        #expect(error.description.contains("abc"))
    }

    @Test func jsonProtocolTargetAndErrorType() async throws {
        let transport = ReplayTransport([
            failure(400, #"{"__type":"com.amazonaws.cloudtrail.v20131101#TrailNotFoundException","Message":"Unknown trail"}"#),
        ])
        await #expect(throws: AWSError.self) {
            _ = try await testClient(transport).json(.cloudtrail, region: "us-east-1", operation: "GetTrailStatus", ["Name": "x"])
        }
        let request = try #require(transport.sent.first)
        #expect(request.header("X-Amz-Target") == "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrailStatus")
        #expect(request.header("Content-Type") == "application/x-amz-json-1.1")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"Name":"x"}"#)
    }

    @Test func sqsQueryCompatibleErrorHeader() {
        let error = ErrorDecoder.decode(HTTPResponse(status: 400, headers: [
            "x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender",
        ], body: Data(#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#.utf8)),
            wire: .json(version: "1.0", targetPrefix: "AmazonSQS"), operation: "GetQueueAttributes")
        #expect(error.code == "AWS.SimpleQueueService.NonExistentQueue")
    }

    @Test func restJSONPathAndErrorTypeHeader() async throws {
        let transport = ReplayTransport([
            ok(#"{"detectorIds":["d1"]}"#),
            failure(401, #"{"message":"Account is not subscribed to AWS Security Hub"}"#, headers: ["x-amzn-ErrorType": "InvalidAccessException:http://internal"]),
        ])
        let client = testClient(transport)
        let ids = try await client.restJSON(.guardduty, region: "eu-west-1", method: "GET", path: "/detector", operation: "ListDetectors")
        #expect(ids["detectorIds"]?.array.compactMap(\.string) == ["d1"])
        do {
            _ = try await client.restJSON(.securityhub, region: "eu-west-1", method: "GET", path: "/accounts", operation: "DescribeHub")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "InvalidAccessException")
        }
        #expect(transport.sent[0].path == "/detector")
        #expect(transport.sent[0].method == "GET")
    }

    @Test func restXMLS3PathStyleWithOverrideAndPayloadHash() async throws {
        let transport = ReplayTransport(body: #"{"Version":"2012-10-17","Statement":[]}"#)
        let response = try await testClient(transport).restXML(.s3, region: "eu-west-1", bucket: "my-bucket",
                                                               query: [QueryItem("policy", "")], operation: "GetBucketPolicy")
        #expect(String(decoding: response.body, as: UTF8.self).hasPrefix("{"))
        let request = try #require(transport.sent.first)
        #expect(request.path == "/my-bucket")
        #expect(request.header("x-amz-content-sha256") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(request.url?.absoluteString == "http://127.0.0.1:1/my-bucket?policy=")
    }

    @Test func s3VirtualHostedAgainstAWS() async throws {
        let transport = ReplayTransport(body: "<LocationConstraint/>")
        let configuration = ClientConfiguration(transport: transport)
        let client = AWSClient(credentials: StaticCredentialProvider(Credentials(accessKeyId: "A", secretAccessKey: "B")), configuration: configuration)
        _ = try await client.restXML(.s3, region: "eu-west-1", bucket: "my-bucket", query: [QueryItem("location", "")], operation: "GetBucketLocation")
        #expect(transport.sent.first?.host == "my-bucket.s3.eu-west-1.amazonaws.com")
    }

    @Test func throttlingIsRetriedThenSucceeds() async throws {
        let transport = ReplayTransport([
            failure(400, "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"),
            failure(503, ""),
            .failure(.transport(operation: "x", reason: "connection reset by peer")),
            ok("<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"),
        ])
        let result = try await testClient(transport, maxAttempts: 5).query(.sts, region: "us-east-1", action: "GetCallerIdentity")
        #expect(result.string("Account") == "1")
        #expect(transport.sent.count == 4)
    }

    @Test func truncatedBodyIsRetried() async throws {
        let transport = ReplayTransport([
            ok("<GetCallerIdentityResponse><GetCallerIdentityResult><Acc"),
            ok("<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"),
        ])
        let result = try await testClient(transport).query(.sts, region: "us-east-1", action: "GetCallerIdentity")
        #expect(result.string("Account") == "1")
    }

    @Test func retriesStopAtMaxAttempts() async throws {
        let throttled = failure(429, #"{"__type":"TooManyRequestsException"}"#)
        let transport = ReplayTransport([throttled, throttled, throttled, throttled])
        do {
            _ = try await testClient(transport, maxAttempts: 3).json(.organizations, region: "us-east-1", operation: "ListAccounts")
            Issue.record("expected throttling to surface")
        } catch {
            #expect(error.isThrottling)
        }
        #expect(transport.sent.count == 3)
    }

    @Test func emulatorHTMLPageMeansNotImplemented() {
        let page = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>"
        let fromEmulator = ErrorDecoder.decode(HTTPResponse(status: 500, body: Data(page.utf8)), wire: .ec2,
                                               operation: "GetInstanceMetadataDefaults", emulator: true)
        #expect(fromEmulator.isUnsupported && !fromEmulator.isRetryable)
        let fromAWS = ErrorDecoder.decode(HTTPResponse(status: 500, body: Data(page.utf8)), wire: .ec2, operation: "X")
        #expect(fromAWS.isRetryable && !fromAWS.isUnsupported)
        #expect(fromAWS.description.contains("500 Internal Server Error"))
        #expect(!fromAWS.description.contains("<h1>"))
    }

    @Test func malformedXMLIsATypedErrorNamingTheLine() {
        #expect(throws: AWSError.self) { try XElement.parse(Data("<a>\n<b></a>".utf8)) }
    }

    @Test func endpointResolution() {
        let aws = EndpointResolver()
        #expect(aws.endpoint(for: .iam, region: "eu-west-1").host == "iam.amazonaws.com")
        #expect(aws.endpoint(for: .ec2, region: "eu-west-1").host == "ec2.eu-west-1.amazonaws.com")
        #expect(aws.endpoint(for: .organizations, region: "eu-west-1").host == "organizations.us-east-1.amazonaws.com")
        #expect(aws.endpoint(for: .ec2, region: "cn-north-1").host == "ec2.cn-north-1.amazonaws.com.cn")
        let env = EndpointResolver.fromEnvironment(["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:6000"])
        #expect(env.endpoint(for: .s3, region: "us-east-1").port == 6000)
        #expect(env.endpoint(for: .sqs, region: "us-east-1").port == 5000)
    }
}

/// The fan-out bound: never more requests in flight than the limiter allows.
struct ConcurrencyTests {
    final class CountingTransport: HTTPTransport, @unchecked Sendable {
        let lock = NSLock()
        var inFlight = 0
        var peak = 0
        func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(AWSError) -> HTTPResponse {
            lock.withLock { inFlight += 1; peak = max(peak, inFlight) }
            try? await Task.sleep(nanoseconds: 5_000_000)
            lock.withLock { inFlight -= 1 }
            return HTTPResponse(status: 200, body: Data("<R><RResult/></R>".utf8))
        }
    }

    @Test func perRegionAndPerAccountBounds() async throws {
        let transport = CountingTransport()
        let configuration = ClientConfiguration(endpoints: EndpointResolver(override: URL(string: "http://127.0.0.1:1")),
                                                maxConcurrentRequests: 6, maxConcurrentRequestsPerRegion: 2, transport: transport)
        let client = AWSClient(credentials: StaticCredentialProvider(Credentials(accessKeyId: "A", secretAccessKey: "B")), configuration: configuration)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { _ = try? await client.query(.ec2, region: "eu-west-1", action: "R") } }
        }
        #expect(transport.peak == 2)
        transport.peak = 0
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask { _ = try? await client.query(.ec2, region: ["a", "b", "c", "d", "e"][index % 5], action: "R") }
            }
        }
        #expect(transport.peak == 6)
    }
}

/// Adaptive pacing: off until a throttle, then slower on each throttle, then recovering.
struct PacingTests {
    final class FakeClock: @unchecked Sendable {
        var now = 1000.0
    }

    @Test func pacingStartsOnThrottleAndRecovers() async {
        let clock = FakeClock()
        let limiter = AdaptiveRateLimiter(minimumRate: 0.5, decrease: 0.5, recovery: 10, clock: { clock.now })
        #expect(await limiter.rate("eu-west-1/ec2") == nil)
        #expect(await limiter.acquire("eu-west-1/ec2") == 0)
        await limiter.throttled("eu-west-1/ec2", observedRate: 20)
        #expect(await limiter.rate("eu-west-1/ec2") == 10)
        await limiter.throttled("eu-west-1/ec2")
        #expect(await limiter.rate("eu-west-1/ec2") == 5)
        #expect(await limiter.rate("us-east-1/ec2") == nil, "other regions are not slowed")
        clock.now += 1
        await limiter.succeeded("eu-west-1/ec2")
        #expect(await limiter.rate("eu-west-1/ec2")! > 5)
        for _ in 0..<50 { await limiter.throttled("eu-west-1/ec2") }
        #expect(await limiter.rate("eu-west-1/ec2") == 0.5, "never below the floor")
    }

    @Test func throttlingResponsesSlowTheClient() async throws {
        let throttled = failure(400, "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow down</Message></Error></Errors></Response>")
        let transport = ReplayTransport([throttled, ok("<R><RResult/></R>")])
        let client = testClient(transport, maxAttempts: 3)
        _ = try await client.query(.ec2, region: "eu-west-1", action: "R")
        #expect(await client.pacing.rate("eu-west-1/ec2") != nil)
        #expect(await client.pacing.rate("eu-west-1/sts") == nil)
    }
}

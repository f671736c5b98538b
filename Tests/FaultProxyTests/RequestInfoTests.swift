import Testing
@testable import FaultProxy

/// What the proxy reads from a request: service, action and error style.
struct RequestInfoTests {
    static func auth(_ service: String) -> String {
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/\(service)/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"
    }

    @Test func ec2QueryIsTheEC2Style() {
        let info = RequestInfo.classify(method: "POST", uri: "/", headers: [
            ("Authorization", Self.auth("ec2")), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ], body: Array("Action=DescribeInstances&Version=2016-11-15".utf8))
        #expect(info == RequestInfo(service: "ec2", action: "DescribeInstances", style: .ec2))
    }

    @Test func awsQueryServices() {
        for service in ["iam", "sts", "sns", "rds"] {
            let info = RequestInfo.classify(method: "POST", uri: "/", headers: [
                ("authorization", Self.auth(service)), ("content-type", "application/x-www-form-urlencoded"),
            ], body: Array("Version=2010-05-08&Action=List%55sers".utf8))
            #expect(info == RequestInfo(service: service, action: "ListUsers", style: .query))
        }
    }

    @Test func jsonServicesByContentTypeAndTarget() {
        let info = RequestInfo.classify(method: "POST", uri: "/", headers: [
            ("Authorization", Self.auth("sqs")), ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.ListQueues"),
        ], body: Array("{}".utf8))
        #expect(info == RequestInfo(service: "sqs", action: "ListQueues", style: .json, jsonVersion: "1.0"))
        let trail = RequestInfo.classify(method: "POST", uri: "/", headers: [
            ("Authorization", Self.auth("cloudtrail")), ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails"),
        ], body: [])
        #expect(trail == RequestInfo(service: "cloudtrail", action: "DescribeTrails", style: .json, jsonVersion: "1.1"))
    }

    @Test func s3IsRestXMLWithTheSubresourceAsAction() {
        let info = RequestInfo.classify(method: "GET", uri: "/demo-bucket?policy", headers: [("Authorization", Self.auth("s3"))], body: [])
        #expect(info == RequestInfo(service: "s3", action: "GET /demo-bucket?policy", style: .restXML))
    }

    @Test func restJSONServices() {
        let info = RequestInfo.classify(method: "GET", uri: "/detector?maxResults=50", headers: [("Authorization", Self.auth("guardduty"))], body: [])
        #expect(info == RequestInfo(service: "guardduty", action: "GET /detector?maxResults", style: .restJSON))
    }

    @Test func presignedCredentialAndUnsignedRequests() {
        #expect(RequestInfo.serviceName(authorization: nil, query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261125%2Feu-west-1%2Fs3%2Faws4_request") == "s3")
        #expect(RequestInfo.serviceName(authorization: nil, query: "") == nil)
        #expect(RequestInfo.serviceName(authorization: "Basic dXNlcjpwYXNz", query: "") == nil)
        #expect(RequestInfo.serviceName(authorization: "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/sns", query: "") == nil)
    }
}

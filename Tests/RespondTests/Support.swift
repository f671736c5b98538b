import AWSClient
import AWSTestSupport
import Foundation

/// A CloudTrail record as AWS writes it.
func trailRecord(_ name: String, key: String, user: String? = nil, role: String? = nil, time: String,
                 request: String = "null", response: String = "null", id: String) -> String {
    let identity: String
    if let role {
        identity = #"{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/\#(role)/s","accessKeyId":"\#(key)","sessionContext":{"sessionIssuer":{"type":"Role","userName":"\#(role)"}}}"#
    } else {
        identity = #"{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/\#(user ?? "x")","userName":"\#(user ?? "x")","accessKeyId":"\#(key)"}"#
    }
    return #"{"eventTime":"\#(time)","eventName":"\#(name)","eventSource":"iam.amazonaws.com","awsRegion":"us-east-1","userIdentity":\#(identity),"requestParameters":\#(request),"responseElements":\#(response),"eventID":"\#(id)"}"#
}

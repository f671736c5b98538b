import PolicyAnalysis

/// One hand-checked policy: what it is, the verdict a cloud-security engineer would give, and the
/// phrase the reason must contain so the explanation points at the right thing.
struct PolicyCase: Sendable, CustomStringConvertible {
    var name: String
    var type: PolicyResourceType
    var account: String?
    var expectPublic: Bool
    /// Phrase that must appear in one of the reasons (case-sensitive).
    var reason: String
    var policy: String
    var description: String { name }

    init(_ name: String, _ type: PolicyResourceType, public expectPublic: Bool, reason: String, account: String? = nil, _ policy: String) {
        self.name = name
        self.type = type
        self.account = account
        self.expectPublic = expectPublic
        self.reason = reason
        self.policy = policy
    }
}

/// Builds a one-statement policy around a principal, action and optional condition JSON.
func allow(principal: String = #""*""#, action: String = #""s3:GetObject""#,
           resource: String = #""arn:aws:s3:::example-bucket/*""#, condition: String? = nil, sid: String = "S1") -> String {
    let cond = condition.map { #", "Condition": \#($0)"# } ?? ""
    return #"{"Version": "2012-10-17", "Statement": [{"Sid": "\#(sid)", "Effect": "Allow", "Principal": \#(principal), "Action": \#(action), "Resource": \#(resource)\#(cond)}]}"#
}

let snsTopic = #""arn:aws:sns:us-east-1:123456789012:alerts""#
let sqsQueue = #""arn:aws:sqs:us-east-1:123456789012:jobs""#

/// The corpus. Each verdict was reasoned out by hand from the IAM evaluation rules
/// (see docs/policy.md); the comment after each case gives the one-line why.
let policyCorpus: [PolicyCase] = [
    // --- Principals -------------------------------------------------------------------------
    PolicyCase("s3 principal * no condition", .s3, public: true, reason: "to \"*\" with no condition restricting the caller",
               allow()), // the textbook public-read bucket
    PolicyCase("s3 {AWS:*}", .s3, public: true, reason: #"{"AWS":"*"}"#,
               allow(principal: #"{"AWS": "*"}"#)), // same as "*" for authenticated callers
    PolicyCase("s3 {AWS:[*]} array", .s3, public: true, reason: #"{"AWS":"*"}"#,
               allow(principal: #"{"AWS": ["*"]}"#)),
    PolicyCase("s3 arn:aws:iam::*:root", .s3, public: true, reason: "arn:aws:iam::*:root",
               allow(principal: #"{"AWS": "arn:aws:iam::*:root"}"#)), // every account's root = every account
    PolicyCase("s3 specific account", .s3, public: false, reason: "No statement allows access to everyone",
               allow(principal: #"{"AWS": "arn:aws:iam::111122223333:root"}"#)),
    PolicyCase("s3 specific account, owner differs", .s3, public: false, reason: "cross-account access to account 111122223333",
               account: "123456789012", allow(principal: #"{"AWS": ["111122223333"]}"#)),
    PolicyCase("s3 account as bare JSON number", .s3, public: false, reason: "No statement allows access to everyone",
               allow(principal: #"{"AWS": 111122223333}"#)),
    PolicyCase("s3 canonical user (CloudFront OAI)", .s3, public: false, reason: "No statement allows access to everyone",
               allow(principal: #"{"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#)),
    PolicyCase("s3 NotPrincipal with Allow", .s3, public: true, reason: "everyone except arn:aws:iam::123456789012:role/admin",
               #"{"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:role/admin"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}]}"#),
    PolicyCase("sqs service principal without source condition", .sqs, public: false, reason: "confused deputy",
               allow(principal: #"{"Service": "sns.amazonaws.com"}"#, action: #""sqs:SendMessage""#, resource: sqsQueue)),
    PolicyCase("sqs service principal pinned by SourceArn", .sqs, public: false, reason: "No statement allows access to everyone",
               allow(principal: #"{"Service": "sns.amazonaws.com"}"#, action: #""sqs:SendMessage""#, resource: sqsQueue,
                     condition: #"{"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:alerts"}}"#)),

    // --- Conditions that restrict -------------------------------------------------------------
    PolicyCase("sns console default (AWS:SourceOwner)", .sns, public: false, reason: "AWS:SourceOwner = \"123456789012\" restricts callers to source owner account 123456789012",
               #"""
               {"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{"Sid": "__default_statement_ID", "Effect": "Allow",
                 "Principal": {"AWS": "*"},
                 "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                            "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
                 "Resource": "arn:aws:sns:us-east-1:123456789012:alerts",
                 "Condition": {"StringEquals": {"AWS:SourceOwner": "123456789012"}}}]}
               """#), // Prowler/ScoutSuite/Steampipe reported this public
    PolicyCase("sns condition key upper-case", .sns, public: false, reason: "AWS:SOURCEACCOUNT",
               allow(action: #""sns:Publish""#, resource: snsTopic, condition: #"{"StringEquals": {"AWS:SOURCEACCOUNT": "123456789012"}}"#)),
    PolicyCase("sns SourceArn pinned to a bucket", .sns, public: false, reason: "source ARN arn:aws:s3:::example-bucket",
               allow(action: #""SNS:Publish""#, resource: #""arn:aws:sns:*:*:alerts""#, condition: #"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::example-bucket"}}"#)),
    PolicyCase("sqs SourceArn with fixed account, wildcard region/name", .sqs, public: false, reason: "source ARN arn:aws:sns:*:123456789012:*",
               allow(action: #""sqs:SendMessage""#, resource: sqsQueue, condition: #"{"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:123456789012:*"}}"#)),
    PolicyCase("sqs PrincipalOrgID", .sqs, public: false, reason: "principal organization o-a1b2c3d4e5",
               allow(action: #""sqs:*""#, resource: sqsQueue, condition: #"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#)),
    PolicyCase("sqs ForAnyValue:StringEquals PrincipalOrgID", .sqs, public: false, reason: "ForAnyValue:StringEquals",
               allow(action: #""sqs:SendMessage""#, resource: sqsQueue, condition: #"{"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}"#)),
    PolicyCase("sqs SourceAccount array of accounts", .sqs, public: false, reason: "source account [111122223333, 444455556666]",
               allow(action: #""sqs:SendMessage""#, resource: sqsQueue, condition: #"{"StringEquals": {"aws:SourceAccount": ["111122223333", "444455556666"]}}"#)),
    PolicyCase("s3 SourceIp private range", .s3, public: false, reason: "source IP range 10.0.0.0/8 (private ranges never match aws:SourceIp",
               allow(condition: #"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#)),
    PolicyCase("s3 SourceIp public range still restricts", .s3, public: false, reason: "public range 203.0.113.0/24",
               allow(condition: #"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}"#)),
    PolicyCase("s3 SourceVpce", .s3, public: false, reason: "VPC endpoint vpce-1a2b3c4d",
               allow(condition: #"{"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#)),
    PolicyCase("s3 PrincipalArn with fixed account", .s3, public: false, reason: "principal ARN arn:aws:iam::123456789012:role/*",
               allow(condition: #"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/*"}}"#)),
    PolicyCase("s3 PrincipalOrgPaths with fixed org", .s3, public: false, reason: "principal organization path",
               allow(condition: #"{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}}"#)),
    PolicyCase("s3 PrincipalIsAWSService true", .s3, public: false, reason: "admits only AWS service principals",
               allow(condition: #"{"Bool": {"aws:PrincipalIsAWSService": "true"}}"#)),
    PolicyCase("s3 one restricting and one loose condition", .s3, public: false, reason: "restricts callers to source account 123456789012",
               allow(condition: #"{"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceAccount": "123456789012"}}"#)), // conditions are ANDed
    PolicyCase("s3 restricted to another account", .s3, public: false, reason: "cross-account access to account 111122223333",
               account: "123456789012", allow(condition: #"{"StringEquals": {"aws:PrincipalAccount": "111122223333"}}"#)),

    // --- Conditions that only look like restrictions ---------------------------------------------
    PolicyCase("sns SourceArn \"*\" with StringLike", .sns, public: true, reason: "the value \"*\" matches any source ARN",
               allow(action: #""sns:Publish""#, resource: snsTopic, condition: #"{"StringLike": {"aws:SourceArn": "*"}}"#)), // tools report this private
    PolicyCase("sns SourceArn \"*\" with StringEquals", .sns, public: true, reason: "restricts nothing",
               allow(action: #""sns:Publish""#, resource: snsTopic, condition: #"{"StringEquals": {"aws:SourceArn": "*"}}"#)),
    PolicyCase("sqs SourceArn arn:aws:sns:*:*:*", .sqs, public: true, reason: "the value \"arn:aws:sns:*:*:*\" pins neither an account nor a bucket name",
               allow(action: #""sqs:SendMessage""#, resource: sqsQueue, condition: #"{"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:*"}}"#)),
    PolicyCase("sns SourceArn bucket name prefix wildcard", .sns, public: true, reason: "arn:aws:s3:::logs-*",
               allow(action: #""sns:Publish""#, resource: snsTopic, condition: #"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::logs-*"}}"#)), // anyone can create a bucket named logs-x
    PolicyCase("s3 SourceAccount prefix wildcard", .s3, public: true, reason: "the value \"1111*\" matches any source account",
               allow(condition: #"{"StringLike": {"aws:SourceAccount": "1111*"}}"#)),
    PolicyCase("s3 PrincipalArn any account", .s3, public: true, reason: "arn:aws:iam::*:role/admin",
               allow(condition: #"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}"#)),
    PolicyCase("sqs PrincipalOrgID \"*\"", .sqs, public: true, reason: "matches any principal organization",
               allow(action: #""sqs:SendMessage""#, resource: sqsQueue, condition: #"{"StringLike": {"aws:PrincipalOrgID": "*"}}"#)),
    PolicyCase("sqs StringEqualsIfExists SourceAccount", .sqs, public: true, reason: "uses IfExists",
               allow(action: #""sqs:SendMessage""#, resource: sqsQueue, condition: #"{"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}}"#)),
    PolicyCase("s3 IpAddressIfExists SourceIp", .s3, public: true, reason: "uses IfExists",
               allow(condition: #"{"IpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}}"#)),
    PolicyCase("sqs ForAllValues PrincipalOrgID", .sqs, public: true, reason: "uses ForAllValues:",
               allow(action: #""sqs:SendMessage""#, resource: sqsQueue, condition: #"{"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#)),
    PolicyCase("s3 SourceIp 0.0.0.0/0", .s3, public: true, reason: "the value \"0.0.0.0/0\" matches any source IP range",
               allow(condition: #"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#)),
    PolicyCase("s3 SourceIp list containing ::/0", .s3, public: true, reason: "the value \"::/0\"",
               allow(condition: #"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "::/0"]}}"#)),
    PolicyCase("s3 NotIpAddress in Allow", .s3, public: true, reason: "is a negated operator",
               allow(condition: #"{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#)),
    PolicyCase("s3 StringNotEquals PrincipalAccount in Allow", .s3, public: true, reason: "admits every principal account except those listed",
               allow(condition: #"{"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}"#)),
    PolicyCase("s3 SecureTransport only", .s3, public: true, reason: "only requires HTTPS",
               allow(condition: #"{"Bool": {"aws:SecureTransport": "true"}}"#)),
    PolicyCase("s3 Referer (static website)", .s3, public: true, reason: "Referer header",
               allow(condition: #"{"StringLike": {"aws:Referer": ["https://www.example.com/*"]}}"#)),
    PolicyCase("s3 ResourceAccount is about the bucket", .s3, public: true, reason: "not the caller",
               allow(condition: #"{"StringEquals": {"aws:ResourceAccount": "123456789012"}}"#)),
    PolicyCase("s3 Null PrincipalOrgID false", .s3, public: true, reason: "only tests whether aws:PrincipalOrgID is present",
               allow(condition: #"{"Null": {"aws:PrincipalOrgID": "false"}}"#)), // any org member anywhere
    PolicyCase("sns operator name wrong case", .sns, public: true, reason: "does not pin down",
               allow(action: #""sns:Publish""#, resource: snsTopic, condition: #"{"stringequals": {"aws:SourceAccount": "123456789012"}}"#)), // operator names are case-sensitive

    // --- Actions and shapes ------------------------------------------------------------------------
    PolicyCase("s3 Action * lists all kinds", .s3, public: true, reason: "s3:* (read, list, write, permissions)",
               allow(action: #""*""#, resource: #""arn:aws:s3:::example-bucket""#)),
    PolicyCase("s3 write access named", .s3, public: true, reason: "s3:PutObject (write)",
               allow(action: #"["s3:PutObject"]"#)),
    PolicyCase("s3 NotAction allow", .s3, public: true, reason: "every action except s3:DeleteObject",
               #"{"Statement": [{"Effect": "Allow", "Principal": "*", "NotAction": "s3:DeleteObject", "Resource": "arn:aws:s3:::example-bucket/*"}]}"#),
    PolicyCase("s3 Statement as a single object, no Version", .s3, public: true, reason: "Statement 1 (\"Only\")",
               #"{"Statement": {"Sid": "Only", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}}"#),
    PolicyCase("sqs second statement public", .sqs, public: true, reason: "Statement 2 (\"Open\") allows sqs:SendMessage (send)",
               #"""
               {"Statement": [
                 {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs"},
                 {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs"}]}
               """#),
    PolicyCase("sqs empty statement list", .sqs, public: false, reason: "No statement allows access to everyone",
               #"{"Version": "2012-10-17", "Statement": []}"#),

    // --- Deny statements ---------------------------------------------------------------------------
    PolicyCase("s3 Deny * s3:* removes grant", .s3, public: false, reason: "denies them to everyone, with no condition",
               #"""
               {"Statement": [
                 {"Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                 {"Sid": "Lock", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]}]}
               """#),
    PolicyCase("s3 Deny s3:Get* covers GetObject", .s3, public: false, reason: "statement 2 denies them to everyone",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::example-bucket/*"},
                 {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:Get*", "Resource": "*"}]}
               """#),
    PolicyCase("s3 Deny covers only part of the actions", .s3, public: true, reason: "only partly denied",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::example-bucket/*"},
                 {"Effect": "Deny", "Principal": "*", "Action": "s3:Put*", "Resource": "arn:aws:s3:::example-bucket/*"}]}
               """#),
    PolicyCase("s3 Deny outside VPC endpoint limits public allow", .s3, public: false, reason: "whose aws:SourceVpce is not \"vpce-1a2b3c4d\"",
               #"""
               {"Statement": [
                 {"Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                 {"Sid": "VpceOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::example-bucket/*",
                  "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}
               """#),
    PolicyCase("sqs Deny outside org or AWS services", .sqs, public: false, reason: "that are not AWS service principals",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs"},
                 {"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs",
                  "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}
               """#),
    PolicyCase("s3 Deny only without TLS keeps grant public", .s3, public: true, reason: "it only applies when Bool aws:SecureTransport = \"false\"",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                 {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::example-bucket/*",
                  "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
               """#),
    PolicyCase("s3 Deny for one account does not help", .s3, public: true, reason: "with no condition restricting the caller",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                 {"Effect": "Deny", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}]}
               """#),
    PolicyCase("s3 Deny on the bucket ARN misses the objects", .s3, public: true, reason: "s3:GetObject (read)",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                 {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::example-bucket"}]}
               """#),
    PolicyCase("s3 Deny with NotPrincipal keeps only named role", .s3, public: false, reason: "to everyone except arn:aws:iam::123456789012:role/reader",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                 {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::123456789012:role/reader", "arn:aws:iam::123456789012:root"]}, "Action": "s3:*", "Resource": "*"}]}
               """#),
    PolicyCase("sqs Deny ForAnyValue:StringNotEquals does not fire for anonymous", .sqs, public: true, reason: "it only applies when ForAnyValue:StringNotEquals",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs"},
                 {"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*",
                  "Condition": {"ForAnyValue:StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
               """#),
    PolicyCase("s3 Deny NotAction leaves GetObject allowed", .s3, public: true, reason: "s3:GetObject (read) to \"*\"",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                 {"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject", "Resource": "*"}]}
               """#),
    PolicyCase("s3 Deny NotAction excluding only writes removes reads", .s3, public: false, reason: "denies them to everyone",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                 {"Effect": "Deny", "Principal": "*", "NotAction": "s3:Put*", "Resource": "*"}]}
               """#),

    // --- More mixed cases ------------------------------------------------------------------------------
    PolicyCase("sns principal list mixing an account and *", .sns, public: true, reason: #"{"AWS":"*"}"#,
               allow(principal: #"{"AWS": ["arn:aws:iam::123456789012:root", "*"]}"#, action: #""sns:Subscribe""#, resource: snsTopic)),
    PolicyCase("s3 aws:userid of one role's sessions", .s3, public: false, reason: "user ID AROAEXAMPLEID:*",
               allow(condition: #"{"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}}"#)),
    PolicyCase("sns SourceOwner with IfExists", .sns, public: true, reason: "any request not made by an AWS service",
               allow(action: #""sns:Publish""#, resource: snsTopic, condition: #"{"StringEqualsIfExists": {"AWS:SourceOwner": "123456789012"}}"#)),
    PolicyCase("sqs Deny NotIpAddress outside office range", .sqs, public: false, reason: "whose aws:SourceIp is not \"198.51.100.0/24\"",
               #"""
               {"Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs"},
                 {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}}}]}
               """#),

    PolicyCase("s3 PrincipalAccount equals ${aws:ResourceAccount}", .s3, public: false, reason: "restricts callers to principal account ${aws:ResourceAccount}",
               allow(condition: #"{"StringEquals": {"aws:PrincipalAccount": "${aws:ResourceAccount}"}}"#)), // caller must be in the owner's account
    PolicyCase("sqs SourceAccount equals a caller-side variable", .sqs, public: true, reason: "the value \"${aws:PrincipalAccount}\" matches any source account",
               allow(action: #""sqs:SendMessage""#, resource: sqsQueue, condition: #"{"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}"}}"#)), // the caller controls both sides

    PolicyCase("s3 duplicate condition operator: the last one wins", .s3, public: true, reason: "only requires HTTPS",
               #"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}, "StringEquals": {"aws:SecureTransport": "true"}}}]}"#),

    PolicyCase("s3 VpcSourceIp private range", .s3, public: false, reason: "restricts callers to VPC source IP range 10.1.0.0/16;",
               allow(condition: #"{"IpAddress": {"aws:VpcSourceIp": "10.1.0.0/16"}}"#)),

    // --- Wrapped CLI outputs -----------------------------------------------------------------------
    PolicyCase("s3 get-bucket-policy wrapper", .s3, public: true, reason: "s3:GetObject (read)",
               #"{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}"}"#),
    PolicyCase("sqs get-queue-attributes wrapper", .sqs, public: false, reason: "aws:SourceArn",
               #"{"Attributes": {"Policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:123456789012:jobs\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:sns:us-east-1:123456789012:alerts\"}}}]}"}}"#),
    PolicyCase("sqs attributes without a policy", .sqs, public: false, reason: "no resource policy",
               #"{"Attributes": {"QueueArn": "arn:aws:sqs:us-east-1:123456789012:jobs"}}"#),
]

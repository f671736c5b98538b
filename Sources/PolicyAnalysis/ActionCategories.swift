/// Names what kind of access an action pattern gives, so a reason can say "read" or "write".
enum ActionCategories {
    /// Representative actions per category; a pattern belongs to every category one of them matches.
    private static let representatives: [PolicyResourceType: [(category: String, actions: [String])]] = [
        .s3: [
            ("read", ["s3:GetObject", "s3:GetObjectVersion"]),
            ("list", ["s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"]),
            ("write", ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:AbortMultipartUpload",
                       "s3:RestoreObject", "s3:DeleteBucket"]),
            ("permissions", ["s3:PutBucketPolicy", "s3:PutBucketAcl", "s3:PutObjectAcl", "s3:DeleteBucketPolicy"]),
        ],
        .sns: [
            ("publish", ["sns:Publish"]),
            ("subscribe", ["sns:Subscribe", "sns:Receive"]),
            ("manage", ["sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission", "sns:DeleteTopic"]),
        ],
        .sqs: [
            ("send", ["sqs:SendMessage"]),
            ("read", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]),
            ("manage", ["sqs:SetQueueAttributes", "sqs:AddPermission", "sqs:RemovePermission", "sqs:DeleteQueue", "sqs:PurgeQueue"]),
        ],
    ]

    static func categories(of pattern: String, type: PolicyResourceType) -> [String] {
        (representatives[type] ?? []).compactMap { entry in
            entry.actions.contains { Wildcard.covers(pattern, $0, caseInsensitive: true) } ? entry.category : nil
        }
    }

    /// "s3:GetObject (read)", "s3:* (read, list, write, permissions)".
    static func describe(_ patterns: [String], type: PolicyResourceType) -> String {
        patterns.map { pattern in
            let cats = categories(of: pattern, type: type)
            return cats.isEmpty ? pattern : "\(pattern) (\(cats.joined(separator: ", ")))"
        }.joined(separator: ", ")
    }
}

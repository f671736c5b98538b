import Foundation
import MamoriCore

/// Who a set of credentials is: `sts:GetCallerIdentity` (botocore sts 2011-06-15: `Account`, `Arn`, `UserId`).
public struct CallerIdentity: Sendable, Equatable {
    public var account: String
    public var arn: String
    public var userId: String

    public init(account: String, arn: String, userId: String = "") {
        self.account = account
        self.arn = arn
        self.userId = userId
    }

    /// The partition the ARN names, nil when AWS (or an emulator) sent none.
    public var partition: Partition? { Partition(arn: arn) }
}

extension AWSClient {
    /// `sts:GetCallerIdentity` in `region` (STS is regional; any region of the partition answers).
    /// An answer without `Account` is a decoding error: nothing else identifies the account.
    public func callerIdentity(region: String) async throws(AWSError) -> CallerIdentity {
        let result = try await query(.sts, region: region, action: "GetCallerIdentity")
        guard let account = result.string("Account"), !account.isEmpty else {
            throw AWSError.decoding("GetCallerIdentity returned no Account")
        }
        return CallerIdentity(account: account, arn: result.string("Arn") ?? "", userId: result.string("UserId") ?? "")
    }
}

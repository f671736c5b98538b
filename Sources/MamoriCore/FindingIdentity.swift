import Foundation

extension Finding {
    /// Stable identity of a finding across scans: check, account, region and the resource's
    /// identity, hashed (FNV-1a, two 64-bit lanes) so ids stay short and carry no resource names.
    /// Reports (SARIF, OCSF, ASFF) and the history store's diffs use the same value.
    public var fingerprint: String {
        let key = [check, account, region, resourceKey].joined(separator: "\u{1F}")
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in key.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b &* 0x0000_0100_0000_01B3) ^ UInt64(byte)
        }
        return Self.hex(a) + Self.hex(b)
    }

    /// What identifies the resource: its unique id when known (renames keep it), otherwise the
    /// resource with any IAM path removed (moving a user from `/dev/` to `/ops/` is not a new user).
    /// Account names and OU paths are not part of it: moving an account between OUs changes nothing.
    public var resourceKey: String {
        if let resourceUid, !resourceUid.isEmpty { return "uid:" + resourceUid }
        return Self.withoutIAMPath(resource)
    }

    /// `arn:aws:iam::1:user/team/alice` → `arn:aws:iam::1:user/alice` (users, roles, groups, policies).
    static func withoutIAMPath(_ arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "iam" else { return arn }
        let resource = parts[5].split(separator: "/", omittingEmptySubsequences: false)
        guard resource.count > 2, ["user", "role", "group", "policy"].contains(resource[0]) else { return arn }
        return parts[0...4].joined(separator: ":") + ":" + resource[0] + "/" + resource[resource.count - 1]
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// The CloudTrail rules of `rules/cloudtrail/`, compiled into the binary so `mamori hunt` works
/// without the repository. `HuntRuleTests` keeps each text identical to its file.
enum BuiltInHuntRules {
    /// (file name under rules/cloudtrail/, YAML text), in file-name order.
    static let files: [(String, String)] = []
}

/// Glob reasoning for IAM patterns (`*` = any run of characters, `?` = one character).
/// Used to decide whether one statement's actions or resources cover another's.
enum Wildcard {
    /// True when every string that `specific` can match is also matched by `general`.
    /// Sound but not complete: a `*` or `?` in `specific` can only be absorbed by a `*` in `general`,
    /// so the answer is never "covers" when it does not.
    static func covers(_ general: String, _ specific: String, caseInsensitive: Bool) -> Bool {
        let g = Array((caseInsensitive ? general.lowercased() : general).unicodeScalars)
        let s = Array((caseInsensitive ? specific.lowercased() : specific).unicodeScalars)
        // reach[j] == true: g[0..<i] can match s[0..<j]. One row per pattern position.
        var reach = [Bool](repeating: false, count: s.count + 1)
        reach[0] = true
        for gc in g {
            var next = [Bool](repeating: false, count: s.count + 1)
            if gc == "*" {
                var any = false
                for j in 0...s.count {
                    any = any || reach[j]
                    next[j] = any
                }
            } else {
                for j in 0..<s.count where reach[j] {
                    let sc = s[j]
                    if sc == "*" || sc == "?" {
                        // Only a `*` in the general pattern absorbs a wildcard (handled above),
                        // except `?` over `?`.
                        if gc == "?" && sc == "?" { next[j + 1] = true }
                    } else if gc == "?" || gc == sc {
                        next[j + 1] = true
                    }
                }
            }
            reach = next
        }
        return reach[s.count]
    }

    /// True when some string could match both patterns (wildcards on either side).
    static func overlaps(_ a: String, _ b: String, caseInsensitive: Bool) -> Bool {
        let x = Array((caseInsensitive ? a.lowercased() : a).unicodeScalars)
        let y = Array((caseInsensitive ? b.lowercased() : b).unicodeScalars)
        // Iterative DP over (i, j); memo[i][j] == can x[i...] and y[j...] match a common string.
        var memo = [[Bool]](repeating: [Bool](repeating: false, count: y.count + 1), count: x.count + 1)
        for i in stride(from: x.count, through: 0, by: -1) {
            for j in stride(from: y.count, through: 0, by: -1) {
                var ok = false
                if i == x.count && j == y.count {
                    ok = true
                } else {
                    if i < x.count && x[i] == "*" {
                        ok = memo[i + 1][j] || (j < y.count && memo[i][j + 1])
                    }
                    if !ok && j < y.count && y[j] == "*" {
                        ok = memo[i][j + 1] || (i < x.count && memo[i + 1][j])
                    }
                    if !ok && i < x.count && j < y.count && x[i] != "*" && y[j] != "*"
                        && (x[i] == "?" || y[j] == "?" || x[i] == y[j]) {
                        ok = memo[i + 1][j + 1]
                    }
                }
                memo[i][j] = ok
            }
        }
        return memo[0][0]
    }

    /// True when the value has no wildcard characters at all.
    static func isLiteral(_ value: String) -> Bool {
        !value.contains("*") && !value.contains("?")
    }

    /// True when the value is only wildcards (or empty): it pins nothing down.
    static func isOnlyWildcards(_ value: String) -> Bool {
        value.allSatisfy { $0 == "*" || $0 == "?" }
    }
}

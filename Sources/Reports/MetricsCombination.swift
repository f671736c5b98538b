import Foundation

extension PostureMetrics {
    /// The metrics of an estate from its accounts' metrics, for organisation scans that evaluate
    /// and release one account at a time: rates add their counts and totals, "organisation has
    /// one" rows are true when any account has one, and the account-count rows are recomputed.
    public static func combine(_ parts: [PostureMetrics], measuredAt: Date) -> PostureMetrics? {
        guard let first = parts.first else { return nil }
        let accounts = parts.reduce(0) { $0 + $1.accounts }
        let byId = Dictionary(grouping: parts.flatMap(\.metrics), by: \.id)
        let metrics = first.metrics.compactMap { template -> PostureMetric? in
            guard let all = byId[template.id] else { return nil }
            switch template.id {
            case "org.multiple_accounts":
                return template.withValue(MetricValue(count: accounts > 1 ? 1 : 0, total: 1, of: template.value.of),
                                          verdict: accounts > 1 ? .better : .same)
            case "org.ten_plus_accounts":
                return template.withValue(MetricValue(count: accounts >= 10 ? 1 : 0, total: 1, of: template.value.of), verdict: .notApplicable)
            default:
                break
            }
            if template.value.of == organisationUnit {
                let known = all.contains { $0.value.total > 0 }
                return presence(template.id, template.title, has: known ? all.contains { $0.value.count > 0 } : nil,
                                template.population.percent, of: template.population.of, note: template.note)
            }
            let value = MetricValue(count: all.reduce(0) { $0 + $1.value.count }, total: all.reduce(0) { $0 + $1.value.total },
                                    of: template.value.of)
            return rate(template.id, template.title, value, template.population.percent, of: template.population.of, note: template.note)
        }
        return PostureMetrics(measuredAt: measuredAt, accounts: accounts, metrics: metrics, source: first.source)
    }

    /// The denominator of "does the organisation have one" rows.
    static let organisationUnit = "organisation (this estate)"
}

import AWSClient
import Foundation

/// Lists and reads a trail's log objects in S3. Only the accounts, regions and days asked for are
/// listed: the layout's levels are walked with `delimiter=/`, then one listing per selected day.
public struct S3TrailSource: Sendable {
    public let client: AWSClient
    public let region: String
    public let location: S3Location
    /// Listings and downloads in flight at once.
    public let concurrency: Int
    /// `--checkpoint`: listings already done are taken from it, listings cut off continue from it.
    public let checkpoint: ListingCheckpoint?

    public init(client: AWSClient, region: String, location: S3Location, concurrency: Int = 8, checkpoint: ListingCheckpoint? = nil) {
        self.client = client
        self.region = region
        self.location = location
        self.concurrency = max(1, concurrency)
        self.checkpoint = checkpoint
    }

    /// The object keys the window and shard select, sorted, and the prefixes that could not be listed.
    public func keys(window: HuntWindow, shard: ShardSelector?, today: Date = Date()) async -> (keys: [String], problems: [InputProblem]) {
        var problems: [InputProblem] = []
        let prefix = location.directoryPrefix
        // A prefix already inside the layout (…/AWSLogs/ACCOUNT/CloudTrail/…) is listed as it is.
        let components = prefix.split(separator: "/").map(String.init)
        guard !components.contains("AWSLogs") || components.last == "AWSLogs" else {
            let (keys, problem) = await listAll(prefix)
            if let problem { problems.append(problem) }
            return (keys.filter { select($0, window: window, shard: shard) }.sorted(), problems)
        }
        let root = components.last == "AWSLogs" ? prefix : prefix + "AWSLogs/"
        // Level 1: accounts, or organisation ids holding accounts.
        var accountPrefixes: [String] = []
        let (top, topProblem) = await listPrefixes(root)
        if let topProblem { return ([], [topProblem]) }
        var orgRoots: [String] = []
        for p in top {
            let name = lastComponent(p)
            if name.hasPrefix("o-") { orgRoots.append(p) } else { accountPrefixes.append(p) }
        }
        for org in orgRoots {
            let (accounts, problem) = await listPrefixes(org)
            if let problem { problems.append(problem) }
            accountPrefixes += accounts
        }
        accountPrefixes = accountPrefixes.filter { window.accounts.isEmpty || window.accounts.contains(lastComponent($0)) }
        // Level 2: regions of each account.
        let regionLists = await concurrentMap(accountPrefixes) { account in await self.listPrefixes(account + "CloudTrail/") }
        var regionPrefixes: [String] = []
        for (list, problem) in regionLists {
            if let problem { problems.append(problem) }
            regionPrefixes += list.filter { window.regions.isEmpty || window.regions.contains(lastComponent($0)) }
        }
        // Level 3: the days asked for (one listing each), or everything under the region.
        var dayPrefixes: [String] = []
        for regionPrefix in regionPrefixes {
            if let since = window.since {
                let until = window.until.map { $0.addingTimeInterval(86_400) } ?? today
                for day in TrailDay.days(from: TrailDay(since), to: TrailDay(until)) {
                    let dayPrefix = regionPrefix + day.description + "/"
                    if let shard, let trail = TrailPath(dayPrefix + "x"), !shard.contains(trail.shardKey) { continue }
                    dayPrefixes.append(dayPrefix)
                }
            } else {
                dayPrefixes.append(regionPrefix)
            }
        }
        let listed = await concurrentMap(dayPrefixes) { p in await self.listAll(p) }
        var keys: [String] = []
        for (list, problem) in listed {
            if let problem { problems.append(problem) }
            keys += list.filter { select($0, window: window, shard: shard) }
        }
        return (keys.sorted(), problems)
    }

    func select(_ key: String, window: HuntWindow, shard: ShardSelector?) -> Bool {
        guard key.hasSuffix(".json.gz") || key.hasSuffix(".json") || key.hasSuffix(".jsonl.gz") || key.hasSuffix(".jsonl") else { return false }
        if key.contains("CloudTrail-Digest") { return false }
        return LocalSource.selected(key, window: window, shard: shard)
    }

    /// Reads one object (CloudTrail objects are a few MB at most; the splitter then streams it).
    public func object(_ key: String) async throws(AWSError) -> Data {
        try await client.restXML(.s3, region: region, bucket: location.bucket, path: "/" + key, operation: "GetObject").body
    }

    public func origin(_ key: String) -> String { "s3://\(location.bucket)/\(key)" }

    private func lastComponent(_ prefix: String) -> String {
        String(prefix.split(separator: "/").last ?? "")
    }

    /// The common prefixes one level under `prefix`.
    func listPrefixes(_ prefix: String) async -> ([String], InputProblem?) {
        await list(prefix, delimiter: true)
    }

    /// Every key under `prefix`.
    func listAll(_ prefix: String) async -> ([String], InputProblem?) {
        await list(prefix, delimiter: false)
    }

    private func list(_ prefix: String, delimiter: Bool) async -> ([String], InputProblem?) {
        var out: [String] = []
        var next: String?
        // The checkpoint is keyed by prefix and listing kind ("/" lists sub-prefixes).
        let slot = delimiter ? prefix + "\u{0}/" : prefix
        if let saved = checkpoint?.state(slot) {
            if saved.done { return (saved.items, nil) }
            if saved.next != nil { out = saved.items; next = saved.next }
        }
        do {
            try await client.listObjectPages(bucket: location.bucket, prefix: prefix, delimiter: delimiter ? "/" : nil, region: region,
                                             startToken: next) { page in
                out += delimiter ? page.commonPrefixes : page.objects.map(\.key)
                next = page.nextToken
                checkpoint?.update(slot, items: out, next: next, done: false)
            }
        } catch {
            // What was listed so far is kept; the rest of this prefix is reported as unread (and,
            // with --checkpoint, continued from the last page read on the next run).
            checkpoint?.update(slot, items: out, next: next, done: false, failed: true)
            return (out, InputProblem(source: "s3://\(location.bucket)/\(prefix)", reason: "cannot list: \(error)"))
        }
        checkpoint?.update(slot, items: out, next: nil, done: true)
        return (out, nil)
    }

    /// Runs `body` over `items` with at most `concurrency` in flight; results in input order.
    func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async -> R) async -> [R] {
        await withTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: items.count)
            var next = 0
            while next < min(concurrency, items.count) {
                let i = next
                group.addTask { (i, await body(items[i])) }
                next += 1
            }
            while let (i, r) = await group.next() {
                results[i] = r
                if next < items.count {
                    let j = next
                    group.addTask { (j, await body(items[j])) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }
}

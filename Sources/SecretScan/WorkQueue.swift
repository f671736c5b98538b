import Foundation

/// Work from one producing thread (the directory walker, git's blob reader) to the scanning
/// threads; `next()` waits for work or the end. With a budget, `push` waits while the queued
/// items cost more than it (one item always fits, whatever its cost), so a reader faster than the
/// scanners cannot hold a whole repository in memory.
final class WorkQueue<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item?] = []
    private var head = 0
    private var queued = 0
    private var finished = false
    private let budget: Int
    private let cost: (Item) -> Int

    init(budget: Int = .max, cost: @escaping (Item) -> Int = { _ in 0 }) {
        self.budget = budget
        self.cost = cost
    }

    func push(_ item: Item) {
        let itemCost = cost(item)
        condition.lock()
        while queued > 0 && queued + itemCost > budget { condition.wait() }
        items.append(item)
        queued += itemCost
        condition.broadcast()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func next() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished { condition.wait() }
        guard head < items.count, let item = items[head] else { return nil }
        items[head] = nil   // a taken blob's bytes are released now, not when the array is compacted
        head += 1
        queued -= cost(item)
        if head > 4096 {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }
}

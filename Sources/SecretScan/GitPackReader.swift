#if canImport(Glibc)
import Glibc
#endif
import Foundation
import StreamIO

/// A repository's packs, newest first (the order git searches them in).
struct GitPackStore {
    let packs: [GitPack]

    /// The packs of `repository`'s object directory. Empty when there are none, or the
    /// repository uses SHA-256 IDs: then every object is read by `git cat-file`. A pack whose
    /// index cannot be read is left out the same way (its objects go to cat-file).
    init(repository: String) {
        packs = Self.open(repository: repository)
    }

    /// Packs opened at most (each holds a file descriptor and its index in memory).
    static let maxPacks = 256

    private static func open(repository: String) -> [GitPack] {
        guard let out = try? GitProcess.output(["-C", repository, "rev-parse", "--show-object-format", "--git-path", "objects"]) else { return [] }
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.count == 2, lines[0] == "sha1" else { return [] }
        let objects = lines[1].hasPrefix("/") ? lines[1] : repository + "/" + lines[1]
        let dir = objects + "/pack"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        var candidates: [(base: String, modified: Date)] = []
        for name in names where name.hasPrefix("pack-") && name.hasSuffix(".idx") {
            let base = dir + "/" + name.dropLast(4)
            let modified = (try? FileManager.default.attributesOfItem(atPath: base + ".pack")[.modificationDate] as? Date) ?? .distantPast
            candidates.append((base, modified))
        }
        // Newest first, as git searches; each open pack holds a descriptor, so a repository of
        // thousands of packs (never repacked) has its oldest ones read by cat-file instead.
        return candidates.sorted(by: { $0.modified > $1.modified }).prefix(maxPacks).compactMap { candidate in
            try? GitPack(pack: candidate.base + ".pack", index: candidate.base + ".idx")
        }
    }

    func locate(_ id: GitObjectID) -> (pack: Int, offset: Int)? {
        for (k, pack) in packs.enumerated() {
            if let offset = pack.index.offset(of: id) { return (k, offset) }
        }
        return nil
    }
}

/// Reads blobs straight from the packs, in parallel, inflating every entry once.
///
/// `git cat-file` resolves each object's delta chain on its own, keeping recent bases in a cache;
/// on a long history (every version of a large file a delta on the one before) it rebuilds bases
/// over and over, on one core, and then copies every blob through a pipe. Here the wanted blobs
/// and the bases they need become a forest (each delta a child of its base, as `git index-pack`
/// resolves a pack): every root is inflated once, every delta applied once to its parent's
/// content, the workers share the forest depth first (so memory holds about one chain per
/// worker), and each worker scans the blobs it produced.
///
/// Anything it cannot read (a damaged or unknown entry, a base in another pack, an object over
/// `limit`) is returned, with everything built on it, for `git cat-file`, which reads what git
/// can, streams large blobs, and names what it cannot read.
enum GitPackReader {
    struct Node {
        var pack: Int32
        var entry: GitPackEntry?
        var parent: Int32
        /// Index into the wanted IDs, or -1 for a base nobody asked for.
        var wanted: Int32
        /// Without an entry: its header is damaged (else cat-file is asked for it).
        var damaged = false
    }

    /// What the packs could not give: blobs left for `git cat-file`, and blobs that are
    /// damaged (or built on damaged data) in the pack: unreadable for git too.
    struct Outcome {
        var left: [Int]
        var damaged: [Int]
        /// In a loop of reference deltas: never to be given to git, which does not look for
        /// loops and would not return from reading them.
        var looped: [Int] = []
        /// The most bytes of bases held for children at once (kept under the budget).
        var peakHeld = 0
    }

    /// Most bytes of built contents kept for children not yet built. Depth first, this is about
    /// one chain of bases per worker; only a deep and wide forest of large blobs comes near it.
    static let memoryBudget = 256 << 20

    /// Longest delta chain followed (git writes 50 by default, 250 with `gc --aggressive`).
    static let maxDepth = 10_000

    /// Calls `visit` (on worker `k` of `workers`) with every blob of `ids` it reads from the
    /// packs; returns the indexes of the others, ascending.
    static func read(ids: [String], store: GitPackStore, workers: Int, limit: Int, budget: Int = memoryBudget,
                     visit: @escaping @Sendable (_ worker: Int, _ id: Int, _ bytes: [UInt8]) -> Void) -> Outcome {
        var plan = Plan(store: store)
        var fallback: [Int] = []
        for (w, hex) in ids.enumerated() {
            guard let id = GitObjectID(hex: hex), let (pack, offset) = store.locate(id) else {
                fallback.append(w)
                continue
            }
            plan.add(wanted: Int32(w), pack: pack, offset: offset)
        }
        fallback += plan.duplicates
        let forest = Forest(plan.nodes)
        let run = Run(forest: forest, store: store, limit: limit, budget: budget, visit: visit)
        let done = DispatchGroup()
        for k in 0..<max(1, workers) {
            done.enter()
            let thread = Thread {
                run.work(worker: k)
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        done.wait()
        return Outcome(left: (fallback + run.fallback).sorted(), damaged: run.damaged.sorted(),
                       looped: forest.unreachableWanted.sorted(), peakHeld: run.peakHeld)
    }

    /// The nodes: each wanted blob and the chain of bases under it, each entry once.
    struct Plan {
        let store: GitPackStore
        var nodes: [Node] = []
        private var at: [[Int: Int32]]

        init(store: GitPackStore) {
            self.store = store
            at = Array(repeating: [:], count: store.packs.count)
        }

        /// Wanted blobs at an entry another wanted blob already has (an ID listed twice, or a
        /// damaged index): left to cat-file.
        var duplicates: [Int] = []

        mutating func add(wanted: Int32, pack: Int, offset: Int) {
            if let n = at[pack][offset] {
                // Already met as another blob's base, or as another wanted blob.
                if nodes[Int(n)].wanted < 0 { nodes[Int(n)].wanted = wanted } else { duplicates.append(Int(wanted)) }
                return
            }
            var child: Int32 = -1
            var offset = offset
            var depth = 0
            while true {
                if let n = at[pack][offset] {
                    nodes[Int(child)].parent = n
                    return
                }
                var entry: GitPackEntry?
                var damaged = false
                do throws(GitPackError) {
                    entry = try store.packs[pack].entry(at: offset)
                } catch {
                    damaged = error.damaged
                }
                // A whole object that is not a blob, or a chain too long, cannot give a blob:
                // kept as a node that fails, so what depends on it goes to cat-file.
                if let e = entry, e.base == nil && e.kind != .blob || depth > GitPackReader.maxDepth { entry = nil }
                let n = Int32(nodes.count)
                nodes.append(Node(pack: Int32(pack), entry: entry, parent: -1, wanted: child < 0 ? wanted : -1, damaged: damaged))
                at[pack][offset] = n
                if child >= 0 { nodes[Int(child)].parent = n }
                guard let base = entry?.base else { return }
                child = n
                offset = base
                depth += 1
            }
        }
    }

    /// The nodes with their children listed (compressed rows), and the roots.
    struct Forest {
        let nodes: [Node]
        let childStart: [Int32]
        let children: [Int32]
        let roots: [Int32]
        /// Wanted blobs not under any root (only a damaged pack's reference deltas can loop).
        let unreachableWanted: [Int]

        init(_ nodes: [Node]) {
            self.nodes = nodes
            var start = [Int32](repeating: 0, count: nodes.count + 1)
            for node in nodes where node.parent >= 0 { start[Int(node.parent) + 1] += 1 }
            for i in 0..<nodes.count { start[i + 1] += start[i] }
            var fill = start
            var children = [Int32](repeating: 0, count: Int(start[nodes.count]))
            var roots: [Int32] = []
            for (i, node) in nodes.enumerated() {
                if node.parent >= 0 {
                    children[Int(fill[Int(node.parent)])] = Int32(i)
                    fill[Int(node.parent)] += 1
                } else {
                    roots.append(Int32(i))
                }
            }
            childStart = start
            self.children = children
            self.roots = roots
            var reached = [Bool](repeating: false, count: nodes.count)
            var stack = roots
            while let n = stack.popLast() {
                reached[Int(n)] = true
                stack += children[Int(start[Int(n)])..<Int(start[Int(n) + 1])]
            }
            unreachableWanted = nodes.indices.filter { !reached[$0] && nodes[$0].wanted >= 0 }.map { Int(nodes[$0].wanted) }
        }

        func children(of n: Int32) -> ArraySlice<Int32> {
            children[Int(childStart[Int(n)])..<Int(childStart[Int(n) + 1])]
        }

        /// The wanted blobs at and under `n`.
        func wanted(under n: Int32) -> [Int] {
            var out: [Int] = []
            var stack = [n]
            while let m = stack.popLast() {
                if nodes[Int(m)].wanted >= 0 { out.append(Int(nodes[Int(m)].wanted)) }
                stack += children(of: m)
            }
            return out
        }
    }

    /// The shared depth-first work: a stack of (node, its base's content).
    final class Run: @unchecked Sendable {
        let forest: Forest
        let store: GitPackStore
        let limit: Int
        let budget: Int
        let visit: @Sendable (Int, Int, [UInt8]) -> Void
        private let condition = NSCondition()
        private var stack: [(Int32, [UInt8]?)]
        private var pending: Int
        /// Per node, its children still on the stack; and the bytes of the contents they hold.
        private var remaining: [Int32]
        private var held = 0
        /// The most `held` reached.
        private(set) var peakHeld = 0
        private(set) var fallback: [Int] = []
        private(set) var damaged: [Int] = []

        init(forest: Forest, store: GitPackStore, limit: Int, budget: Int, visit: @escaping @Sendable (Int, Int, [UInt8]) -> Void) {
            self.forest = forest
            self.store = store
            self.limit = limit
            self.budget = budget
            self.visit = visit
            stack = forest.roots.reversed().map { ($0, nil) }
            pending = stack.count
            remaining = [Int32](repeating: 0, count: forest.nodes.count)
        }

        func work(worker: Int) {
            let inflater = ZlibBlock()
            var scratch: [UInt8] = []
            while true {
                condition.lock()
                while stack.isEmpty && pending > 0 { condition.wait() }
                guard let (n, base) = stack.popLast() else {
                    condition.unlock()
                    return
                }
                let parent = forest.nodes[Int(n)].parent
                if let base, parent >= 0 {
                    remaining[Int(parent)] -= 1
                    if remaining[Int(parent)] == 0 { held -= base.count }
                }
                condition.unlock()
                let node = forest.nodes[Int(n)]
                var content: [UInt8]?
                var damage = node.damaged
                if let inflater {
                    do throws(GitPackError) {
                        content = try build(node, base: base, scratch: &scratch, inflater: inflater)
                    } catch {
                        damage = error.damaged
                    }
                }
                let children = forest.children(of: n)
                condition.lock()
                if let content, !children.isEmpty, held + content.count > budget {
                    // Bases held for later children would pass the budget (a deep, wide forest of
                    // large blobs): these children are left to cat-file, which streams.
                    for c in children { fallback += forest.wanted(under: c) }
                } else if let content {
                    // Pushed in reverse so the first child is taken next: the pack's order.
                    for c in children.reversed() { stack.append((c, content)) }
                    pending += children.count
                    if !children.isEmpty {
                        remaining[Int(n)] = Int32(children.count)
                        held += content.count
                        peakHeld = max(peakHeld, held)
                    }
                } else if damage {
                    damaged += forest.wanted(under: n)
                } else {
                    fallback += forest.wanted(under: n)
                }
                pending -= 1
                condition.broadcast()
                condition.unlock()
                if let content, node.wanted >= 0 { visit(worker, Int(node.wanted), content) }
            }
        }

        private func build(_ node: Node, base: [UInt8]?, scratch: inout [UInt8], inflater: ZlibBlock) throws(GitPackError) -> [UInt8] {
            guard let entry = node.entry, entry.size <= limit else { throw GitPackError("not read here", damaged: node.damaged) }
            let pack = store.packs[Int(node.pack)]
            let data = try pack.inflate(entry, scratch: &scratch, inflater: inflater)
            guard entry.base != nil else { return data }
            guard let size = GitDelta.resultSize(data) else { throw GitPackError("damaged delta") }
            guard let base, size <= limit else { throw GitPackError("not read here", damaged: false) }
            return try GitDelta.apply(data, to: base)
        }
    }
}

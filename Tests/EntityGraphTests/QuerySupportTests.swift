import EntityGraph
import Foundation
import Testing

// Shared helpers for the Query*Tests suites: a seeded generator, random multigraphs, brute-force
// reference implementations that scan every relation, and the seed graph.

enum QueryFixtures {
    static let kinds: [KindID] = [.person, .state, .place]
    /// Directed and symmetric types (alliedWith and relatedTo are built in, metWith is declared).
    static let types: [RelationTypeID] = ["leads", "owns", "supplies", "alliedWith", "relatedTo", "metWith"]

    static func randomDate(_ rng: inout SplitMix64) -> PartialDate {
        let year = Int.random(in: 2020...2023, using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: return PartialDate(year: year)!
        case 1: return PartialDate(year: year, month: Int.random(in: 1...12, using: &rng))!
        default:
            return PartialDate(
                year: year, month: Int.random(in: 1...12, using: &rng),
                day: Int.random(in: 1...28, using: &rng))!
        }
    }

    /// A random multigraph of `0 ..< maxEntities` entities with self-loops, parallel relations,
    /// isolated entities, disconnected parts, random dates, certainties and asserting entities.
    static func randomGraph(_ rng: inout SplitMix64, maxEntities: Int = 40) -> Graph {
        var graph = Graph(title: "random")
        try! graph.declare(RelationType(id: "metWith", label: "met with", symmetric: true))
        let count = Int.random(in: 0...maxEntities, using: &rng)
        for i in 0..<count {
            try! graph.add(
                Entity(
                    id: EntityID("e\(i)"), name: "Entity \(i)",
                    kind: kinds.randomElement(using: &rng)!))
        }
        guard count > 0 else { return graph }
        // Entities from `isolatedFrom` on take part in no relation; the rest split into two halves
        // that only a few relations join.
        let isolatedFrom = max(1, count - Int.random(in: 0...3, using: &rng))
        let relationCount = Int.random(in: 0...(count * 2), using: &rng)
        var made = 0
        var last: (Int, Int)?
        for r in 0..<relationCount {
            var source: Int
            var target: Int
            let roll = Int.random(in: 0..<10, using: &rng)
            if roll == 0 {
                source = Int.random(in: 0..<isolatedFrom, using: &rng)
                target = source  // self-loop
            } else if roll == 1, let last {
                (source, target) = last  // parallel relation
            } else {
                let half = Bool.random(using: &rng) || Int.random(in: 0..<20, using: &rng) == 0
                let range =
                    isolatedFrom < 2
                    ? 0..<isolatedFrom
                    : (half ? 0..<max(1, isolatedFrom / 2) : (isolatedFrom / 2)..<isolatedFrom)
                source = Int.random(in: range, using: &rng)
                target = Int.random(in: range, using: &rng)
                if Int.random(in: 0..<20, using: &rng) == 0 { target = Int.random(in: 0..<isolatedFrom, using: &rng) }
            }
            last = (source, target)
            var since: PartialDate? = Bool.random(using: &rng) ? randomDate(&rng) : nil
            var until: PartialDate? = Bool.random(using: &rng) ? randomDate(&rng) : nil
            if let s = since, let u = until, u.lastOrdinal < s.firstDay.ordinal { (since, until) = (u, s) }
            if Int.random(in: 0..<8, using: &rng) == 0 { until = since }
            let asserter: EntityID? =
                Int.random(in: 0..<6, using: &rng) == 0
                ? EntityID("e\(Int.random(in: 0..<count, using: &rng))") : nil
            try! graph.add(
                Relation(
                    id: RelationID("r\(r)"), type: types.randomElement(using: &rng)!,
                    source: EntityID("e\(source)"), target: EntityID("e\(target)"), since: since, until: until,
                    certainty: Certainty.allCases.randomElement(using: &rng)!, assertedBy: asserter))
            made += 1
        }
        return graph
    }

    static func randomFilter(_ rng: inout SplitMix64) -> QueryFilter {
        var filter = QueryFilter()
        if Int.random(in: 0..<3, using: &rng) == 0 {
            filter.relationTypes = Set(types.filter { _ in Bool.random(using: &rng) })
        }
        if Int.random(in: 0..<3, using: &rng) == 0 {
            filter.entityKinds = Set(kinds.filter { _ in Int.random(in: 0..<4, using: &rng) != 0 })
        }
        if Int.random(in: 0..<3, using: &rng) == 0 {
            filter.certainties = Set(Certainty.allCases.filter { _ in Bool.random(using: &rng) })
        }
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: filter.time = .inForce(on: randomDate(&rng))
        case 1: filter.time = .overlapping(from: randomDate(&rng), to: randomDate(&rng))
        default: break
        }
        return filter
    }
}

/// Reference answers computed by scanning every relation, with none of the adjacency lists.
struct BruteForce {
    let graph: Graph
    let filter: QueryFilter
    let relations: [Relation]

    init(_ graph: Graph, _ filter: QueryFilter) {
        self.graph = graph
        self.filter = filter
        relations = Array(graph.relations.values)
    }

    func relationPasses(_ r: Relation) -> Bool {
        if let types = filter.relationTypes, !types.contains(r.type) { return false }
        if let certainties = filter.certainties, !certainties.contains(r.certainty) { return false }
        switch filter.time {
        case .inForce(let date)?: return r.isInForce(on: date)
        case .overlapping(let from, let to)?:
            return from.firstDay.ordinal <= to.lastOrdinal
                ? r.overlaps(from: from, to: to) : r.overlaps(from: to, to: from)
        case nil: return true
        }
    }

    func kindPasses(_ id: EntityID) -> Bool {
        filter.entityKinds?.contains(graph.entities[id]!.kind) ?? true
    }

    func isSymmetric(_ r: Relation) -> Bool { graph.relationType(r.type)!.symmetric }

    /// True when `direction` lets a walk cross `r` from its source to its target (`forward`) or back.
    /// A symmetric relation reads the same both ways, so every direction crosses it both ways.
    func crosses(_ r: Relation, forward: Bool, _ direction: TraversalDirection) -> Bool {
        isSymmetric(r) || direction == .both || direction == (forward ? .outgoing : .incoming)
    }

    /// `(relation, other end, traversal)` for each relation of `id` in `direction`, in insertion order.
    /// A self-loop is reported once, backward only under `.incoming`.
    func links(_ id: EntityID, _ direction: TraversalDirection) -> [(Relation, EntityID, Traversal)] {
        var result: [(Relation, EntityID, Traversal)] = []
        for r in relations {
            if r.source == id, r.target == id {
                result.append((r, id, direction == .incoming ? .backward : .forward))
            } else if r.source == id, crosses(r, forward: true, direction) {
                result.append((r, r.target, .forward))
            } else if r.target == id, crosses(r, forward: false, direction) {
                result.append((r, r.source, .backward))
            }
        }
        return result
    }

    func neighbors(_ id: EntityID, _ direction: TraversalDirection) -> [Neighbor] {
        var result: [Neighbor] = []
        for (r, other, traversal) in links(id, direction) where relationPasses(r) && kindPasses(other) {
            let link = Neighbor.Link(relation: r.id, traversal: traversal)
            if let i = result.firstIndex(where: { $0.entity == other }) {
                result[i].links.append(link)
            } else {
                result.append(Neighbor(entity: other, links: [link]))
            }
        }
        return result
    }

    /// Hop distances from `start` (entities reachable through passing relations), by relaxation.
    func distances(
        from start: EntityID, _ direction: TraversalDirection, maxHops: Int = .max,
        exempt: EntityID? = nil
    ) -> [EntityID: Int] {
        var distance: [EntityID: Int] = [start: 0]
        var hop = 0
        var changed = true
        while changed, hop < maxHops {
            changed = false
            hop += 1
            for r in relations where relationPasses(r) {
                var moves: [(EntityID, EntityID)] = []
                if crosses(r, forward: true, direction) { moves.append((r.source, r.target)) }
                if crosses(r, forward: false, direction) { moves.append((r.target, r.source)) }
                for (from, to) in moves where distance[from] == hop - 1 && distance[to] == nil {
                    // An entity filtered out by kind is never entered (the exempt goal always is).
                    if to == exempt || kindPasses(to) {
                        distance[to] = hop
                        changed = true
                    }
                }
            }
        }
        return distance
    }

    /// Entities whose kind is filtered out are not entered, but a goal entity is; so reachability of
    /// a goal uses distances with that goal exempt.
    func distance(_ s: EntityID, _ t: EntityID, _ direction: TraversalDirection) -> Int? {
        distances(from: s, direction, exempt: t)[t]
    }

    func assertingEntities(of kept: [Relation], besides members: Set<EntityID>) -> Set<EntityID> {
        Set(kept.compactMap(\.assertedBy).filter { !members.contains($0) })
    }

    /// Entity and relation ids of the ego graph.
    func ego(_ center: EntityID, radius: Int, _ direction: TraversalDirection) -> (Set<EntityID>, Set<RelationID>) {
        let members = Set(distances(from: center, direction, maxHops: radius).keys)
        let kept = relations.filter { relationPasses($0) && members.contains($0.source) && members.contains($0.target) }
        return (members.union(assertingEntities(of: kept, besides: members)), Set(kept.map(\.id)))
    }

    /// Every shortest path from `s` to `t`, as relation-id sequences, by exhaustive enumeration of
    /// walks of the shortest length. Lexicographic order of relation insertion positions.
    func allShortestPaths(_ s: EntityID, _ t: EntityID, _ direction: TraversalDirection) -> [[RelationID]]? {
        guard let length = distance(s, t, direction) else { return nil }
        var result: [[RelationID]] = []
        var walk: [RelationID] = []
        func extend(_ at: EntityID, _ remaining: Int) {
            if remaining == 0 {
                if at == t { result.append(walk) }
                return
            }
            for (r, other, _) in links(at, direction) where relationPasses(r) {
                // Intermediate entities must pass the kind filter; the goal is exempt.
                if other != t && !kindPasses(other) { continue }
                if other == t && remaining != 1 { continue }
                walk.append(r.id)
                extend(other, remaining - 1)
                walk.removeLast()
            }
        }
        extend(s, length)
        return result
    }

    func components() -> [Set<EntityID>] {
        let ids = Array(graph.entities.keys)
        var parent = Array(ids.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        let position = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        for r in relations { parent[find(position[r.source]!)] = find(position[r.target]!) }
        var groups: [Int: Set<EntityID>] = [:]
        for (i, id) in ids.enumerated() { groups[find(i), default: []].insert(id) }
        return Array(groups.values)
    }
}

/// The checked-in seed graph, read with ``GraphDocument``; `nil` while the file is missing.
enum SeedGraph {
    static let url: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Graphs/zelensky-lukashenko-mozyr.json")

    static func load() throws -> Graph {
        try GraphDocument.read(contentsOf: url)
    }
}

@Suite struct QuerySupportTests {
    @Test func generatorIsDeterministic() {
        var a = SplitMix64(seed: 7)
        var b = SplitMix64(seed: 7)
        let x = QueryFixtures.randomGraph(&a)
        let y = QueryFixtures.randomGraph(&b)
        #expect(x == y)
    }
}

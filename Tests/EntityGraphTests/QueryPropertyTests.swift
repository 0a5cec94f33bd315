import Testing

@testable import EntityGraph

/// Every query against a brute-force reference on 200 random multigraphs (seeded, so reproducible).
@Suite struct QueryPropertyTests {
    static let graphCount = 200

    /// Runs `body` on each random graph with its own generator for picking query arguments.
    func forEachRandomGraph(seed: UInt64, _ body: (Graph, inout SplitMix64) throws -> Void) rethrows {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<Self.graphCount {
            let graph = QueryFixtures.randomGraph(&rng)
            #expect(graph.checkInvariants() == [])
            try body(graph, &rng)
        }
    }

    @Test func neighborsMatchBruteForce() throws {
        try forEachRandomGraph(seed: 1) { graph, rng in
            for id in graph.entities.keys {
                let filter = QueryFixtures.randomFilter(&rng)
                let reference = BruteForce(graph, filter)
                for direction in TraversalDirection.allCases {
                    let got = try graph.neighbors(of: id, direction: direction, filter: filter)
                    #expect(got == reference.neighbors(id, direction), "\(id) \(direction) \(filter)")
                }
            }
        }
    }

    @Test func viewsMatchBruteForce() {
        forEachRandomGraph(seed: 2) { graph, _ in
            let reference = BruteForce(graph, .unrestricted)
            for id in graph.entities.keys {
                #expect(Array(graph.outgoingRelations(of: id)) == reference.relations.filter { $0.source == id })
                #expect(Array(graph.incomingRelations(of: id)) == reference.relations.filter { $0.target == id })
                for direction in TraversalDirection.allCases {
                    let view = graph.neighborIDs(of: id, direction: direction)
                    let expected = reference.links(id, direction).map(\.1)
                    #expect(Array(view) == expected)
                    #expect(view.count == expected.count)
                }
            }
        }
    }

    /// For each random graph, a random centre and, for radius 0 to 3, a random filter and direction.
    func forEachNeighborhoodQuery(
        seed: UInt64, _ body: (Graph, EntityID, Int, QueryFilter, TraversalDirection) throws -> Void
    ) rethrows {
        try forEachRandomGraph(seed: seed) { graph, rng in
            guard let center = graph.entities.keys.randomElement(using: &rng) else { return }
            for radius in 0...3 {
                let filter = QueryFixtures.randomFilter(&rng)
                let direction = TraversalDirection.allCases.randomElement(using: &rng)!
                try body(graph, center, radius, filter, direction)
            }
        }
    }

    @Test func egoGraphMatchesBruteForce() throws {
        var largest = 0
        try forEachNeighborhoodQuery(seed: 3) { graph, center, radius, filter, direction in
            let ego = try graph.egoGraph(around: center, radius: radius, direction: direction, filter: filter)
            #expect(ego.checkInvariants() == [])
            let (entities, relations) = BruteForce(graph, filter).ego(center, radius: radius, direction)
            #expect(Set(ego.entities.keys) == entities)
            #expect(Set(ego.relations.keys) == relations)
            // Insertion order of the source graph is kept.
            #expect(Array(ego.entities.keys) == graph.entities.keys.filter(entities.contains))
            #expect(Array(ego.relations.keys) == graph.relations.keys.filter(relations.contains))
            // The result's tables share the source's storage: lookups must see only what it kept.
            for (id, entity) in graph.entities {
                #expect(ego.entities[id] == (entities.contains(id) ? entity : nil))
            }
            for (id, relation) in graph.relations {
                #expect(ego.relations[id] == (relations.contains(id) ? relation : nil))
                #expect(ego.relations.keys.contains(id) == relations.contains(id))
            }
            largest = max(largest, ego.entities.count)
        }
        #expect(largest >= 15)
    }

    @Test func neighborhoodMatchesBruteForce() throws {
        var largest = 0
        try forEachNeighborhoodQuery(seed: 31) { graph, center, radius, filter, direction in
            let near = try graph.neighborhood(of: center, radius: radius, direction: direction, filter: filter)
            let distances = BruteForce(graph, filter).distances(from: center, direction, maxHops: radius)
            #expect(near.first == center)
            #expect(Set(near) == Set(distances.keys))
            #expect(near.count == distances.count)
            // Ring by ring: hop counts never go down along the list.
            let hops = near.map { distances[$0] ?? -1 }
            #expect(hops == hops.sorted())
            largest = max(largest, near.count)
        }
        #expect(largest >= 15)
    }

    /// Checks that `path` walks from `s` to `t` along relations that exist, pass the filter, follow
    /// the direction, and only pass through admitted entities.
    func expectValid(
        _ path: GraphPath, _ s: EntityID, _ t: EntityID, _ graph: Graph,
        _ direction: TraversalDirection, _ reference: BruteForce
    ) {
        #expect(path.start == s)
        #expect(path.end == t)
        var at = s
        for (index, step) in path.steps.enumerated() {
            #expect(step.from == at)
            guard let relation = graph.relations[step.relation] else {
                Issue.record("unknown relation \(step.relation)")
                return
            }
            #expect(reference.relationPasses(relation))
            switch step.traversal {
            case .forward:
                #expect(relation.source == step.from && relation.target == step.to)
                #expect(reference.crosses(relation, forward: true, direction))
            case .backward:
                #expect(relation.target == step.from && relation.source == step.to)
                #expect(reference.crosses(relation, forward: false, direction))
            }
            if index < path.steps.count - 1 { #expect(reference.kindPasses(step.to)) }
            at = step.to
        }
    }

    @Test func shortestPathMatchesBruteForceDistance() throws {
        var found = 0
        var longest = 0
        var againstDirection = 0  // directed paths crossing a symmetric relation from target to source, or back
        try forEachRandomGraph(seed: 4) { graph, rng in
            let ids = Array(graph.entities.keys)
            guard !ids.isEmpty else { return }
            for _ in 0..<6 {
                let s = ids.randomElement(using: &rng)!
                let t = ids.randomElement(using: &rng)!
                let filter = QueryFixtures.randomFilter(&rng)
                let direction = TraversalDirection.allCases.randomElement(using: &rng)!
                let reference = BruteForce(graph, filter)
                let expected = s == t ? 0 : reference.distance(s, t, direction)
                let path = try graph.shortestPath(from: s, to: t, direction: direction, filter: filter)
                #expect(path?.length == expected, "\(s)→\(t) \(direction) \(filter)")
                if let path {
                    expectValid(path, s, t, graph, direction, reference)
                    found += 1
                    longest = max(longest, path.length)
                    let against: Traversal? =
                        direction == .outgoing ? .backward : direction == .incoming ? .forward : nil
                    againstDirection += path.steps.filter { $0.traversal == against }.count
                }
            }
        }
        #expect(found > 150 && longest >= 5 && againstDirection > 20, "\(found) \(longest) \(againstDirection)")
    }

    @Test func allShortestPathsMatchEnumeration() throws {
        var connected = 0
        var several = 0
        var longer = 0
        try forEachRandomGraph(seed: 5) { graph, rng in
            let ids = Array(graph.entities.keys)
            guard !ids.isEmpty else { return }
            for _ in 0..<4 {
                // Half the queries use no filter and a target known to be reachable.
                let easy = Bool.random(using: &rng)
                let s = ids.randomElement(using: &rng)!
                let reachable = BruteForce(graph, .unrestricted).distances(from: s, .both).keys.filter { $0 != s }
                let t =
                    easy && !reachable.isEmpty ? reachable.randomElement(using: &rng)! : ids.randomElement(using: &rng)!
                guard s != t else { continue }
                let filter = easy ? QueryFilter.unrestricted : QueryFixtures.randomFilter(&rng)
                let direction = TraversalDirection.allCases.randomElement(using: &rng)!
                let reference = BruteForce(graph, filter)
                let expected = reference.allShortestPaths(s, t, direction)
                let got = try graph.allShortestPaths(from: s, to: t, direction: direction, filter: filter)
                #expect(got.paths.map(\.relations) == (expected ?? []), "\(s)→\(t) \(direction) \(filter)")
                if let expected {
                    connected += 1
                    if expected.count > 1 { several += 1 }
                    if got.length! > 2 { longer += 1 }
                }
                #expect(got.length == expected.map { _ in reference.distance(s, t, direction)! })
                #expect(got.isComplete)
                for path in got.paths { expectValid(path, s, t, graph, direction, reference) }

                // A limit cuts the list and says so.
                if let expected, expected.count > 1 {
                    let cut = try graph.allShortestPaths(from: s, to: t, direction: direction, filter: filter, limit: 1)
                    #expect(cut.paths.map(\.relations) == [expected[0]])
                    #expect(!cut.isComplete)
                }

                // The connection graph is the union of the shortest paths.
                let union = try graph.connectionGraph(from: s, to: t, direction: direction, filter: filter)
                if let expected {
                    let relationIDs = Set(expected.joined())
                    let kept = relationIDs.map { graph.relations[$0]! }
                    var entityIDs: Set<EntityID> = [s, t]
                    for r in kept {
                        entityIDs.insert(r.source)
                        entityIDs.insert(r.target)
                    }
                    entityIDs.formUnion(reference.assertingEntities(of: kept, besides: entityIDs))
                    #expect(Set(union.map { Array($0.relations.keys) } ?? []) == relationIDs)
                    #expect(Set(union.map { Array($0.entities.keys) } ?? []) == entityIDs)
                } else {
                    #expect(union == nil)
                }
            }
        }
        // The random graphs exercise the interesting cases, not only disconnected pairs.
        #expect(connected > 100 && several > 20 && longer > 20, "\(connected) \(several) \(longer)")
    }

    @Test func componentsMatchUnionFind() {
        forEachRandomGraph(seed: 6) { graph, _ in
            let got = graph.weaklyConnectedComponents()
            #expect(Set(got.map(Set.init)) == Set(BruteForce(graph, .unrestricted).components()))
            #expect(got.map(\.count).reduce(0, +) == graph.entities.count)
            // Ordered by first member; members in insertion order.
            let position = Dictionary(uniqueKeysWithValues: graph.entities.keys.enumerated().map { ($1, $0) })
            for component in got {
                #expect(component.map { position[$0]! } == component.map { position[$0]! }.sorted())
            }
            #expect(got.map { position[$0[0]]! } == got.map { position[$0[0]]! }.sorted())
        }
    }

    @Test func asOfMatchesBruteForceFilter() {
        forEachRandomGraph(seed: 7) { graph, rng in
            let date = QueryFixtures.randomDate(&rng)
            let view = graph.asOf(date)
            #expect(Array(view.entities.keys) == Array(graph.entities.keys))
            #expect(Array(view.relations.values) == graph.relations.values.filter { $0.isInForce(on: date) })
        }
    }

    @Test func filteredMatchesBruteForce() {
        forEachRandomGraph(seed: 8) { graph, rng in
            let filter = QueryFixtures.randomFilter(&rng)
            let reference = BruteForce(graph, filter)
            let view = graph.filtered(by: filter)
            let admitted = Set(graph.entities.keys.filter(reference.kindPasses))
            let kept = reference.relations.filter {
                reference.relationPasses($0) && admitted.contains($0.source) && admitted.contains($0.target)
            }
            #expect(Array(view.relations.values) == kept)
            #expect(Set(view.entities.keys) == admitted.union(reference.assertingEntities(of: kept, besides: admitted)))
        }
    }

    @Test func statisticsMatchBruteForce() {
        forEachRandomGraph(seed: 9) { graph, _ in
            let stats = graph.statistics()
            let relations = Array(graph.relations.values)
            for (id, degree) in stats.degrees {
                #expect(degree.outgoing == relations.filter { $0.source == id }.count)
                #expect(degree.incoming == relations.filter { $0.target == id }.count)
            }
            #expect(stats.relationsByType.values.reduce(0, +) == graph.relations.count)
            #expect(stats.entitiesByKind.values.reduce(0, +) == graph.entities.count)
            let top = graph.mostConnected(5)
            let expected = graph.entities.keys.enumerated()
                .sorted { a, b in
                    let (x, y) = (stats.degrees[a.element]!.total, stats.degrees[b.element]!.total)
                    return x != y ? x > y : a.offset < b.offset
                }
                .prefix(5).map(\.element)
            #expect(top.map(\.entity) == Array(expected))
            let dates = relations.flatMap { [$0.since, $0.until].compactMap { $0 } }
            if dates.isEmpty {
                #expect(stats.dateSpan == nil)
            } else {
                #expect(stats.dateSpan?.earliest.firstDay.ordinal == dates.map(\.firstDay.ordinal).min())
                #expect(stats.dateSpan?.latest.lastOrdinal == dates.map(\.lastOrdinal).max())
            }
        }
    }
}

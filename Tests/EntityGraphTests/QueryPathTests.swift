import EntityGraph
import Testing

@Suite struct QueryPathTests {
    @Test func directedAndUndirected() throws {
        let graph = try queryFixture()
        let forward = try #require(try graph.shortestPath(from: "c", to: "b", direction: .outgoing))
        #expect(forward.entities == ["c", "a", "b"])
        #expect(forward.relations == ["r5", "r1"])
        #expect(forward.steps.allSatisfy { $0.traversal == .forward })

        let against = try #require(try graph.shortestPath(from: "c", to: "b", direction: .incoming))
        #expect(against.steps == [GraphPath.Step(relation: "r7", from: "c", to: "b", traversal: .backward)])
        #expect(try graph.shortestPath(from: "c", to: "b")?.length == 1)
        #expect(try graph.shortestPath(from: "d", to: "c", direction: .outgoing) == nil)
        #expect(try graph.shortestPath(from: "a", to: "x") == nil)
        let empty = try #require(try graph.shortestPath(from: "a", to: "a"))
        #expect(empty.length == 0 && empty.end == "a" && empty.entities == ["a"])
    }

    @Test func allShortestPathsCountParallelRelations() throws {
        let graph = try queryFixture()
        let all = try graph.allShortestPaths(from: "c", to: "b", direction: .outgoing)
        #expect(all.paths.map(\.relations) == [["r5", "r1"], ["r5", "r4"]])
        #expect(all.length == 2 && all.isComplete)
        let one = try graph.allShortestPaths(from: "c", to: "b", direction: .outgoing, limit: 1)
        #expect(one.paths.count == 1 && !one.isComplete)
        let none = try graph.allShortestPaths(from: "a", to: "x")
        #expect(none.paths.isEmpty && none.length == nil && none.isComplete)
        #expect(throws: QueryError.negativeBound("limit", -1)) {
            try graph.allShortestPaths(from: "a", to: "b", limit: -1)
        }
    }

    @Test func filtersApplyToTheWayBetween() throws {
        let graph = try queryFixture()
        // Without confirmed r4 one path is left; with only places allowed in between, none.
        let confirmed = try graph.allShortestPaths(from: "c", to: "b", direction: .outgoing, filter: .confirmedOnly)
        #expect(confirmed.paths.map(\.relations) == [["r5", "r1"]])
        let places = QueryFilter(entityKinds: [.place])
        #expect(try graph.shortestPath(from: "c", to: "b", direction: .outgoing, filter: places) == nil)
        // The two ends are admitted whatever their kind.
        #expect(try graph.shortestPath(from: "c", to: "a", direction: .outgoing, filter: places)?.length == 1)
        #expect(throws: QueryError.unknownEntity("nobody")) { try graph.shortestPath(from: "a", to: "nobody") }
    }

    @Test func connectionGraphIsTheUnionOfShortestPaths() throws {
        let graph = try queryFixture()
        let union = try #require(try graph.connectionGraph(from: "c", to: "b", direction: .outgoing))
        #expect(Array(union.entities.keys) == ["a", "b", "c"])
        #expect(Array(union.relations.keys) == ["r1", "r4", "r5"])
        #expect(try graph.connectionGraph(from: "a", to: "x") == nil)
        #expect(try graph.connectionGraph(from: "a", to: "a").map { Array($0.entities.keys) } == ["a"])
    }

    /// The searches share pooled buffers; concurrent queries must not see each other's marks.
    @Test func concurrentQueriesAgreeWithSequentialOnes() async throws {
        var rng = SplitMix64(seed: 99)
        var graph = QueryFixtures.randomGraph(&rng, maxEntities: 40)
        while graph.entities.count < 20 { graph = QueryFixtures.randomGraph(&rng, maxEntities: 40) }
        let ids = Array(graph.entities.keys)
        let pairs = (0..<200).map { _ in (ids.randomElement(using: &rng)!, ids.randomElement(using: &rng)!) }
        let expected = try pairs.map { try graph.shortestPath(from: $0.0, to: $0.1)?.length }
        let egoSizes = try ids.map { try graph.egoGraph(around: $0, radius: 2).relations.count }
        let frozen = graph
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let lengths = try pairs.map { try frozen.shortestPath(from: $0.0, to: $0.1)?.length }
                    let sizes = try ids.map { try frozen.egoGraph(around: $0, radius: 2).relations.count }
                    return lengths == expected && sizes == egoSizes
                }
            }
            for try await agreed in group { #expect(agreed) }
        }
    }
}

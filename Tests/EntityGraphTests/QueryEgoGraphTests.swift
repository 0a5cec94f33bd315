import EntityGraph
import Testing

@Suite struct QueryEgoGraphTests {
    @Test func includesRelationsBetweenOuterRingEntities() throws {
        let graph = try queryFixture()
        // Following incoming relations one hop from d reaches a (r6) and c (r8); r5 (c→a) joins
        // two outer-ring entities and goes against the search direction, and is kept all the same.
        let ego = try graph.egoGraph(around: "d", radius: 1, direction: .incoming)
        #expect(Array(ego.entities.keys) == ["a", "c", "d"])
        #expect(Array(ego.relations.keys) == ["r3", "r5", "r6", "r8"])
        #expect(ego.title == graph.title)
    }

    @Test func addsAssertingEntities() throws {
        let graph = try queryFixture()
        // b's outgoing neighbours are a and c; r7 (b→c) is asserted by d, which comes along
        // without its own relations (r6 a→d, r8 c→d stay out).
        let ego = try graph.egoGraph(around: "b", radius: 1, direction: .outgoing)
        #expect(Array(ego.entities.keys) == ["a", "b", "c", "d"])
        #expect(Array(ego.relations.keys) == ["r1", "r2", "r3", "r4", "r5", "r7"])
    }

    @Test func radiusAndFilters() throws {
        let graph = try queryFixture()
        let alone = try graph.egoGraph(around: "a", radius: 0)
        #expect(Array(alone.entities.keys) == ["a"])
        #expect(Array(alone.relations.keys) == ["r3"])
        #expect(try graph.egoGraph(around: "x", radius: 5).entities.count == 1)
        #expect(try graph.egoGraph(around: "a", radius: 2).entities.count == 4)
        let people = try graph.egoGraph(around: "c", radius: 2, filter: QueryFilter(entityKinds: [.person]))
        // The centre is kept whatever its kind; d comes in only as the asserter of r7.
        #expect(Array(people.entities.keys) == ["a", "b", "c", "d"])
        #expect(!people.relations.keys.contains("r8"))
        let confirmed = try graph.egoGraph(around: "a", radius: 1, filter: .confirmedOnly)
        #expect(!confirmed.relations.keys.contains("r4"))
        #expect(throws: QueryError.negativeBound("radius", -1)) { try graph.egoGraph(around: "a", radius: -1) }
        #expect(throws: QueryError.unknownEntity("nobody")) { try graph.egoGraph(around: "nobody") }
    }

    @Test func neighborhoodListsTheRingsInTheOrderMet() throws {
        let graph = try queryFixture()
        // b's outgoing relations reach a (r2) then c (r7); the ring after adds d (a→d r6).
        #expect(try graph.neighborhood(of: "b", radius: 1, direction: .outgoing) == ["b", "a", "c"])
        #expect(try graph.neighborhood(of: "b", radius: 2, direction: .outgoing) == ["b", "a", "c", "d"])
        // The ego graph holds d as r7's asserter at radius 1; the neighbourhood does not.
        #expect(try graph.egoGraph(around: "b", radius: 1, direction: .outgoing).entities.keys.contains("d"))
        #expect(try graph.neighborhood(of: "d", radius: 1, direction: .incoming) == ["d", "a", "c"])
        // The kind filter keeps out d (a place) but never the centre (a state).
        let people = try graph.neighborhood(of: "c", radius: 2, filter: QueryFilter(entityKinds: [.person]))
        #expect(people == ["c", "a", "b"])
        #expect(try graph.neighborhood(of: "a", radius: 0) == ["a"])
        #expect(try graph.neighborhood(of: "x", radius: 5) == ["x"])
        #expect(throws: QueryError.negativeBound("radius", -1)) { try graph.neighborhood(of: "a", radius: -1) }
        #expect(throws: QueryError.unknownEntity("nobody")) { try graph.neighborhood(of: "nobody") }
    }

    @Test func neighborhoodRingsGroupTheNeighbourhoodByHops() throws {
        let graph = try queryFixture()
        #expect(try graph.neighborhoodRings(of: "b", radius: 2, direction: .outgoing) == [["b"], ["a", "c"], ["d"]])
        #expect(try graph.neighborhoodRings(of: "b", radius: 9, direction: .outgoing) == [["b"], ["a", "c"], ["d"]])
        #expect(try graph.neighborhoodRings(of: "a", radius: 0) == [["a"]])
        #expect(try graph.neighborhoodRings(of: "x", radius: 5) == [["x"]])
        // The rings are the neighbourhood, cut by hop count: the same entities in the same order, and
        // each ring's hop count is the shortest path's length.
        for center in graph.entities.keys {
            for radius in 0...3 {
                let rings = try graph.neighborhoodRings(of: center, radius: radius)
                #expect(Array(rings.joined()) == (try graph.neighborhood(of: center, radius: radius)))
                for (hops, ring) in rings.enumerated() {
                    for id in ring {
                        #expect(try graph.shortestPath(from: center, to: id, direction: .both)?.length == hops)
                    }
                }
            }
        }
        #expect(throws: QueryError.negativeBound("radius", -1)) { try graph.neighborhoodRings(of: "a", radius: -1) }
    }
}

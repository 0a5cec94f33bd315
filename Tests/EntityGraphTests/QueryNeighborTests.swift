import EntityGraph
import Testing

/// A small graph that shows every case of the neighbour queries:
///
/// ```
/// r1 a→b leads          r4 a→b supplies (reported, parallel to r1)   r7 b→c opposes (claimed by d)
/// r2 b→a owns           r5 c→a leads since 2022-10-19                r8 c→d locatedIn
/// r3 a→a alliedWith     r6 a→d locatedIn until 2022-10               x: isolated
/// ```
func queryFixture() throws -> Graph {
    var graph = Graph(title: "fixture")
    try graph.add(Entity(id: "a", name: "Alpha", kind: .person))
    try graph.add(Entity(id: "b", name: "Bravo", kind: .person))
    try graph.add(Entity(id: "c", name: "Charlie", kind: .state))
    try graph.add(Entity(id: "d", name: "Delta", kind: .place))
    try graph.add(Entity(id: "x", name: "X-ray", kind: .place))
    try graph.add(Relation(id: "r1", type: "leads", source: "a", target: "b"))
    try graph.add(Relation(id: "r2", type: "owns", source: "b", target: "a"))
    try graph.add(Relation(id: "r3", type: "alliedWith", source: "a", target: "a"))
    try graph.add(Relation(id: "r4", type: "supplies", source: "a", target: "b", certainty: .reported))
    try graph.add(Relation(id: "r5", type: "leads", source: "c", target: "a", since: PartialDate("2022-10-19")))
    try graph.add(Relation(id: "r6", type: "locatedIn", source: "a", target: "d", until: PartialDate("2022-10")))
    try graph.add(Relation(id: "r7", type: "opposes", source: "b", target: "c", certainty: .claimed, assertedBy: "d"))
    try graph.add(Relation(id: "r8", type: "locatedIn", source: "c", target: "d"))
    return graph
}

@Suite struct QueryNeighborTests {
    typealias L = Neighbor.Link

    @Test func bothDirectionsMergeByInsertionOrder() throws {
        let graph = try queryFixture()
        let got = try graph.neighbors(of: "a")
        #expect(
            got == [
                Neighbor(
                    entity: "b",
                    links: [
                        L(relation: "r1", traversal: .forward), L(relation: "r2", traversal: .backward),
                        L(relation: "r4", traversal: .forward),
                    ]),
                Neighbor(entity: "a", links: [L(relation: "r3", traversal: .forward)]),
                Neighbor(entity: "c", links: [L(relation: "r5", traversal: .backward)]),
                Neighbor(entity: "d", links: [L(relation: "r6", traversal: .forward)]),
            ])
        #expect(got[0].relations == ["r1", "r2", "r4"])
    }

    @Test func eachDirection() throws {
        let graph = try queryFixture()
        #expect(try graph.neighbors(of: "a", direction: .outgoing).map(\.entity) == ["b", "a", "d"])
        #expect(try graph.neighbors(of: "a", direction: .outgoing)[0].relations == ["r1", "r4"])
        let incoming = try graph.neighbors(of: "a", direction: .incoming)
        #expect(incoming.map(\.entity) == ["b", "a", "c"])
        #expect(incoming[1].links == [L(relation: "r3", traversal: .backward)])
        #expect(try graph.neighbors(of: "x").isEmpty)
    }

    @Test func filters() throws {
        let graph = try queryFixture()
        #expect(try graph.neighbors(of: "a", filter: .confirmedOnly)[0].relations == ["r1", "r2"])
        #expect(try graph.neighbors(of: "a", filter: QueryFilter().confirmed())[0].relations == ["r1", "r2"])
        #expect(try graph.neighbors(of: "a", filter: QueryFilter(entityKinds: [.person])).map(\.entity) == ["b", "a"])
        #expect(
            try graph.neighbors(of: "a", filter: QueryFilter(relationTypes: ["leads"])).map(\.relations)
                == [["r1"], ["r5"]])
        let october1 = QueryFilter(time: .inForce(on: PartialDate("2022-10-01")!))
        #expect(try graph.neighbors(of: "a", filter: october1).map(\.entity) == ["b", "a", "d"])
        let november = QueryFilter(time: .inForce(on: PartialDate("2022-11")!))
        #expect(try graph.neighbors(of: "a", filter: november).map(\.entity) == ["b", "a", "c"])
        let range = QueryFilter(time: .overlapping(from: PartialDate("2022-10-10")!, to: PartialDate("2022-10-20")!))
        #expect(try graph.neighbors(of: "a", filter: range).map(\.entity) == ["b", "a", "c", "d"])
        #expect(try graph.neighbors(of: "a", filter: QueryFilter(certainties: [])).isEmpty)
        #expect(QueryFilter.unrestricted.isUnrestricted && !QueryFilter.confirmedOnly.isUnrestricted)
    }

    @Test func unknownEntityThrows() throws {
        let graph = try queryFixture()
        #expect(throws: QueryError.unknownEntity("nobody")) { try graph.neighbors(of: "nobody") }
        #expect(graph.neighborIDs(of: "nobody").isEmpty)
        #expect(graph.outgoingRelations(of: "nobody").isEmpty)
    }

    @Test func zeroCopyViews() throws {
        let graph = try queryFixture()
        #expect(graph.outgoingRelations(of: "a").map(\.id) == ["r1", "r3", "r4", "r6"])
        #expect(graph.incomingRelations(of: "a").map(\.id) == ["r2", "r3", "r5"])
        let outgoing = graph.outgoingRelations(of: "a")
        #expect(outgoing[outgoing.index(outgoing.startIndex, offsetBy: 2)].id == "r4")
        #expect(Array(graph.neighborIDs(of: "a")) == ["b", "b", "a", "b", "c", "d"])
        #expect(Array(graph.neighborIDs(of: "a", direction: .outgoing)) == ["b", "a", "b", "d"])
        #expect(Array(graph.neighborIDs(of: "a", direction: .incoming)) == ["b", "a", "c"])
        #expect(graph.neighborIDs(of: "a").count == 6)
        #expect(Array(graph.neighborIDs(of: "x")) == [])
    }
}

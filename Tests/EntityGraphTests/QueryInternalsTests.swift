import Testing

@testable import EntityGraph

/// The internal helpers of the queries.
@Suite struct QueryInternalsTests {
    @Test(arguments: [0, 1, 5, 64, 65, 300, 5_000])
    func radixSortMatchesTheStandardSort(count: Int) {
        var rng = SplitMix64(seed: UInt64(count))
        for bound in [Int32(10), 3_000, .max] {
            let values = (0..<count).map { _ in Int32.random(in: 0...bound, using: &rng) }
            var sorted = values
            sorted.sortNonNegative()
            #expect(sorted == values.sorted())
        }
    }

    @Test func adjacencyEntriesKeepRelationOrder() {
        let entries = [(5, false), (5, true), (6, false), (1 << 29, true)].map {
            Adjacency.entry($0.0, symmetric: $0.1)
        }
        #expect(entries.map(Adjacency.relation) == [5, 5, 6, 1 << 29])
        #expect(entries.map(Adjacency.isSymmetric) == [false, true, false, true])
        #expect(entries[1] < entries[2] && entries[0] < entries[2])
        // Entries 2, 4, 8, 10: relations 1, 2, 4, 5.
        var links = [Int32(2), 4, 8, 10].map { AdjacencyLink(entry: $0, other: $0 / 2) }
        #expect(links.index(ofRelation: 4) == 2)
        #expect(links.index(ofRelation: 3) == nil)
        links.insertSorted(AdjacencyLink(entry: 9, other: 7))
        #expect(links.map(\.entry) == [2, 4, 8, 9, 10])
        #expect(links[3].other == 7)
    }

    /// The symmetric lists are exactly the symmetric, non-self-loop part of the main lists, however the
    /// graph was made: added relation by relation, read with relations before their types (flagged
    /// afterwards), or extracted by a query.
    @Test func symmetricListsMirrorTheMainLists() throws {
        func check(_ graph: Graph, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(graph.checkInvariants() == [], sourceLocation: sourceLocation)
        }
        let json = """
            {"formatVersion": 1,
             "entities": [{"id": "a", "name": "A", "kind": "person"}, {"id": "b", "name": "B", "kind": "person"},
                          {"id": "c", "name": "C", "kind": "person"}],
             "relations": [{"id": "w", "type": "wroteTo", "source": "c", "target": "a"},
                           {"id": "m", "type": "metWith", "source": "a", "target": "b"},
                           {"id": "s", "type": "spokeWith", "source": "c", "target": "b"},
                           {"id": "m2", "type": "metWith", "source": "b", "target": "b"},
                           {"id": "m3", "type": "metWith", "source": "c", "target": "a"}],
             "relationTypes": [{"id": "wroteTo", "label": "wrote to"},
                               {"id": "metWith", "label": "met with", "symmetric": true}]}
            """
        let read = try GraphDocument.read(Array(json.utf8))
        #expect(read.symmetricIncoming[0].count == 1)  // m3 (c → a)
        check(read)
        check(try read.egoGraph(around: "b", radius: 1))
        check(read.filtered(by: QueryFilter(relationTypes: ["metWith"])))
        check(read.asOf(PartialDate("2024")!))
        check(read.subgraph(entities: ["a", "b", "c"], relations: ["w", "m2", "m3"]))
        var built = Graph()
        for id in ["a", "b", "c"] { try built.add(Entity(id: EntityID(id), name: id, kind: .person)) }
        try built.add(Relation(id: "1", type: "spokeWith", source: "a", target: "b"))
        try built.add(Relation(id: "2", type: "spokeWith", source: "b", target: "b"))
        try built.add(Relation(id: "3", type: "memberOf", source: "c", target: "b"))
        check(built)
        #expect(built.symmetricIncoming[1].count == 1)
        // Relations appended before their symmetric type is declared, outside the document reader
        // (which builds its lists at the end): declaring the type flags the lists in place.
        var late = Graph()
        for id in ["a", "b", "c"] { try late.add(Entity(id: EntityID(id), name: id, kind: .person)) }
        late.appendUnchecked(Relation(id: "1", type: "talksTo", source: "a", target: "b"))
        late.appendUnchecked(Relation(id: "2", type: "memberOf", source: "c", target: "b"))
        late.appendUnchecked(Relation(id: "3", type: "talksTo", source: "b", target: "b"))
        #expect(late.symmetricIncoming[1].isEmpty)
        try late.declare(RelationType(id: "talksTo", label: "talks to", symmetric: true))
        check(late)
        #expect(late.symmetricIncoming[1].count == 1)  // 1 (a → b); the self-loop is not copied
        #expect(Array(late.neighborIDs(of: "b", direction: .outgoing)) == ["a", "b"])
    }

    /// The pooled search buffers serve graphs of any size in turn: a big graph, a small one, the big
    /// one again (the buffers grow, are reused while big enough, and never answer from stale marks).
    @Test func pooledBuffersServeGraphsOfEverySizeInTurn() throws {
        func chain(_ count: Int) throws -> Graph {
            var graph = Graph()
            for i in 0..<count { try graph.add(Entity(id: EntityID("e\(i)"), name: "E\(i)", kind: .person)) }
            for i in 1..<count {
                try graph.add(
                    Relation(
                        id: RelationID("r\(i)"), type: "memberOf", source: EntityID("e\(i - 1)"),
                        target: EntityID("e\(i)")))
            }
            return graph
        }
        let big = try chain(5_000)
        let small = try chain(3)
        for _ in 0..<3 {
            #expect(try big.shortestPath(from: "e0", to: "e4999")?.length == 4_999)
            #expect(try big.shortestPath(from: "e4999", to: "e0", direction: .outgoing) == nil)
            #expect(try small.shortestPath(from: "e2", to: "e0")?.length == 2)
            #expect(try small.shortestPath(from: "e0", to: "e2", direction: .incoming) == nil)
            #expect(try big.egoGraph(around: "e2500", radius: 3).entities.count == 7)
            #expect(try small.neighborhood(of: "e1", radius: 1) == ["e1", "e0", "e2"])
        }
    }
}

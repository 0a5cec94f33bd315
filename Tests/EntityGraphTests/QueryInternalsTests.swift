import Testing

@testable import EntityGraph

/// The internal helpers of the queries.
@Suite struct QueryInternalsTests {
    @Test(arguments: [0, 1, 5, 64, 65, 300, 5_000])
    func radixSortMatchesTheStandardSort(count: Int) {
        var rng = SeededGenerator(seed: UInt64(count))
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
        #expect([Int32(2), 4, 8, 10].sortedIndex(of: 8) == 2)
        #expect([Int32(2), 4, 8, 10].sortedIndex(of: 9) == nil)
    }

    /// The symmetric lists are exactly the symmetric, non-self-loop part of the main lists, however the
    /// graph was made: added relation by relation, read with relations before their types (flagged
    /// afterwards), or extracted by a query.
    @Test func symmetricListsMirrorTheMainLists() throws {
        func check(_ graph: Graph, sourceLocation: SourceLocation = #_sourceLocation) {
            for e in 0..<graph.entities.count {
                // Each entry's flag says what its relation's type says.
                for entry in graph.outgoing[e] {
                    let type = graph.relations.values[Int(Adjacency.relation(entry))].type
                    #expect(
                        Adjacency.isSymmetric(entry) == graph.relationType(type)!.symmetric,
                        sourceLocation: sourceLocation)
                }
                let loops = Set(
                    graph.outgoing[e].filter { graph.endpoints[Int(Adjacency.relation($0))].target == Int32(e) })
                #expect(
                    graph.symmetricIncoming[e]
                        == graph.incoming[e].filter { Adjacency.isSymmetric($0) && !loops.contains($0) },
                    sourceLocation: sourceLocation)
            }
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
    }
}

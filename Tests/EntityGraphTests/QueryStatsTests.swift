import EntityGraph
import Testing

@Suite struct QueryStatsTests {
    @Test func countsDegreesComponentsAndDates() throws {
        let graph = try queryFixture()
        let stats = graph.statistics()
        #expect(stats.entityCount == 5 && stats.relationCount == 8)
        #expect(Array(stats.entitiesByKind.keys) == [.person, .state, .place])
        #expect(stats.entitiesByKind[.place] == 2)
        #expect(stats.relationsByType["leads"] == 2 && stats.relationsByType["locatedIn"] == 2)
        // a: out r1 r3 r4 r6, in r2 r3 r5 — the self-loop counts on both sides.
        #expect(stats.degrees["a"] == Degree(incoming: 3, outgoing: 4))
        #expect(try graph.degree(of: "a").total == 7)
        #expect(stats.components == [["a", "b", "c", "d"], ["x"]])
        #expect(stats.componentSizes == [4, 1])
        // 2022-10 starts before 2022-10-19 and also ends after it.
        #expect(stats.dateSpan == DateSpan(earliest: PartialDate("2022-10")!, latest: PartialDate("2022-10")!))
        #expect(throws: QueryError.unknownEntity("nobody")) { try graph.degree(of: "nobody") }
    }

    @Test func mostConnectedBreaksTiesByInsertionOrder() throws {
        let graph = try queryFixture()
        // Totals: a 7, b 4, c 3, d 2, x 0.
        #expect(graph.mostConnected(3).map(\.entity) == ["a", "b", "c"])
        #expect(graph.statistics().mostConnected(10).map(\.entity) == ["a", "b", "c", "d", "x"])
        #expect(graph.mostConnected(0).isEmpty)
        var tied = Graph()
        for id in ["p", "q", "r"] { try tied.add(Entity(id: EntityID(id), name: id, kind: .person)) }
        try tied.add(Relation(id: "1", type: "leads", source: "r", target: "q"))
        #expect(tied.mostConnected(3).map(\.entity) == ["q", "r", "p"])
    }

    @Test func emptyGraph() {
        let stats = Graph().statistics()
        #expect(stats.entityCount == 0 && stats.components.isEmpty && stats.dateSpan == nil)
    }

    @Test func asOfSemantics() throws {
        var graph = try queryFixture()
        try graph.add(
            Relation(
                id: "once", type: "spokeWith", source: "a", target: "b",
                since: PartialDate("2022-10-05"), until: PartialDate("2022-10-05")))
        func kept(_ date: String) -> [RelationID] {
            graph.asOf(PartialDate(date)!).relations.keys.filter { ["r5", "r6", "once"].contains($0) }
        }
        #expect(kept("2022-10-01") == ["r6"])
        #expect(kept("2022-10-05") == ["r6", "once"])
        #expect(kept("2022-10-20") == ["r5", "r6"])
        #expect(kept("2022-10") == ["r5", "r6", "once"])  // a month covers all its days
        #expect(kept("2030") == ["r5"])  // an open `until` has no end
        #expect(graph.asOf(PartialDate("1900")!).entities.count == graph.entities.count)
        #expect(graph.asOf(PartialDate("1900")!).relations.keys.contains("r1"))  // undated: always
    }
}

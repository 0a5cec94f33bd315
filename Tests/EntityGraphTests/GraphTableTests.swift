import EntityGraph
import Testing

/// Query results hold selections of their source graph's tables: they must read, compare and
/// change exactly like graphs that own their storage.
@Suite struct GraphTableTests {
    /// The same entities and relations as `graph.egoGraph(around: "b", radius: 1, direction: .outgoing)`
    /// on the query fixture, added one by one.
    func egoOfBByHand() throws -> Graph {
        let source = try queryFixture()
        var graph = Graph(title: source.title)
        for id: EntityID in ["a", "b", "c", "d"] { try graph.add(source.entities[id]!) }
        for id: RelationID in ["r1", "r2", "r3", "r4", "r5", "r7"] { try graph.add(source.relations[id]!) }
        return graph
    }

    @Test func aSelectionReadsLikeAnOwnedTable() throws {
        let source = try queryFixture()
        let ego = try source.egoGraph(around: "b", radius: 1, direction: .outgoing)
        let byHand = try egoOfBByHand()
        #expect(ego == byHand)
        #expect(ego.entities.count == 4 && ego.relations.count == 6)
        #expect(ego.entities["c"] == source.entities["c"])
        // In the source but not selected: absent, whichever way one asks.
        #expect(ego.entities["x"] == nil)
        #expect(ego.entities.index(forKey: "x") == nil)
        #expect(!ego.entities.keys.contains("x"))
        #expect(ego.relations["r6"] == nil && ego.relations["r8"] == nil)
        #expect(ego.relations.index(forKey: "r7") == 5)
        #expect(Array(ego.relations.keys) == ["r1", "r2", "r3", "r4", "r5", "r7"])
        #expect(ego.relations.values.map(\.id) == Array(ego.relations.keys))
        #expect(ego.entities.map(\.key) == ["a", "b", "c", "d"])
        for (position, (id, entity)) in ego.entities.enumerated() {
            #expect(entity.id == id)
            #expect(ego.entities.index(forKey: id) == position)
        }
        // Queries on the result see only the result.
        #expect(try ego.neighbors(of: "a").map(\.entity) == ["b", "a", "c"])
        #expect(try ego.shortestPath(from: "d", to: "a") == nil)
    }

    @Test func changingAResultLeavesTheSourceAlone() throws {
        let source = try queryFixture()
        var ego = try source.egoGraph(around: "b", radius: 1, direction: .outgoing)
        var renamed = ego.entities["a"]!
        renamed.name = "Alpha (renamed)"
        try ego.update(renamed)
        try ego.add(Entity(id: "e", name: "Echo", kind: .person))
        try ego.add(Relation(id: "r9", type: "leads", source: "e", target: "a"))
        #expect(ego.entities["a"]?.name == "Alpha (renamed)")
        #expect(Array(ego.entities.keys) == ["a", "b", "c", "d", "e"])
        #expect(try ego.neighbors(of: "a", direction: .incoming).map(\.entity).contains("e"))
        #expect(source.entities["a"]?.name == "Alpha")
        #expect(source.entities["e"] == nil && source.relations["r9"] == nil)
        #expect(source == (try queryFixture()))
        // An id the result left out can be added to it.
        try ego.add(Entity(id: "x", name: "X-ray again", kind: .place))
        #expect(ego.entities["x"]?.name == "X-ray again")
    }

    @Test func aResultOfAResultSelectsFromTheFirstSource() throws {
        let source = try queryFixture()
        let wide = try source.egoGraph(around: "a", radius: 2)
        let narrow = try wide.egoGraph(around: "c", radius: 1, direction: .outgoing)
        #expect(narrow == (try source.egoGraph(around: "c", radius: 1, direction: .outgoing)))
        let before = source.asOf(PartialDate("2022-10-01")!)
        #expect(before.relations["r5"] == nil)  // since 2022-10-19
        #expect(before.asOf(PartialDate("2022-10-01")!) == before)
    }

    @Test func changingTheSourceLeavesAResultAlone() throws {
        var source = try queryFixture()
        let ego = try source.egoGraph(around: "b", radius: 1, direction: .outgoing)
        let before = ego
        var renamed = source.entities["b"]!
        renamed.name = "Bravo (renamed)"
        try source.update(renamed)
        try source.add(Entity(id: "f", name: "Foxtrot", kind: .person))
        try source.add(Relation(id: "r10", type: "leads", source: "f", target: "b"))
        #expect(ego == before)
        #expect(ego.entities["b"]?.name == "Bravo")
        #expect(ego.entities["f"] == nil && ego.relations["r10"] == nil)
        #expect(source.entities["b"]?.name == "Bravo (renamed)")
    }

    @Test func aResultPrintsAndSearchesOnlyWhatItHolds() throws {
        let source = try queryFixture()
        let ego = try source.egoGraph(around: "d", radius: 1, direction: .incoming)
        #expect(ego.entities.keys.description == #"[a, c, d]"#)
        #expect(!ego.entities.description.contains("X-ray"))
        #expect(ego.entities.description.hasPrefix("[a: "))
        #expect(Mirror(reflecting: ego.entities).children.count == 3)
        // Through generic code too, `contains` and `firstIndex(of:)` see only the selection.
        func has<C: Collection>(_ collection: C, _ element: C.Element) -> Bool where C.Element: Equatable {
            collection.contains(element)
        }
        #expect(has(ego.entities.keys, "c") && !has(ego.entities.keys, "x") && !has(ego.entities.keys, "b"))
        #expect(ego.entities.keys.firstIndex(of: "d") == 2)
        #expect(ego.entities.keys.firstIndex(of: "x") == nil)
        // A result that keeps everything is the source's own table, with O(1) lookups.
        #expect(source.asOf(PartialDate("2030")!).entities == source.entities)
    }
}

import Testing

@testable import EntityGraph

/// The graph's invariants: every mutation that would break one throws the matching GraphError.
@Suite struct GraphModelTests {
    static func sample() throws -> Graph {
        var graph = Graph(title: "sample")
        try graph.add(SourceDocument(id: "d", title: "D"))
        try graph.add(Entity(id: "a", name: "A", kind: .person))
        try graph.add(Entity(id: "b", name: "B", kind: .state))
        try graph.add(Relation(id: "r1", type: "leads", source: "a", target: "b"))
        try graph.add(Relation(id: "r2", type: "leads", source: "a", target: "b"))  // parallel, distinct
        return graph
    }

    @Test func duplicatesAreRefused() throws {
        var graph = try Self.sample()
        #expect(throws: GraphError.duplicateEntity("a")) {
            try graph.add(Entity(id: "a", name: "Other", kind: .person))
        }
        #expect(throws: GraphError.duplicateRelation("r1")) {
            try graph.add(Relation(id: "r1", type: "owns", source: "b", target: "a"))
        }
        #expect(throws: GraphError.duplicateDocument("d")) { try graph.add(SourceDocument(id: "d", title: "again")) }
        #expect(throws: GraphError.duplicateKind("person")) { try graph.declare(Kind(id: "person", label: "P")) }
        #expect(throws: GraphError.duplicateRelationType("leads")) {
            try graph.declare(RelationType(id: "leads", label: "heads"))
        }
        try graph.declare(Kind(id: "unit", label: "Unit"))
        #expect(throws: GraphError.duplicateKind("unit")) { try graph.declare(Kind(id: "unit", label: "Unit")) }
        #expect(graph.entities.count == 2)
        #expect(graph.relations.count == 2)
    }

    @Test func referencesMustExist() throws {
        var graph = try Self.sample()
        #expect(throws: GraphError.unknownEntity("c", relation: "r3")) {
            try graph.add(Relation(id: "r3", type: "owns", source: "a", target: "c"))
        }
        #expect(throws: GraphError.unknownEntity("x", relation: "r3")) {
            try graph.add(Relation(id: "r3", type: "owns", source: "x", target: "a"))
        }
        #expect(throws: GraphError.unknownEntity("z", relation: "r3")) {
            try graph.add(Relation(id: "r3", type: "owns", source: "a", target: "b", assertedBy: "z"))
        }
        #expect(throws: GraphError.unknownRelationType("marries", relation: "r3")) {
            try graph.add(Relation(id: "r3", type: "marries", source: "a", target: "b"))
        }
        #expect(throws: GraphError.unknownKind("alien", entity: "e")) {
            try graph.add(Entity(id: "e", name: "E", kind: "alien"))
        }
        #expect(throws: GraphError.unknownDocument("nope")) {
            try graph.add(Entity(id: "e", name: "E", kind: .person, sources: [Citation(document: "nope")]))
        }
        #expect(throws: GraphError.unknownDocument("nope")) {
            try graph.add(
                Relation(id: "r3", type: "owns", source: "a", target: "b", sources: [Citation(document: "nope")]))
        }
        #expect(throws: GraphError.unknownEntity("ghost", relation: nil)) {
            try graph.update(Entity(id: "ghost", name: "G", kind: .person))
        }
        // Nothing was added by the failed calls.
        #expect(graph == (try Self.sample()))
    }

    @Test func updateKeepsPositionAndRelations() throws {
        var graph = try Self.sample()
        try graph.update(Entity(id: "a", name: "A renamed", kind: .organization))
        #expect(graph.entities.keys.elementsEqual(["a", "b"]))
        #expect(graph.entities["a"]?.name == "A renamed")
        #expect(graph.relations.count == 2)
        #expect(throws: GraphError.unknownKind("alien", entity: "a")) {
            try graph.update(Entity(id: "a", name: "A", kind: "alien"))
        }
    }

    @Test func vocabularyIsBuiltInPlusDeclared() throws {
        var graph = Graph()
        #expect(graph.kinds.map(\.id) == [.person, .state, .organization, .facility, .place, .event])
        #expect(graph.relationTypes.count == 19)
        #expect(graph.relationType("alliedWith")?.symmetric == true)
        #expect(graph.relationType("charges")?.label == "charged")
        #expect(graph.relationType("spokeWith")?.inverseLabel == "spoke with")
        try graph.declare(RelationType(id: "apologizedTo", label: "apologized to"))
        #expect(graph.relationTypes.last?.id == "apologizedTo")
        #expect(graph.declaredRelationTypes.count == 1)
        #expect(graph.kind("militaryUnit") == nil)
    }

    @Test func subgraphKeepsOnlyConsistentRelations() throws {
        var graph = try Self.sample()
        try graph.add(Entity(id: "c", name: "C", kind: .place))
        try graph.add(Relation(id: "r3", type: "locatedIn", source: "b", target: "c", assertedBy: "a"))
        let sub = graph.subgraph(entities: ["b", "c"], relations: ["r1", "r3"])
        #expect(sub.entities.keys.elementsEqual(["b", "c"]))
        #expect(sub.relations.isEmpty)  // r1 lost its source, r3 its asserting entity
        let withAsserter = graph.subgraph(entities: ["a", "b", "c"], relations: ["r3", "r2"])
        #expect(withAsserter.relations.keys.elementsEqual(["r2", "r3"]))
        #expect(withAsserter.documents.count == 1)
        #expect(withAsserter.title == "sample")
    }

    @Test func equalityIsOrderSensitive() throws {
        var first = Graph()
        var second = Graph()
        try first.add(Entity(id: "a", name: "A", kind: .person))
        try first.add(Entity(id: "b", name: "B", kind: .person))
        try second.add(Entity(id: "b", name: "B", kind: .person))
        try second.add(Entity(id: "a", name: "A", kind: .person))
        #expect(first != second)
        #expect(first == first)
    }

    @Test func errorDescriptions() {
        #expect(GraphError.duplicateEntity("a").description == "an entity with id 'a' already exists")
        #expect(GraphError.unknownEntity("x", relation: "r").description == "relation 'r' refers to unknown entity 'x'")
        #expect(GraphError.unknownEntity("x", relation: nil).description == "no entity has id 'x'")
        #expect(GraphError.unknownKind("k", entity: "e").description == "entity 'e' has unknown kind 'k'")
        #expect(GraphError.unknownRelationType("t", relation: "r").description == "relation 'r' has unknown type 't'")
        #expect(GraphError.unknownDocument("d").description == "no source document has id 'd'")
    }

    @Test func certaintyOrdersFromStrongestToWeakest() {
        #expect(Certainty.allCases.sorted() == [.confirmed, .reported, .claimed, .alleged, .disputed, .denied])
        #expect(Certainty.confirmed < .denied)
    }
}

import EntityGraph
import Foundation
import Testing

/// A small graph with symmetric relations (alliedWith, spokeWith, relatedTo) among directed ones:
///
/// ```
/// s1 a—b alliedWith (stored a→b)   r2 b→c leads     s3 d—a spokeWith (stored d→a)
/// s4 c—c relatedTo (self-loop)     r5 c→d owns      r6 b→b leads (self-loop)
/// ```
func symmetricFixture() throws -> Graph {
    var graph = Graph(title: "symmetric")
    for id: EntityID in ["a", "b", "c", "d"] { try graph.add(Entity(id: id, name: id.rawValue, kind: .person)) }
    try graph.add(Relation(id: "s1", type: "alliedWith", source: "a", target: "b"))
    try graph.add(Relation(id: "r2", type: "leads", source: "b", target: "c"))
    try graph.add(Relation(id: "s3", type: "spokeWith", source: "d", target: "a"))
    try graph.add(Relation(id: "s4", type: "relatedTo", source: "c", target: "c"))
    try graph.add(Relation(id: "r5", type: "owns", source: "c", target: "d"))
    try graph.add(Relation(id: "r6", type: "leads", source: "b", target: "b"))
    return graph
}

/// Directed queries cross a symmetric relation both ways: under `.outgoing` an entity reaches the
/// other end of every symmetric relation it takes part in, as under `.incoming`.
@Suite struct QuerySymmetricTests {
    typealias L = Neighbor.Link

    @Test func directedNeighborsIncludeSymmetricRelationsBothWays() throws {
        let graph = try symmetricFixture()
        // b is the target of s1, which reads the same both ways: a is its out- and in-neighbour.
        #expect(
            try graph.neighbors(of: "b", direction: .outgoing) == [
                Neighbor(entity: "a", links: [L(relation: "s1", traversal: .backward)]),
                Neighbor(entity: "c", links: [L(relation: "r2", traversal: .forward)]),
                Neighbor(entity: "b", links: [L(relation: "r6", traversal: .forward)]),
            ])
        #expect(
            try graph.neighbors(of: "b", direction: .incoming) == [
                Neighbor(entity: "a", links: [L(relation: "s1", traversal: .backward)]),
                Neighbor(entity: "b", links: [L(relation: "r6", traversal: .backward)]),
            ])
        // a is the source of s1 and the target of s3: b and d are both out- and in-neighbours.
        let aOut = try graph.neighbors(of: "a", direction: .outgoing)
        #expect(
            aOut == [
                Neighbor(entity: "b", links: [L(relation: "s1", traversal: .forward)]),
                Neighbor(entity: "d", links: [L(relation: "s3", traversal: .backward)]),
            ])
        #expect(try graph.neighbors(of: "a", direction: .incoming) == aOut)
        #expect(try graph.neighbors(of: "a", direction: .both) == aOut)
        // A symmetric self-loop is reported once in every direction (backward under .incoming, like
        // any relation entering the entity).
        #expect(
            try graph.neighbors(of: "c", direction: .outgoing) == [
                Neighbor(entity: "c", links: [L(relation: "s4", traversal: .forward)]),
                Neighbor(entity: "d", links: [L(relation: "r5", traversal: .forward)]),
            ])
        #expect(
            try graph.neighbors(of: "c", direction: .incoming) == [
                Neighbor(entity: "b", links: [L(relation: "r2", traversal: .backward)]),
                Neighbor(entity: "c", links: [L(relation: "s4", traversal: .backward)]),
            ])
        // Filters still apply to the symmetric relations.
        #expect(
            try graph.neighbors(of: "b", direction: .outgoing, filter: QueryFilter(relationTypes: ["leads"]))
                .map(\.entity) == ["c", "b"])
    }

    @Test func viewsIncludeSymmetricRelationsBothWays() throws {
        let graph = try symmetricFixture()
        #expect(Array(graph.neighborIDs(of: "b", direction: .outgoing)) == ["a", "c", "b"])
        #expect(Array(graph.neighborIDs(of: "b", direction: .incoming)) == ["a", "b"])
        #expect(Array(graph.neighborIDs(of: "a", direction: .outgoing)) == ["b", "d"])
        #expect(Array(graph.neighborIDs(of: "a", direction: .incoming)) == ["b", "d"])
        #expect(Array(graph.neighborIDs(of: "c", direction: .outgoing)) == ["c", "d"])
        #expect(Array(graph.neighborIDs(of: "c", direction: .incoming)) == ["b", "c"])
        #expect(Array(graph.neighborIDs(of: "d", direction: .outgoing)) == ["a"])
        #expect(Array(graph.neighborIDs(of: "d", direction: .incoming)) == ["a", "c"])
        #expect(graph.neighborIDs(of: "b", direction: .outgoing).count == 3)
        let position = graph.entities.index(forKey: "d")!
        #expect(Array(graph.neighborPositions(ofEntityAt: position, direction: .incoming)) == [0, 2])
        // The relation views list what the entity is the source or target of, symmetric or not.
        #expect(graph.outgoingRelations(of: "a").map(\.id) == ["s1"])
        #expect(graph.incomingRelations(of: "a").map(\.id) == ["s3"])
    }

    @Test func pathsCrossSymmetricRelationsBothWays() throws {
        let graph = try symmetricFixture()
        let back = try #require(try graph.shortestPath(from: "b", to: "a", direction: .outgoing))
        #expect(back.steps == [GraphPath.Step(relation: "s1", from: "b", to: "a", traversal: .backward)])
        #expect(try graph.shortestPath(from: "a", to: "d", direction: .outgoing)?.relations == ["s3"])
        // Along incoming relations from d: back over r5 to c, or over s3 (which d is the source of) to a.
        let all = try graph.allShortestPaths(from: "d", to: "b", direction: .incoming)
        #expect(all.paths.map(\.relations) == [["s3", "s1"], ["r5", "r2"]])
        #expect(all.paths[0].steps.map(\.traversal) == [.forward, .forward])
        let union = try #require(try graph.connectionGraph(from: "d", to: "b", direction: .incoming))
        #expect(Set(union.relations.keys) == ["s3", "s1", "r5", "r2"])
        #expect(Set(union.entities.keys) == ["a", "b", "c", "d"])
        // A directed relation still goes one way only.
        #expect(try graph.shortestPath(from: "c", to: "b", direction: .outgoing)?.relations == ["r5", "s3", "s1"])
    }

    @Test func egoGraphsCrossSymmetricRelationsBothWays() throws {
        let graph = try symmetricFixture()
        let ego = try graph.egoGraph(around: "b", radius: 1, direction: .outgoing)
        #expect(Array(ego.entities.keys) == ["a", "b", "c"])
        #expect(Array(ego.relations.keys) == ["s1", "r2", "s4", "r6"])
        let incoming = try graph.egoGraph(around: "a", radius: 1, direction: .incoming)
        #expect(Array(incoming.entities.keys) == ["a", "b", "d"])
        #expect(Array(incoming.relations.keys) == ["s1", "s3", "r6"])
        // The extracted graph keeps knowing which relations are symmetric.
        #expect(Array(incoming.neighborIDs(of: "b", direction: .outgoing)) == ["a", "b"])
        #expect(Array(incoming.neighborIDs(of: "a", direction: .incoming)) == ["b", "d"])
        #expect(Array(graph.filtered(by: .unrestricted).neighborIDs(of: "b", direction: .outgoing)) == ["a", "c", "b"])
        #expect(Array(graph.asOf(PartialDate("2022")!).neighborIDs(of: "d", direction: .incoming)) == ["a", "c"])
        #expect(
            Array(graph.subgraph(entities: ["a", "b"], relations: ["s1"]).neighborIDs(of: "b", direction: .outgoing))
                == ["a"])
    }

    @Test func declaredSymmetricTypes() throws {
        var graph = Graph()
        try graph.declare(RelationType(id: "metWith", label: "met with", symmetric: true))
        try graph.declare(RelationType(id: "wroteTo", label: "wrote to", inverseLabel: "received a letter from"))
        for id: EntityID in ["a", "b"] { try graph.add(Entity(id: id, name: id.rawValue, kind: .person)) }
        try graph.add(Relation(id: "m", type: "metWith", source: "a", target: "b"))
        try graph.add(Relation(id: "w", type: "wroteTo", source: "a", target: "b"))
        #expect(try graph.neighbors(of: "b", direction: .outgoing).flatMap(\.relations) == ["m"])
        #expect(try graph.neighbors(of: "a", direction: .incoming).flatMap(\.relations) == ["m"])
    }

    /// A document may list its relations before the relation types they use: declaring the type
    /// afterwards still makes its relations symmetric.
    @Test func relationsReadBeforeTheirSymmetricType() throws {
        let json = """
            {"formatVersion": 1,
             "entities": [{"id": "a", "name": "A", "kind": "person"}, {"id": "b", "name": "B", "kind": "person"},
                          {"id": "c", "name": "C", "kind": "person"}],
             "relations": [{"id": "w", "type": "wroteTo", "source": "c", "target": "a"},
                           {"id": "m", "type": "metWith", "source": "a", "target": "b"},
                           {"id": "m2", "type": "metWith", "source": "b", "target": "b"},
                           {"id": "k", "type": "knows", "source": "b", "target": "c"}],
             "relationTypes": [{"id": "wroteTo", "label": "wrote to"},
                               {"id": "metWith", "label": "met with", "symmetric": true},
                               {"id": "knows", "label": "knows", "symmetric": false}]}
            """
        let graph = try GraphDocument.read(Array(json.utf8))
        #expect(Array(graph.neighborIDs(of: "b", direction: .outgoing)) == ["a", "b", "c"])
        #expect(Array(graph.neighborIDs(of: "b", direction: .incoming)) == ["a", "b"])
        #expect(Array(graph.neighborIDs(of: "a", direction: .incoming)) == ["c", "b"])
        #expect(try graph.shortestPath(from: "b", to: "a", direction: .outgoing)?.relations == ["m"])
        #expect(try graph.shortestPath(from: "c", to: "b", direction: .outgoing)?.relations == ["w", "m"])
    }

    @Test func seedGraph() throws {
        let graph = try SeedGraph.load()
        // "Zelensky spoke with Lukashenko" is stored zelensky → lukashenko.
        let out = try graph.neighbors(of: "lukashenko", direction: .outgoing)
        let zelensky = try #require(out.first { $0.entity == "zelensky" })
        #expect(zelensky.links.contains(L(relation: "zelensky-spoke-with-lukashenko", traversal: .backward)))
        let incoming = try graph.neighbors(of: "zelensky", direction: .incoming)
        #expect(
            incoming.first { $0.entity == "lukashenko" }?.links.contains(
                L(relation: "zelensky-spoke-with-lukashenko", traversal: .forward)) == true)
        // "Belarus allied with Russia" is stored belarus → russia.
        let path = try #require(try graph.shortestPath(from: "russia", to: "belarus", direction: .outgoing))
        #expect(path.relations == ["belarus-allied-with-russia"])
        #expect(path.steps[0].traversal == .backward)
        let ego = try graph.egoGraph(around: "putin", radius: 1, direction: .outgoing)
        #expect(ego.entities["lukashenko"] != nil)
        #expect(ego.relations["lukashenko-ties-with-putin"] != nil)
    }
}

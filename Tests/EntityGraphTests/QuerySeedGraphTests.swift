import EntityGraph
import Foundation
import Testing

/// The queries on the checked-in graph `Graphs/zelensky-lukashenko-mozyr.json`.
@Suite struct QuerySeedGraphTests {
    let graph: Graph

    init() throws {
        graph = try SeedGraph.load()
    }

    @Test func whoIsWithinTwoHopsOfLukashenko() throws {
        let near = try graph.neighborhood(of: "lukashenko", radius: 2)
        #expect(near.first == "lukashenko")
        // The first ring is his neighbours, in the order `neighbors(of:)` lists them.
        let neighbors = try graph.neighbors(of: "lukashenko").map(\.entity)
        #expect(Array(near[1...neighbors.count]) == neighbors)
        #expect(Set(near).count == near.count)
        // The second ring reaches the SBU through Zelensky's claims, not directly.
        #expect(!neighbors.contains("sbu") && near.contains("sbu"))
    }

    @Test func lukashenkoNeighbors() throws {
        let neighbors = try graph.neighbors(of: "lukashenko")
        let ids = Set(neighbors.map(\.entity))
        for expected: EntityID in [
            "zelensky", "belarus", "putin", "russia", "mozyr-refinery",
            "belarusian-opposition", "lukashenko-zelensky-call",
        ] {
            #expect(ids.contains(expected), "\(expected)")
        }
        // Zelensky is linked by several parallel relations, each reported.
        let zelensky = try #require(neighbors.first { $0.entity == "zelensky" })
        #expect(zelensky.relations.contains("lukashenko-apologized-to-zelensky"))
        #expect(zelensky.relations.contains("zelensky-spoke-with-lukashenko"))
        #expect(zelensky.links.first { $0.relation == "zelensky-spoke-with-lukashenko" }?.traversal == .backward)
        // The claimed ones are gone when only confirmed relations count.
        let confirmed = try graph.neighbors(of: "lukashenko", filter: .confirmedOnly)
        #expect(!confirmed.contains { $0.entity == "zelensky" })
        #expect(confirmed.contains { $0.entity == "belarus" })
        #expect(graph.neighborIDs(of: "lukashenko", direction: .outgoing).contains("mozyr-refinery"))
    }

    @Test func pathFromPutinToTheMozyrRefinery() throws {
        let path = try #require(try graph.shortestPath(from: "putin", to: "mozyr-refinery"))
        #expect(path.start == "putin")
        #expect(path.end == "mozyr-refinery")
        #expect(path.length == 2)
        var at: EntityID = "putin"
        for step in path.steps {
            let relation = try #require(graph.relations[step.relation])
            #expect(step.from == at)
            let ends =
                step.traversal == .forward ? (relation.source, relation.target) : (relation.target, relation.source)
            #expect(ends == (step.from, step.to))
            at = step.to
        }
        let all = try graph.allShortestPaths(from: "putin", to: "mozyr-refinery")
        #expect(all.isComplete && all.paths.count >= 1 && all.paths.allSatisfy { $0.length == 2 })
        #expect(all.paths.contains(path))
        // Through Lukashenko (his ties with Putin, his suggested strike) and through Ukraine.
        let middles = Set(all.paths.map { $0.entities[1] })
        #expect(middles.isSuperset(of: ["lukashenko", "ukraine"]))
        let union = try #require(try graph.connectionGraph(from: "putin", to: "mozyr-refinery"))
        #expect(union.entities["lukashenko"] != nil)
        #expect(Set(union.relations.keys) == Set(all.paths.flatMap(\.relations)))
    }

    @Test func mapAroundTheSanctions() throws {
        let sanctions: RelationID = "nsdc-sanctions-mozyr-refinery"
        let diesel: RelationID = "mozyr-refinery-supplied-ukraine"
        let before = graph.asOf(PartialDate("2022-10-01")!)
        let after = graph.asOf(PartialDate("2022-10-20")!)
        #expect(before.relations[sanctions] == nil)
        #expect(after.relations[sanctions] != nil)
        #expect(before.relations[diesel] != nil)
        #expect(after.relations[diesel] != nil)  // "until 2022-10" covers the whole month
        #expect(graph.asOf(PartialDate("2022-11-01")!).relations[diesel] == nil)
        #expect(before.entities.count == graph.entities.count)
        // Same through a filter on a neighbour query.
        let october20 = QueryFilter(time: .inForce(on: PartialDate("2022-10-20")!))
        let sanctioners = try graph.neighbors(of: "mozyr-refinery", direction: .incoming, filter: october20)
        #expect(sanctioners.contains { $0.entity == "nsdc" })
    }

    @Test func lookups() {
        let index = LookupIndex(graph)
        #expect(index.lookup("volodya") == .found("zelensky"))
        #expect(index.lookup("chisinau") == .found("chisinau"))
        #expect(index.lookup("Chișinău") == .found("chisinau"))
        #expect(index.lookup("LUKASHENKO") == .found("lukashenko"))
        #expect(index.lookup("mozyr refinery") == .found("mozyr-refinery"))
        guard case .notFound(let suggestions) = index.lookup("lukashenk") else {
            Issue.record("'lukashenk' should not match exactly")
            return
        }
        #expect(suggestions.first?.entity == "lukashenko")
    }

    @Test func egoGraphAndStatistics() throws {
        let ego = try graph.egoGraph(around: "mozyr-refinery", radius: 1)
        for id: EntityID in ["mozyr-refinery", "mozyr", "lukashenko", "nsdc", "ukraine", "kuyun"] {
            #expect(ego.entities[id] != nil, "\(id)")
        }
        #expect(ego.relations.values.allSatisfy { ego.entities[$0.source] != nil && ego.entities[$0.target] != nil })
        let stats = graph.statistics()
        #expect(stats.entityCount == graph.entities.count)
        #expect(stats.mostConnected(1).first?.entity == "lukashenko")
        #expect(stats.componentSizes.reduce(0, +) == graph.entities.count)
    }
}

import Foundation
import Testing

@testable import EntityGraph

/// Writing: the exact layout, escaping, determinism, and read → write → read round trips.
@Suite struct DocumentRoundTripTests {
    typealias Support = DocumentTestSupport

    @Test func seedFileRoundTrips() throws {
        let decoded = GraphDocument.decode(contentsOf: Support.seedURL)
        #expect(decoded.errors.isEmpty, "\(decoded.errors.map(\.description))")
        let graph = try #require(decoded.graph)
        #expect(graph.entities.count > 10)
        #expect(graph.relations.count > 10)
        let written = GraphDocument.write(graph)
        let again = try GraphDocument.read(written)
        #expect(again == graph)
        #expect(GraphDocument.write(again) == written)
        #expect(GraphDocument.write(graph) == written)
    }

    @Test func richGraphRoundTrips() throws {
        let graph = try Support.richGraph()
        let written = GraphDocument.write(graph)
        let again = try GraphDocument.read(written)
        #expect(again == graph)
        #expect(again.relations.keys.elementsEqual(["lukashenko-apologized-to-zelensky", "parallel-1", "parallel-2"]))
        #expect(again.attributes.keys.elementsEqual(["nested", "big", "tiny", "negative"]))
        #expect(again.attributes["tiny"] == .double(.leastNonzeroMagnitude))
        #expect(again.entities["zelensky"]?.attributes["separators"] == "a\u{2028}b\u{2029}c")
        #expect(GraphDocument.write(again) == written)
        #expect(written.last == 0x0A)
    }

    @Test func generatedGraphRoundTrips() throws {
        let graph = try Self.generatedGraph(entities: 2_000, relations: 8_000)
        let written = GraphDocument.write(graph)
        let again = try GraphDocument.read(written)
        #expect(again == graph)
        #expect(GraphDocument.write(again) == written)
        // Adjacency survives: the hub has as many outgoing relations as were generated.
        #expect(
            again.relations.values.filter { $0.source == "e0" }.count
                == graph.relations.values.filter { $0.source == "e0" }.count)
    }

    @Test func exactLayout() throws {
        var graph = Graph(title: "T")
        try graph.add(SourceDocument(id: "d", title: "D", date: PartialDate("2025-01")))
        try graph.declare(Kind(id: "militaryUnit", label: "Military unit"))
        try graph.declare(
            RelationType(
                id: "apologizedTo", label: "apologized to",
                inverseLabel: "received an apology from", category: .communication))
        try graph.add(
            Entity(
                id: "a", name: "A person", kind: .person, aliases: ["A"],
                attributes: ["n": 1, "x": 2.5]))
        try graph.add(Entity(id: "b", name: "B", kind: .place))
        try graph.add(
            Relation(
                id: "r", type: "spokeWith", source: "a", target: "b", since: PartialDate("2022"),
                certainty: .reported, assertedBy: "a", sources: [Citation(document: "d", locator: "¶1")]))
        let expected = """
            {
              "formatVersion": 1,
              "title": "T",
              "documents": [
                {
                  "id": "d",
                  "title": "D",
                  "date": "2025-01"
                }
              ],
              "kinds": [
                {
                  "id": "militaryUnit",
                  "label": "Military unit"
                }
              ],
              "relationTypes": [
                {
                  "id": "apologizedTo",
                  "label": "apologized to",
                  "inverseLabel": "received an apology from",
                  "symmetric": false,
                  "category": "communication"
                }
              ],
              "entities": [
                {
                  "id": "a",
                  "name": "A person",
                  "kind": "person",
                  "aliases": [
                    "A"
                  ],
                  "attributes": {
                    "n": 1,
                    "x": 2.5
                  }
                },
                {
                  "id": "b",
                  "name": "B",
                  "kind": "place"
                }
              ],
              "relations": [
                {
                  "id": "r",
                  "type": "spokeWith",
                  "source": "a",
                  "target": "b",
                  "since": "2022",
                  "certainty": "reported",
                  "assertedBy": "a",
                  "sources": [
                    {
                      "document": "d",
                      "locator": "¶1"
                    }
                  ]
                }
              ]
            }

            """
        #expect(GraphDocument.string(graph) == expected)
    }

    @Test func emptyGraphIsTheSmallestDocument() throws {
        let text = GraphDocument.string(Graph())
        #expect(text == "{\n  \"formatVersion\": 1,\n  \"entities\": []\n}\n")
        #expect(try GraphDocument.read(text.utf8) == Graph())
    }

    @Test func stringsAreEscapedMinimally() throws {
        let graph = Graph(title: "q\"b\\s\nt\tc\u{01}\u{1F}l\u{2028}p\u{2029}é😀/\u{7F}")
        let text = GraphDocument.string(graph)
        #expect(text.contains(#""title": "q\"b\\s\nt\tc\u0001\u001fl\u2028p\u2029é😀/\#u{7F}""#))
        #expect(try GraphDocument.read(text.utf8).title == graph.title)
    }

    @Test func numbersAreWrittenInShortestRoundTripForm() throws {
        let values: [JSONValue] = [
            .integer(0), .integer(-42), .integer(.max), .double(0.1), .double(1.0), .double(-0.0),
            .double(1e300), .double(.leastNonzeroMagnitude), .double(123456.789), .double(.infinity),
        ]
        var graph = Graph()
        for (index, value) in values.enumerated() { graph.attributes["v\(index)"] = value }
        let text = GraphDocument.string(graph)
        #expect(text.contains(#""v0": 0,"#))
        #expect(text.contains(#""v2": 9223372036854775807,"#))
        #expect(text.contains(#""v3": 0.1,"#))
        #expect(text.contains(#""v4": 1.0,"#))
        #expect(text.contains(#""v5": -0.0,"#))
        #expect(text.contains(#""v6": 1e+300,"#))
        #expect(text.contains(#""v7": 5e-324,"#))
        #expect(text.contains(#""v8": 123456.789,"#))
        #expect(text.contains(#""v9": null"#))  // JSON has no infinity
        let again = try GraphDocument.read(text.utf8)
        for index in 0..<values.count - 1 { #expect(again.attributes["v\(index)"] == values[index]) }
    }

    @Test func optionalFieldsAndDefaultsAreLeftOut() throws {
        var graph = Graph()
        try graph.declare(RelationType(id: "metWith", label: "met with", symmetric: true))
        try graph.add(Entity(id: "a", name: "A", kind: .person))
        try graph.add(Relation(id: "r", type: "metWith", source: "a", target: "a"))
        let text = GraphDocument.string(graph)
        #expect(!text.contains("inverseLabel"))
        #expect(!text.contains("aliases"))
        #expect(!text.contains("attributes"))
        #expect(!text.contains("since"))
        #expect(!text.contains("assertedBy"))
        #expect(text.contains(#""certainty": "confirmed""#))
        // A kind or type without a label reads with its id as the label; a document without a
        // title reads with an empty one.
        let minimal =
            #"{"formatVersion": 1, "kinds": [{"id": "unit"}], "relationTypes": [{"id": "met"}], "documents": [{"id": "d"}], "entities": []}"#
        let read = try GraphDocument.read(minimal.utf8)
        #expect(read.kind("unit")?.label == "unit")
        #expect(read.relationType("met")?.inverseLabel == "met")
        #expect(read.relationType("met")?.category == .other)
        #expect(read.documents["d"]?.title == "")
        #expect(try GraphDocument.read(GraphDocument.write(read)) == read)
    }

    @Test func writingIsDeterministicAcrossCopies() throws {
        let graph = try Support.richGraph()
        let outputs = (0..<5).map { _ in GraphDocument.write(graph) }
        #expect(Set(outputs).count == 1)
        var copy = graph
        copy.title = graph.title
        #expect(GraphDocument.write(copy) == outputs[0])
    }

    // MARK: Files

    @Test func fileWriteIsAtomicAndReadsBack() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "entitygraph-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appending(path: "graph.json")
        try Data("old contents".utf8).write(to: url)

        let graph = try Support.richGraph()
        try GraphDocument.write(graph, to: url)
        #expect(try Array(Data(contentsOf: url)) == GraphDocument.write(graph))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["graph.json"])
        #expect(try GraphDocument.read(contentsOf: url) == graph)

        let missingDirectory = directory.appending(path: "missing/graph.json")
        do {
            try GraphDocument.write(graph, to: missingDirectory)
            Issue.record("writing into a missing directory should fail")
        } catch {
            #expect(error.issues.map(\.code) == [.unwritableFile])
            let message = error.issues.first?.message ?? ""
            #expect(message.hasPrefix("the folder ") && message.hasSuffix("missing does not exist"), "\(message)")
        }
        #expect(!FileManager.default.fileExists(atPath: missingDirectory.path))
    }

    @Test func unreadableFilesAreReportedAsIssues() throws {
        let url = URL(fileURLWithPath: "/nonexistent/graph.json")
        do {
            _ = try GraphDocument.read(contentsOf: url)
            Issue.record("reading a missing file should fail")
        } catch {
            let issue = try #require(error.issues.first)
            #expect(issue.code == .unreadableFile)
            #expect(issue.fileName == "/nonexistent/graph.json")
            #expect(issue.message == "cannot open the file: No such file or directory")
            #expect(issue.line == nil)
        }
        let directory = GraphDocument.validate(contentsOf: FileManager.default.temporaryDirectory)
        #expect(directory.map(\.message) == ["this is a directory, not a file"])
    }

    @Test func issuesNameTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "entitygraph-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appending(path: "bad.json")
        try Data(#"{"formatVersion": 1, "entities": [{"id": "a", "name": "A", "kind": "persn"}]}"#.utf8).write(to: url)
        let issue = try #require(GraphDocument.validate(contentsOf: url).first)
        #expect(issue.fileName == url.path)
        #expect(
            issue.description
                == "\(url.path):1:68: error: entities[0].kind: unknown kind 'persn' — did you mean 'person'?")
    }

    // MARK: Helpers

    /// A deterministic scale-free-ish graph: entity `e0` is a hub.
    static func generatedGraph(entities: Int, relations: Int) throws -> Graph {
        var random = SplitMix64(seed: 11)
        var graph = Graph(title: "generated")
        try graph.add(SourceDocument(id: "doc", title: "Doc"))
        let kinds: [KindID] = [.person, .organization, .place, .facility]
        for index in 0..<entities {
            var entity = Entity(id: EntityID("e\(index)"), name: "Entity número \(index)", kind: kinds[index % 4])
            if index % 3 == 0 { entity.attributes = ["rank": .integer(Int64(index)), "tag": .string("t\(index % 7)")] }
            if index % 5 == 0 { entity.sources = [Citation(document: "doc", locator: "¶\(index % 9)")] }
            try graph.add(entity)
        }
        let types: [RelationTypeID] = ["memberOf", "owns", "spokeWith", "supplies", "relatedTo"]
        for index in 0..<relations {
            let source = index % 4 == 0 ? 0 : Int(random.next() % UInt64(entities))
            let target = Int(random.next() % UInt64(entities))
            var relation = Relation(
                id: RelationID("r\(index)"), type: types[index % types.count],
                source: EntityID("e\(source)"), target: EntityID("e\(target)"))
            if index % 2 == 0 { relation.since = PartialDate(year: 1990 + index % 30, month: 1 + index % 12) }
            if index % 7 == 0 {
                relation.certainty = .claimed
                relation.assertedBy = EntityID("e\(target)")
            }
            if index % 11 == 0 { relation.attributes["weight"] = .double(Double(index) / 8) }
            try graph.add(relation)
        }
        return graph
    }
}

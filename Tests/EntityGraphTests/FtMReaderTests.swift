import Foundation
import Testing

@testable import EntityGraph

/// The FollowTheMoney reader, on the real fixtures in `../shared/corpus/ftm` and on
/// small hand-written streams. Expected counts come from a separate `JSONSerialization` pass over
/// each file, never from the reader itself.
@Suite("FtM reader")
struct FtMReaderTests {
    static let corpus = DocumentTestSupport.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/ftm")
    static let fixtures = ["zala.ftm.json", "t1.ftm.json"]
    /// False in a clone without `../shared` beside it: the fixture tests are skipped, as the DOT
    /// corpus tests are.
    static var hasCorpus: Bool {
        FileManager.default.fileExists(atPath: corpus.appendingPathComponent("zala.ftm.json").path)
    }
    static let edges: [String: (String, String)] = [
        "Ownership": ("owner", "asset"), "Directorship": ("director", "organization"), "Family": ("person", "relative"),
        "Membership": ("member", "organization"), "UnknownLink": ("subject", "object"),
    ]

    /// Each line of an FtM file as Foundation reads it.
    static func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// An object as JSON text with sorted keys, for comparing what Foundation read.
    static func canonical(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func properties(_ object: [String: Any]) -> [String: [String]] {
        (object["properties"] as? [String: [String]]) ?? [:]
    }

    static func read(_ name: String) throws -> (Graph, [[String: Any]]) {
        let url = corpus.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        return (try FtMReader.read(contentsOf: url), try objects(text))
    }

    static func schema(_ attributes: Attributes) -> String? { attributes[FtMVocabulary.schemaKey]?.stringValue }

    @Test(.enabled(if: hasCorpus, "no corpus at ../shared/corpus/ftm"), arguments: fixtures)
    func everyObjectIsReadWithItsSchema(name: String) throws {
        let (graph, objects) = try Self.read(name)
        var expected: [String: Int] = [:]
        for object in objects { expected[object["schema"] as? String ?? "", default: 0] += 1 }
        var read: [String: Int] = [:]
        for entity in graph.entities.values { read[Self.schema(entity.attributes) ?? "?", default: 0] += 1 }
        for relation in graph.relations.values where relation.attributes[FtMVocabulary.propertyKey] == nil {
            read[Self.schema(relation.attributes) ?? "?", default: 0] += 1
        }
        #expect(read == expected)
        // Things are entities of the documented kinds; edges whose endpoints are in the file are relations.
        let ids = Set(objects.compactMap { $0["id"] as? String })
        var relations = 0
        for object in objects {
            let id = try #require(object["id"] as? String)
            let schema = try #require(object["schema"] as? String)
            if let (source, target) = Self.edges[schema] {
                let props = Self.properties(object)
                if let from = props[source], let to = props[target], from.count == 1, to.count == 1,
                    ids.contains(from[0]), ids.contains(to[0])
                {
                    relations += 1
                    let relation = try #require(graph.relations[RelationID(id)])
                    #expect(relation.source.rawValue == from[0])
                    #expect(relation.target.rawValue == to[0])
                    continue
                }
            }
            if schema == "Sanction" { continue }
            let entity = try #require(graph.entities[EntityID(id)], "\(id) is missing")
            let kinds: [String: KindID] = [
                "Person": .person, "Company": .organization, "Organization": .organization, "Address": .place,
            ]
            if let kind = kinds[schema] { #expect(entity.kind == kind) }
            if let caption = object["caption"] as? String { #expect(entity.name == caption) }
        }
        let fromEdges = graph.relations.values.count {
            $0.attributes[FtMVocabulary.propertyKey] == nil && Self.edges[Self.schema($0.attributes) ?? ""] != nil
        }
        #expect(fromEdges == relations)
    }

    @Test(.enabled(if: hasCorpus, "no corpus at ../shared/corpus/ftm"))
    func zalaSanctionsLinkToTheSanctionedEntity() throws {
        let (graph, objects) = try Self.read("zala.ftm.json")
        let sanctions = objects.filter { $0["schema"] as? String == "Sanction" }
        #expect(!sanctions.isEmpty)
        for object in sanctions {
            let id = try #require(object["id"] as? String)
            let entity = try #require(graph.entities[EntityID(id)])
            #expect(entity.kind == "sanction")
            let targets = Self.properties(object)["entity"] ?? []
            let links = graph.relations.values.filter { $0.source.rawValue == id && $0.type == "sanctions" }
            #expect(links.map(\.target.rawValue).sorted() == targets.sorted())
            if let start = Self.properties(object)["startDate"]?.sorted().first {
                #expect(links.allSatisfy { $0.since?.description == start })
            }
        }
    }

    // MARK: Hand-written streams

    static func decode(_ lines: [String], limits: ReadLimits = .standard) -> GraphDocument.Decoded {
        FtMReader.decode(Array(lines.joined(separator: "\n").utf8), fileName: "t.ftm.json", limits: limits)
    }

    @Test func badLinesAreErrorsWithTheirLineAndPath() throws {
        let decoded = Self.decode([
            #"{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}"#,
            #"{"id": "b", "schema": "Person", "properties": {"name": ["B", 7]}}"#,
            #"{"id": "c", "schema": "Person""#,
            #"{"schema": "Person"}"#,
            #"["not", "an", "object"]"#,
            #"{"id": "a", "schema": "Company"}"#,
            #"{"id": "d\u0001", "schema": "Person"}"#,
            #"{"id": "e", "schema": "person"}"#,
            #"{"id": "f", "schema": "Person", "properties": {"name": "F"}}"#,
        ])
        #expect(decoded.graph == nil)
        let errors = decoded.errors
        let found = errors.map { "\($0.line ?? 0) \($0.path) \($0.code)" }
        #expect(
            found == [
                "2 $.properties.name[1] wrongType", "3 $ invalidJSON", "4 $.id missingField", "5 $ wrongType",
                "6 $.id duplicateID", "7 $.id controlCharacterInID", "8 $.schema wrongType",
                "9 $.properties.name wrongType",
            ])
        #expect(errors[0].description.hasPrefix("t.ftm.json:2: error: properties.name[1]:"))
        #expect(errors[0].message.contains("'b'"))
        #expect(errors[4].message.contains("line 1"))
    }

    @Test func edgesWithMissingEndpointsAreKeptAsEntities() throws {
        let decoded = Self.decode([
            #"{"id": "p", "schema": "Person", "properties": {"name": ["P"]}}"#,
            #"{"id": "o1", "schema": "Ownership", "properties": {"owner": ["p"], "asset": ["nowhere"]}}"#,
            #"{"id": "o2", "schema": "Ownership", "properties": {"owner": ["p"], "asset": ["q"], "startDate": ["soon"]}}"#,
            #"{"id": "q", "schema": "Company", "properties": {"name": ["Q"], "parent": ["p"]}}"#,
        ])
        let graph = try decoded.get()
        #expect(graph.entities[EntityID("o1")]?.kind == "ownership")
        #expect(graph.relations[RelationID("o1/owner")]?.target == "p")
        #expect(graph.relations[RelationID("o2")]?.since == nil)
        #expect(graph.relations[RelationID("q/parent")]?.type == "partOf")
        let warnings = decoded.warnings.map { "\($0.line ?? 0) \($0.code)" }
        #expect(warnings.contains("2 unknownEntity"))
        #expect(warnings.contains("3 invalidDate"))
        #expect(decoded.warnings.contains { $0.message.contains("1 entity reference") })
    }

    @Test func aSanctionByAnAuthorityInTheFileIsARelation() throws {
        let graph = try Self.decode([
            #"{"id": "uk", "schema": "PublicBody", "caption": "UK Treasury", "properties": {"name": ["UK Treasury"]}}"#,
            #"{"id": "z", "schema": "Company", "properties": {"name": ["Zala"]}}"#,
            #"{"id": "s", "schema": "Sanction", "properties": {"authority": ["uk treasury"], "entity": ["z"], "startDate": ["2022-03-15T10:00:00"], "endDate": ["2023"]}}"#,
        ]).get()
        let relation = try #require(graph.relations[RelationID("s")])
        #expect(relation.type == "sanctions")
        #expect(relation.source == "uk")
        #expect(relation.target == "z")
        #expect(relation.since == PartialDate("2022-03-15"))
        #expect(relation.until == PartialDate("2023"))
        #expect(graph.entities[EntityID("s")] == nil)
    }

    @Test func fragmentsOfOneEntityAreMerged() throws {
        let decoded = Self.decode([
            #"{"id": "a", "schema": "Person", "properties": {"name": ["A"], "country": ["ru"]}}"#,
            #"{"id": "a", "schema": "Person", "properties": {"name": ["A", "Alias"], "country": ["by"]}}"#,
        ])
        let entity = try #require(try decoded.get().entities[EntityID("a")])
        #expect(entity.aliases == ["Alias"])
        #expect(entity.attributes["country"] == ["ru", "by"])
        #expect(decoded.warnings.count == 1)
    }

    @Test func limitsAreKept() {
        let lines = (0..<5).map { #"{"id": "e\#($0)", "schema": "Person"}"# }
        let decoded = Self.decode(lines, limits: ReadLimits(maximumEntities: 2, maximumRelations: 1))
        #expect(decoded.graph == nil)
        #expect(decoded.errors.map(\.code) == [.limitExceeded])
        let long = Self.decode(
            [#"{"id": "a", "schema": "Person", "properties": {"name": ["\#(String(repeating: "x", count: 40))"]}}"#],
            limits: ReadLimits(maximumStringBytes: 16))
        #expect(long.errors.map(\.path) == ["$.properties.name[0]"])
        #expect(
            FtMReader.decode(Array("{}".utf8), limits: ReadLimits(maximumBytes: 1)).errors.map(\.code) == [
                .limitExceeded
            ])
    }
}

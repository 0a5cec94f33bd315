import Foundation
import Testing

@testable import EntityGraph

/// The FollowTheMoney writer: what was read from FtM is written back exactly (through the JSON
/// document too), and native graphs get schemata from their kinds and relation types.
@Suite("FtM writer")
struct FtMExportTests {
    @Test(
        .enabled(if: FtMReaderTests.hasCorpus, "no corpus at ../shared/corpus/ftm"),
        arguments: FtMReaderTests.fixtures)
    func roundTripThroughTheDocumentGivesBackEveryObject(name: String) throws {
        let (graph, objects) = try FtMReaderTests.read(name)
        let document = GraphDocument.write(graph)
        let issues = GraphDocument.validate(document, fileName: "copy.json")
        #expect(issues.filter { $0.severity == .error }.isEmpty, "\(issues.map(\.description))")
        let copy = try GraphDocument.read(document)
        let result = copy.export(as: .ftm)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(result == graph.export(as: .ftm))
        let written = try FtMReaderTests.objects(result.text)
        #expect(written.count == objects.count)
        let byID = Dictionary(uniqueKeysWithValues: written.map { ($0["id"] as? String ?? "", $0) })
        for original in objects {
            let id = try #require(original["id"] as? String)
            let back = try #require(byID[id], "\(id) was not written")
            #expect(try FtMReaderTests.canonical(back) == FtMReaderTests.canonical(original), "\(id) changed")
            #expect(back["schema"] as? String == original["schema"] as? String)
            #expect(FtMReaderTests.properties(back) == FtMReaderTests.properties(original))
        }
    }

    @Test func anEdgeKeptAsAnEntityIsWrittenBackAsAnEdge() throws {
        let graph = try FtMReaderTests.decode([
            #"{"id": "p", "schema": "Person", "properties": {"name": ["P"]}}"#,
            #"{"id": "o1", "schema": "Ownership", "properties": {"owner": ["p"], "asset": ["nowhere"]}}"#,
            #"{"id": "o2", "schema": "Ownership", "properties": {"owner": ["p"], "asset": ["q"]}}"#,
            #"{"id": "q", "schema": "Company", "properties": {"name": ["Q"], "parent": ["p"]}}"#,
        ]).get()
        let back = try FtMReaderTests.objects(graph.export(as: .ftm).text)
        #expect(back.map { $0["id"] as? String } == ["p", "o1", "q", "o2"])
        #expect(back[1]["schema"] as? String == "Ownership")
        #expect(FtMReaderTests.properties(back[2]) == ["name": ["Q"], "parent": ["p"]])
    }

    @Test func nativeGraphsGetSchemataFromKindsAndTypes() throws {
        let seed = try InteropFixtures.seed()
        let result = seed.export(as: .ftm)
        let objects = try FtMReaderTests.objects(result.text)
        let relations = seed.relations.values
        #expect(objects.count == seed.entities.count + relations.count)
        let allowed: Set<String> = [
            "Person", "Organization", "PublicBody", "RealEstate", "Address", "Event", "LegalEntity", "Ownership",
            "Membership", "UnknownLink", "Sanction",
        ]
        for object in objects {
            let schema = try #require(object["schema"] as? String)
            #expect(allowed.contains(schema), "\(schema)")
            let props = FtMReaderTests.properties(object)
            switch schema {
            case "UnknownLink": #expect(props["subject"]?.count == 1 && props["object"]?.count == 1)
            case "Sanction": #expect(props["entity"]?.count == 1 && props["authority"]?.count == 1)
            case "Ownership": #expect(props["owner"]?.count == 1 && props["asset"]?.count == 1)
            default: break
            }
        }
        for (entity, object) in zip(seed.entities.values, objects) {
            #expect(object["id"] as? String == entity.id.rawValue)
            #expect(FtMReaderTests.properties(object)["name"] == [entity.name])
        }
        #expect(result.warnings.contains { $0.contains("only their URLs are kept") })
    }

    @Test func idsFtMCannotCarryAreRespelledUniquelyAndReferencesFollow() throws {
        var graph = Graph()
        try graph.add(Entity(id: "x a", name: "X", kind: .person))
        try graph.add(Entity(id: "x-a", name: "Y", kind: .organization))
        try graph.add(Relation(id: "x-a", type: "owns", source: "x a", target: "x-a"))
        let result = graph.export(as: .ftm)
        let objects = try FtMReaderTests.objects(result.text)
        #expect(objects.map { $0["id"] as? String } == ["x-a-2", "x-a", "x-a-3"])
        #expect(FtMReaderTests.properties(objects[2]) == ["owner": ["x-a-2"], "asset": ["x-a"]])
        #expect(result.warnings.contains { $0.contains("2 ids respelled: 'x a' → 'x-a-2', 'x-a' → 'x-a-3'") })
    }
}

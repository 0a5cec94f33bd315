import EntityGraph
import Foundation
import Testing

/// The readers' limits: each broken limit is one `limitExceeded` error that names the limit, at the
/// place it was broken, and nothing more is read.
@Suite("Read limits")
struct ReadLimitsTests {
    static let seed = try! Array(Data(contentsOf: DocumentTestSupport.seedURL))

    func entitiesDocument(_ count: Int, relations: Int = 0) -> [UInt8] {
        var text = #"{"formatVersion": 1, "entities": ["#
        text += (0..<count).map { #"{"id": "e\#($0)", "kind": "person", "name": "E \#($0)"}"# }.joined(separator: ", ")
        text += #"], "relations": ["#
        text += (0..<relations).map { #"{"id": "r\#($0)", "type": "spokeWith", "source": "e0", "target": "e1"}"# }
            .joined(separator: ", ")
        return Array((text + "]}").utf8)
    }

    @Test("the defaults read the seed graph and a 50k-entity document")
    func defaultsAreGenerous() throws {
        #expect(try GraphDocument.read(Self.seed).entities.count == 49)
        #expect(try GraphDocument.read(entitiesDocument(50_000, relations: 10)).entities.count == 50_000)
        #expect(ReadLimits.standard.maximumNestingDepth == GraphDocument.maximumNestingDepth)
    }

    @Test("JSON: input bytes, refused before parsing")
    func jsonBytes() throws {
        try #require(Self.seed.count > 10_000)
        let decoded = GraphDocument.decode(
            Self.seed, fileName: "seed.json", limits: ReadLimits(maximumBytes: 10_000))
        #expect(decoded.graph == nil)
        let issue = try #require(decoded.issues.first)
        #expect(decoded.issues.count == 1)
        #expect(issue.code == ValidationIssue.Code.limitExceeded)
        #expect(issue.message == "the input is \(Self.seed.count) bytes; ReadLimits.maximumBytes is 10000")
        #expect(issue.description.hasPrefix("seed.json: error:"))
        // Exactly at the limit is fine.
        #expect(GraphDocument.decode(Self.seed, limits: ReadLimits(maximumBytes: Self.seed.count)).graph != nil)
    }

    @Test("JSON: a file over the byte limit is refused by its size")
    func jsonFileBytes() throws {
        let decoded = GraphDocument.decode(
            contentsOf: DocumentTestSupport.seedURL, limits: ReadLimits(maximumBytes: 1_000))
        let issue = try #require(decoded.issues.first)
        #expect(issue.code == .limitExceeded)
        #expect(issue.message.contains("ReadLimits.maximumBytes is 1000"))
        #expect(issue.fileName?.hasSuffix("zelensky-lukashenko-mozyr.json") == true)
    }

    @Test("JSON: entities and relations, stopped at the first item over the limit")
    func jsonCounts() throws {
        let document = entitiesDocument(20, relations: 30)
        let entities = GraphDocument.decode(document, limits: ReadLimits(maximumEntities: 10))
        #expect(entities.issues.count == 1)
        let tooMany = try #require(entities.issues.first)
        #expect(tooMany.code == .limitExceeded)
        #expect(tooMany.message == "more than 10 entities; ReadLimits.maximumEntities is 10")
        #expect(tooMany.path == "$.entities[10]")

        let relations = GraphDocument.decode(document, limits: ReadLimits(maximumRelations: 29))
        #expect(relations.issues.map(\.message) == ["more than 29 relations; ReadLimits.maximumRelations is 29"])
        #expect(relations.issues.first?.path == "$.relations[29]")

        let exact = GraphDocument.decode(document, limits: ReadLimits(maximumEntities: 20, maximumRelations: 30))
        #expect(exact.graph?.relations.count == 30)
    }

    @Test("JSON: string length, keys and values alike, with line and column")
    func jsonStrings() throws {
        let text =
            "{\"formatVersion\": 1,\n \"entities\": [{\"id\": \"a\", \"kind\": \"person\", \"name\": \"\(String(repeating: "x", count: 200))\"}]}"
        let decoded = GraphDocument.decode(Array(text.utf8), limits: ReadLimits(maximumStringBytes: 100))
        let issue = try #require(decoded.issues.first)
        #expect(decoded.issues.count == 1)
        #expect(issue.code == .limitExceeded)
        #expect(issue.message == "a string of 200 bytes; ReadLimits.maximumStringBytes is 100")
        #expect(issue.line == 2)
        #expect(issue.path == "$.entities[0].name")

        let key = #"{"formatVersion": 1, "entities": [], "attributes": {"\#(String(repeating: "k", count: 101))": 1}}"#
        #expect(
            GraphDocument.decode(Array(key.utf8), limits: ReadLimits(maximumStringBytes: 100)).issues.first?.code
                == .limitExceeded)
    }

    @Test("JSON: the nesting limit can be set")
    func jsonNesting() throws {
        let text = #"{"formatVersion": 1, "entities": [], "attributes": {"a": [[[[[[1]]]]]]}}"#
        #expect(GraphDocument.decode(Array(text.utf8)).graph != nil)
        let issue = try #require(
            GraphDocument.decode(Array(text.utf8), limits: ReadLimits(maximumNestingDepth: 5)).issues.first)
        #expect(issue.code == .nestingTooDeep)
        #expect(issue.message.contains("ReadLimits.maximumNestingDepth"))
    }

    @Test("CSV: bytes per file, rows and field length")
    func csv() throws {
        let nodes = Array("id,name,kind\n".utf8) + (0..<12).flatMap { Array("n\($0),Node \($0),person\n".utf8) }
        let edges = Array("source,target,type\nn0,n1,metWith\nn1,n2,metWith\n".utf8)
        #expect(try CSVSheets.read(nodes: nodes, edges: edges).entities.count == 12)

        let bytes = CSVSheets.decode(nodes: nodes, edges: edges, limits: ReadLimits(maximumBytes: 100))
        #expect(bytes.issues.map(\.code) == [.limitExceeded])
        #expect(bytes.issues.first?.fileName == "nodes.csv")
        #expect(bytes.issues.first?.message == "the input is \(nodes.count) bytes; ReadLimits.maximumBytes is 100")

        let rows = CSVSheets.decode(nodes: nodes, edges: edges, limits: ReadLimits(maximumEntities: 10))
        let row = try #require(rows.issues.first)
        #expect(rows.issues.count == 1)
        #expect(row.message == "more than 10 rows of entities; ReadLimits.maximumEntities is 10")
        #expect(row.line == 12)
        #expect(row.fileName == "nodes.csv")

        let relations = CSVSheets.decode(nodes: nodes, edges: edges, limits: ReadLimits(maximumRelations: 1))
        #expect(relations.issues.map(\.fileName) == ["edges.csv"])
        #expect(relations.issues.first?.line == 3)

        let long = Array("id,name\nn0,\(String(repeating: "y", count: 64))\n".utf8)
        let field = CSVSheets.decode(nodes: long, edges: edges, limits: ReadLimits(maximumStringBytes: 63))
        let fieldIssue = try #require(field.issues.first)
        #expect(fieldIssue.message == "a field of 64 bytes; ReadLimits.maximumStringBytes is 63")
        #expect((fieldIssue.line, fieldIssue.column) == (2, 4))
    }

    @Test("CSV: files over the byte limit are refused by their size")
    func csvFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("id,name\na,A\n".utf8).write(to: folder.appendingPathComponent("nodes.csv"))
        try Data(("source,target\n" + String(repeating: "a,a\n", count: 100)).utf8)
            .write(to: folder.appendingPathComponent("edges.csv"))
        let decoded = CSVSheets.decode(folder: folder, limits: ReadLimits(maximumBytes: 100))
        #expect(decoded.issues.count == 1)
        #expect(decoded.issues.first?.code == .limitExceeded)
        #expect(decoded.issues.first?.fileName?.hasSuffix("edges.csv") == true)
        #expect(try CSVSheets.read(folder: folder).relations.count == 100)
    }
}

import Foundation
import Testing

@testable import EntityGraph

/// Attribute keys must come back exactly from every format that writes them as columns or keys:
/// keys that differ only in case, keys named like a fixed field, keys that look like the writers'
/// `attr.` escape.
@Suite struct AttributeColumnsTests {
    /// Keys a real sheet or merged dataset holds side by side.
    static let pool = [
        "Country", "country", "COUNTRY", "weight", "Weight", "WEIGHT", "attr.x", "ATTR.x", "attr.attr.x", "x",
        "Attr.Country", "name", "Name", "kind", "type", "id", "source", "url", "Source URL", "since", " padded",
        "label", "start", "certainty", "assertedBy", "asserted by", "Aliases", "description", "page",
    ]

    static func graph(entityKeys: [[String]], relationKeys: [[String]]) throws -> Graph {
        var graph = Graph()
        for (index, keys) in entityKeys.enumerated() {
            var attributes = Attributes()
            for (position, key) in keys.enumerated() { attributes[key] = .string("e\(index)v\(position)") }
            try graph.add(Entity(id: EntityID("e\(index)"), name: "E\(index)", kind: .person, attributes: attributes))
        }
        for (index, keys) in relationKeys.enumerated() {
            var attributes = Attributes()
            for (position, key) in keys.enumerated() { attributes[key] = .string("r\(index)v\(position)") }
            try graph.add(
                Relation(
                    id: RelationID("r\(index)"), type: "leads", source: "e0", target: EntityID("e\(index % 2)"),
                    attributes: attributes))
        }
        return graph
    }

    static func readBack(_ graph: Graph, as format: InteropFormat) throws -> Graph {
        let files = graph.export(as: format).files
        switch format {
        case .csv: return try CSVSheets.read(nodes: files[0].bytes, edges: files[1].bytes)
        case .graphml: return try GraphMLReader.read(files[0].bytes)
        case .gexf: return try GEXFReader.read(files[0].bytes)
        default: fatalError("not a format this test reads")
        }
    }

    static func plain(_ attributes: Attributes) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: attributes.map { ($0.key, $0.value) })
    }

    /// Keys and values, not their order: a sheet has one column order for every row.
    static func expectSameAttributes(_ back: Graph, _ graph: Graph, _ context: String) {
        for entity in graph.entities.values {
            #expect(
                back.entities[entity.id].map { plain($0.attributes) } == plain(entity.attributes),
                "\(context): entity \(entity.id)")
        }
        for relation in graph.relations.values {
            #expect(
                back.relations[relation.id].map { plain($0.attributes) } == plain(relation.attributes),
                "\(context): relation \(relation.id)")
        }
    }

    @Test(arguments: [InteropFormat.csv, .graphml, .gexf])
    func keysThatDifferOnlyInCaseComeBack(format: InteropFormat) throws {
        let graph = try Self.graph(
            entityKeys: [["Country", "country", "attr.x"], ["COUNTRY"]],
            relationKeys: [["Weight", "weight"], ["WEIGHT"]])
        Self.expectSameAttributes(try Self.readBack(graph, as: format), graph, "\(format)")
    }

    @Test(arguments: [InteropFormat.csv, .graphml, .gexf])
    func generatedKeySetsComeBack(format: InteropFormat) throws {
        var random = SplitMix64(seed: 0xC0_1D_CA5E)
        for round in 0..<60 {
            func keys() -> [String] {
                Array(
                    Set(
                        (0..<Int.random(in: 0...6, using: &random)).map { _ in Self.pool.randomElement(using: &random)!
                        })
                )
                .sorted()
            }
            let graph = try Self.graph(
                entityKeys: (0..<3).map { _ in keys() }, relationKeys: (0..<3).map { _ in keys() })
            Self.expectSameAttributes(try Self.readBack(graph, as: format), graph, "\(format) round \(round)")
        }
    }

    @Test func sheetColumnsThatDifferInCaseAreTwoAttributesUnlessTheyNameARole() throws {
        let graph = try CSVSheets.read(
            nodes: Array("id,name,Country,country\na,A,UA,BY\n".utf8), edges: Array("source,target\n".utf8))
        #expect(graph.entities["a"]?.attributes == ["Country": "UA", "country": "BY"])
        let ambiguous = CSVSheets.decode(
            nodes: Array("id,Name,NAME\na,A,B\n".utf8), edges: Array("source,target\n".utf8))
        #expect(ambiguous.issues.map(\.code) == [.duplicateColumn])
        #expect(ambiguous.issues.first?.message.contains("'NAME' appears twice") == true)
    }

    /// Text that looks like JSON stays text, and values of no single type come back with their
    /// types, through both XML formats; a file without the writers' marker is never read as JSON.
    @Test(arguments: [InteropFormat.graphml, .gexf])
    func textThatLooksLikeJSONStaysText(format: InteropFormat) throws {
        var graph = Graph()
        try graph.add(
            Entity(
                id: "a", name: "A", kind: .person,
                attributes: ["note": "null", "list": "[1,2]", "mixed": [1, "x"], "odd": "{\"k\": 1}"]))
        try graph.add(
            Entity(id: "b", name: "B", kind: .person, attributes: ["note": "plain", "mixed": "[1,2]", "odd": .null]))
        try graph.add(Relation(id: "r", type: "leads", source: "a", target: "b", attributes: ["x": "null", "y": 2]))
        try graph.add(Relation(id: "s", type: "leads", source: "b", target: "a", attributes: ["y": "two"]))
        let back = try Self.readBack(graph, as: format)
        Self.expectSameAttributes(back, graph, "\(format)")
        let text = String(decoding: graph.export(as: format).files[0].bytes, as: UTF8.self)
        let unmarked = text.replacingOccurrences(of: " \(XMLKey.jsonMarker)=\"true\"", with: "")
        #expect(unmarked != text)
        let plain =
            try format == .graphml ? GraphMLReader.read(Array(unmarked.utf8)) : GEXFReader.read(Array(unmarked.utf8))
        #expect(plain.entities["a"]?.attributes["mixed"] == #"[1,"x"]"#)
        #expect(plain.entities["a"]?.attributes["note"] == "null")
    }
}

import EntityGraph
import EntityGraphviz
import Foundation
import Testing

/// ``DOTExport`` → ``DOTImport`` gives back the same entities and relations, and Graphviz's own tools
/// read the export.
@Suite("DOTImport round trip with DOTExport")
struct DOTImportRoundTripTests {
    /// A graph with every field, awkward ids and names, JSON attributes, parallel edges and a self-loop.
    static func richGraph(directed: Bool = true) throws -> Graph {
        var graph = Graph(title: "Round trip", attributes: ["source": "test", "version": 3])
        if !directed { graph.attributes["directed"] = false }
        try graph.declare(Kind(id: "militaryUnit", label: "Military unit"))
        try graph.declare(RelationType(id: "apologizedTo", label: "apologized to"))
        try graph.add(
            Entity(
                id: "lukashenko", name: "Alexander Lukashenko", kind: .person,
                aliases: ["Lukashenka", "Лукашенко"], description: "President of Belarus.",
                attributes: [
                    "born": 1954, "height": 1.85, "active": true, "note": nil,
                    "tags": ["a", 1, ["nested": "x"]], "color": "red",
                ]))
        try graph.add(Entity(id: "zelensky", name: "Volodymyr \"Vova\" Zelensky", kind: .person))
        try graph.add(Entity(id: "node", name: "C:\\orders\\new & \\N\nsecond line", kind: .organization))
        try graph.add(Entity(id: "a b", name: "A b", kind: "militaryUnit", attributes: ["label": "<b>kept</b>"]))
        try graph.add(Entity(id: "-5", name: "ends with a backslash \\", kind: .place))
        try graph.add(Entity(id: "graph", name: "日本語 🇺🇦", kind: .state, attributes: ["kind": "ignored: the field wins"]))
        // Relations of an undirected graph carry `directed: false`, as an import gives them.
        func marked(_ attributes: Attributes) -> Attributes {
            var attributes = attributes
            if !directed { attributes["directed"] = false }
            return attributes
        }
        try graph.add(
            Relation(
                id: "r1", type: "apologizedTo", source: "lukashenko", target: "zelensky",
                since: PartialDate("2022-10"), until: PartialDate("2023"), certainty: .claimed,
                assertedBy: "zelensky", attributes: marked(["weight": 2, "where": "phone"])))
        try graph.add(
            Relation(
                id: "r2", type: "spokeWith", source: "lukashenko", target: "zelensky",
                attributes: marked([:])))
        try graph.add(
            Relation(
                id: "r2 parallel", type: "spokeWith", source: "lukashenko", target: "zelensky",
                certainty: .disputed, attributes: marked([:])))
        try graph.add(Relation(id: "e1", type: "relatedTo", source: "node", target: "node", attributes: marked([:])))
        try graph.add(Relation(id: "subgraph", type: "memberOf", source: "a b", target: "-5", attributes: marked([:])))
        return graph
    }

    /// Entities (in order) and relations (by id: agwrite writes each node's edges together, so relations
    /// come back grouped by source) without what DOT does not carry (citations).
    /// Attributes in name order: agwrite writes them sorted by name, so their order is not kept.
    static func content(_ graph: Graph) -> ([Entity], [RelationID: Relation]) {
        func sorted(_ attributes: Attributes) -> Attributes {
            Attributes(uniqueKeysWithValues: attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
        let entities = graph.entities.values.map { entity in
            var entity = entity
            entity.sources = []
            entity.attributes = sorted(entity.attributes)
            return entity
        }
        let relations = graph.relations.values.map { relation in
            var relation = relation
            relation.sources = []
            relation.attributes = sorted(relation.attributes)
            return (relation.id, relation)
        }
        return (entities, Dictionary(uniqueKeysWithValues: relations))
    }

    @Test("export then import gives back the same entities and relations")
    func roundTrip() throws {
        let graph = try Self.richGraph()
        let data = try DOTExport.write(graph)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("digraph \"Round trip\" {"))
        let back = try DOTImport.read(data)
        let (entities, relations) = Self.content(graph)
        let (backEntities, backRelations) = Self.content(back)
        #expect(backEntities.count == entities.count)
        for (original, read) in zip(entities, backEntities) {
            var expected = original
            expected.attributes.removeValue(forKey: "kind")  // the field wins over the attribute
            #expect(read == expected)
        }
        #expect(backRelations == relations)
        #expect(back.title == "Round trip")
        #expect(
            Dictionary(uniqueKeysWithValues: back.attributes.map { ($0.key, $0.value) })
                == Dictionary(uniqueKeysWithValues: graph.attributes.map { ($0.key, $0.value) }))
        #expect(back.kind("militaryUnit") != nil && back.relationType("apologizedTo") != nil)
        // A second trip is byte-identical.
        #expect(try DOTExport.write(back) == DOTExport.write(try DOTImport.read(DOTExport.write(back))))
    }

    @Test("the export carries fields as attributes, keys as edge keys, and no hand-written DOT")
    func exportShape() throws {
        let back = try DOTImport.read(
            DOTExport.write(try Self.richGraph()),
            options: {
                var options = DOTImportOptions()
                options.defaultKind = .event
                return options
            }())
        #expect(Set(back.relations.keys.map(\.rawValue)) == ["r1", "r2", "r2 parallel", "e1", "subgraph"])
        #expect(back.entities["lukashenko"]?.kind == .person)
        let text = String(decoding: try DOTExport.write(try Self.richGraph()), as: UTF8.self)
        #expect(text.contains("kind=person"))
        #expect(text.contains("type=apologizedTo"))
        #expect(text.contains("since=\"2022-10\""))
        #expect(text.contains("certainty=claimed"))
        #expect(text.contains("assertedBy=zelensky"))
        #expect(text.contains("key=r1"))
        // A label draws a backslash as `\\` (escString), never as `&#92;`, which Graphviz decodes first.
        #expect(text.contains(#"label="C:\\orders\\new &amp; \\N\nsecond line""#))
        #expect(!text.contains("&#92;"))
    }

    @Test("undirected and strict graphs keep their descriptor")
    func undirected() throws {
        var graph = Graph(attributes: ["directed": false, "strict": true])
        try graph.add(Entity(id: "a", name: "A", kind: .person))
        try graph.add(Entity(id: "b", name: "B", kind: .person))
        try graph.add(Relation(id: "r", type: "alliedWith", source: "a", target: "b", attributes: ["directed": false]))
        let text = String(decoding: try DOTExport.write(graph), as: UTF8.self)
        #expect(text.hasPrefix("strict graph {"))
        let back = try DOTImport.read(text)
        #expect(back.attributes == graph.attributes)
        #expect(Self.content(back).1 == Self.content(graph).1)

        // Parallel relations cannot live in a strict graph: the export drops `strict` rather than a relation.
        try graph.add(Relation(id: "r2", type: "alliedWith", source: "b", target: "a", attributes: ["directed": false]))
        let parallel = String(decoding: try DOTExport.write(graph), as: UTF8.self)
        #expect(parallel.hasPrefix("graph {"))
        #expect(try DOTImport.read(parallel).relations.count == 2)
    }

    @Test("an empty graph exports and reads back empty")
    func emptyGraph() throws {
        let text = String(decoding: try DOTExport.write(Graph()), as: UTF8.self)
        #expect(text.hasPrefix("digraph {"))
        let back = try DOTImport.read(text)
        #expect(back.entities.isEmpty && back.relations.isEmpty && back.title == nil)
    }

    /// Strings DOT's scanner or cgraph's writer mishandle: backslash runs before a quote, a line break
    /// or the end; NUL; `%` (the escape character); JSON with quotes; long lines agwrite splits.
    static let hazards: [String] = [
        "say \"hi\"", "back\\\"slash", "C:\\temp\\", "C:\\temp\\new", "odd\\\\\\", "line\\\nbreak",
        "x\u{0}a", "x", "100% %25 %5C %00 %zz", "\\N \\G \\n \\l", "&amp; &#92; &lt;",
        "cr\r\nlf\rend\u{1B}[31m\u{7}", String(repeating: "a\\ ", count: 90),
        String(repeating: "\\", count: 301), String(repeating: "é\\\"", count: 70),
    ]

    @Test("hazardous strings in ids, names, aliases, descriptions and attributes read back exactly")
    func hazardousStringsRoundTrip() throws {
        var graph = Graph(title: "title \\\" with %00 and \\")
        for (index, text) in Self.hazards.enumerated() {
            try graph.add(
                Entity(
                    id: EntityID(text), name: Self.hazards[(index + 1) % Self.hazards.count], kind: .person,
                    aliases: [text, "say \"hi\""], description: Self.hazards[(index + 2) % Self.hazards.count],
                    attributes: ["note": .string(text), "list": ["x", .string(text)], "percentEncoded": "mine"]))
        }
        for (index, text) in Self.hazards.enumerated() {
            try graph.add(
                Relation(
                    id: RelationID(text + "-r"), type: "spokeWith", source: EntityID(text),
                    target: EntityID(Self.hazards[(index + 3) % Self.hazards.count]),
                    attributes: ["note": .string(text)]))
        }
        let output = try DOTExport.export(graph)
        let back = try DOTImport.read(output.data)
        let (entities, relations) = Self.content(graph)
        let (backEntities, backRelations) = Self.content(back)
        #expect(backEntities.count == entities.count, "entities merged or lost")
        for (original, read) in zip(entities, backEntities) {
            var expected = original
            expected.attributes.removeValue(forKey: "percentEncoded")  // a marker name: not written
            #expect(read == expected, "\(original.id.rawValue.debugDescription)")
        }
        #expect(backRelations == relations)
        #expect(back.title == graph.title)
        // Each escape is a warning naming the entity and field.
        #expect(output.warnings.contains { $0.contains("entity 'x\u{0}a'") && $0.contains("'entityID'") })
        #expect(!output.warnings.contains { $0.contains("entity 'x'") })
        // Graphviz's parser reads it (gc and dot are checked by the consumer tests).
        let text = String(decoding: output.data, as: UTF8.self)
        #expect(!text.contains("\u{0}"))
    }

    @Test("the hostile-strings fixture reads back exactly, and each escape is a warning")
    func hostileFixtureRoundTrip() throws {
        let url = DOTImportCorpusTests.repositoryRoot.appendingPathComponent("Tests/Fixtures/hostile-strings.json")
        let graph = try GraphDocument.read(contentsOf: url)
        let output = try DOTExport.export(graph)
        let back = try DOTImport.read(output.data)
        #expect(Self.content(back).0 == Self.content(graph).0)
        #expect(Self.content(back).1 == Self.content(graph).1)
        #expect(back.title == graph.title)
        #expect(output.warnings.contains { $0.contains("is written with %-escapes") })
        #expect(!output.warnings.isEmpty && output.warnings.allSatisfy { $0.hasPrefix("DOT: ") })
    }

    @Test("generated strings of backslashes, quotes, line breaks and NULs round-trip at every length")
    func generatedStringsRoundTrip() throws {
        var random = SplitMix64(seed: 16)
        let alphabet: [Character] = ["\\", "\\", "\"", "\n", "\r", "\u{0}", "%", "a", "Z", " ", "é", "{", ";", "&"]
        for round in 0..<100 {
            var graph = Graph()
            for index in 0..<8 {
                let length = Int(random.next() % 400)
                let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
                try graph.add(
                    Entity(
                        id: EntityID("e\(index)" + text.prefix(Int(random.next() % 20))), name: "n" + text,
                        kind: .place, description: text, attributes: ["v": .string(text)]))
            }
            let back = try DOTImport.read(DOTExport.write(graph))
            #expect(Self.content(back).0 == Self.content(graph).0, "round \(round)")
        }
    }

    @Test("fixture files survive import → export → import")
    func fixtures() throws {
        let manifest = try DOTImportCorpusTests.Manifest.load(
            DOTImportCorpusTests.fixtures.appendingPathComponent("fixtures.json"))
        var checked = 0
        for entry in manifest.files where entry.parse_ok {
            let url = DOTImportCorpusTests.fixtures.appendingPathComponent(entry.file)
            var latin1 = DOTImportOptions()
            latin1.invalidUTF8 = .readAsLatin1
            for graph in try DOTImport.readAll(contentsOf: url, options: latin1) {
                let back = try DOTImport.read(DOTExport.write(graph))
                #expect(Self.content(back).0 == Self.content(graph).0, "\(entry.file)")
                #expect(Self.content(back).1 == Self.content(graph).1, "\(entry.file)")
                checked += 1
            }
        }
        #expect(checked >= 25)
    }

    static let gc = ["/usr/bin/gc", "/usr/local/bin/gc", "/opt/homebrew/bin/gc"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(
        "Graphviz's own gc reads the export with the same node and edge counts",
        .enabled(if: gc != nil, "Graphviz's gc tool is not installed (apt-get install graphviz)"))
    func graphvizReadsExport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("DOTExport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, graph) in [try Self.richGraph(), try Self.richGraph(directed: false)].enumerated() {
            let file = folder.appendingPathComponent("export\(index).gv")
            try DOTExport.write(graph).write(to: file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Self.gc))
            process.arguments = ["-n", "-e", file.path]
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(complaints.isEmpty)
            // "      6 nodes       5 edges Round trip"
            let numbers = printed.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            #expect(Array(numbers.prefix(2)) == [graph.entities.count, graph.relations.count], "\(printed)")
        }
    }
}

import Foundation
import Testing

@testable import EntityGraph

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Graphs for the interop tests.
enum InteropFixtures {
    /// Strings that break naive exporters.
    static let hostile: [String] = [
        "quote \" and ' apostrophe",
        "back\\slash C:\\orders\\new \\n",
        "line1\nline2\r\nline3\rend",
        "<script>alert(1)</script>",
        "]]> and --> and <!-- comment -->",
        "مرحبا بالعالم \u{202E}evil\u{202C} RTL",
        "emoji 🇺🇦 👩‍👩‍👧 ✊🏽",
        "zero\u{200B}width\u{200D}joiner\u{FEFF}",
        "nul\u{0}byte \u{1} \u{1F} bell\u{7}",
        "#quot; & &amp; `tick` |pipe| ; %% {b} [x] (y) <br>",
        "tab\there \u{2028}sep\u{2029}",
        "\u{FFFE}\u{FFFF} noncharacters",
    ]

    /// A graph whose every user string is hostile: names, aliases, descriptions, attribute keys and
    /// values, kinds, relation types, the title.
    static func hostileGraph() -> Graph {
        var graph = Graph(
            title: "Hostile\ntitle MATCH (n) DETACH DELETE n //", description: hostile[3],
            attributes: ["note": .string(hostile[4])])
        try! graph.add(SourceDocument(id: "doc", title: hostile[0], url: "https://example.org/?a=1&b=<2>"))
        try! graph.declare(Kind(id: "militaryUnit", label: "Military unit"))
        try! graph.declare(
            RelationType(
                id: "apologizedTo", label: "apologized to", inverseLabel: "got an apology from",
                category: .communication))
        for (index, text) in hostile.enumerated() {
            let kinds: [KindID] = [.person, .state, .organization, .facility, .place, .event, "militaryUnit"]
            try! graph.add(
                Entity(
                    id: EntityID("e\(index)-x"), name: text, kind: kinds[index % kinds.count],
                    aliases: index % 3 == 0 ? [hostile[(index + 1) % hostile.count], "a|b;c"] : [],
                    description: hostile[(index + 2) % hostile.count],
                    attributes: [
                        "note": .string(text), "name": "colliding key", "count": .integer(Int64(index)),
                        "ratio": .double(Double(index) / 4), "flag": .bool(index % 2 == 0),
                        "list": ["x", .string(text)], "object": ["k": .string(text)],
                    ],
                    sources: [Citation(document: "doc", locator: "¶\(index)")]))
        }
        for index in hostile.indices {
            let types: [RelationTypeID] = ["apologizedTo", "spokeWith", "leads", "opposes"]
            let certainties = Certainty.allCases
            try! graph.add(
                Relation(
                    id: RelationID("r\(index)"), type: types[index % types.count],
                    source: EntityID("e\(index)-x"), target: EntityID("e\((index + 1) % hostile.count)-x"),
                    since: index % 2 == 0 ? PartialDate("2022-02") : nil,
                    until: index % 4 == 0 ? PartialDate("2024") : nil,
                    certainty: certainties[index % certainties.count],
                    assertedBy: index % 3 == 0 ? "e0-x" : nil,
                    sources: [Citation(document: "doc")],
                    attributes: ["note": .string(hostile[(index + 3) % hostile.count]), "type": "colliding key"]))
        }
        return graph
    }

    /// The same as XML carries it: characters XML 1.0 cannot hold become U+FFFD.
    static func xmlSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { isForbiddenInXML($0) ? "\u{FFFD}" : $0 }))
    }

    static func seed() throws -> Graph {
        try GraphDocument.read(contentsOf: DocumentTestSupport.seedURL)
    }
}

/// Collects every element's attributes and text of an XML document, failing when it is not well-formed.
final class XMLCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    private var current = ""

    static func parse(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> XMLCollector {
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        try #require(
            parser.parse(), "not well-formed: \(String(describing: parser.parserError))", sourceLocation: sourceLocation
        )
        return collector
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append((name, attributes))
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || name == "data" { texts.append(current) }
        current = ""
    }
}

/// GraphML, GEXF, Cypher, neo4j-admin CSV and Mermaid exports.
@Suite struct InteropExportTests {
    // MARK: Formats

    @Test func formatsAreChosenByExtensionOrName() {
        #expect(InteropFormat.forPath("a/b.GraphML") == .graphml)
        #expect(InteropFormat.forPath("x.gexf") == .gexf)
        #expect(InteropFormat.forPath("x.cql") == .cypher)
        #expect(InteropFormat.forPath("x.cypher") == .cypher)
        #expect(InteropFormat.forPath("x.mmd") == .mermaid)
        #expect(InteropFormat.forPath("x.mermaid") == .mermaid)
        #expect(InteropFormat.forPath("nodes.csv") == .csv)
        #expect(InteropFormat.forPath("x.json") == nil)
        #expect(InteropFormat.forPath("x") == nil)
        #expect(InteropFormat(name: "neo4j-csv") == .neo4jCSV)
        #expect(InteropFormat(name: "NEO4J") == .neo4jCSV)
        #expect(InteropFormat(name: "mmd") == .mermaid)
        #expect(InteropFormat(name: "xlsx") == nil)
        #expect(InteropFormat.allCases.filter(\.writesFolder) == [.csv, .neo4jCSV])
    }

    @Test(arguments: InteropFormat.allCases)
    func seedGraphExportsDeterministically(format: InteropFormat) throws {
        let seed = try InteropFixtures.seed()
        let first = seed.export(as: format)
        let second = seed.export(as: format)
        #expect(first == second)
        #expect(first.format == format)
        #expect(!first.files.isEmpty)
        #expect(first.files.allSatisfy { !$0.bytes.isEmpty })
        #expect(!first.warnings.isEmpty, "the seed graph has sources, which no exchange format keeps in full")
        for file in first.files {
            #expect(String(validating: file.bytes, as: UTF8.self) != nil)
            #expect(file.text.hasSuffix("\n"))
        }
    }

    @Test(arguments: InteropFormat.allCases)
    func aPlainGraphExportsWithoutWarnings(format: InteropFormat) throws {
        var graph = Graph()
        try graph.add(Entity(id: "a", name: "Alpha", kind: .person))
        try graph.add(Entity(id: "b", name: "Beta", kind: .state))
        try graph.add(Relation(id: "r1", type: "leads", source: "a", target: "b"))
        let result = graph.export(as: format)
        if format == .mermaid {
            #expect(result.warnings == ["Mermaid drops the ids of 1 relation"])
        } else if format == .ftm {
            #expect(result.warnings.count == 1)
            #expect(result.warnings.first?.contains("UnknownLink") == true)
        } else {
            #expect(result.warnings.isEmpty)
        }
    }

    // MARK: GraphML

    @Test func graphMLIsWellFormedAndCarriesEveryHostileString() throws {
        let graph = InteropFixtures.hostileGraph()
        let result = graph.export(as: .graphml)
        let xml = try XMLCollector.parse(result.data)
        let nodes = xml.elements.filter { $0.name == "node" }
        let edges = xml.elements.filter { $0.name == "edge" }
        #expect(nodes.count == graph.entities.count)
        #expect(edges.count == graph.relations.count)
        #expect(nodes.map { $0.attributes["id"] } == graph.entities.keys.map(\.rawValue))
        for text in InteropFixtures.hostile {
            #expect(xml.texts.contains(InteropFixtures.xmlSafe(text)), "lost: \(text.debugDescription)")
        }
        #expect(!result.text.contains("<script>"))
        #expect(!result.text.contains("]]>"))
        let warnings = result.warnings.joined(separator: "\n")
        #expect(warnings.contains("GraphML replaced"))
        #expect(warnings.contains("entity 'e8-x' name"))
        #expect(warnings.contains("entity 'e11-x' name"))
        #expect(warnings.contains("as JSON text"))
    }

    @Test(
        "ids XML cannot carry stay distinct nodes and edges in GraphML and GEXF, each named in a warning",
        arguments: [InteropFormat.graphml, .gexf])
    func xmlIdentifiersNeverCollide(format: InteropFormat) throws {
        var graph = Graph()
        let ids = ["y\u{1}", "y\u{2}", "y\u{FFFD}", "y\u{FFFD} (2)", "\u{FFFE}", "x\u{0}a", "x"]
        for id in ids { try graph.add(Entity(id: EntityID(id), name: "N", kind: .person)) }
        try graph.add(Relation(id: "r\u{1}", type: "spokeWith", source: "y\u{1}", target: "y\u{2}"))
        try graph.add(Relation(id: "r\u{2}", type: "spokeWith", source: "y\u{2}", target: "y\u{1}"))
        let result = graph.export(as: format)
        let xml = try XMLCollector.parse(result.data)
        let nodes = xml.elements.filter { $0.name == "node" }.compactMap { $0.attributes["id"] }
        let edges = xml.elements.filter { $0.name == "edge" }
        #expect(Set(nodes).count == ids.count, "\(nodes)")
        #expect(Set(edges.compactMap { $0.attributes["id"] }).count == 2)
        // Edges join the nodes their relations join.
        let spelled = Dictionary(uniqueKeysWithValues: zip(ids, nodes))
        #expect(edges.first?.attributes["source"] == spelled["y\u{1}"])
        #expect(edges.first?.attributes["target"] == spelled["y\u{2}"])
        let warning = try #require(
            result.warnings.first { $0.contains("cannot carry with U+FFFD, each still its own") })
        #expect(warning.contains("entity 'y\u{2}' as 'y\u{FFFD} (4)'"), "\(warning)")
        #expect(warning.contains("relation 'r\u{2}'"))
    }

    @Test func graphMLDeclaresTypedKeysAndEscapesCollidingNames() throws {
        let graph = InteropFixtures.hostileGraph()
        let xml = try XMLCollector.parse(graph.export(as: .graphml).data)
        let keys = xml.elements.filter { $0.name == "key" }.map { $0.attributes }
        func key(_ domain: String, _ name: String) -> [String: String]? {
            keys.first { $0["for"] == domain && $0["attr.name"] == name }
        }
        #expect(key("node", "count")?["attr.type"] == "long")
        #expect(key("node", "ratio")?["attr.type"] == "double")
        #expect(key("node", "flag")?["attr.type"] == "boolean")
        #expect(key("node", "list")?["attr.type"] == "string")
        #expect(key("node", "name")?["attr.type"] == "string")
        #expect(key("node", "attr.name") != nil)
        #expect(key("edge", "attr.type") != nil)
        #expect(key("graph", "documents") != nil)
        #expect(Set(keys.compactMap { $0["id"] }).count == keys.count)
    }

    // MARK: GEXF

    @Test func gexfIsDynamicWithExpandedDates() throws {
        var graph = Graph()
        try graph.add(Entity(id: "a", name: "A", kind: .person))
        try graph.add(Entity(id: "b", name: "B", kind: .person))
        try graph.add(
            Relation(
                id: "leap", type: "spokeWith", source: "a", target: "b",
                since: PartialDate("2024-02"), until: PartialDate("2024-02")))
        try graph.add(
            Relation(
                id: "year", type: "spokeWith", source: "a", target: "b",
                since: PartialDate("2022"), until: PartialDate("2023")))
        try graph.add(
            Relation(id: "day", type: "spokeWith", source: "a", target: "b", since: PartialDate("2022-10-19")))
        try graph.add(Relation(id: "open", type: "spokeWith", source: "a", target: "b"))
        let xml = try XMLCollector.parse(graph.export(as: .gexf).data)
        let root = try #require(xml.elements.first { $0.name == "gexf" })
        #expect(root.attributes["version"] == "1.3")
        #expect(root.attributes["xmlns"] == "http://gexf.net/1.3")
        let graphElement = try #require(xml.elements.first { $0.name == "graph" })
        #expect(graphElement.attributes["mode"] == "dynamic")
        #expect(graphElement.attributes["timeformat"] == "date")
        let edges = Dictionary(
            uniqueKeysWithValues: xml.elements.filter { $0.name == "edge" }.map {
                ($0.attributes["id"]!, $0.attributes)
            })
        #expect(edges["leap"]?["start"] == "2024-02-01")
        #expect(edges["leap"]?["end"] == "2024-02-29")
        #expect(edges["year"]?["start"] == "2022-01-01")
        #expect(edges["year"]?["end"] == "2023-12-31")
        #expect(edges["day"]?["start"] == "2022-10-19")
        #expect(edges["day"]?["end"] == nil)
        #expect(edges["open"]?["start"] == nil)
        #expect(edges["open"]?["label"] == "spoke with")
    }

    @Test func gexfIsWellFormedAndCarriesEveryHostileString() throws {
        let graph = InteropFixtures.hostileGraph()
        let result = graph.export(as: .gexf)
        let xml = try XMLCollector.parse(result.data)
        let nodes = xml.elements.filter { $0.name == "node" }
        #expect(nodes.map { $0.attributes["label"] } == graph.entities.values.map { InteropFixtures.xmlSafe($0.name) })
        let values = Set(xml.elements.filter { $0.name == "attvalue" }.compactMap { $0.attributes["value"] })
        for text in InteropFixtures.hostile {
            #expect(values.contains(InteropFixtures.xmlSafe(text)), "lost: \(text.debugDescription)")
        }
        let declared = xml.elements.filter { $0.name == "attribute" }
        #expect(declared.contains { $0.attributes["title"] == "count" && $0.attributes["type"] == "long" })
        #expect(xml.elements.first { $0.name == "title" } != nil)
        #expect(!result.text.contains("<script>"))
        let warnings = result.warnings.joined(separator: "\n")
        #expect(warnings.contains("GEXF drops 1 graph attribute"))
        #expect(warnings.contains("GEXF drops 1 source document"))
        #expect(warnings.contains("GEXF replaced"))
    }

    // MARK: Cypher

    @Test func cypherStringsEscapeEverythingSpecial() {
        #expect(CypherNames.string(#"it's "x" \ y"#) == #"'it\'s \"x\" \\ y'"#)
        #expect(CypherNames.string("a\nb\r\nc\td") == #"'a\nb\r\nc\td'"#)
        #expect(CypherNames.string("nul\u{0}\u{1F}\u{7F}\u{2028}") == #"'nul\u0000\u001f\u007f\u2028'"#)
        #expect(CypherNames.string("🇺🇦 مرحبا \u{200B}") == "'🇺🇦 مرحبا \u{200B}'")
        #expect(CypherNames.quotedIdentifier("we`ird key") == "`we``ird key`")
        #expect(CypherNames.comment("a\nMATCH (n) DELETE n\u{2028}x") == "a MATCH (n) DELETE n x")
        #expect(CypherNames.float(1.5e20) == "1.5e20")
        #expect(CypherNames.literal(.integer(.min)) == "(-9223372036854775807 - 1)")
        #expect(CypherNames.literal(["a", "b"]) == "['a', 'b']")
        #expect(CypherNames.literal([1, 2.5]) == "[1.0, 2.5]")
        #expect(CypherNames.literal(["a", 1]) == nil)
        #expect(CypherNames.literal(["k": 1]) == nil)
        #expect(CypherNames.literal(nil) == nil)
    }

    @Test func cypherLabelsAndTypesAreSanitized() {
        #expect(CypherNames.label(forKind: "person") == "Person")
        #expect(CypherNames.label(forKind: "militaryUnit") == "MilitaryUnit")
        #expect(CypherNames.label(forKind: "think-tank`) DELETE") == "ThinkTankDELETE")
        #expect(CypherNames.label(forKind: "9lives") == "K9lives")
        #expect(CypherNames.label(forKind: "лук") == "Kind")
        #expect(CypherNames.relationshipType(for: "apologizedTo") == "APOLOGIZED_TO")
        #expect(CypherNames.relationshipType(for: "memberOf") == "MEMBER_OF")
        #expect(
            CypherNames.relationshipType(for: "agreedToHostNuclearWeaponsOf") == "AGREED_TO_HOST_NUCLEAR_WEAPONS_OF")
        #expect(CypherNames.relationshipType(for: "bought fuel-from`]") == "BOUGHT_FUEL_FROM")
        #expect(CypherNames.relationshipType(for: "2x") == "T_2X")
        #expect(CypherNames.relationshipType(for: "!!") == "RELATED")
    }

    @Test func cypherHasOneStatementPerDocumentEntityAndRelationWithBalancedSyntax() throws {
        for graph in [try InteropFixtures.seed(), InteropFixtures.hostileGraph()] {
            let result = graph.export(as: .cypher)
            let lines = result.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let statements = lines.filter { !$0.hasPrefix("//") }
            #expect(statements.count { $0.hasPrefix("CREATE (:`SourceDocument`") } == graph.documents.count)
            #expect(statements.count { $0.hasPrefix("CREATE (:`Entity`") } == graph.entities.count)
            #expect(statements.count { $0.hasPrefix("MATCH (a:`Entity`") } == graph.relations.count)
            #expect(statements.count == graph.documents.count + graph.entities.count + graph.relations.count)
            for statement in statements {
                #expect(statement.hasSuffix(";"))
                #expect(CypherScan.isBalanced(String(statement)), "unbalanced: \(statement)")
            }
        }
    }

    @Test func cypherWarnsAboutWhatItCannotStore() {
        let warnings = InteropFixtures.hostileGraph().export(as: .cypher).warnings.joined(separator: "\n")
        #expect(warnings.contains("Cypher keeps the graph title only as a comment"))
        #expect(warnings.contains("Cypher drops 1 graph attribute"))
        #expect(warnings.contains("Neo4j cannot store"))
        #expect(warnings.contains("symmetric types"))
    }

    // MARK: neo4j-admin CSV

    @Test func neo4jCSVHasTheImportHeadersAndTypedColumns() throws {
        let graph = InteropFixtures.hostileGraph()
        let result = graph.export(as: .neo4jCSV)
        #expect(result.files.map(\.name) == ["nodes.csv", "relationships.csv"])
        let nodes = CSVSheetsParse.records(result.files[0].bytes)
        #expect(
            Array(nodes[0].prefix(7)) == [
                "id:ID", "name", "kind", ":LABEL", "aliases:string[]", "description", "sources",
            ])
        #expect(nodes[0].contains("count:long"))
        #expect(nodes[0].contains("ratio:double"))
        #expect(nodes[0].contains("flag:boolean"))
        #expect(nodes[0].contains("attr.name"))
        #expect(nodes.count == graph.entities.count + 1)
        #expect(nodes[1][3] == "Entity;Person")
        #expect(nodes[1][1] == graph.entities.values[0].name)
        let relationships = CSVSheetsParse.records(result.files[1].bytes)
        #expect(Array(relationships[0].prefix(4)) == [":START_ID", ":END_ID", ":TYPE", "id"])
        #expect(relationships.count == graph.relations.count + 1)
        #expect(relationships[1][2] == "APOLOGIZED_TO")
        let warnings = result.warnings.joined(separator: "\n")
        #expect(warnings.contains("--multiline-fields=true"))
        #expect(warnings.contains("contain ';'"))
    }

    // MARK: Mermaid

    @Test func mermaidEscapesLabelsSoTheyRenderAsText() {
        #expect(
            MermaidExporter.escape("<script>alert(\"x\")</script>").0
                == "#lt;script#gt;alert(#quot;x#quot;)#lt;/script#gt;")
        #expect(MermaidExporter.escape("a # b & c `d` |e|").0 == "a #35; b #amp; c #96;d#96; #124;e#124;")
        #expect(MermaidExporter.escape("one\ntwo\r\nthree\rfour").0 == "one<br>two<br>three<br>four")
        #expect(MermaidExporter.escape("#quot;").0 == "#35;quot;")
        let control = MermaidExporter.escape("nul\u{0}x\u{1}")
        #expect(control.0 == "nul\u{FFFD}x\u{FFFD}")
        #expect(control.replaced == 2)
        #expect(MermaidExporter.escape("🇺🇦 مرحبا \u{200B}").0 == "🇺🇦 مرحبا \u{200B}")
    }

    @Test func mermaidFlowchartShape() throws {
        var graph = Graph(title: "T \"quoted\"")
        try graph.add(Entity(id: "end", name: "End", kind: .event))
        try graph.add(Entity(id: "o-x", name: "<b>bold</b> --> x", kind: .person))
        try graph.add(Entity(id: "o_x", name: "Other", kind: .person))
        try graph.add(Relation(id: "r1", type: "leads", source: "o-x", target: "end"))
        try graph.add(Relation(id: "r2", type: "accuses", source: "o-x", target: "o_x", certainty: .alleged))
        try graph.add(Relation(id: "r3", type: "spokeWith", source: "end", target: "o_x"))
        try graph.add(Relation(id: "r4", type: "spokeWith", source: "end", target: "o_x", certainty: .claimed))
        let text = graph.export(as: .mermaid).text
        #expect(
            text == """
                ---
                title: "T \\"quoted\\""
                ---
                flowchart LR
                  n_end["End"]
                  n_o_x["#lt;b#gt;bold#lt;/b#gt; --#gt; x"]
                  n_o_x_2["Other"]
                  n_o_x -->|"leads"| n_end
                  n_o_x -.->|"accuses (alleged)"| n_o_x_2
                  n_end ---|"spoke with"| n_o_x_2
                  n_end -.-|"spoke with (claimed)"| n_o_x_2
                  classDef kind_event fill:#fce7f3,stroke:#9d174d,color:#111827
                  class n_end kind_event
                  classDef kind_person fill:#dbeafe,stroke:#1e40af,color:#111827
                  class n_o_x,n_o_x_2 kind_person

                """)
    }

    @Test func mermaidCarriesNoRawMarkupFromHostileText() {
        let result = InteropFixtures.hostileGraph().export(as: .mermaid)
        let body = result.text.split(separator: "\n").dropFirst(4)
        for line in body {
            let withoutBreaks = line.replacingOccurrences(of: "<br>", with: "")
            #expect(!withoutBreaks.contains("<"), "raw < in: \(line)")
            #expect(
                !withoutBreaks.contains(">") || withoutBreaks.contains("-->") || withoutBreaks.contains("-.->"),
                "raw > in: \(line)")
        }
        for line in body where line.contains("[\"") {
            let label = line.split(separator: "[\"", maxSplits: 1)[1].dropLast(2)
            #expect(!label.contains("\""), "raw quote in: \(line)")
        }
        let warnings = result.warnings.joined(separator: "\n")
        for fragment in [
            "dates (since/until)", "citations", "aliases", "entity attribute", "relation attribute",
            "assertedBy", "source document", "graph description", "Mermaid replaced",
        ] {
            #expect(warnings.contains(fragment), "missing warning: \(fragment)")
        }
    }

    @Test func mermaidWarnsAboutGitHubLimitsOnLargeCharts() throws {
        var graph = Graph()
        try graph.add(Entity(id: "a", name: "A", kind: .person))
        for index in 0...MermaidExporter.maximumEdges {
            try graph.add(Relation(id: RelationID("r\(index)"), type: "relatedTo", source: "a", target: "a"))
        }
        #expect(graph.export(as: .mermaid).warnings.contains { $0.contains("stop at 500 links") })
    }

    // MARK: Files

    @Test func resultsWriteFilesAndFolders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "interop-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let seed = try InteropFixtures.seed()
        let written = try seed.export(as: .csv).write(toFolder: folder.appendingPathComponent("sheets"))
        #expect(written.map(\.lastPathComponent) == ["nodes.csv", "edges.csv"])
        let back = try CSVSheets.read(folder: folder.appendingPathComponent("sheets"))
        #expect(back.entities.count == seed.entities.count)
        let file = folder.appendingPathComponent("sheets/map.graphml")
        let graphml = seed.export(as: .graphml)
        try graphml.write(to: file)
        #expect(try Array(Data(contentsOf: file)) == graphml.data)
    }
}

/// A small Cypher scanner for the tests: quotes and brackets balance outside strings.
enum CypherScan {
    static func isBalanced(_ line: String) -> Bool {
        var stack: [Character] = []
        var quote: Character? = nil
        var escaped = false
        var inBackticks = false
        for character in line {
            if let open = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == open {
                    quote = nil
                }
                continue
            }
            if inBackticks {
                if character == "`" { inBackticks = false }
                continue
            }
            switch character {
            case "'", "\"": quote = character
            case "`": inBackticks = true
            case "(", "[", "{": stack.append(character)
            case ")": if stack.popLast() != "(" { return false }
            case "]": if stack.popLast() != "[" { return false }
            case "}": if stack.popLast() != "{" { return false }
            default: break
            }
        }
        return stack.isEmpty && quote == nil && !inBackticks
    }
}

/// Splits CSV bytes into records with the library's own RFC 4180 parser.
enum CSVSheetsParse {
    static func records(_ bytes: [UInt8]) -> [[String]] {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = CSVParser(bytes: buffer)
            parser.parse()
            return parser.records.map { $0.fields.map(\.text) }
        }
    }
}

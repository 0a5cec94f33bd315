import Foundation
import Testing

@testable import EntityGraph

/// Helpers shared by the GraphML and GEXF reader tests.
enum XMLReaderTestSupport {
    static let hostileURL = DocumentTestSupport.repositoryRoot.appending(path: "Tests/Fixtures/hostile-strings.json")

    static func hostile() throws -> Graph { try GraphDocument.read(contentsOf: hostileURL) }

    static func exported(_ graph: Graph, as format: InteropFormat) -> [UInt8] {
        graph.export(as: format).files[0].bytes
    }

    /// Numbers compared by value (a double column writes integers as `5.0`), objects by content.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .integer(let number): return .double(Double(number))
        case .array(let items): return .array(items.map(normalized))
        case .object(let members):
            return .object(.init(uniqueKeysWithValues: members.map { ($0.key, normalized($0.value)) }))
        default: return value
        }
    }

    static func attributes(_ attributes: Attributes, safe: Bool) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in attributes {
            let name = safe ? InteropFixtures.xmlSafe(key) : key
            if case .string(let text) = value, safe {
                result[name] = .string(InteropFixtures.xmlSafe(text))
            } else {
                result[name] = normalized(value)
            }
        }
        return result
    }

    /// Checks that `read` holds the entities and relations of `original`, allowing U+FFFD for the
    /// characters XML cannot carry (ids respelled as the exporter names them) and, for GEXF, the
    /// placeholder documents.
    static func expectSameContent(_ read: Graph, _ original: Graph, sourceLocation: SourceLocation = #_sourceLocation) {
        let ids = XMLIdentifiers(original)
        let safe = InteropFixtures.xmlSafe
        #expect(read.entities.count == original.entities.count, sourceLocation: sourceLocation)
        #expect(read.relations.count == original.relations.count, sourceLocation: sourceLocation)
        for entity in original.entities.values {
            guard let copy = read.entities[EntityID(ids.entity(entity.id))] else {
                Issue.record("entity '\(entity.id)' is missing", sourceLocation: sourceLocation)
                continue
            }
            #expect(copy.name == safe(entity.name), sourceLocation: sourceLocation)
            #expect(copy.kind == entity.kind, sourceLocation: sourceLocation)
            #expect(copy.aliases == entity.aliases, sourceLocation: sourceLocation)
            #expect(copy.description == entity.description.map(safe), sourceLocation: sourceLocation)
            #expect(copy.sources == entity.sources, sourceLocation: sourceLocation)
            #expect(
                attributes(copy.attributes, safe: false) == attributes(entity.attributes, safe: true),
                "entity '\(entity.id)'", sourceLocation: sourceLocation)
        }
        for relation in original.relations.values {
            guard let copy = read.relations[RelationID(ids.relation(relation.id))] else {
                Issue.record("relation '\(relation.id)' is missing", sourceLocation: sourceLocation)
                continue
            }
            #expect(copy.type == relation.type, sourceLocation: sourceLocation)
            #expect(copy.source.rawValue == ids.entity(relation.source), sourceLocation: sourceLocation)
            #expect(copy.target.rawValue == ids.entity(relation.target), sourceLocation: sourceLocation)
            #expect(copy.since == relation.since, sourceLocation: sourceLocation)
            #expect(copy.until == relation.until, sourceLocation: sourceLocation)
            #expect(copy.certainty == relation.certainty, sourceLocation: sourceLocation)
            #expect(copy.assertedBy?.rawValue == relation.assertedBy.map(ids.entity), sourceLocation: sourceLocation)
            #expect(copy.sources == relation.sources, sourceLocation: sourceLocation)
            #expect(
                attributes(copy.attributes, safe: false) == attributes(relation.attributes, safe: true),
                "relation '\(relation.id)'", sourceLocation: sourceLocation)
        }
    }

    /// Every accepted graph converts to a JSON document without errors.
    static func expectValidDocument(_ graph: Graph, sourceLocation: SourceLocation = #_sourceLocation) {
        let errors = GraphDocument.decode(GraphDocument.write(graph)).errors
        #expect(errors.isEmpty, "\(errors.map(\.description))", sourceLocation: sourceLocation)
    }

    /// A random graph: entities of every built-in kind and a declared one, relations with dates,
    /// certainties, parallel edges, typed and JSON attributes.
    static func randomGraph(seed: UInt64) -> Graph {
        var random = SplitMix64(seed: seed)
        func pick(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
        var graph = Graph(title: "random \(seed)")
        try! graph.declare(Kind(id: "militaryUnit", label: "Military unit"))
        let kinds: [KindID] = [.person, .state, .organization, .facility, .place, .event, "militaryUnit"]
        let words = ["a", "b c", "<x>", "&amp;", "ü", "\"q\"", "[1", "x}", "nul", "  pad  ", "tab\t", "line\nbreak"]
        let entityCount = 1 + pick(12)
        for index in 0..<entityCount {
            var attributes: Attributes = [:]
            if pick(2) == 0 { attributes["n"] = .integer(Int64(pick(1000)) - 500) }
            if pick(2) == 0 { attributes["x"] = .double(Double(pick(1000)) / 8) }
            if pick(2) == 0 { attributes["ok"] = .bool(pick(2) == 0) }
            if pick(2) == 0 { attributes["word"] = .string(words[pick(words.count)]) }
            if pick(3) == 0 { attributes["list"] = [.string(words[pick(words.count)]), .integer(1)] }
            try! graph.add(
                Entity(
                    id: EntityID("n\(index)"), name: words[pick(words.count)] + "\(index)",
                    kind: kinds[pick(kinds.count)],
                    aliases: pick(3) == 0 ? [words[pick(words.count)] + "!"] : [],
                    description: pick(2) == 0 ? words[pick(words.count)] : nil, attributes: attributes))
        }
        let types: [RelationTypeID] = ["leads", "spokeWith", "relatedTo", "memberOf", "alliedWith"]
        for index in 0..<pick(20) {
            let since = pick(2) == 0 ? PartialDate(["2020", "2021-03", "2022-02-24"][pick(3)]) : nil
            try! graph.add(
                Relation(
                    id: RelationID("r\(index)"), type: types[pick(types.count)],
                    source: EntityID("n\(pick(entityCount))"), target: EntityID("n\(pick(entityCount))"),
                    since: since, until: pick(3) == 0 ? PartialDate("2024-12") : nil,
                    certainty: Certainty.allCases[pick(Certainty.allCases.count)],
                    assertedBy: pick(4) == 0 ? EntityID("n0") : nil,
                    attributes: pick(2) == 0 ? ["weight": .double(Double(pick(10)) / 2)] : [:]))
        }
        return graph
    }
}

@Suite struct GraphMLReaderTests {
    typealias Support = XMLReaderTestSupport

    @Test("a file of over 10 MB reads whole (libxml2 refuses one chunk that large)")
    func fileOverTenMegabytesReads() throws {
        var text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
            <key id="name" for="node" attr.name="name" attr.type="string"/>
            <graph edgedefault="directed">

            """
        let count = 120_000
        for index in 0..<count {
            text += "<node id=\"n\(index)\"><data key=\"name\">Entity number \(index) of the big file</data></node>\n"
        }
        text += "<edge source=\"n0\" target=\"n\(count - 1)\"/>\n</graph>\n</graphml>\n"
        #expect(text.utf8.count > 10_000_000)
        let decoded = GraphMLReader.decode(Array(text.utf8), fileName: "big.graphml")
        #expect(decoded.errors.isEmpty, "\(decoded.errors.prefix(3).map(\.description))")
        let graph = try #require(decoded.graph)
        #expect(graph.entities.count == count)
        #expect(graph.relations.count == 1)
        #expect(graph.entities[EntityID("n\(count - 1)")]?.name == "Entity number \(count - 1) of the big file")
    }

    @Test func seedGraphRoundTrips() throws {
        let seed = try InteropFixtures.seed()
        let decoded = GraphMLReader.decode(Support.exported(seed, as: .graphml), fileName: "seed.graphml")
        #expect(decoded.errors.isEmpty, "\(decoded.errors.map(\.description))")
        let graph = try #require(decoded.graph)
        Support.expectSameContent(graph, seed)
        #expect(graph.title == seed.title)
        #expect(graph.description == seed.description)
        #expect(graph.documents == seed.documents)
        Support.expectValidDocument(graph)
    }

    @Test func hostileFixtureRoundTripsWithDocumentedReplacements() throws {
        let hostile = try Support.hostile()
        let export = hostile.export(as: .graphml)
        #expect(export.warnings.contains { $0.contains("U+FFFD") })
        let decoded = GraphMLReader.decode(export.files[0].bytes, fileName: "hostile.graphml")
        #expect(decoded.errors.isEmpty, "\(decoded.errors.map(\.description))")
        let graph = try #require(decoded.graph)
        Support.expectSameContent(graph, hostile)
        Support.expectValidDocument(graph)
    }

    @Test func hostileGraphOfTheExportTestsRoundTrips() throws {
        let hostile = InteropFixtures.hostileGraph()
        let graph = try GraphMLReader.read(Support.exported(hostile, as: .graphml))
        Support.expectSameContent(graph, hostile)
        Support.expectValidDocument(graph)
    }

    /// Modelled on networkx 3.x `write_graphml` of a MultiDiGraph: keys after one another, booleans
    /// as `True`, multigraph keys as edge ids (repeated across pairs), graph data after the edges.
    static let networkx = """
        <?xml version='1.0' encoding='utf-8'?>
        <graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
          <key id="d8" for="edge" attr.name="since" attr.type="string" />
          <key id="d7" for="edge" attr.name="weight" attr.type="double" />
          <key id="d6" for="edge" attr.name="label" attr.type="string" />
          <key id="d5" for="node" attr.name="ok" attr.type="boolean" />
          <key id="d4" for="node" attr.name="w" attr.type="double" />
          <key id="d3" for="node" attr.name="age" attr.type="long">
            <default>7</default>
          </key>
          <key id="d2" for="node" attr.name="kind" attr.type="string" />
          <key id="d1" for="node" attr.name="label" attr.type="string" />
          <key id="d0" for="graph" attr.name="name" attr.type="string" />
          <graph edgedefault="directed">
            <node id="a">
              <data key="d1">Alpha</data>
              <data key="d2">Person</data>
              <data key="d3">3</data>
              <data key="d4">1.5</data>
              <data key="d5">True</data>
            </node>
            <node id="b" />
            <edge source="a" target="b" id="0">
              <data key="d6">knows</data>
              <data key="d7">2.0</data>
            </edge>
            <edge source="a" target="b" id="1">
              <data key="d6">knows</data>
            </edge>
            <edge source="b" target="a" id="0">
              <data key="d8">2020</data>
            </edge>
            <data key="d0">demo</data>
          </graph>
        </graphml>
        """

    @Test func readsNetworkxOutputWithTypedKeysAndDefaults() throws {
        let decoded = GraphMLReader.decode(Array(Self.networkx.utf8), fileName: "nx.graphml")
        #expect(decoded.errors.isEmpty, "\(decoded.errors.map(\.description))")
        let graph = try #require(decoded.graph)
        #expect(graph.title == "demo")
        let a = try #require(graph.entities["a"])
        #expect(a.name == "Alpha")
        #expect(a.kind == .person)
        #expect(a.attributes["age"] == .integer(3))
        #expect(a.attributes["w"] == .double(1.5))
        #expect(a.attributes["ok"] == .bool(true))
        let b = try #require(graph.entities["b"])
        #expect(b.name == "b")
        #expect(b.attributes["age"] == .integer(7))
        #expect(graph.relations.count == 3)
        #expect(graph.relations.values.map(\.id.rawValue) == ["0", "1", "0-2"])
        let first = try #require(graph.relations["0"])
        #expect(first.type == "knows")
        #expect(graph.relationType("knows")?.label == "knows")
        #expect(first.attributes["weight"] == .double(2.0))
        #expect(graph.relations["0-2"]?.since == PartialDate("2020"))
        #expect(graph.relations["0-2"]?.type == "relatedTo")
        #expect(decoded.warnings.contains { $0.message.contains("'0' at line") })
        Support.expectValidDocument(graph)
    }

    @Test func undirectedGraphsMarkRelationsAndDeclareSymmetricTypes() throws {
        let text = """
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
              <key id="t" for="edge" attr.name="label" attr.type="string"/>
              <graph edgedefault="undirected">
                <node id="x"/><node id="y"/>
                <edge source="x" target="y"><data key="t">neighbours</data></edge>
                <edge source="x" target="y" directed="true"><data key="t">watches</data></edge>
              </graph>
            </graphml>
            """
        let graph = try GraphMLReader.read(Array(text.utf8))
        #expect(graph.relations["e1"]?.attributes["directed"] == false)
        #expect(graph.relationType("neighbours")?.symmetric == true)
        #expect(graph.relations["e2"]?.attributes["directed"] == nil)
        #expect(graph.relationType("watches")?.symmetric == false)
        Support.expectValidDocument(graph)
    }

    /// A `double` key's value is read by the same rule as JSON and CSV numbers: a value a double
    /// would change (`4.9e-325` → 0.0, 17 significant digits) stays text, with a warning.
    @Test func doubleValuesADoubleWouldChangeStayText() throws {
        let text = """
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
              <key id="s" for="node" attr.name="score" attr.type="double"/>
              <graph edgedefault="directed">
                <node id="a"><data key="s">4.9e-325</data></node>
                <node id="b"><data key="s">0.1000000000000000055511151231257827</data></node>
                <node id="c"><data key="s"> 2.5 </data></node>
                <node id="d"><data key="s">1e400</data></node>
                <node id="e"><data key="s">.5</data></node>
              </graph>
            </graphml>
            """
        let decoded = GraphMLReader.decode(Array(text.utf8))
        let graph = try #require(decoded.graph)
        #expect(graph.entities["a"]?.attributes["score"] == "4.9e-325")
        #expect(graph.entities["b"]?.attributes["score"] == "0.1000000000000000055511151231257827")
        #expect(graph.entities["c"]?.attributes["score"] == 2.5)
        #expect(graph.entities["d"]?.attributes["score"] == "1e400")
        #expect(graph.entities["e"]?.attributes["score"] == 0.5)
        let kept = decoded.warnings.filter { $0.code == .keptAsAttribute }
        #expect(kept.count == 3, "\(kept.map(\.message))")
        #expect(kept.first?.message.contains("0.0") == true, "\(kept.first?.message ?? "")")
    }

    @Test func yEdLabelsNameNodesAndGraphicsAreNamedInAWarning() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8" standalone="no"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
              <key for="node" id="d6" yfiles.type="nodegraphics"/>
              <graph edgedefault="directed" id="G">
                <node id="n0">
                  <data key="d6"><y:ShapeNode><y:Geometry height="30.0" width="30.0" x="0" y="0"/>
                    <y:NodeLabel alignment="center">Minsk</y:NodeLabel></y:ShapeNode></data>
                </node>
              </graph>
            </graphml>
            """
        let decoded = GraphMLReader.decode(Array(text.utf8))
        #expect(decoded.graph?.entities["n0"]?.name == "Minsk")
        #expect(decoded.warnings.contains { $0.message.contains("yfiles.nodegraphics") })
    }

    @Test func unknownEndpointsAndDuplicateIDsAreErrorsWithLineAndColumn() throws {
        let text = """
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
              <graph edgedefault="directed">
                <node id="lukashenko"/>
                <node id="lukashenko"/>
                <edge id="r1" source="lukashenko" target="lukashenk"/>
                <edge id="r2" source="lukashenko" target="lukashenko"/>
                <edge id="r2" source="lukashenko" target="lukashenko"/>
              </graph>
            </graphml>
            """
        let decoded = GraphMLReader.decode(Array(text.utf8), fileName: "bad.graphml")
        #expect(decoded.graph == nil)
        let errors = decoded.errors
        #expect(errors.map(\.code) == [.duplicateID, .unknownEntity, .duplicateID])
        #expect(errors[0].line == 4)
        #expect(errors[0].message.contains("first at line 3"))
        #expect(errors[1].line == 5)
        #expect(errors[1].column != nil)
        #expect(errors[1].suggestion == "did you mean 'lukashenko'?")
        #expect(errors[1].description.hasPrefix("bad.graphml:5:"))
        #expect(errors[2].line == 7)
    }

    @Test func valuesTheModelCannotHoldAreKeptAsAttributes() throws {
        let text = """
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
              <key id="s" for="edge" attr.name="since" attr.type="string"/>
              <key id="c" for="edge" attr.name="certainty" attr.type="string"/>
              <key id="n" for="node" attr.name="count" attr.type="long"/>
              <graph edgedefault="directed">
                <node id="a"><data key="n">many</data></node>
                <edge source="a" target="a"><data key="s">last spring</data><data key="c">sure</data></edge>
              </graph>
            </graphml>
            """
        let decoded = GraphMLReader.decode(Array(text.utf8))
        let graph = try #require(decoded.graph)
        #expect(graph.entities["a"]?.attributes["count"] == "many")
        #expect(graph.relations["e1"]?.attributes["since"] == "last spring")
        #expect(graph.relations["e1"]?.since == nil)
        #expect(graph.relations["e1"]?.attributes["certainty"] == "sure")
        #expect(decoded.warnings.filter { $0.code == .keptAsAttribute }.count == 3)
        #expect(decoded.warnings.allSatisfy { $0.line != nil })
        Support.expectValidDocument(graph)
    }

    // MARK: Hostile XML

    @Test func documentTypeDeclarationsAreRefusedBeforeParsing() {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            ]>
            <graphml><graph><node id="&lol3;"/></graph></graphml>
            """
        let decoded = GraphMLReader.decode(Array(laughs.utf8), fileName: "lol.graphml")
        #expect(decoded.graph == nil)
        #expect(decoded.issues.map(\.code) == [.documentTypeDeclaration])
        #expect(decoded.issues.first?.line == 2)
        #expect(decoded.issues.first?.column == 1)
        let external = """
            <?xml version="1.0"?>
            <!DOCTYPE graphml SYSTEM "file:///etc/passwd">
            <graphml><graph><node id="x"/></graph></graphml>
            """
        #expect(GraphMLReader.decode(Array(external.utf8)).issues.map(\.code) == [.documentTypeDeclaration])
    }

    @Test func malformedAndTruncatedFilesAreErrorsWithPositions() throws {
        let full = Support.exported(try InteropFixtures.seed(), as: .graphml)
        let truncated = GraphMLReader.decode(Array(full.prefix(full.count / 2)), fileName: "cut.graphml")
        #expect(truncated.graph == nil)
        #expect(truncated.issues.map(\.code) == [.invalidXML])
        #expect(truncated.issues.first?.line != nil)

        let mismatched = "<graphml>\n<graph>\n<node id=\"a\">\n</graph>\n</graphml>"
        let issue = try #require(GraphMLReader.decode(Array(mismatched.utf8)).issues.first)
        #expect(issue.code == .invalidXML)
        #expect(issue.line == 4)

        let entity = "<graphml><graph><node id=\"a&b\"/></graph></graphml>"
        #expect(GraphMLReader.decode(Array(entity.utf8)).issues.map(\.code) == [.invalidXML])
        #expect(GraphMLReader.decode([UInt8]()).issues.map(\.code) == [.invalidXML])
        let gexf = "<gexf version=\"1.3\"><graph/></gexf>"
        #expect(GraphMLReader.decode(Array(gexf.utf8)).issues.map(\.code) == [.notAGraphDocument])
    }

    @Test func textThatIsNotUTF8IsRefusedAtItsPosition() {
        var bytes = Array("<graphml>\n<graph><node id=\"caf".utf8)
        bytes += [0xE9]
        bytes += Array("\"/></graph></graphml>".utf8)
        let decoded = GraphMLReader.decode(bytes)
        #expect(decoded.issues.map(\.code) == [.invalidUTF8])
        #expect(decoded.issues.first?.line == 2)
        #expect(decoded.issues.first?.column == 21)
        // Declared Latin-1 is fine.
        let latin1 = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n".utf8) + bytes
        #expect(GraphMLReader.decode(latin1).graph?.entities["café"] != nil)
    }

    @Test func deepNestingAndHugeValuesHitLimitsNotTheStack() {
        let deep =
            "<graphml>" + String(repeating: "<x>", count: 100_000) + String(repeating: "</x>", count: 100_000)
            + "</graphml>"
        let decoded = GraphMLReader.decode(Array(deep.utf8))
        #expect(decoded.graph == nil)
        #expect(decoded.issues.count == 1)

        let huge = "<graphml><graph><node id=\"" + String(repeating: "a", count: 5000) + "\"/></graph></graphml>"
        let limited = GraphMLReader.decode(Array(huge.utf8), limits: ReadLimits(maximumStringBytes: 1000))
        #expect(limited.issues.map(\.code) == [.limitExceeded])
        let nodes = "<graphml><graph>" + String(repeating: "<node id=\"x\"/>", count: 20) + "</graph></graphml>"
        let counted = GraphMLReader.decode(Array(nodes.utf8), limits: ReadLimits(maximumEntities: 5))
        #expect(counted.issues.map(\.code) == [.limitExceeded])
        #expect(
            GraphMLReader.decode(Array(nodes.utf8), limits: ReadLimits(maximumBytes: 10)).issues.map(\.code) == [
                .limitExceeded
            ])
    }

    @Test func readsFilesFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appending(path: "graphml-reader-\(UUID().uuidString).graphml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(Support.exported(try InteropFixtures.seed(), as: .graphml)).write(to: url)
        #expect(try GraphMLReader.read(contentsOf: url).entities.count == (try InteropFixtures.seed()).entities.count)
        let missing = GraphMLReader.decode(contentsOf: url.appending(path: "nope"))
        #expect(missing.issues.map(\.code) == [.unreadableFile])
    }

    @Test(arguments: 0..<40)
    func randomGraphsRoundTrip(seed: Int) throws {
        let original = Support.randomGraph(seed: UInt64(seed) &* 7919 &+ 1)
        let decoded = GraphMLReader.decode(Support.exported(original, as: .graphml))
        #expect(decoded.errors.isEmpty, "\(decoded.errors.map(\.description))")
        let graph = try #require(decoded.graph)
        Support.expectSameContent(graph, original)
        Support.expectValidDocument(graph)
    }
}

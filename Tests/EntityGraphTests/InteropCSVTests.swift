import Foundation
import Testing

@testable import EntityGraph

/// CSV sheets: reading (headers, vocabulary, every problem at once, hostile input) and round trips.
@Suite struct InteropCSVTests {
    static func decode(_ nodes: String, _ edges: String = "source,target\n") -> GraphDocument.Decoded {
        CSVSheets.decode(nodes: Array(nodes.utf8), edges: Array(edges.utf8))
    }

    static func decode(bytes nodes: [UInt8], _ edges: [UInt8] = Array("source,target\n".utf8)) -> GraphDocument.Decoded
    {
        CSVSheets.decode(nodes: nodes, edges: edges)
    }

    static func codes(_ decoded: GraphDocument.Decoded) -> [ValidationIssue.Code] { decoded.issues.map(\.code) }

    // MARK: Reading

    @Test func readsOurOwnHeaderWithQuotingCRLFAndBOM() throws {
        let nodes =
            "\u{FEFF}id,name,kind,aliases,description,role\r\n"
            + "a,\"Smith, \"\"Al\"\"\",person,Al|A. S.,\"two\r\nlines\",boss\r\n"
            + "b,Bravo Org,Organization,,,\r\n"
        let edges =
            "id,source,target,type,since,until,certainty,assertedBy,weight\r\nr1,a,b,leads,2022-10,2023,reported,b,3\r\n"
        let graph = try CSVSheets.read(nodes: Array(nodes.utf8), edges: Array(edges.utf8))
        let a = try #require(graph.entities["a"])
        #expect(a.name == "Smith, \"Al\"")
        #expect(a.kind == .person)
        #expect(a.aliases == ["Al", "A. S."])
        #expect(a.description == "two\r\nlines")
        #expect(a.attributes == ["role": "boss"])
        #expect(graph.entities["b"]?.kind == .organization)
        #expect(graph.entities["b"]?.attributes.isEmpty == true)
        let r1 = try #require(graph.relations["r1"])
        #expect(r1.type == "leads")
        #expect(r1.since == PartialDate("2022-10"))
        #expect(r1.until == PartialDate("2023"))
        #expect(r1.certainty == .reported)
        #expect(r1.assertedBy == "b")
        #expect(r1.attributes == ["weight": 3])
        #expect(graph.declaredKinds.isEmpty)
    }

    @Test func headersAreCaseInsensitiveAndKumuSheetsUseLabels() throws {
        let nodes =
            "Label,Type,Description,Tags\nAlexander Lukashenko,Person,Belarus,leader|belarus\nMozyr Refinery,Facility,,\n"
        let edges = "From,To,Type,Direction\nAlexander Lukashenko,Mozyr Refinery,Owns,directed\n"
        let graph = try CSVSheets.read(nodes: Array(nodes.utf8), edges: Array(edges.utf8))
        #expect(graph.entities.keys.map(\.rawValue) == ["alexander-lukashenko", "mozyr-refinery"])
        #expect(graph.entities["alexander-lukashenko"]?.name == "Alexander Lukashenko")
        #expect(graph.entities["alexander-lukashenko"]?.attributes == ["Tags": "leader|belarus"])
        let relation = try #require(graph.relations.values.first)
        #expect(relation.id == "e1")
        #expect(relation.type == "owns")
        #expect(relation.source == "alexander-lukashenko")
        #expect(relation.attributes == ["Direction": "directed"])
    }

    @Test func gephiSheetsUseLabelAsTheEdgeTypeOnlyWithoutATypeColumn() throws {
        let nodes = "Id,Label,Modularity\nn1,One,0\nn2,Two,1\n"
        let gephi = try CSVSheets.read(
            nodes: Array(nodes.utf8), edges: Array("Source,Target,Label,Weight\nn1,n2,spoke with,1.0\n".utf8))
        #expect(gephi.entities["n1"]?.name == "One")
        #expect(gephi.entities["n1"]?.kind == "entity")
        #expect(gephi.kind("entity")?.label == "Entity")
        #expect(gephi.relations["e1"]?.type == "spokeWith")
        #expect(gephi.relations["e1"]?.attributes == ["weight": 1.0])

        let typed = try CSVSheets.read(
            nodes: Array(nodes.utf8), edges: Array("source,target,type,label\nn1,n2,opposes,a note\n".utf8))
        #expect(typed.relations["e1"]?.type == "opposes")
        #expect(typed.relations["e1"]?.attributes == ["label": "a note"])
    }

    @Test func unknownKindsAndTypesAreDeclaredWithTheirLabel() throws {
        let nodes = "id,kind\na,Military unit\nb,military unit\nc,persn\nd,\n"
        let edges = "source,target,type\na,b,Trained alongside\nb,a,trained alongside\na,c,MEMBER OF\n"
        let decoded = InteropCSVTests.decode(nodes, edges)
        let graph = try #require(decoded.graph)
        #expect(graph.entities["a"]?.kind == "militaryUnit")
        #expect(graph.entities["b"]?.kind == "militaryUnit")
        #expect(graph.kind("militaryUnit")?.label == "Military unit")
        #expect(graph.entities["c"]?.kind == "persn")
        #expect(graph.entities["d"]?.kind == "entity")
        #expect(graph.relationType("trainedAlongside")?.label == "Trained alongside")
        #expect(graph.relationType("trainedAlongside")?.category == .other)
        #expect(graph.relations["e2"]?.type == "trainedAlongside")
        #expect(graph.relations["e3"]?.type == "memberOf")
        // A likely typo is declared, but flagged.
        let warning = try #require(decoded.warnings.first)
        #expect(warning.code == .undeclaredVocabulary)
        #expect(warning.suggestion == "did you mean 'person'?")
        #expect(warning.description.hasPrefix("nodes.csv:4:3: warning: kind: "))
    }

    @Test func generatedRelationIDsSkipExplicitOnes() throws {
        let edges = "id,source,target\n,a,b\ne1,b,a\n,a,a\n"
        let graph = try #require(InteropCSVTests.decode("id\na\nb\n", edges).graph)
        #expect(graph.relations.keys.map(\.rawValue) == ["e2", "e1", "e3"])
    }

    @Test func attrPrefixedColumnsAreAttributes() throws {
        let graph = try #require(InteropCSVTests.decode("id,attr.name,attr.attr.x,attr.\na,N,X,E\n").graph)
        #expect(graph.entities["a"]?.attributes == ["name": "N", "attr.x": "X", "": "E"])
    }

    // MARK: Numbers

    @Test("a weight column, in either sheet, holds numbers kept exactly as JSON numbers")
    func weightColumnsAreNumbers() throws {
        let nodes = "id,Weight\na,3\nb, 0.1 \nc,\nd,-.5\ne,5.\n"
        let edges =
            "source,target,WEIGHT\na,b,-2.5e3\nb,a,9007199254740993\na,a,1.50\nb,b,+7\na,b,\"\"\n"
        let graph = try CSVSheets.read(nodes: Array(nodes.utf8), edges: Array(edges.utf8))
        #expect(graph.entities["a"]?.attributes == ["weight": 3])
        #expect(graph.entities["b"]?.attributes == ["weight": 0.1])
        #expect(graph.entities["c"]?.attributes == [:])
        #expect(graph.entities["d"]?.attributes == ["weight": -0.5])
        #expect(graph.entities["e"]?.attributes == ["weight": 5.0])
        #expect(
            graph.relations.values.map(\.attributes["weight"]) == [
                -2500.0, .integer(9_007_199_254_740_993), 1.5, 7, nil,
            ])
    }

    @Test("a decimal comma is read in sheets separated by semicolons or tabs, refused in comma sheets")
    func decimalCommas() throws {
        let semicolons = try CSVSheets.read(
            nodes: Array("id;name\na;A\n".utf8), edges: Array("source;target;weight\r\na;a;1,5\r\na;a;-0,25e2\r\n".utf8)
        )
        #expect(semicolons.relations.values.map(\.attributes["weight"]) == [1.5, -25.0])
        let tabs = try CSVSheets.read(
            nodes: Array("id\na\n".utf8), edges: Array("source\ttarget\tweight\na\ta\t2,0\n".utf8))
        #expect(tabs.relations.values.first?.attributes["weight"] == 2.0)

        let commas = Self.decode("id\na\n", "source,target,weight\na,a,\"1,5\"\n")
        #expect(commas.graph == nil)
        #expect(
            commas.issues.map(\.description) == [
                "edges.csv:2:5: error: weight: '1,5' is not a number: in a sheet separated by commas the decimal mark is a point — write 1.5 (a decimal comma is read only in sheets separated by semicolons or tabs)"
            ])
        // Two marks (thousands separators) are refused in any sheet.
        let grouped = Self.decode("id\na\n", "source;target;weight\na;a;1.234,5\n")
        #expect(grouped.issues.map(\.code) == [.invalidNumber])
    }

    @Test("bad weights are errors naming file, line, column, the column, the value and what is accepted")
    func badWeightsAreReportedByLine() {
        let edges =
            "source,target,weight\na,a,1e400\na,a,NaN\na,a,inf\na,a,12abc\na,a,--1\na,a,0x10\n"
            + "a,a,0.1000000000000000055511151231257827\na,a,1e-400\na,a,3\n"
        let decoded = Self.decode("id,weight\na,heavy\n", edges)
        #expect(decoded.graph == nil)
        let accepted =
            "write a number such as 3, -2.5, 0.1 or 1e-3 (leave the cell empty for no weight), or name the column 'attr.weight' to keep text"
        #expect(
            decoded.issues.map(\.description) == [
                "nodes.csv:2:3: error: weight: 'heavy' is not a number — \(accepted)",
                "edges.csv:2:5: error: weight: '1e400' is too large: a weight must fit a 64-bit floating-point number (at most about 1.8e308) — write a smaller number, or name the column 'attr.weight' to keep text",
                "edges.csv:3:5: error: weight: 'NaN' is not a finite number — \(accepted)",
                "edges.csv:4:5: error: weight: 'inf' is not a finite number — \(accepted)",
                "edges.csv:5:5: error: weight: '12abc' is not a number — \(accepted)",
                "edges.csv:6:5: error: weight: '--1' is not a number — \(accepted)",
                "edges.csv:7:5: error: weight: '0x10' is not a number — \(accepted)",
                "edges.csv:8:5: error: weight: '0.1000000000000000055511151231257827' cannot be kept exactly: it would be written back as 0.1 — round it to at most 17 significant digits, or name the column 'attr.weight' to keep text",
                "edges.csv:9:5: error: weight: '1e-400' cannot be kept exactly: it would be written back as 0.0 — round it to at most 17 significant digits, or name the column 'attr.weight' to keep text",
            ])
        #expect(decoded.issues.map(\.code).prefix(3) == [.invalidNumber, .numberOutOfRange, .invalidNumber])
    }

    @Test("two columns holding the same attribute are an error, not a silent overwrite")
    func columnsForTheSameAttribute() {
        let decoded = Self.decode("id,weight,Wei ght,note,attr.note\na,1,2,x,y\n")
        #expect(
            decoded.issues.map(\.description) == [
                "nodes.csv:1:11: error: Wei ght: the columns 'weight' and 'Wei ght' both hold the attribute 'weight' — rename or remove one of them",
                "nodes.csv:1:24: error: attr.note: the columns 'note' and 'attr.note' both hold the attribute 'note' — rename or remove one of them",
            ])
    }

    @Test("the writer writes weight as a number, so CSV → JSON → CSV keeps it")
    func weightsRoundTripThroughJSON() throws {
        let nodes = "id,weight\na,-4\nb,\n"
        let edges = "id,source,target,weight\nr1,a,b,0.1\nr2,b,a,-2.5e3\nr3,a,a,3\nr4,b,b,\n"
        let first = try CSVSheets.read(nodes: Array(nodes.utf8), edges: Array(edges.utf8))
        let json = try GraphDocument.read(GraphDocument.write(first))
        #expect(json == first)
        let written = CSVSheets.write(json)
        #expect(written.warnings == [])
        #expect(written.files[0].text == "id,name,kind,aliases,description,weight\na,a,Entity,,,-4\nb,b,Entity,,,\n")
        #expect(
            written.files[1].text
                == "id,source,target,type,since,until,certainty,assertedBy,weight\n"
                + "r1,a,b,related to,,,confirmed,,0.1\nr2,b,a,related to,,,confirmed,,-2500.0\n"
                + "r3,a,a,related to,,,confirmed,,3\nr4,b,b,related to,,,confirmed,,\n")
        let back = try CSVSheets.read(nodes: written.files[0].bytes, edges: written.files[1].bytes)
        #expect(back == first)
        #expect(CSVSheets.write(back).files == written.files)
    }

    /// Kinds and types are matched as every name is (``Suggest/fold(_:)``): `member_of`,
    /// `Member-Of` and `MEMBER OF` are the built-in `memberOf`; `Military unit` and `military_unit`
    /// one declared kind; an accent does not make a new kind (`PERSÓN` is `person`). A cell of only
    /// punctuation is its own kind.
    @Test func kindAndTypeCellsMatchByFoldedText() throws {
        let nodes = "id,name,kind\na,A,Military unit\nb,B,military_unit\nc,C,PERSÓN\nd,D,---\ne,E,___\n"
        let edges = "source,target,type\na,b,member_of\nb,c,Member-Of\nc,a,MEMBER OF\n"
        let graph = try CSVSheets.read(nodes: Array(nodes.utf8), edges: Array(edges.utf8))
        #expect(graph.relations.values.allSatisfy { $0.type == "memberOf" })
        #expect(graph.entities["a"]?.kind == graph.entities["b"]?.kind)
        #expect(graph.entities["c"]?.kind == .person)
        #expect(graph.entities["d"]?.kind != graph.entities["e"]?.kind)
        let builtIn = Set(Kind.builtIn.map(\.id))
        let labels = graph.kinds.filter { !builtIn.contains($0.id) }.map(\.label)
        #expect(labels.sorted() == ["---", "Military unit", "___"])
    }
    @Test("a weight that is not a number, or a key only spelt like weight, is written as attr. and kept")
    func textWeightsAreEscaped() throws {
        var graph = Graph()
        try graph.add(Entity(id: "a", name: "A", kind: .person, attributes: ["weight": "80 kg"]))
        try graph.add(Entity(id: "b", name: "B", kind: .person, attributes: ["weight": 75]))
        try graph.add(Relation(id: "r", type: "leads", source: "a", target: "b", attributes: ["Weight": 1.5]))
        let written = CSVSheets.write(graph)
        #expect(written.files[0].text.hasPrefix("id,name,kind,aliases,description,attr.weight\n"))
        #expect(written.files[1].text.hasPrefix("id,source,target,type,since,until,certainty,assertedBy,attr.Weight\n"))
        let back = try CSVSheets.read(nodes: written.files[0].bytes, edges: written.files[1].bytes)
        #expect(back.entities["a"]?.attributes == ["weight": "80 kg"])
        #expect(back.entities["b"]?.attributes == ["weight": "75"])
        #expect(back.relations["r"]?.attributes == ["Weight": "1.5"])
    }

    // MARK: Hostile input: every problem, with file:line:column

    @Test func unterminatedQuoteIsReportedAtTheOpeningQuote() {
        let decoded = InteropCSVTests.decode("id,name\na,\"never closed\nb,Bob\n")
        #expect(decoded.graph == nil)
        let issue = decoded.errors.first { $0.code == .invalidCSV }
        #expect(issue?.line == 2)
        #expect(issue?.column == 3)
        #expect(issue?.description.hasPrefix("nodes.csv:2:3: error: this quoted field is never closed") == true)
    }

    @Test func textAfterAClosingQuoteIsReported() {
        let decoded = InteropCSVTests.decode("id,name\na,\"Al\"ex\n")
        let issue = decoded.errors.first
        #expect(issue?.code == .invalidCSV)
        #expect(issue?.line == 2)
        #expect(issue?.column == 7)
    }

    @Test func invalidUTF8IsReportedPerField() {
        var bytes = Array("id,name\na,ok\nb,".utf8)
        bytes += [0xC3, 0x28, 0x0A]
        bytes += Array("c,\"x".utf8) + [0xFF] + Array("\"\n".utf8)
        let decoded = InteropCSVTests.decode(bytes: bytes)
        let issues = decoded.errors.filter { $0.code == .invalidUTF8 }
        #expect(issues.map(\.line) == [3, 4])
        #expect(issues.map(\.column) == [3, 3])
        #expect(decoded.graph == nil)
    }

    @Test func rowsWithTheWrongNumberOfFieldsAreReported() {
        let decoded = InteropCSVTests.decode("id,name,kind\na,Al,person,extra\nb,Bo\nc,Cy,place\n")
        let issues = decoded.errors
        #expect(issues.map(\.code) == [.wrongFieldCount, .wrongFieldCount])
        #expect(issues[0].line == 2)
        #expect(issues[0].column == 13)
        #expect(issues[0].message == "this row has 4 fields; the header has 3 columns (fields separated by commas)")
        #expect(issues[1].line == 3)
        #expect(issues[1].column == nil)
    }

    @Test("sheets exported with semicolons (BOM, CRLF) or tabs are read with their delimiter")
    func delimitersAreDetected() throws {
        let semicolons = Self.decode(
            "\u{FEFF}id;name;kind\r\nbraun;Markus Braun;person\r\nwirecard;\"Wirecard; AG\";organization\r\n",
            "source;target;type\r\nbraun;wirecard;leads\r\n")
        let graph = try #require(semicolons.graph, "\(semicolons.issues)")
        #expect(graph.entities.count == 2)
        #expect(graph.entities["wirecard"]?.name == "Wirecard; AG")
        #expect(graph.relations.values.first?.source == "braun")

        let tabs = Self.decode("id\tname\na\tA, the first\n", "source\ttarget\na\ta\n")
        #expect(tabs.graph?.entities["a"]?.name == "A, the first")
        #expect(tabs.graph?.relations.count == 1)

        // Delimiters inside quotes do not count; a one-column header is comma-separated.
        let quoted = Self.decode("\"x;y;z\",id,name\n1,a,A\n")
        #expect(quoted.graph?.entities["a"]?.attributes["x;y;z"] == "1")
        #expect(Self.decode("id\na\n").graph?.entities.count == 1)
    }

    @Test("edge endpoints may name an entity by name or alias, in any case, when that names one")
    func endpointsByNameOrAlias() throws {
        let nodes = "id,name,aliases\nbraun,Markus Braun,MB\nwirecard,Wirecard AG,\nmarsalek,Jan Marsalek,\n"
        let decoded = Self.decode(nodes, "source,target,type\nmarkus braun,WIRECARD AG,leads\nmb,wirecard,owns\n")
        let graph = try #require(decoded.graph, "\(decoded.issues)")
        #expect(
            graph.relations.values.map { [$0.source.rawValue, $0.target.rawValue] } == [
                ["braun", "wirecard"], ["braun", "wirecard"],
            ])
        let warning = try #require(decoded.issues.first { $0.code == .endpointByName })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("'markus braun' is 'braun'") && warning.message.contains("and 2 more"))
        #expect(warning.line == 2)
    }

    @Test("an endpoint that names two entities lists them; an unknown one suggests names with their ids")
    func ambiguousAndUnknownEndpoints() {
        let nodes = "id,name\nbraun1,Markus Braun\nbraun2,Markus Braun\nwirecard,Wirecard AG\n"
        let decoded = Self.decode(nodes, "source,target\nmarkus braun,wirecard\nwirecrad ag,wirecard\n")
        #expect(decoded.graph == nil)
        let ambiguous = decoded.errors.first { $0.code == .ambiguousEntity }
        #expect(
            ambiguous?.message
                == "'markus braun' names 2 entities: 'Markus Braun' (id braun1), 'Markus Braun' (id braun2)")
        #expect(ambiguous?.line == 2)
        let unknown = decoded.errors.first { $0.code == .unknownEntity }
        #expect(unknown?.message == "unknown entity 'wirecrad ag'")
        #expect(unknown?.suggestion?.contains("'Wirecard AG' (id wirecard)") == true)
    }

    @Test("source columns become documents and citations, several per row with |")
    func sourceColumnsBecomeCitations() throws {
        let nodes =
            "id,name,Source URL,Page\n"
            + "braun,Markus Braun,https://example.org/ft-2020|https://example.org/hb,p. 3|\n"
            + "wirecard,Wirecard AG,https://example.org/ft-2020,p. 4\n"
        let edges = "source,target,type,Document,Publisher,Locator\nbraun,wirecard,leads,Wirecard files,FT,¶ 12\n"
        let decoded = Self.decode(nodes, edges)
        let graph = try #require(decoded.graph, "\(decoded.issues)")
        #expect(graph.documents.count == 3)
        let braun = try #require(graph.entities["braun"])
        #expect(braun.sources.map(\.locator) == ["p. 3", nil])
        let first = try #require(graph.documents[braun.sources[0].document])
        #expect(first.url == "https://example.org/ft-2020" && first.title == "https://example.org/ft-2020")
        // The same URL is the same document.
        #expect(graph.entities["wirecard"]?.sources.first?.document == braun.sources[0].document)
        let relation = try #require(graph.relations.values.first)
        let cited = try #require(graph.documents[relation.sources[0].document])
        #expect(cited.title == "Wirecard files" && cited.publisher == "FT" && relation.sources[0].locator == "¶ 12")
        #expect(braun.attributes.isEmpty)

        // A nodes sheet's `source` column is a URL when it looks like one, else a title.
        let plain = Self.decode("id,source\na,Annual report 2019\nb,http://example.org/x\n")
        let plainGraph = try #require(plain.graph)
        #expect(plainGraph.documents.values.map(\.title) == ["Annual report 2019", "http://example.org/x"])
        #expect(plainGraph.documents.values.map(\.url) == [nil, "http://example.org/x"])
    }

    @Test("a locator that cites no document is an error on its line; a source id reused differently warns")
    func sourceProblems() {
        let orphan = Self.decode("id,page\na,\nb,12\n")
        #expect(orphan.errors.map(\.code) == [.missingSource])
        #expect(orphan.errors.first?.line == 3)
        let conflict = Self.decode("id,source id,document\na,s1,First\nb,s1,Second\n")
        #expect(conflict.errors.isEmpty)
        #expect(conflict.warnings.map(\.code) == [.conflictingSource])
        #expect(conflict.graph?.documents["s1"]?.title == "First")
    }

    @Test("CSV → graph → CSV → graph keeps every citation and the cited documents' title, publisher, URL")
    func citationsRoundTrip() throws {
        var graph = Graph()
        try graph.add(SourceDocument(id: "ft", title: "Wirecard | files", publisher: "FT", url: "https://ft.example/w"))
        try graph.add(SourceDocument(id: "memo", title: "Memo \\ 2"))
        try graph.add(
            Entity(
                id: "braun", name: "Markus Braun", kind: .person,
                sources: [Citation(document: "ft", locator: "p. 1"), Citation(document: "memo")]))
        try graph.add(Entity(id: "wirecard", name: "Wirecard", kind: .organization))
        try graph.add(
            Relation(
                id: "r1", type: "leads", source: "braun", target: "wirecard",
                sources: [Citation(document: "memo", locator: "¶|3")]))
        let exported = CSVSheets.write(graph)
        #expect(!exported.warnings.contains { $0.contains("citation") })
        let files = Dictionary(uniqueKeysWithValues: exported.files.map { ($0.name, $0.bytes) })
        let back = try CSVSheets.read(nodes: try #require(files["nodes.csv"]), edges: try #require(files["edges.csv"]))
        #expect(back.entities["braun"]?.sources == graph.entities["braun"]?.sources)
        #expect(back.relations["r1"]?.sources == graph.relations["r1"]?.sources)
        for id in ["ft", "memo"] {
            let (a, b) = (graph.documents[DocumentID(id)], back.documents[DocumentID(id)])
            #expect(a?.title == b?.title && a?.publisher == b?.publisher && a?.url == b?.url, "\(id)")
        }
    }

    @Test("errors name the delimiter the sheet was read with, and what the header was read as")
    func errorsNameTheDelimiter() {
        let misread = Self.decode("Name;Land\nBraun;DE\n")
        #expect(
            misread.errors.first?.message
                == "there is no id column (the header has 2 columns, separated by semicolons: 'Name', 'Land')")
        let ragged = Self.decode("id;name\na;A;extra\n")
        #expect(
            ragged.errors.first?.message
                == "this row has 3 fields; the header has 2 columns (fields separated by semicolons)")
        #expect(ragged.errors.first?.suggestion?.contains("\"a; b\"") == true)
    }

    @Test func missingAndDuplicateColumnsAreReported() {
        let missingID = InteropCSVTests.decode("name,kind\nAl,person\n")
        #expect(missingID.errors.map(\.code) == [.missingColumn])
        #expect(missingID.errors.first?.line == 1)

        let missingEnds = InteropCSVTests.decode("id\na\n", "from,type\na,leads\n")
        #expect(missingEnds.errors.map(\.code) == [.missingColumn])
        #expect(missingEnds.errors.first?.message.hasPrefix("there is no target column (the header has ") == true)
        #expect(missingEnds.errors.first?.fileName == "edges.csv")

        let duplicate = InteropCSVTests.decode("id,Name,NAME\na,b,c\n")
        #expect(duplicate.errors.map(\.code) == [.duplicateColumn])
        #expect(duplicate.errors.first?.column == 9)

        let empty = InteropCSVTests.decode("", "")
        #expect(empty.errors.map(\.code) == [.missingColumn, .missingColumn])
    }

    @Test func badReferencesDatesCertaintiesAndIDsAreAllReportedAtOnce() {
        let nodes = "id,name\nlukashenko,Alexander\nlukashenko,Again\nzel\u{7}ensky,Z\n,Empty\nEvelyn Jefferson,E\n"
        let edges =
            "id,source,target,since,until,certainty,assertedBy\n"
            + "r1,lukashenk,lukashenko,2022-13,,confirmed,\n"
            + "r1,lukashenko,lukashenko,2023,2022,sure,nobody\n"
        let decoded = InteropCSVTests.decode(nodes, edges)
        #expect(decoded.graph == nil)
        let described = decoded.issues.map(\.description)
        #expect(
            described == [
                "nodes.csv:3:1: error: id: the entity id 'lukashenko' is used twice (first at line 2) — give each row its own id",
                "nodes.csv:4:1: error: id: the entity id contains the control character U+0007 — remove it: an id may hold any other character, spaces included",
                "nodes.csv:5:1: error: id: the entity id is empty — give it a short, unique id",
                "edges.csv:2:4: error: source: unknown entity 'lukashenk' — did you mean 'Alexander' (id lukashenko)?",
                "edges.csv:2:25: error: since: '2022-13' is not a date — use YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)",
                "edges.csv:3:1: error: id: the relation id 'r1' is used twice (first at line 2) — give each row its own id, or leave the id column empty to number rows",
                "edges.csv:3:31: error: until: since (2023) is after until (2022) — swap them, or fix the year",
                "edges.csv:3:36: error: certainty: 'sure' is not a certainty — use one of confirmed, reported, claimed, alleged, disputed, denied",
                "edges.csv:3:41: error: assertedBy: unknown entity 'nobody' — add a row for it to the nodes sheet",
            ])
    }

    @Test func lineNumbersCountLineBreaksInsideQuotesAndLoneCRs() {
        let decoded = InteropCSVTests.decode("id,description\ra,\"one\rtwo\r\nthree\"\rb,x,extra\r")
        #expect(decoded.errors.map(\.line) == [5])
    }

    @Test func brokenNodeRowsDoNotCascadeIntoEdgeErrors() {
        let decoded = InteropCSVTests.decode("id,name\na,Al,extra\nb,Bo\n", "source,target\na,b\n")
        #expect(decoded.errors.map(\.code) == [.wrongFieldCount])
    }

    @Test func nulBytesAndOddCharactersAreKept() throws {
        let name = "nul\u{0}byte \u{202E}rtl \u{200B}zw 🇺🇦 <script>"
        let nodes = "id,name\na,\"\(name)\"\n"
        let graph = try #require(InteropCSVTests.decode(nodes).graph)
        #expect(graph.entities["a"]?.name == name)
    }

    @Test func hugeLinesManyIssuesAndQuoteRunsStayFastAndBounded() {
        // One line with 200,000 fields.
        let wide = "id\n" + String(repeating: ",", count: 200_000) + "\n"
        let decodedWide = InteropCSVTests.decode(wide)
        #expect(decodedWide.errors.first?.code == .wrongFieldCount)
        // 5,000 bad rows: at most maximumIssuesPerFile listed, then a count.
        let many = "id,name\n" + String(repeating: "x\n", count: 5_000)
        let decodedMany = InteropCSVTests.decode(many)
        #expect(decodedMany.issues.count == CSVSheets.maximumIssuesPerFile + 1)
        #expect(decodedMany.issues.last?.code == .tooManyIssues)
        #expect(decodedMany.issues.last?.message == "4000 more issues in this file not listed (4000 errors)")
        // A field of 1,000,000 doubled quotes.
        let quotes = "id,name\na,\"" + String(repeating: "\"\"", count: 500_000) + "\"\n"
        let decodedQuotes = InteropCSVTests.decode(quotes)
        #expect(decodedQuotes.graph?.entities["a"]?.name.count == 500_000)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SplitMix64(seed: 7)
        let alphabet: [UInt8] = Array("ab,\"\r\n |\\".utf8) + [0x00, 0xC3, 0xA9, 0xFF, 0xE2, 0x80]
        for _ in 0..<300 {
            let length = Int.random(in: 0..<200, using: &generator)
            let nodes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let edges = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let decoded = CSVSheets.decode(
                nodes: Array("id,name\n".utf8) + nodes, edges: Array("source,target\n".utf8) + edges)
            for issue in decoded.issues {
                #expect(issue.line.map { $0 >= 1 } ?? true)
                #expect(issue.column.map { $0 >= 1 } ?? true)
            }
        }
    }

    // MARK: Files

    @Test func readsAFolderAndReportsMissingFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("interop-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("id\na\nb\n".utf8).write(to: folder.appendingPathComponent("nodes.csv"))
        let missing = CSVSheets.decode(folder: folder)
        #expect(missing.errors.map(\.code) == [.unreadableFile])
        #expect(missing.errors.first?.fileName?.hasSuffix("edges.csv") == true)
        try Data("source,target\na,b\n".utf8).write(to: folder.appendingPathComponent("edges.csv"))
        let graph = try CSVSheets.read(folder: folder)
        #expect(graph.relations.count == 1)
    }

    // MARK: Writing and round trips

    @Test func writesTheDocumentedHeadersAndQuotesOnlyWhenNeeded() throws {
        var graph = Graph()
        try graph.add(
            Entity(
                id: "a", name: "Smith, Al", kind: .person, aliases: ["x|y", "b\\c"],
                attributes: ["n": 3, "tags": ["p", "q"], "note": " padded "]))
        try graph.add(Entity(id: "b", name: "Bo", kind: .place))
        try graph.add(
            Relation(
                id: "r1", type: "leads", source: "a", target: "b", since: PartialDate("2022"),
                certainty: .claimed, assertedBy: "b"))
        let result = CSVSheets.write(graph)
        #expect(result.files.map(\.name) == ["nodes.csv", "edges.csv"])
        let expectedNodes =
            "id,name,kind,aliases,description,n,tags,note\n"
            + #"a,"Smith, Al",Person,x\|y|b\\c,,3,"[""p"",""q""]"," padded ""# + "\n"
            + "b,Bo,Place,,,,,\n"
        #expect(result.files[0].text == expectedNodes)
        #expect(
            result.files[1].text == """
                id,source,target,type,since,until,certainty,assertedBy
                r1,a,b,leads,2022,,claimed,b

                """)
        #expect(
            result.warnings == ["CSV writes 2 non-string attribute values as text (JSON); they read back as strings"])
        let back = try CSVSheets.read(nodes: result.files[0].bytes, edges: result.files[1].bytes)
        #expect(back.entities["a"]?.aliases == ["x|y", "b\\c"])
        #expect(back.entities["a"]?.attributes == ["n": "3", "tags": "[\"p\",\"q\"]", "note": " padded "])
    }

    @Test func seedGraphRoundTripsStably() throws {
        let seed = try GraphDocument.read(contentsOf: DocumentTestSupport.seedURL)
        let first = CSVSheets.write(seed)
        let graph = try CSVSheets.read(nodes: first.files[0].bytes, edges: first.files[1].bytes)
        #expect(graph.entities.count == seed.entities.count)
        #expect(graph.relations.count == seed.relations.count)
        #expect(Array(graph.entities.keys) == Array(seed.entities.keys))
        #expect(Array(graph.relations.keys) == Array(seed.relations.keys))
        for (id, entity) in seed.entities {
            let back = try #require(graph.entities[id])
            #expect(back.name == entity.name)
            #expect(back.kind == entity.kind)
            #expect(back.aliases == entity.aliases)
            #expect(back.description == entity.description)
        }
        for (id, relation) in seed.relations {
            let back = try #require(graph.relations[id])
            #expect(back.source == relation.source)
            #expect(back.target == relation.target)
            #expect(back.since == relation.since)
            #expect(back.until == relation.until)
            #expect(back.certainty == relation.certainty)
            #expect(back.assertedBy == relation.assertedBy)
            // Declared types whose label does not lead back to their id are written by id.
            #expect(back.type == relation.type)
        }
        let second = CSVSheets.write(graph)
        #expect(second.files == first.files)
        let third = try CSVSheets.read(nodes: second.files[0].bytes, edges: second.files[1].bytes)
        #expect(third == graph)
    }

    @Test func hostileGraphRoundTripsThroughCSV() throws {
        let graph = InteropFixtures.hostileGraph()
        let first = CSVSheets.write(graph)
        let back = try CSVSheets.read(nodes: first.files[0].bytes, edges: first.files[1].bytes)
        for (id, entity) in graph.entities {
            let read = try #require(back.entities[id])
            #expect(read.name == entity.name)
            #expect(read.aliases == entity.aliases)
            #expect(read.description == entity.description)
            for (key, value) in entity.attributes {
                #expect(read.attributes[key] == .string(value.cellText), "attribute \(key) of \(id)")
            }
        }
        for (id, relation) in graph.relations {
            let read = try #require(back.relations[id])
            #expect(read.type == relation.type)
            for (key, value) in relation.attributes {
                #expect(read.attributes[key] == .string(value.cellText), "attribute \(key) of \(id)")
            }
        }
        let second = CSVSheets.write(back)
        #expect(second.files == first.files)
        #expect(try CSVSheets.read(nodes: second.files[0].bytes, edges: second.files[1].bytes) == back)
    }

    @Test func warningsNameOnlyWhatTheGraphHas() throws {
        var plain = Graph()
        try plain.add(Entity(id: "a", name: "A", kind: .person))
        #expect(CSVSheets.write(plain).warnings.isEmpty)

        let seed = try GraphDocument.read(contentsOf: DocumentTestSupport.seedURL)
        let warnings = CSVSheets.write(seed).warnings.joined(separator: "\n")
        for fragment in [
            "graph title", "graph description", "source documents (no entity or relation cites them)",
            "dates and attributes of 1 cited source document", "declared relation type",
        ] {
            #expect(warnings.contains(fragment), "missing: \(fragment)")
        }
    }
}

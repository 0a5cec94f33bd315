import Foundation
import Testing

@testable import EntityGraph

/// CSV cells a spreadsheet would run as formulas are written with a leading `'` by default (OWASP),
/// read back without it, and written as they are on request.
@Suite struct CSVFormulaSafetyTests {
    static func startsWithTrigger(_ cell: String) -> Bool {
        cell.unicodeScalars.first.map(FormulaCells.isTrigger) ?? false
    }

    @Test func theFixtureRoundTripsAndNoCellStartsAFormula() throws {
        let graph = try HostileFixture.graph()
        let first = CSVSheets.write(graph)
        for file in first.files {
            for (line, record) in CSVSheetsParse.records(file.bytes).enumerated() {
                for cell in record {
                    #expect(!Self.startsWithTrigger(cell), "\(file.name) line \(line + 1): \(cell.debugDescription)")
                }
            }
        }
        let back = try CSVSheets.read(nodes: first.files[0].bytes, edges: first.files[1].bytes)
        #expect(Array(back.entities.keys) == Array(graph.entities.keys))
        #expect(Array(back.relations.keys) == Array(graph.relations.keys))
        for (id, entity) in graph.entities {
            let read = try #require(back.entities[id])
            #expect(read.name == entity.name)
            #expect(read.kind == entity.kind)
            #expect(read.aliases == entity.aliases)
            #expect(read.description == entity.description)
            #expect(Array(read.attributes.keys) == Array(entity.attributes.keys))
            for (key, value) in entity.attributes {
                #expect(read.attributes[key] == .string(value.cellText), "attribute \(key) of \(id)")
            }
        }
        for (id, relation) in graph.relations {
            let read = try #require(back.relations[id])
            #expect(read.type == relation.type && read.source == relation.source && read.target == relation.target)
            #expect(read.since == relation.since && read.until == relation.until)
            #expect(read.certainty == relation.certainty && read.assertedBy == relation.assertedBy)
            for (key, value) in relation.attributes {
                #expect(read.attributes[key] == .string(value.cellText), "attribute \(key) of \(id)")
            }
        }
        let second = CSVSheets.write(back)
        #expect(second.files == first.files)
        #expect(try CSVSheets.read(nodes: second.files[0].bytes, edges: second.files[1].bytes) == back)
        let warnings = first.warnings.joined(separator: "\n")
        #expect(warnings.contains("with a leading '"))
        #expect(warnings.contains("entity '=cmd' id"))
        #expect(warnings.contains("nodes.csv header '=formula key'"))
    }

    @Test func apostrophesBeforeAFormulaCharacterAreNeverAmbiguous() throws {
        let texts = ["'=x", "''+y", "'", "'plain", "''", "=", "-2", "'-2", "@", "\tx", "\rx", "a=b", " =x"]
        var graph = Graph()
        for (index, text) in texts.enumerated() {
            try graph.add(
                Entity(
                    id: EntityID("e\(index)"), name: text, kind: .person, aliases: [text],
                    attributes: ["value": .string(text)]))
        }
        let sheets = CSVSheets.write(graph)
        let cells = CSVSheetsParse.records(sheets.files[0].bytes).dropFirst().map { $0[1] }
        #expect(
            cells == ["''=x", "'''+y", "'", "'plain", "''", "'=", "'-2", "''-2", "'@", "'\tx", "'\rx", "a=b", " =x"])
        #expect(sheets.files[0].text.contains("\"''=x\""), "neutralised cells are quoted")
        let back = try CSVSheets.read(nodes: sheets.files[0].bytes, edges: sheets.files[1].bytes)
        #expect(back.entities.values.map(\.name) == texts)
        #expect(back.entities.values.map(\.aliases) == texts.map { [$0] })
        #expect(back.entities.values.map { $0.attributes["value"] } == texts.map { .string($0) })
    }

    @Test func theRawOptionWritesCellsAsTheyAre() throws {
        let graph = try HostileFixture.graph()
        let raw = CSVSheets.write(graph, formulaSafety: .raw)
        #expect(graph.export(as: .csv, formulaSafety: .raw) == raw)
        let nodes = CSVSheetsParse.records(raw.files[0].bytes)
        #expect(nodes[0].contains("=formula key"))
        #expect(nodes.contains { $0[0] == "=cmd" })
        #expect(nodes.contains { $0[0] == "-lead" && $0[1] == "=HYPERLINK(\"https://example.org\",\"click\")" })
        #expect(!raw.warnings.contains { $0.contains("with a leading '") })
        let back = try CSVSheets.read(nodes: raw.files[0].bytes, edges: raw.files[1].bytes)
        #expect(Array(back.entities.keys) == Array(graph.entities.keys))

        var quoted = Graph()
        try quoted.add(Entity(id: "a", name: "'=x", kind: .person))
        let warning = CSVSheets.write(quoted, formulaSafety: .raw).warnings.joined(separator: "\n")
        #expect(warning.contains("reads them without their first '"))
        #expect(warning.contains("entity 'a' name"))
    }

    @Test func neo4jCellsAreNeutralisedExceptTypedNumbers() throws {
        var graph = try HostileFixture.graph()
        try graph.add(
            Entity(id: "n", name: "negative", kind: .person, attributes: ["count": -2, "ratio": -0.5, "text": "-2"]))
        let result = graph.export(as: .neo4jCSV)
        let nodes = CSVSheetsParse.records(result.files[0].bytes)
        let header = nodes[0]
        let count = try #require(header.firstIndex(of: "count:long"))
        let ratio = try #require(header.firstIndex(of: "ratio:double"))
        for (fileIndex, file) in result.files.enumerated() {
            for record in CSVSheetsParse.records(file.bytes) {
                for (column, cell) in record.enumerated() where Self.startsWithTrigger(cell) {
                    #expect(fileIndex == 0 && (column == count || column == ratio), "\(file.name): \(cell)")
                }
            }
        }
        #expect(header.contains("'=formula key"))
        let row = try #require(nodes.last)
        #expect(row[count] == "-2" && row[ratio] == "-0.5" && row.contains("'-2"))
        #expect(nodes.contains { $0[0] == "'=cmd" })
        let relationships = CSVSheetsParse.records(result.files[1].bytes)
        #expect(relationships.contains { $0[0] == "'=cmd" || $0[1] == "'=cmd" }, "endpoints match the ids")
        #expect(result.warnings.contains { $0.contains("neo4j-admin imports them with it") })

        let raw = CSVSheetsParse.records(graph.export(as: .neo4jCSV, formulaSafety: .raw).files[0].bytes)
        #expect(raw[0].contains("=formula key"))
        #expect(raw.contains { $0[0] == "=cmd" })
    }
}

import Foundation
import OrderedCollections

// MARK: - Writer

struct CSVSheetWriter {
    let graph: Graph
    var warnings: [String] = []
    var formulas: FormulaLog

    init(graph: Graph, formulaSafety: CSVSheets.FormulaSafety) {
        self.graph = graph
        formulas = FormulaLog(formulaSafety)
    }

    mutating func export() -> ExportResult {
        let inventory = GraphInventory(graph)
        var nonStrings = 0
        var emptyTexts = 0

        // Vocabulary cells: labels when they read back to the same id.
        var kindCells = CSVVocabularyWriter(CSVVocabulary.kinds())
        var typeCells = CSVVocabularyWriter(CSVVocabulary.relationTypes())

        // Source columns (``CSVSources``), when anything is cited.
        let sourceColumns = inventory.citations > 0 ? CSVSources.header : []
        func sourceCells(_ citations: [Citation]) -> [String] {
            sourceColumns.isEmpty ? [] : CSVSources.cells(citations, in: graph)
        }

        // nodes.csv
        let nodeNumbers = CSVSheetWriter.numberKeys(graph.entities.values.lazy.map(\.attributes))
        let nodeColumns = AttributeColumns(
            reserved: CSVColumns.nodeReserved, plain: nodeNumbers,
            attributes: graph.entities.values.lazy.map(\.attributes))
        var nodes = ""
        let fixedNodeFields = ["id", "name", "kind", "aliases", "description"] + sourceColumns
        let nodeFields = fixedNodeFields + nodeColumns.keys.map { "attribute " + warningQuoted($0) }
        row(fixedNodeFields + nodeColumns.columns, "nodes.csv header", [], to: &nodes)
        let nodeNumberCells = CSVSheetWriter.positions(of: nodeNumbers, in: nodeColumns, after: fixedNodeFields.count)
        for entity in graph.entities.values {
            let kind = graph.kind(entity.kind)
            let kindCell = kindCells.cell(
                id: entity.kind.rawValue, label: kind?.label ?? entity.kind.rawValue,
                isBuiltIn: graph.declaredKinds[entity.kind] == nil)
            if entity.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { emptyTexts += 1 }
            if entity.description?.isEmpty == true { emptyTexts += 1 }
            emptyTexts += entity.aliases.count { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            var fields = [
                entity.id.rawValue, entity.name, kindCell, CSVSheetWriter.joinAliases(entity.aliases),
                entity.description ?? "",
            ]
            fields += sourceCells(entity.sources)
            for key in nodeColumns.keys {
                let value = entity.attributes[key]
                if let value, value.stringValue == nil, !nodeNumbers.contains(key) { nonStrings += 1 }
                if value?.stringValue == "" { emptyTexts += 1 }
                fields.append(value?.cellText ?? "")
            }
            row(fields, "entity " + warningQuoted(entity.id.rawValue), nodeFields, numbers: nodeNumberCells, to: &nodes)
        }

        // edges.csv
        let edgeNumbers = CSVSheetWriter.numberKeys(graph.relations.values.lazy.map(\.attributes))
        let edgeColumns = AttributeColumns(
            reserved: CSVColumns.edgeReserved, plain: edgeNumbers,
            attributes: graph.relations.values.lazy.map(\.attributes))
        var edges = ""
        let fixedEdgeFields =
            ["id", "source", "target", "type", "since", "until", "certainty", "assertedBy"] + sourceColumns
        let edgeFields = fixedEdgeFields + edgeColumns.keys.map { "attribute " + warningQuoted($0) }
        row(fixedEdgeFields + edgeColumns.columns, "edges.csv header", [], to: &edges)
        let edgeNumberCells = CSVSheetWriter.positions(of: edgeNumbers, in: edgeColumns, after: fixedEdgeFields.count)
        for relation in graph.relations.values {
            let type = graph.relationType(relation.type)
            let typeCell = typeCells.cell(
                id: relation.type.rawValue, label: type?.label ?? relation.type.rawValue,
                isBuiltIn: graph.declaredRelationTypes[relation.type] == nil)
            var fields = [
                relation.id.rawValue, relation.source.rawValue, relation.target.rawValue, typeCell,
                relation.since?.description ?? "", relation.until?.description ?? "", relation.certainty.rawValue,
                relation.assertedBy?.rawValue ?? "",
            ]
            fields += sourceCells(relation.sources)
            for key in edgeColumns.keys {
                let value = relation.attributes[key]
                if let value, value.stringValue == nil, !edgeNumbers.contains(key) { nonStrings += 1 }
                if value?.stringValue == "" { emptyTexts += 1 }
                fields.append(value?.cellText ?? "")
            }
            row(
                fields, "relation " + warningQuoted(relation.id.rawValue), edgeFields, numbers: edgeNumberCells,
                to: &edges)
        }

        // What the sheets cannot carry.
        let name = "CSV"
        // Documents travel in the rows that cite them: those no row cites are lost, and so are dates
        // and attributes.
        var cited = Set<DocumentID>()
        for entity in graph.entities.values { cited.formUnion(entity.sources.map(\.document)) }
        for relation in graph.relations.values { cited.formUnion(relation.sources.map(\.document)) }
        var lost = inventory
        lost.documents = graph.documents.keys.count { !cited.contains($0) }
        warnings += lost.graphLevelDrops(name, documentsNote: "no entity or relation cites them")
        let details = graph.documents.values.count {
            cited.contains($0.id) && ($0.date != nil || !$0.attributes.isEmpty)
        }
        if details > 0 {
            warnings.append(
                "\(name) drops the dates and attributes of \(pluralize(details, "cited source document"))")
        }
        if inventory.richKinds > 0 {
            warnings.append("\(name) drops the attributes of \(pluralize(inventory.richKinds, "declared kind"))")
        }
        if inventory.richRelationTypes > 0 {
            warnings.append(
                "\(name) drops the inverse labels, symmetric flags, categories and attributes of "
                    + "\(pluralize(inventory.richRelationTypes, "declared relation type")) (read back: category other, directed)"
            )
        }
        let changedKinds = kindCells.changed.keys
        let changedTypes = typeCells.changed.keys
        if !changedKinds.isEmpty {
            warnings.append(
                "\(name) cannot keep the id and label of \(pluralize(changedKinds.count, "kind")) together: "
                    + changedKinds.prefix(8).joined(separator: ", ") + " (written as ids; labels dropped)")
        }
        if !changedTypes.isEmpty {
            warnings.append(
                "\(name) cannot keep the id and label of \(pluralize(changedTypes.count, "relation type")) together: "
                    + changedTypes.prefix(8).joined(separator: ", ") + " (written as ids; labels dropped)")
        }
        if nonStrings > 0 {
            warnings.append(
                "\(name) writes \(pluralize(nonStrings, "non-string attribute value")) as text (JSON); they read back as strings"
            )
        }
        if emptyTexts > 0 {
            warnings.append(
                "\(name) drops \(pluralize(emptyTexts, "empty text value")) (empty names, descriptions, aliases or attribute values; empty cells read back as absent)"
            )
        }
        if let warning = formulas.warning(
            format: name,
            consequence: "EntityGraph's CSV reader removes it; write with formula safety raw for other programs")
        {
            warnings.append(warning)
        }
        return ExportResult(
            format: .csv,
            files: [
                ExportedFile(name: CSVSheets.nodesFileName, bytes: Array(nodes.utf8)),
                ExportedFile(name: CSVSheets.edgesFileName, bytes: Array(edges.utf8)),
            ],
            warnings: warnings)
    }

    /// The number columns (``CSVColumns/numbers``) this sheet can write as such: those whose every
    /// value is a JSON number the reader gets back (an integer or a finite double). Any other value
    /// sends the key to an `attr.` column, read back as text.
    static func numberKeys(_ attributes: some Sequence<Attributes>) -> Set<String> {
        var keys = Set(CSVColumns.numbers)
        for dictionary in attributes {
            for key in keys {
                switch dictionary[key] {
                case nil, .integer?: continue
                case .double(let number)? where number.isFinite: continue
                default: keys.remove(key)
                }
            }
        }
        return keys
    }

    /// The cell positions of `keys` in a row with `fixed` fields before the attribute columns.
    static func positions(of keys: Set<String>, in columns: AttributeColumns, after fixed: Int) -> Set<Int> {
        Set(columns.keys.indices.filter { keys.contains(columns.keys[$0]) }.map { $0 + fixed })
    }

    /// Aliases joined with `|`, escaping `|` and `\` inside them with a backslash.
    static func joinAliases(_ aliases: [String]) -> String {
        CSVSources.join(aliases.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
    }

    /// Appends one record: each cell made formula-safe (see ``CSVSheets/FormulaSafety``), quoted
    /// when needed, separated by commas, ended by LF. `owner` and `names` name the cells in the
    /// warning (`entity 'a' name`; a header cell by its text). Cells at `numbers` hold numbers
    /// (`-2.5`), which no spreadsheet runs as a formula: they are written as they are.
    mutating func row(
        _ fields: [String], _ owner: String, _ names: [String], numbers: Set<Int> = [], to output: inout String
    ) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output += "," }
            if numbers.contains(index) {
                output += field
                continue
            }
            let (text, quote) = formulas.cell(
                field, owner + " " + (index < names.count ? names[index] : warningQuoted(field)))
            output += quote ? CSVSheetWriter.forceQuoted(text) : CSVSheetWriter.quoted(text)
        }
        output += "\n"
    }

    /// The field in double quotes, quotes inside doubled.
    static func forceQuoted(_ field: String) -> String {
        "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The field as written: quoted (with doubled quotes) when it holds a comma, quote, CR or LF,
    /// or starts or ends with whitespace; as is otherwise.
    static func quoted(_ field: String) -> String {
        var needsQuotes = false
        for scalar in field.unicodeScalars where scalar == "," || scalar == "\"" || scalar == "\n" || scalar == "\r" {
            needsQuotes = true
            break
        }
        if !needsQuotes, let first = field.unicodeScalars.first, let last = field.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        {
            needsQuotes = true
        }
        guard needsQuotes else { return field }
        return forceQuoted(field)
    }
}

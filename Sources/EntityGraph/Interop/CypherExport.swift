/// Names and literals shared by the Cypher script and the neo4j-admin CSV files.
enum CypherNames {
    /// The label every entity node carries, so relations can find their endpoints by `id`.
    static let entityLabel = "Entity"
    /// The label of source-document nodes.
    static let documentLabel = "SourceDocument"

    /// A node label for a kind id: UpperCamelCase, ASCII letters, digits and `_` only
    /// (`militaryUnit` → `MilitaryUnit`); never empty, never starting with a digit.
    static func label(forKind id: String) -> String {
        var result = ""
        var capitalizeNext = true
        for scalar in id.unicodeScalars {
            let isLetter = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
            let isDigit = scalar >= "0" && scalar <= "9"
            if isLetter || isDigit || scalar == "_" {
                let text = String(scalar)
                result += capitalizeNext ? text.uppercased() : text
                capitalizeNext = false
            } else {
                capitalizeNext = true
            }
        }
        if result.isEmpty { return "Kind" }
        if let first = result.unicodeScalars.first, first >= "0" && first <= "9" { result = "K" + result }
        return result
    }

    /// A relationship type for a relation type id: UPPER_SNAKE_CASE (`apologizedTo` → `APOLOGIZED_TO`),
    /// ASCII letters, digits and `_` only; never empty, never starting with a digit.
    static func relationshipType(for id: String) -> String {
        var result = ""
        var previousWasLowerOrDigit = false
        for scalar in id.unicodeScalars {
            let isUpper = scalar >= "A" && scalar <= "Z"
            let isLower = scalar >= "a" && scalar <= "z"
            let isDigit = scalar >= "0" && scalar <= "9"
            if isUpper || isLower || isDigit {
                if isUpper && previousWasLowerOrDigit && !result.hasSuffix("_") { result += "_" }
                result += String(scalar).uppercased()
                previousWasLowerOrDigit = isLower || isDigit
            } else {
                if !result.isEmpty && !result.hasSuffix("_") { result += "_" }
                previousWasLowerOrDigit = false
            }
        }
        while result.hasSuffix("_") { result.removeLast() }
        if result.isEmpty { return "RELATED" }
        if let first = result.unicodeScalars.first, first >= "0" && first <= "9" { result = "T_" + result }
        return result
    }

    /// A backtick-quoted identifier; backticks inside are doubled.
    static func quotedIdentifier(_ name: String) -> String {
        "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }

    /// A single-quoted Cypher string literal. Escapes `\`, `'`, `"`, and writes line feed, carriage
    /// return, tab, backspace and form feed as `\n` `\r` `\t` `\b` `\f`; every other control
    /// character, U+0085, U+2028 and U+2029 as `\uXXXX`. Everything else is written as UTF-8.
    static func string(_ text: String) -> String {
        var output = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "'": output += "\\'"
            case "\"": output += "\\\""
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0x7F || value == 0x85 || value == 0x2028 || value == 0x2029 {
                    output += "\\u" + hex4(value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "'"
    }

    /// Text safe for a `//` comment: every line break, control character and bidirectional
    /// formatting character (which could reorder the line as an editor shows it) becomes a space.
    static func comment(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    let value = scalar.value
                    return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
                        || MermaidExporter.isBidiControl(scalar) ? " " : scalar
                }))
    }

    /// A float literal Cypher parses: no `+` in the exponent.
    static func float(_ number: Double) -> String {
        number.description.replacingOccurrences(of: "e+", with: "e")
    }

    /// A property value literal, or `nil` when the value is not a Neo4j property type (null, an
    /// object, a mixed or nested array, a non-finite number): those are written as JSON text.
    static func literal(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return string(text)
        case .integer(let number):
            return number == Int64.min ? "(-9223372036854775807 - 1)" : String(number)
        case .double(let number): return number.isFinite ? float(number) : nil
        case .bool(let flag): return flag ? "true" : "false"
        case .null, .object: return nil
        case .array(let values):
            // Neo4j lists are homogeneous lists of scalars.
            let allStrings = values.allSatisfy { if case .string = $0 { return true } else { return false } }
            let allIntegers = values.allSatisfy { if case .integer = $0 { return true } else { return false } }
            let allNumbers = values.allSatisfy {
                switch $0 {
                case .integer: return true
                case .double(let number): return number.isFinite
                default: return false
                }
            }
            let allBools = values.allSatisfy { if case .bool = $0 { return true } else { return false } }
            guard allStrings || allIntegers || allNumbers || allBools else { return nil }
            let items = values.map { item -> String in
                if allNumbers && !allIntegers, case .integer(let number) = item { return float(Double(number)) }
                return literal(item) ?? "null"
            }
            return "[" + items.joined(separator: ", ") + "]"
        }
    }
}

/// The node labels, relationship types and property names the Cypher script and the neo4j-admin
/// CSV files use for one graph. Reducing ids to `[A-Za-z0-9_]` can make two of them equal
/// (`thinkTank` and `think-tank` are both `ThinkTank`): the second gets `_2` (`_3`, …), so two
/// kinds, types or keys never merge into one, and a warning names each one that was changed.
struct CypherSchema {
    /// The kind label of each kind, or `nil` when the node carries only `Entity` (the first kind
    /// whose label would be `Entity`).
    private(set) var kindLabels: [KindID: String?] = [:]
    private(set) var relationshipTypes: [RelationTypeID: String] = [:]
    private(set) var warnings: [String] = []

    init(graph: Graph, format: String) {
        var labelsTaken: Set<String> = [CypherNames.documentLabel]
        for entity in graph.entities.values where kindLabels[entity.kind] == nil {
            let base = CypherNames.label(forKind: entity.kind.rawValue)
            if base == CypherNames.entityLabel && !labelsTaken.contains(base) {
                labelsTaken.insert(base)
                kindLabels[entity.kind] = .some(nil)
                continue
            }
            let label = CypherSchema.unique(base, taken: &labelsTaken)
            kindLabels[entity.kind] = label
            if label != base {
                let reason =
                    base == CypherNames.documentLabel
                    ? "the label of source documents" : "the label of another kind"
                warnings.append(
                    "\(format) writes the kind \(warningQuoted(entity.kind.rawValue)) as \(label) "
                        + "(\(base) is \(reason)); the kind property keeps the id")
            }
        }
        var typesTaken = Set<String>()
        for relation in graph.relations.values where relationshipTypes[relation.type] == nil {
            let base = CypherNames.relationshipType(for: relation.type.rawValue)
            let type = CypherSchema.unique(base, taken: &typesTaken)
            relationshipTypes[relation.type] = type
            if type != base {
                warnings.append(
                    "\(format) writes the relation type \(warningQuoted(relation.type.rawValue)) as \(type) "
                        + "(\(base) is the type of another relation type); the type property keeps the id")
            }
        }
    }

    /// The labels of an entity's node: `Entity` and its kind label.
    func labels(of kind: KindID) -> [String] {
        [CypherNames.entityLabel] + ((kindLabels[kind] ?? nil).map { [$0] } ?? [])
    }

    func relationshipType(of type: RelationTypeID) -> String {
        relationshipTypes[type] ?? CypherNames.relationshipType(for: type.rawValue)
    }

    /// `base`, or `base_2`, `base_3`, … : the first not in `taken` (compared exactly), which it joins.
    static func unique(_ base: String, taken: inout Set<String>) -> String {
        uniqueName(base, taken: &taken, suffix: { "_\($0)" })
    }

    /// Property names for attribute columns: each column with a character `unsafe` names is
    /// written with `_` for it (then `_2`, `_3`, … until no other name or `reserved` name equals
    /// it, ignoring case, so a renamed key never lands on a name that differs only in case), and a warning names the key and the first of the entities or relations
    /// (`noun`) that have it.
    static func propertyNames(
        _ columns: AttributeColumns, reserved: [String], unsafe: Unicode.Scalar, why: String, format: String,
        noun: (String, String), owners: [(id: String, attributes: Attributes)], warnings: inout [String]
    ) -> [String] {
        var names = columns.columns
        var taken = Set(reserved.map { $0.lowercased() })
        for column in names where !column.unicodeScalars.contains(unsafe) { taken.insert(column.lowercased()) }
        for (index, column) in names.enumerated() where column.unicodeScalars.contains(unsafe) {
            let base = String(String.UnicodeScalarView(column.unicodeScalars.map { $0 == unsafe ? "_" : $0 }))
            var candidate = base
            var counter = 2
            while taken.contains(candidate.lowercased()) {
                candidate = base + "_\(counter)"
                counter += 1
            }
            taken.insert(candidate.lowercased())
            names[index] = candidate
            let key = columns.keys[index]
            let having = owners.filter { $0.attributes[key] != nil }
            let first = having.first.map { ", first \(noun.0) \(warningQuoted($0.id))" } ?? ""
            warnings.append(
                "\(format) writes the attribute key \(warningQuoted(key)) as \(warningQuoted(candidate)) (\(why)) "
                    + "on \(pluralize(having.count, noun.0, noun.1))\(first)")
        }
        return names
    }
}

/// A Cypher script: one `CREATE` per source document, one `CREATE` per entity and one
/// `MATCH … CREATE` per relation, each statement on one line ending in `;` (cypher-shell runs it as is).
///
/// - Entities are `(:Entity:<KindLabel> {id, name, kind, aliases, description, sources, …attributes})`;
///   the kind label is the kind id in UpperCamelCase (`militaryUnit` → `` `MilitaryUnit` ``), always
///   backtick-quoted.
/// - Relations are `[:<TYPE> {id, type, since, until, certainty, assertedBy, sources, …attributes}]`,
///   the type in UPPER_SNAKE_CASE (`apologizedTo` → `` `APOLOGIZED_TO` ``); the exact type id is the
///   `type` property. Dates are the partial ISO strings as written.
/// - Documents are `(:SourceDocument {id, title, publisher, date, url})`; citations are JSON text
///   in `sources`.
/// - Attribute keys are backtick-quoted property names; values that Neo4j cannot store (null,
///   objects, mixed arrays) become JSON text. A key holding a backtick is written with `_` instead
///   (named in a warning): openCypher doubles a backtick inside a quoted name, but FalkorDB cannot
///   read that, and misreads the rest of the statement.
/// - Two kinds or relation types whose labels would be equal get `_2`, `_3`, … (see
///   ``CypherSchema``), so no two merge into one.
///
/// Strings are single-quoted with every special character escaped (see ``CypherNames/string(_:)``);
/// user text in comments has its line breaks removed, so it cannot end the comment.
struct CypherExporter {
    let graph: Graph

    static let entityFixed = ["id", "name", "kind", "aliases", "description", "sources"]
    static let relationFixed = ["id", "type", "since", "until", "certainty", "assertedBy", "sources"]

    func export() -> ExportResult {
        let inventory = GraphInventory(graph)
        var jsonEncoded = 0
        var output = "// EntityGraph export"
        if let title = graph.title { output += ": " + CypherNames.comment(title) }
        output +=
            "\n// \(pluralize(graph.documents.count, "source document")), \(pluralize(graph.entities.count, "entity", "entities")), "
        output += "\(pluralize(graph.relations.count, "relation")); one statement per line.\n"
        output += "// On large graphs create an index first (Neo4j 5): "
        output += "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;\n"

        for document in graph.documents.values {
            var properties = [
                ("id", CypherNames.string(document.id.rawValue)), ("title", CypherNames.string(document.title)),
            ]
            if let publisher = document.publisher { properties.append(("publisher", CypherNames.string(publisher))) }
            if let date = document.date { properties.append(("date", CypherNames.string(date.description))) }
            if let url = document.url { properties.append(("url", CypherNames.string(url))) }
            output += "CREATE (:\(CypherNames.quotedIdentifier(CypherNames.documentLabel)) \(map(properties)));\n"
        }

        let schema = CypherSchema(graph: graph, format: "Cypher")
        var keyWarnings: [String] = []
        let why = "FalkorDB cannot read a backtick in a name"
        let entityColumns = AttributeColumns(
            reserved: CypherExporter.entityFixed, attributes: graph.entities.values.lazy.map(\.attributes))
        let entityNames = CypherSchema.propertyNames(
            entityColumns, reserved: CypherExporter.entityFixed, unsafe: "`", why: why, format: "Cypher",
            noun: ("entity", "entities"), owners: graph.entities.values.map { ($0.id.rawValue, $0.attributes) },
            warnings: &keyWarnings)
        for entity in graph.entities.values {
            var properties = [
                ("id", CypherNames.string(entity.id.rawValue)), ("name", CypherNames.string(entity.name)),
                ("kind", CypherNames.string(entity.kind.rawValue)),
            ]
            if !entity.aliases.isEmpty {
                properties.append(
                    ("aliases", "[" + entity.aliases.map(CypherNames.string).joined(separator: ", ") + "]"))
            }
            if let description = entity.description {
                properties.append(("description", CypherNames.string(description)))
            }
            if !entity.sources.isEmpty {
                properties.append(("sources", CypherNames.string(CompactJSON.encode(entity.sources))))
            }
            appendAttributes(
                entity.attributes, keys: entityColumns.keys, names: entityNames, to: &properties,
                jsonEncoded: &jsonEncoded)
            let labels = schema.labels(of: entity.kind).map { ":" + CypherNames.quotedIdentifier($0) }.joined()
            output += "CREATE (\(labels) \(map(properties)));\n"
        }

        let relationColumns = AttributeColumns(
            reserved: CypherExporter.relationFixed, attributes: graph.relations.values.lazy.map(\.attributes))
        let relationNames = CypherSchema.propertyNames(
            relationColumns, reserved: CypherExporter.relationFixed, unsafe: "`", why: why, format: "Cypher",
            noun: ("relation", "relations"), owners: graph.relations.values.map { ($0.id.rawValue, $0.attributes) },
            warnings: &keyWarnings)
        let entity = CypherNames.quotedIdentifier(CypherNames.entityLabel)
        for relation in graph.relations.values {
            var properties = [
                ("id", CypherNames.string(relation.id.rawValue)), ("type", CypherNames.string(relation.type.rawValue)),
            ]
            if let since = relation.since { properties.append(("since", CypherNames.string(since.description))) }
            if let until = relation.until { properties.append(("until", CypherNames.string(until.description))) }
            properties.append(("certainty", CypherNames.string(relation.certainty.rawValue)))
            if let asserter = relation.assertedBy {
                properties.append(("assertedBy", CypherNames.string(asserter.rawValue)))
            }
            if !relation.sources.isEmpty {
                properties.append(("sources", CypherNames.string(CompactJSON.encode(relation.sources))))
            }
            appendAttributes(
                relation.attributes, keys: relationColumns.keys, names: relationNames, to: &properties,
                jsonEncoded: &jsonEncoded)
            let type = CypherNames.quotedIdentifier(schema.relationshipType(of: relation.type))
            output += "MATCH (a:\(entity) {id: \(CypherNames.string(relation.source.rawValue))}), "
            output += "(b:\(entity) {id: \(CypherNames.string(relation.target.rawValue))}) "
            output += "CREATE (a)-[:\(type) \(map(properties))]->(b);\n"
        }

        var warnings = schema.warnings + keyWarnings
        if inventory.hasTitle { warnings.append("Cypher keeps the graph title only as a comment") }
        if inventory.hasDescription { warnings.append("Cypher drops the graph description") }
        if inventory.graphAttributes > 0 {
            warnings.append("Cypher drops \(pluralize(inventory.graphAttributes, "graph attribute"))")
        }
        if inventory.declaredKinds > 0 {
            warnings.append(
                "Cypher drops the labels and attributes of \(pluralize(inventory.declaredKinds, "declared kind")) "
                    + "(nodes keep the kind id and a label made from it)")
        }
        if inventory.declaredRelationTypes > 0 {
            warnings.append(
                "Cypher drops the labels, inverse labels, symmetric flags, categories and attributes of "
                    + "\(pluralize(inventory.declaredRelationTypes, "declared relation type")) (relationships keep the type id)"
            )
        }
        if inventory.symmetricRelations > 0 {
            warnings.append(
                "Cypher writes \(pluralize(inventory.symmetricRelations, "relation")) of symmetric types as directed relationships"
            )
        }
        if jsonEncoded > 0 {
            warnings.append(
                "Cypher writes \(pluralize(jsonEncoded, "attribute value")) Neo4j cannot store (null, objects, "
                    + "mixed or nested arrays, non-finite numbers) as JSON text")
        }
        if documentsHaveAttributes {
            warnings.append("Cypher drops the attributes of source documents")
        }
        return ExportResult(
            format: .cypher, files: [ExportedFile(name: "graph.cypher", bytes: Array(output.utf8))], warnings: warnings)
    }

    private var documentsHaveAttributes: Bool { graph.documents.values.contains { !$0.attributes.isEmpty } }

    private func appendAttributes(
        _ attributes: Attributes, keys: [String], names: [String], to properties: inout [(String, String)],
        jsonEncoded: inout Int
    ) {
        guard !attributes.isEmpty else { return }
        for (key, column) in zip(keys, names) {
            guard let value = attributes[key] else { continue }
            let name = CypherNames.quotedIdentifier(column)
            if let literal = CypherNames.literal(value) {
                properties.append((name, literal))
            } else {
                jsonEncoded += 1
                properties.append((name, CypherNames.string(CompactJSON.encode(value))))
            }
        }
    }

    private func map(_ properties: [(String, String)]) -> String {
        "{" + properties.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
    }
}

/// The two files `neo4j-admin database import full` reads:
///
/// - `nodes.csv`: `id:ID,name,kind,:LABEL,aliases:string[],description,sources,…attributes` — labels
///   `Entity;<KindLabel>` (as in the Cypher export), aliases separated by `;`.
/// - `relationships.csv`: `:START_ID,:END_ID,:TYPE,id,type,since,until,certainty,assertedBy,sources,…attributes`.
///
/// Attribute columns are typed (`:long`, `:double`, `:boolean`, else string with JSON text for
/// containers). Fields are quoted as in RFC 4180; values with line breaks need
/// `--multiline-fields=true` (a warning says so when there are any). Cells that start with `=`, `+`,
/// `-`, `@`, tab or CR follow ``CSVSheets/FormulaSafety`` (by default a leading `'`, which
/// neo4j-admin imports); numbers in typed columns never get one. Attribute keys holding `:` are
/// written with `_` (then `_2`, … until unique), labels and types as in ``CypherSchema``.
struct Neo4jCSVExporter {
    let graph: Graph
    var formulaSafety: CSVSheets.FormulaSafety = .neutralize

    func export() -> ExportResult {
        let name = "neo4j-admin CSV"
        let inventory = GraphInventory(graph)
        let schema = CypherSchema(graph: graph, format: name)
        var keyWarnings: [String] = []
        var formulas = FormulaLog(formulaSafety)
        var jsonEncoded = 0
        var multiline = 0
        var aliasesWithDelimiter = 0
        var emptyStrings = 0

        /// A user cell: formula-safe, quoted as needed; `what` names it in the warning.
        func field(_ text: String, _ what: @autoclosure () -> String) -> String {
            if text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) { multiline += 1 }
            let (cell, quote) = formulas.cell(text, what())
            return quote ? CSVSheetWriter.forceQuoted(cell) : neo4jQuoted(cell)
        }
        /// An attribute cell: numbers in typed columns are not formulas, and stay as they are.
        func value(_ text: String, _ type: ColumnType, _ what: @autoclosure () -> String) -> String {
            type == .long || type == .double ? neo4jQuoted(text) : field(text, what())
        }
        func typeSuffix(_ type: ColumnType) -> String {
            switch type {
            case .long: return ":long"
            case .double: return ":double"
            case .boolean: return ":boolean"
            case .string: return ""
            }
        }
        let why = "':' starts a type in neo4j-admin headers"

        let nodeFixed = ["id:ID", "name", "kind", ":LABEL", "aliases:string[]", "description", "sources"]
        let nodeColumns = AttributeColumns(
            reserved: CypherExporter.entityFixed + ["label"], attributes: graph.entities.values.lazy.map(\.attributes))
        let nodeNames = CypherSchema.propertyNames(
            nodeColumns, reserved: CypherExporter.entityFixed + ["label"], unsafe: ":", why: why, format: name,
            noun: ("entity", "entities"), owners: graph.entities.values.map { ($0.id.rawValue, $0.attributes) },
            warnings: &keyWarnings)
        let nodeTypes = nodeColumns.keys.map { key in
            ColumnType(graph.entities.values.lazy.compactMap { $0.attributes[key] })
        }
        var nodes =
            (nodeFixed.map(neo4jQuoted)
            + zip(nodeNames, nodeTypes).map { field($0 + typeSuffix($1), "nodes.csv header " + warningQuoted($0)) })
            .joined(separator: ",") + "\n"
        for entity in graph.entities.values {
            let labels = schema.labels(of: entity.kind).joined(separator: ";")
            aliasesWithDelimiter += entity.aliases.count { $0.contains(";") }
            let owner = "entity " + warningQuoted(entity.id.rawValue)
            var row = [
                field(entity.id.rawValue, owner + " id"), field(entity.name, owner + " name"),
                field(entity.kind.rawValue, owner + " kind"), labels,
                field(entity.aliases.joined(separator: ";"), owner + " aliases"),
                field(entity.description ?? "", owner + " description"),
                field(entity.sources.isEmpty ? "" : CompactJSON.encode(entity.sources), owner + " sources"),
            ]
            for (index, key) in nodeColumns.keys.enumerated() {
                guard let attribute = entity.attributes[key] else {
                    row.append("")
                    continue
                }
                if attribute.stringValue == "" { emptyStrings += 1 }
                let text = nodeTypes[index].xmlText(attribute, jsonEncoded: &jsonEncoded)
                row.append(value(text, nodeTypes[index], owner + " attribute " + warningQuoted(key)))
            }
            nodes += row.joined(separator: ",") + "\n"
        }

        let edgeFixed = [
            ":START_ID", ":END_ID", ":TYPE", "id", "type", "since", "until", "certainty", "assertedBy", "sources",
        ]
        let edgeColumns = AttributeColumns(
            reserved: CypherExporter.relationFixed, attributes: graph.relations.values.lazy.map(\.attributes))
        let edgeNames = CypherSchema.propertyNames(
            edgeColumns, reserved: CypherExporter.relationFixed, unsafe: ":", why: why, format: name,
            noun: ("relation", "relations"), owners: graph.relations.values.map { ($0.id.rawValue, $0.attributes) },
            warnings: &keyWarnings)
        let edgeTypes = edgeColumns.keys.map { key in
            ColumnType(graph.relations.values.lazy.compactMap { $0.attributes[key] })
        }
        var relationships =
            (edgeFixed.map(neo4jQuoted)
            + zip(edgeNames, edgeTypes).map {
                field($0 + typeSuffix($1), "relationships.csv header " + warningQuoted($0))
            })
            .joined(separator: ",") + "\n"
        for relation in graph.relations.values {
            let owner = "relation " + warningQuoted(relation.id.rawValue)
            var row = [
                field(relation.source.rawValue, owner + " source"), field(relation.target.rawValue, owner + " target"),
                schema.relationshipType(of: relation.type), field(relation.id.rawValue, owner + " id"),
                field(relation.type.rawValue, owner + " type"), relation.since?.description ?? "",
                relation.until?.description ?? "", relation.certainty.rawValue,
                field(relation.assertedBy?.rawValue ?? "", owner + " assertedBy"),
                field(relation.sources.isEmpty ? "" : CompactJSON.encode(relation.sources), owner + " sources"),
            ]
            for (index, key) in edgeColumns.keys.enumerated() {
                guard let attribute = relation.attributes[key] else {
                    row.append("")
                    continue
                }
                if attribute.stringValue == "" { emptyStrings += 1 }
                let text = edgeTypes[index].xmlText(attribute, jsonEncoded: &jsonEncoded)
                row.append(value(text, edgeTypes[index], owner + " attribute " + warningQuoted(key)))
            }
            relationships += row.joined(separator: ",") + "\n"
        }

        var warnings = schema.warnings + keyWarnings
        warnings += inventory.graphLevelDrops(name, documentsNote: "citations keep the document ids")
        if inventory.declaredKinds > 0 {
            warnings.append(
                "\(name) drops the labels and attributes of \(pluralize(inventory.declaredKinds, "declared kind"))")
        }
        if inventory.declaredRelationTypes > 0 {
            warnings.append(
                "\(name) drops the labels, inverse labels, symmetric flags, categories and attributes of "
                    + "\(pluralize(inventory.declaredRelationTypes, "declared relation type"))")
        }
        if inventory.symmetricRelations > 0 {
            warnings.append(
                "\(name) writes \(pluralize(inventory.symmetricRelations, "relation")) of symmetric types as directed relationships"
            )
        }
        if let warning = XMLGraphFields.jsonWarning(format: name, count: jsonEncoded) { warnings.append(warning) }
        if aliasesWithDelimiter > 0 {
            warnings.append(
                "\(name): \(pluralize(aliasesWithDelimiter, "alias", "aliases")) contain ';', the array delimiter: "
                    + "they will be split on import")
        }
        if emptyStrings > 0 {
            warnings.append(
                "\(name) drops \(pluralize(emptyStrings, "empty attribute value")) (empty fields import as absent)")
        }
        if multiline > 0 {
            warnings.append(
                "\(name): \(pluralize(multiline, "value")) contain line breaks: import with --multiline-fields=true")
        }
        if let warning = formulas.warning(
            format: name,
            consequence: "neo4j-admin imports them with it: export with formula safety raw to import them exactly")
        {
            warnings.append(warning)
        }
        return ExportResult(
            format: .neo4jCSV,
            files: [
                ExportedFile(name: "nodes.csv", bytes: Array(nodes.utf8)),
                ExportedFile(name: "relationships.csv", bytes: Array(relationships.utf8)),
            ],
            warnings: warnings)
    }

    /// RFC 4180 quoting for neo4j-admin: quoted when the field holds a comma, quote or line break,
    /// or has leading or trailing space; quotes doubled.
    private func neo4jQuoted(_ text: String) -> String {
        let needsQuotes =
            text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first?.isWhitespace == true || text.last?.isWhitespace == true
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

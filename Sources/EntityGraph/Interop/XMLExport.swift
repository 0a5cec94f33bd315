import OrderedCollections

/// Builds XML 1.0 text. Every user string goes through ``text(_:field:)`` or
/// ``attribute(_:field:)``, which escape `&`, `<`, `>` and `"` (and, in attribute values, tab,
/// line feed and carriage return as character references, so parsers do not normalize them to
/// spaces; in text, carriage return). Characters XML 1.0 cannot carry at all (C0 controls other
/// than tab, LF and CR; U+FFFE; U+FFFF) become U+FFFD and are logged by field for a warning.
struct XMLBuilder {
    private(set) var output = ""
    private(set) var replacements = ReplacementLog()
    private var depth = 0

    init(capacity: Int) {
        output.reserveCapacity(capacity)
        output += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    }

    /// `<name a="v" …>` on its own line, indented; `attributes` values are escaped.
    mutating func open(
        _ name: String, _ attributes: [(String, String)] = [], field: String = "", selfClosing: Bool = false
    ) {
        indent()
        output += "<" + name
        for (key, value) in attributes {
            output += " " + key + "=\""
            appendEscaped(value, attribute: true, field: field.isEmpty ? "\(name) \(key)" : "\(field) \(key)")
            output += "\""
        }
        output += selfClosing ? "/>\n" : ">\n"
        if !selfClosing { depth += 1 }
    }

    /// `</name>` on its own line.
    mutating func close(_ name: String) {
        depth -= 1
        indent()
        output += "</" + name + ">\n"
    }

    /// `<name a="v">text</name>` on one line.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String, field: String) {
        indent()
        output += "<" + name
        for (key, value) in attributes {
            output += " " + key + "=\""
            appendEscaped(value, attribute: true, field: field)
            output += "\""
        }
        output += ">"
        appendEscaped(text, attribute: false, field: field)
        output += "</" + name + ">\n"
    }

    private mutating func indent() {
        for _ in 0..<depth { output += "  " }
    }

    private mutating func appendEscaped(_ text: String, attribute: Bool, field: String) {
        var replaced = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"" where attribute: output += "&quot;"
            case "\t" where attribute: output += "&#9;"
            case "\n" where attribute: output += "&#10;"
            case "\r": output += "&#13;"
            default:
                if isForbiddenInXML(scalar) {
                    output += "\u{FFFD}"
                    replaced += 1
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        replacements.record(replaced, in: field)
    }
}

/// Entity and relation ids as XML can carry them: an id with a character XML 1.0 cannot hold gets
/// U+FFFD for it, made unique (``uniqueSpellings(_:isCarried:respell:)``) so two ids never become
/// one node or edge; each such id is named in ``warning(format:)``.
struct XMLIdentifiers {
    private(set) var entities: [EntityID: String] = [:]
    private(set) var relations: [RelationID: String] = [:]
    private var changed: [String] = []

    init(_ graph: Graph) {
        func carried(_ id: String) -> Bool { !id.unicodeScalars.contains(where: isForbiddenInXML) }
        func respell(_ id: String) -> String {
            String(String.UnicodeScalarView(id.unicodeScalars.map { isForbiddenInXML($0) ? "\u{FFFD}" : $0 }))
        }
        let entityIDs = graph.entities.keys.map(\.rawValue)
        for (id, spelling) in zip(entityIDs, uniqueSpellings(entityIDs, isCarried: carried, respell: respell)) {
            entities[EntityID(id)] = spelling
            if id != spelling { changed.append("entity '\(id)' as '\(spelling)'") }
        }
        let relationIDs = graph.relations.keys.map(\.rawValue)
        for (id, spelling) in zip(relationIDs, uniqueSpellings(relationIDs, isCarried: carried, respell: respell)) {
            relations[RelationID(id)] = spelling
            if id != spelling { changed.append("relation '\(id)' as '\(spelling)'") }
        }
    }

    func entity(_ id: EntityID) -> String { entities[id] ?? id.rawValue }
    func relation(_ id: RelationID) -> String { relations[id] ?? id.rawValue }

    /// `"GraphML writes 2 ids that XML 1.0 cannot carry with U+FFFD, each still its own: …"`, or `nil`.
    func warning(format: String) -> String? {
        guard !changed.isEmpty else { return nil }
        let shown = changed.prefix(8).joined(separator: ", ")
        let more = changed.count > 8 ? " and \(changed.count - 8) more" : ""
        return "\(format) writes \(pluralize(changed.count, "id")) that XML 1.0 cannot carry with U+FFFD, "
            + "each still its own node or edge: \(shown)\(more)"
    }
}

extension ColumnType {
    /// The GraphML / GEXF type name.
    var xmlName: String {
        switch self {
        case .long: return "long"
        case .double: return "double"
        case .boolean: return "boolean"
        case .string: return "string"
        }
    }

    /// True when a string column holds a value that is not a string (an array, an object, null,
    /// or values of several types): then every value of the column is written as JSON text and the
    /// key is marked with ``XMLKey/jsonMarker``, so a reader can tell `[1,2]` from the text "[1,2]".
    static func holdsJSON(_ type: ColumnType, _ values: some Sequence<JSONValue>) -> Bool {
        type == .string && values.contains { if case .string = $0 { false } else { true } }
    }

    /// The value's text for a column of this type (JSON text, strings quoted, in a column that
    /// ``holdsJSON(_:_:)``); counts the values that are not strings written as JSON text.
    func xmlText(_ value: JSONValue, json: Bool = false, jsonEncoded: inout Int) -> String {
        if json {
            if case .string = value {} else { jsonEncoded += 1 }
            return CompactJSON.encode(value)
        }
        switch (self, value) {
        case (.double, .integer(let number)): return String(Double(number))
        case (.string, .string(let text)): return text
        case (.string, _):
            if !value.isScalar { jsonEncoded += 1 }
            return value.cellText
        default: return value.cellText
        }
    }
}

/// The fields every XML format writes for entities and relations, and the warnings they share.
struct XMLGraphFields {
    let graph: Graph
    let inventory: GraphInventory
    let nodeColumns: AttributeColumns
    let edgeColumns: AttributeColumns
    let nodeTypes: [ColumnType]
    let edgeTypes: [ColumnType]
    /// Per attribute column: its values are JSON text (``ColumnType/holdsJSON(_:_:)``).
    let nodeJSON: [Bool]
    let edgeJSON: [Bool]

    static let nodeFixed = ["name", "label", "kind", "aliases", "description", "sources", "id"]
    static let edgeFixed = [
        "type", "label", "category", "since", "until", "certainty", "assertedBy", "sources", "id", "source", "target",
        "start", "end", "weight", "key",
    ]

    init(graph: Graph) {
        self.graph = graph
        inventory = GraphInventory(graph)
        nodeColumns = AttributeColumns(
            reserved: XMLGraphFields.nodeFixed, attributes: graph.entities.values.lazy.map(\.attributes))
        edgeColumns = AttributeColumns(
            reserved: XMLGraphFields.edgeFixed, attributes: graph.relations.values.lazy.map(\.attributes))
        nodeTypes = nodeColumns.keys.map { key in
            ColumnType(graph.entities.values.lazy.compactMap { $0.attributes[key] })
        }
        edgeTypes = edgeColumns.keys.map { key in
            ColumnType(graph.relations.values.lazy.compactMap { $0.attributes[key] })
        }
        nodeJSON = zip(nodeColumns.keys, nodeTypes).map { key, type in
            ColumnType.holdsJSON(type, graph.entities.values.lazy.compactMap { $0.attributes[key] })
        }
        edgeJSON = zip(edgeColumns.keys, edgeTypes).map { key, type in
            ColumnType.holdsJSON(type, graph.relations.values.lazy.compactMap { $0.attributes[key] })
        }
    }

    /// The fixed node fields present in the graph, in order: (name, type, value for an entity).
    var nodeFields: [(name: String, value: (Entity) -> String?)] {
        var fields: [(String, (Entity) -> String?)] = [("kind", { $0.kind.rawValue })]
        if inventory.aliases > 0 {
            fields.append(("aliases", { $0.aliases.isEmpty ? nil : CompactJSON.encode($0.aliases) }))
        }
        if inventory.entityDescriptions > 0 { fields.append(("description", { $0.description })) }
        if inventory.entityCitations > 0 {
            fields.append(("sources", { $0.sources.isEmpty ? nil : CompactJSON.encode($0.sources) }))
        }
        return fields
    }

    /// The fixed edge fields present in the graph, in order.
    var edgeFields: [(name: String, value: (Relation) -> String?)] {
        let graph = self.graph
        var fields: [(String, (Relation) -> String?)] = [
            ("type", { $0.type.rawValue }),
            ("label", { graph.relationType($0.type)?.label }),
            ("category", { graph.relationType($0.type)?.category.rawValue }),
        ]
        if graph.relations.values.contains(where: { $0.since != nil }) {
            fields.append(("since", { $0.since?.description }))
        }
        if graph.relations.values.contains(where: { $0.until != nil }) {
            fields.append(("until", { $0.until?.description }))
        }
        fields.append(("certainty", { $0.certainty.rawValue }))
        if inventory.assertedRelations > 0 { fields.append(("assertedBy", { $0.assertedBy?.rawValue })) }
        if inventory.relationCitations > 0 {
            fields.append(("sources", { $0.sources.isEmpty ? nil : CompactJSON.encode($0.sources) }))
        }
        return fields
    }

    /// Warnings for what GraphML and GEXF both drop: vocabulary declarations and symmetry.
    func vocabularyWarnings(format: String) -> [String] {
        var warnings: [String] = []
        if inventory.declaredKinds > 0 {
            warnings.append(
                "\(format) drops the labels and attributes of \(pluralize(inventory.declaredKinds, "declared kind")) (nodes keep the kind id)"
            )
        }
        if inventory.declaredRelationTypes > 0 {
            warnings.append(
                "\(format) drops the inverse labels, symmetric flags and attributes of "
                    + "\(pluralize(inventory.declaredRelationTypes, "declared relation type")) (edges keep type, label and category)"
            )
        }
        if inventory.symmetricRelations > 0 {
            warnings.append(
                "\(format) writes \(pluralize(inventory.symmetricRelations, "relation")) of symmetric types as directed edges"
            )
        }
        return warnings
    }

    /// `"GraphML writes 3 attribute values … as JSON text"`, or `nil`.
    static func jsonWarning(format: String, count: Int) -> String? {
        guard count > 0 else { return nil }
        return "\(format) writes \(pluralize(count, "attribute value")) of no single column type "
            + "(arrays, objects, null, or mixed types under one key) as JSON text"
    }
}

/// Source documents as a JSON array (GraphML keeps them as graph data).
func documentsJSON(_ graph: Graph) -> String {
    CompactJSON.encode(
        .array(
            graph.documents.values.map { document in
                var object: OrderedDictionary<String, JSONValue> = [
                    "id": .string(document.id.rawValue), "title": .string(document.title),
                ]
                if let publisher = document.publisher { object["publisher"] = .string(publisher) }
                if let date = document.date { object["date"] = .string(date.description) }
                if let url = document.url { object["url"] = .string(url) }
                if !document.attributes.isEmpty { object["attributes"] = .object(document.attributes) }
                return .object(object)
            }))
}

/// GEXF 1.3, `mode="dynamic"` with `timeformat="date"`: one `<node>` per entity (`label` = name)
/// and one `<edge>` per relation (`label` = the type's label), ids kept.
///
/// A relation's `since` becomes the edge's `start` (the first day it covers: `2022` →
/// `2022-01-01`) and `until` its `end` (the last day: `2022-02` → `2022-02-28`), so Gephi's timeline
/// shows when each tie held; the partial dates as written are kept in the `since`/`until` attributes.
///
/// - Node attributes: `kind`, `aliases` (JSON array text), `description`, `sources` (JSON text),
///   then entity attributes (a column of values of no single type is marked
///   `entitygraph.json="true"` and holds JSON text, as in GraphML).
/// - Edge attributes: `type`, `label`, `category`, `since`, `until`, `certainty`, `assertedBy`,
///   `sources`, then relation attributes.
/// - `<meta>`: creator `EntityGraph`, the title and the description. No modification date, so the
///   output is byte-stable.
///
/// GEXF has no graph-level attributes: graph attributes and source documents are dropped (and named
/// in a warning).
struct GEXFExporter {
    let graph: Graph

    func export() -> ExportResult {
        let fields = XMLGraphFields(graph: graph)
        var xml = XMLBuilder(capacity: 1024 + graph.entities.count * 400 + graph.relations.count * 500)
        xml.open(
            "gexf",
            [
                ("xmlns", "http://gexf.net/1.3"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("xsi:schemaLocation", "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"),
                ("version", "1.3"),
            ])
        xml.open("meta")
        xml.element("creator", text: "EntityGraph", field: "creator")
        if let title = graph.title { xml.element("title", text: title, field: "graph title") }
        if let description = graph.description {
            xml.element("description", text: description, field: "graph description")
        }
        xml.close("meta")

        xml.open("graph", [("mode", "dynamic"), ("defaultedgetype", "directed"), ("timeformat", "date")])

        // Attribute declarations.
        let nodeFields = fields.nodeFields
        let edgeFields = fields.edgeFields
        xml.open("attributes", [("class", "node"), ("mode", "static")])
        var nodeIDs: [String] = []
        for field in nodeFields {
            let id = "\(nodeIDs.count)"
            nodeIDs.append(id)
            xml.open("attribute", [("id", id), ("title", field.name), ("type", "string")], selfClosing: true)
        }
        for (index, column) in fields.nodeColumns.columns.enumerated() {
            let id = "\(nodeIDs.count)"
            nodeIDs.append(id)
            var attributes = [("id", id), ("title", column), ("type", fields.nodeTypes[index].xmlName)]
            if fields.nodeJSON[index] { attributes.append((XMLKey.jsonMarker, "true")) }
            xml.open("attribute", attributes, field: "node attribute '\(column)'", selfClosing: true)
        }
        xml.close("attributes")
        xml.open("attributes", [("class", "edge"), ("mode", "static")])
        var edgeIDs: [String] = []
        for field in edgeFields {
            let id = "\(edgeIDs.count)"
            edgeIDs.append(id)
            xml.open("attribute", [("id", id), ("title", field.name), ("type", "string")], selfClosing: true)
        }
        for (index, column) in fields.edgeColumns.columns.enumerated() {
            let id = "\(edgeIDs.count)"
            edgeIDs.append(id)
            var attributes = [("id", id), ("title", column), ("type", fields.edgeTypes[index].xmlName)]
            if fields.edgeJSON[index] { attributes.append((XMLKey.jsonMarker, "true")) }
            xml.open("attribute", attributes, field: "edge attribute '\(column)'", selfClosing: true)
        }
        xml.close("attributes")

        var jsonEncoded = 0
        let ids = XMLIdentifiers(graph)
        xml.open("nodes")
        for entity in graph.entities.values {
            let label = "entity '\(entity.id)'"
            xml.open("node", [("id", ids.entity(entity.id)), ("label", entity.name)], field: label)
            var values: [(String, String, String)] = []
            for (index, field) in nodeFields.enumerated() {
                if let value = field.value(entity) { values.append((nodeIDs[index], value, "\(label) \(field.name)")) }
            }
            for (index, key) in fields.nodeColumns.keys.enumerated() {
                guard let value = entity.attributes[key] else { continue }
                values.append(
                    (
                        nodeIDs[nodeFields.count + index],
                        fields.nodeTypes[index].xmlText(value, json: fields.nodeJSON[index], jsonEncoded: &jsonEncoded),
                        "\(label) attribute '\(key)'"
                    ))
            }
            write(values, to: &xml)
            xml.close("node")
        }
        xml.close("nodes")

        xml.open("edges")
        for relation in graph.relations.values {
            let label = "relation '\(relation.id)'"
            var attributes = [
                ("id", ids.relation(relation.id)), ("source", ids.entity(relation.source)),
                ("target", ids.entity(relation.target)),
                ("label", graph.relationType(relation.type)?.label ?? relation.type.rawValue),
            ]
            if let since = relation.since { attributes.append(("start", since.firstDay.description)) }
            if let until = relation.until { attributes.append(("end", until.lastDay.description)) }
            xml.open("edge", attributes, field: label)
            var values: [(String, String, String)] = []
            for (index, field) in edgeFields.enumerated() {
                if let value = field.value(relation) {
                    values.append((edgeIDs[index], value, "\(label) \(field.name)"))
                }
            }
            for (index, key) in fields.edgeColumns.keys.enumerated() {
                guard let value = relation.attributes[key] else { continue }
                values.append(
                    (
                        edgeIDs[edgeFields.count + index],
                        fields.edgeTypes[index].xmlText(value, json: fields.edgeJSON[index], jsonEncoded: &jsonEncoded),
                        "\(label) attribute '\(key)'"
                    ))
            }
            write(values, to: &xml)
            xml.close("edge")
        }
        xml.close("edges")
        xml.close("graph")
        xml.close("gexf")

        var warnings: [String] = []
        if fields.inventory.graphAttributes > 0 {
            warnings.append(
                "GEXF drops \(pluralize(fields.inventory.graphAttributes, "graph attribute")) (GEXF has none)")
        }
        if fields.inventory.documents > 0 {
            warnings.append(
                "GEXF drops \(pluralize(fields.inventory.documents, "source document")) (titles, publishers, dates, URLs; "
                    + "citations keep the document ids)")
        }
        warnings += fields.vocabularyWarnings(format: "GEXF")
        if let warning = XMLGraphFields.jsonWarning(format: "GEXF", count: jsonEncoded) { warnings.append(warning) }
        if let warning = ids.warning(format: "GEXF") { warnings.append(warning) }
        if let warning = xml.replacements.warning(format: "GEXF", what: "that XML 1.0 cannot carry") {
            warnings.append(warning)
        }
        return ExportResult(
            format: .gexf, files: [ExportedFile(name: "graph.gexf", bytes: Array(xml.output.utf8))], warnings: warnings)
    }

    private func write(_ values: [(id: String, value: String, field: String)], to xml: inout XMLBuilder) {
        guard !values.isEmpty else { return }
        xml.open("attvalues")
        for item in values {
            xml.open("attvalue", [("for", item.id), ("value", item.value)], field: item.field, selfClosing: true)
        }
        xml.close("attvalues")
    }
}

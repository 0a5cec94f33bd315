/// GraphML: one `<graph edgedefault="directed">`, one `<node>` per entity and one `<edge>` per
/// relation (ids kept), every field as `<data>` under a declared `<key>`.
///
/// - Graph data: `title`, `description`, `documents` (JSON text), then graph attributes.
/// - Node data: `name`, `kind`, `aliases` (JSON array text), `description`, `sources` (JSON text of
///   `{document, locator}` citations), then entity attributes.
/// - Edge data: `type` (id), `label`, `category`, `since`, `until` (partial ISO dates as written),
///   `certainty`, `assertedBy`, `sources`, then relation attributes.
///
/// Fixed keys are declared only when some element uses them. An attribute key gets the narrowest
/// GraphML type holding all its values (`long`, `double`, `boolean`, else `string`); a string key
/// that also holds arrays, objects, null or other types is marked `entitygraph.json="true"` and
/// every value is JSON text. Keys colliding with fixed names are written as `attr.KEY`.
struct GraphMLExporter {
    let graph: Graph

    func export() -> ExportResult {
        let fields = XMLGraphFields(graph: graph)
        var xml = XMLBuilder(capacity: 1024 + graph.entities.count * 400 + graph.relations.count * 500)
        xml.open(
            "graphml",
            [
                ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                (
                    "xsi:schemaLocation",
                    "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
                ),
            ])

        // Keys: graph, then node, then edge.
        var graphData: [(id: String, value: String, field: String)] = []
        var keyCount = 0
        func declare(
            _ domain: String, _ name: String, _ type: ColumnType, json: Bool = false, into xml: inout XMLBuilder
        ) -> String {
            let id = "d\(keyCount)"
            keyCount += 1
            var attributes = [("id", id), ("for", domain), ("attr.name", name), ("attr.type", type.xmlName)]
            if json { attributes.append((XMLKey.jsonMarker, "true")) }
            xml.open("key", attributes, field: "\(domain) key '\(name)'", selfClosing: true)
            return id
        }
        let graphColumns = AttributeColumns(
            reserved: ["title", "description", "documents"], attributes: [graph.attributes])
        var jsonEncoded = 0
        let ids = XMLIdentifiers(graph)
        if let title = graph.title {
            graphData.append((declare("graph", "title", .string, into: &xml), title, "graph title"))
        }
        if let description = graph.description {
            graphData.append((declare("graph", "description", .string, into: &xml), description, "graph description"))
        }
        if !graph.documents.isEmpty {
            graphData.append(
                (declare("graph", "documents", .string, into: &xml), documentsJSON(graph), "source documents"))
        }
        for (key, column) in zip(graphColumns.keys, graphColumns.columns) {
            let value = graph.attributes[key]!
            let type = ColumnType([value])
            let json = ColumnType.holdsJSON(type, [value])
            let id = declare("graph", column, type, json: json, into: &xml)
            graphData.append(
                (id, type.xmlText(value, json: json, jsonEncoded: &jsonEncoded), "graph attribute '\(key)'"))
        }

        let nameKey = declare("node", "name", .string, into: &xml)
        let nodeFields = fields.nodeFields
        let nodeFieldKeys = nodeFields.map { declare("node", $0.name, .string, into: &xml) }
        let nodeAttributeKeys = fields.nodeColumns.columns.indices.map {
            declare(
                "node", fields.nodeColumns.columns[$0], fields.nodeTypes[$0], json: fields.nodeJSON[$0], into: &xml)
        }

        let edgeFields = fields.edgeFields
        let edgeFieldKeys = edgeFields.map { declare("edge", $0.name, .string, into: &xml) }
        let edgeAttributeKeys = fields.edgeColumns.columns.indices.map {
            declare(
                "edge", fields.edgeColumns.columns[$0], fields.edgeTypes[$0], json: fields.edgeJSON[$0], into: &xml)
        }

        xml.open("graph", [("id", "G"), ("edgedefault", "directed")])
        for item in graphData {
            xml.element("data", [("key", item.id)], text: item.value, field: item.field)
        }
        for entity in graph.entities.values {
            let label = "entity '\(entity.id)'"
            xml.open("node", [("id", ids.entity(entity.id))], field: label)
            xml.element("data", [("key", nameKey)], text: entity.name, field: "\(label) name")
            for (field, key) in zip(nodeFields, nodeFieldKeys) {
                if let value = field.value(entity) {
                    xml.element("data", [("key", key)], text: value, field: "\(label) \(field.name)")
                }
            }
            for (index, key) in fields.nodeColumns.keys.enumerated() {
                guard let value = entity.attributes[key] else { continue }
                xml.element(
                    "data", [("key", nodeAttributeKeys[index])],
                    text: fields.nodeTypes[index].xmlText(
                        value, json: fields.nodeJSON[index], jsonEncoded: &jsonEncoded),
                    field: "\(label) attribute '\(key)'")
            }
            xml.close("node")
        }
        for relation in graph.relations.values {
            let label = "relation '\(relation.id)'"
            xml.open(
                "edge",
                [
                    ("id", ids.relation(relation.id)), ("source", ids.entity(relation.source)),
                    ("target", ids.entity(relation.target)),
                ],
                field: label)
            for (field, key) in zip(edgeFields, edgeFieldKeys) {
                if let value = field.value(relation) {
                    xml.element("data", [("key", key)], text: value, field: "\(label) \(field.name)")
                }
            }
            for (index, key) in fields.edgeColumns.keys.enumerated() {
                guard let value = relation.attributes[key] else { continue }
                xml.element(
                    "data", [("key", edgeAttributeKeys[index])],
                    text: fields.edgeTypes[index].xmlText(
                        value, json: fields.edgeJSON[index], jsonEncoded: &jsonEncoded),
                    field: "\(label) attribute '\(key)'")
            }
            xml.close("edge")
        }
        xml.close("graph")
        xml.close("graphml")

        var warnings = fields.vocabularyWarnings(format: "GraphML")
        if let warning = XMLGraphFields.jsonWarning(format: "GraphML", count: jsonEncoded) { warnings.append(warning) }
        if let warning = ids.warning(format: "GraphML") { warnings.append(warning) }
        if let warning = xml.replacements.warning(format: "GraphML", what: "that XML 1.0 cannot carry") {
            warnings.append(warning)
        }
        return ExportResult(
            format: .graphml, files: [ExportedFile(name: "graph.graphml", bytes: Array(xml.output.utf8))],
            warnings: warnings)
    }
}

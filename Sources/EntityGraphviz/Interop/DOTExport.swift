import EntityGraph
import Foundation

/// Writes a ``/EntityGraph/Graph`` as DOT data — every entity, relation and attribute, not a styled map
/// (for a drawing, use ``Renderer``). ``DOTImport`` reads the result back to the same entities and
/// relations.
///
/// The DOT is built as a cgraph graph (`agopen`, `agnode`, `agedge`, `agattr`, `agxset`; never DOT text
/// written by hand) and written by cgraph's own writer (`agwrite`), under the Graphviz lock.
///
/// What is written:
/// - the graph's ``/EntityGraph/Graph/title`` as the graph's name; `digraph`, or `graph` when
///   ``/EntityGraph/Graph/attributes`` says `directed: false`; `strict` when it says `strict: true` and
///   no two relations join the same pair.
///   The other graph attributes become graph attributes, except `charset` (the text is always UTF-8).
/// - each entity as a node named by its id, with `label` (its name, escaped so it displays literally),
///   `kind`, `description`, `aliases` (a JSON array) and its attributes. An entity that has its own
///   `label` attribute keeps it and carries its name in `name` instead.
/// - each relation as an edge keyed by its id (`key=…`, so parallel edges stay distinct), with `type`,
///   `since`, `until`, `certainty` (unless confirmed), `assertedBy` (an entity id) and its attributes.
/// - attribute values that are not strings (and empty strings) as JSON text, their names listed in the
///   object's `jsonAttributes` so ``DOTImport`` decodes them again.
///
/// Nodes are declared first, in entity order, inside one subgraph (`subgraph entities { … }`, not a
/// cluster, which neither Graphviz's layouts nor ``DOTImport`` give any meaning), then the edges. Reading the file back gives the entities in their original order; agwrite writes each
/// node's out-edges together, so relations come back grouped by source entity (ids and order within a
/// group kept), and attributes come back sorted by name.
///
/// Fields win over attributes of the same name (an entity attribute called `kind` is not written).
/// Sources, documents and the labels of declared kinds and relation types are not written. Attributes
/// are data here and are written as they are, including ones Graphviz acts on when it renders the file
/// (`image`, `URL`, …). Strings that cgraph's writer cannot quote — ending in a backslash, or with a
/// backslash before a line break — are refused with ``GraphvizError/Code/attributeRejected``.
public enum DOTExport {
    /// The graph as DOT text (UTF-8).
    /// - Throws: ``GraphvizError`` (``GraphvizError/Code/attributeRejected`` for a string DOT cannot hold,
    ///   ``GraphvizError/Code/buildFailed`` or ``GraphvizError/Code/writeFailed`` when cgraph fails).
    public static func write(_ graph: Graph) throws(GraphvizError) -> Data {
        let plan = try Plan(graph)
        return try Graphviz.withLock { session throws(GraphvizError) in try plan.write(session: &session) }
    }

    /// The DOT graph as plain values, prepared (and checked) before taking the lock; the bridge writes it
    /// (`Bridge/DOTExport+Write.swift`).
    struct Plan {
        struct Object {
            var name: String
            var attributes: [(name: String, value: String)] = []
        }
        struct Edge {
            var key: String
            var tail: Int
            var head: Int
            var attributes: [(name: String, value: String)] = []
        }

        var title: String?
        var directed: Bool
        var strict: Bool
        var graphAttributes: [(name: String, value: String)] = []
        var nodes: [Object] = []
        var edges: [Edge] = []

        init(_ graph: Graph) throws(GraphvizError) {
            directed = graph.attributes["directed"] != .bool(false)
            var pairs = Set<[String]>()
            var parallel = false
            for relation in graph.relations.values {
                var pair = [relation.source.rawValue, relation.target.rawValue]
                if !directed { pair.sort() }
                if !pairs.insert(pair).inserted { parallel = true }
            }
            strict = graph.attributes["strict"] == .bool(true) && !parallel
            title = graph.title
            if let title { try Self.check(title, "the graph's title") }

            // `directed` and `strict` (as booleans) are the graph's descriptor, not attributes; the text is
            // always UTF-8, so a `charset` the graph was read with no longer applies.
            let kept = graph.attributes.filter { name, value in
                if name == "charset" { return false }
                guard name == "directed" || name == "strict", case .bool = value else { return true }
                return false
            }
            graphAttributes = try Self.attributes(kept, written: [], where: "the graph")

            var index: [EntityID: Int] = [:]
            for entity in graph.entities.values {
                let place = "entity '\(entity.id)'"
                try Self.check(entity.id.rawValue, "the id of \(place)")
                var fields: [(name: String, value: String)] = []
                var jsonFields: [String] = []
                if entity.name.isEmpty {
                    // "" would read back as "no name": write it as JSON, like an empty attribute.
                    fields.append(("name", DOTJSON.encode("")))
                    jsonFields.append("name")
                } else if entity.attributes["label"] == nil {
                    fields.append(("label", DOTText.escapedLabel(entity.name)))
                } else {
                    fields.append(("name", entity.name))
                }
                fields.append(("kind", entity.kind.rawValue))
                if let description = entity.description { fields.append(("description", description)) }
                if !entity.aliases.isEmpty {
                    fields.append(("aliases", DOTJSON.encode(.array(entity.aliases.map(JSONValue.string)))))
                }
                for field in fields { try Self.check(field.value, "'\(field.name)' of \(place)") }
                let written = Set(fields.map(\.name))
                fields += try Self.attributes(entity.attributes, written: written, json: jsonFields, where: place)
                index[entity.id] = nodes.count
                nodes.append(Object(name: entity.id.rawValue, attributes: fields))
            }

            for relation in graph.relations.values {
                let place = "relation '\(relation.id)'"
                try Self.check(relation.id.rawValue, "the id of \(place)")
                var fields: [(name: String, value: String)] = [("type", relation.type.rawValue)]
                if let since = relation.since { fields.append(("since", since.description)) }
                if let until = relation.until { fields.append(("until", until.description)) }
                if relation.certainty != .confirmed { fields.append(("certainty", relation.certainty.rawValue)) }
                if let asserter = relation.assertedBy { fields.append(("assertedBy", asserter.rawValue)) }
                for field in fields { try Self.check(field.value, "'\(field.name)' of \(place)") }
                var attributes = relation.attributes
                if !directed, attributes["directed"] == .bool(false) { attributes.removeValue(forKey: "directed") }
                let written = Set(fields.map(\.name)).union(["key"])
                fields += try Self.attributes(attributes, written: written, where: place)
                guard let tail = index[relation.source], let head = index[relation.target] else {
                    throw GraphvizError(
                        code: .buildFailed, stage: .build, format: "dot",
                        message: "\(place) joins an entity that is not in the graph")
                }
                edges.append(Edge(key: relation.id.rawValue, tail: tail, head: head, attributes: fields))
            }
        }

        /// Attributes as DOT strings: strings as they are, anything else as JSON listed in `jsonAttributes`
        /// (with the JSON-encoded `fields` written before). Names in `written` (fields already written) and
        /// `jsonAttributes` itself are skipped.
        static func attributes(
            _ attributes: Attributes, written: Set<String>, json fields: [String] = [],
            where place: String
        ) throws(GraphvizError) -> [(name: String, value: String)] {
            var result: [(name: String, value: String)] = []
            var json = fields.map(JSONValue.string)
            for (name, value) in attributes where !written.contains(name) && name != "jsonAttributes" {
                try check(name, "an attribute name of \(place)")
                // An empty string would equal the declared default "" and not be written: carry it as JSON.
                if case .string(let text) = value, !text.isEmpty {
                    try check(text, "attribute '\(name)' of \(place)")
                    result.append((name, text))
                } else {
                    let text = DOTJSON.encode(value)
                    try check(text, "attribute '\(name)' of \(place)")
                    result.append((name, text))
                    json.append(.string(name))
                }
            }
            if !json.isEmpty { result.append(("jsonAttributes", DOTJSON.encode(.array(json)))) }
            return result
        }

        /// cgraph's writer quotes a string by escaping only `"`: a backslash before the closing quote or
        /// before a line break would change the text (or the file's syntax) when it is read back.
        static func check(_ text: String, _ what: String) throws(GraphvizError) {
            if text.hasSuffix("\\") || text.contains("\\\n") {
                throw GraphvizError(
                    code: .attributeRejected, stage: .build, format: "dot",
                    message: "\(what) ends with a backslash or has one before a line break, which DOT cannot hold")
            }
        }
    }
}

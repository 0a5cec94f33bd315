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
/// (`image`, `URL`, …).
///
/// Every string reads back exactly, and the written text is checked: it is read back with Graphviz's
/// own parser and compared, value by value, with what was set. Labels draw their text literally
/// (`C:\temp\new` is drawn with its backslashes). A string cgraph's writer cannot hold as it is —
/// with a NUL, an odd run of backslashes before a quote, a line break or the end (DOT's scanner reads
/// those as escapes), an id starting with `%` (cgraph's prefix for anonymous objects), or one that
/// agwrite's splitting of long lines would change — is written with
/// `%`-escapes (`%5C` for a backslash, `%25` for `%`, `%0A` for a line break, `%00`–`%1F` and `%7F` for
/// control characters) and its name listed in the
/// object's `percentEncoded` attribute; an id that needs them names its node or edge in that spelling
/// and is carried exactly in `entityID` / `relationID` (a title in `graphTitle`). ``DOTImport`` restores all of them; each is a
/// warning in ``export(_:)``'s result, since other DOT readers see the escaped text.
public enum DOTExport {
    /// The graph as DOT text (UTF-8); ``export(_:)`` also says what had to be escaped.
    /// - Throws: ``GraphvizError`` (``GraphvizError/Code/attributeRejected`` for an attribute name DOT
    ///   cannot hold, ``GraphvizError/Code/buildFailed`` or ``GraphvizError/Code/writeFailed`` when
    ///   cgraph fails).
    public static func write(_ graph: Graph) throws(GraphvizError) -> Data {
        try export(graph).data
    }

    /// DOT text and what it had to change for other DOT readers.
    public struct Output: Sendable {
        /// The DOT text (UTF-8).
        public var data: Data
        /// One line per value written with `%`-escapes or node renamed, naming the entity or relation
        /// and the field; ``DOTImport`` restores each exactly.
        public var warnings: [String]
    }

    /// The graph as DOT text, checked by reading it back with Graphviz's parser, with a warning for
    /// each value that had to be written with `%`-escapes. O(size of the graph) per check; at most
    /// three writes.
    /// - Throws: as ``write(_:)``.
    public static func export(_ graph: Graph) throws(GraphvizError) -> Output {
        var plan = try Plan(graph)
        return try Graphviz.withLock { session throws(GraphvizError) in
            for _ in 0..<3 {
                let data = try plan.write(session: &session)
                let damaged = try plan.damage(readingBack: data, session: &session)
                if damaged.isEmpty { return Output(data: data, warnings: plan.warnings) }
                try plan.escape(damaged)
            }
            throw GraphvizError(
                code: .writeFailed, stage: .write, format: "dot",
                message: "Graphviz's writer changed values even after escaping them")
        }
    }

    /// The DOT graph as plain values, prepared (and checked) before taking the lock; the bridge writes it
    /// (`Bridge/DOTExport+Write.swift`).
    struct Plan {
        /// What a node or edge stands for, beside its DOT form: the exact id behind its name or key,
        /// its `label` when that is drawn from the name, and how warnings name it.
        struct Origin {
            var exactName: String
            var exactLabel: String?
            var place: String
        }
        /// Which value a read-back found changed: the graph's (`nil` object), a node's or an edge's.
        enum Target: Hashable {
            case graph
            case node(Int)
            case edge(Int)
        }
        struct Damage: Hashable {
            var target: Target
            /// The attribute, or `nil` for the node name / edge key / graph name itself.
            var attribute: String?
        }

        var warnings: [String] = []

        /// The graph as written: named by its title, every node inside the subgraph `entities`, in
        /// entity order, then the edges, each keyed.
        var dot = DOTGraph(subgraphs: [DOTGraph.Subgraph(name: "entities")])
        /// Per node of ``dot`` and per edge, what it stands for.
        var nodeOrigins: [Origin] = []
        var edgeOrigins: [Origin] = []

        init(_ graph: Graph) throws(GraphvizError) {
            let directed = graph.attributes["directed"] != .bool(false)
            dot.directed = directed
            var pairs = Set<[String]>()
            var parallel = false
            for relation in graph.relations.values {
                var pair = [relation.source.rawValue, relation.target.rawValue]
                if !directed { pair.sort() }
                if !pairs.insert(pair).inserted { parallel = true }
            }
            dot.strict = graph.attributes["strict"] == .bool(true) && !parallel
            dot.name = graph.title

            // `directed` and `strict` (as booleans) are the graph's descriptor, not attributes; the text is
            // always UTF-8, so a `charset` the graph was read with no longer applies.
            let kept = graph.attributes.filter { name, value in
                if name == "charset" { return false }
                guard name == "directed" || name == "strict", case .bool = value else { return true }
                return false
            }
            dot.graphAttributes = try Self.attributes(kept, written: [], where: "the graph")

            var index: [EntityID: Int] = [:]
            for entity in graph.entities.values {
                let place = "entity '\(entity.id)'"
                var fields: DOTGraph.Attributes = [:]
                var jsonFields: [String] = []
                var exactLabel: String?
                if entity.name.isEmpty {
                    // "" would read back as "no name": write it as JSON, like an empty attribute.
                    fields["name"] = DOTJSON.encode("")
                    jsonFields.append("name")
                } else if entity.attributes["label"] == nil {
                    let label = GraphvizText.escaped(entity.name)
                    fields["label"] = label
                    exactLabel = label
                    // A label that cannot draw the name exactly (control characters): the name goes too.
                    if DOTText.displayedLabel(label, objectName: entity.id.rawValue, graphName: "") != entity.name {
                        fields["name"] = DOTJSON.encode(.string(entity.name))
                        jsonFields.append("name")
                    }
                } else {
                    fields["name"] = entity.name
                }
                fields["kind"] = entity.kind.rawValue
                if let description = entity.description {
                    if description.isEmpty {
                        fields["description"] = DOTJSON.encode("")  // "" is the default: it would vanish
                        jsonFields.append("description")
                    } else {
                        fields["description"] = description
                    }
                }
                if !entity.aliases.isEmpty {
                    fields["aliases"] = DOTJSON.encode(.array(entity.aliases.map(JSONValue.string)))
                }
                fields.merge(
                    try Self.attributes(entity.attributes, written: Set(fields.keys), json: jsonFields, where: place))
                index[entity.id] = dot.nodes.count
                dot.nodes.append(DOTGraph.Node(name: entity.id.rawValue, attributes: fields, subgraph: 0))
                nodeOrigins.append(Origin(exactName: entity.id.rawValue, exactLabel: exactLabel, place: place))
            }

            for relation in graph.relations.values {
                let place = "relation '\(relation.id)'"
                var fields: DOTGraph.Attributes = ["type": relation.type.rawValue]
                fields["since"] = relation.since?.description
                fields["until"] = relation.until?.description
                if relation.certainty != .confirmed { fields["certainty"] = relation.certainty.rawValue }
                fields["assertedBy"] = relation.assertedBy?.rawValue
                var attributes = relation.attributes
                if !directed, attributes["directed"] == .bool(false) { attributes.removeValue(forKey: "directed") }
                fields.merge(try Self.attributes(attributes, written: Set(fields.keys).union(["key"]), where: place))
                guard let tail = index[relation.source], let head = index[relation.target] else {
                    throw GraphvizError(
                        code: .buildFailed, stage: .build, format: "dot",
                        message: "\(place) joins an entity that is not in the graph")
                }
                dot.edges.append(DOTGraph.Edge(tail: tail, head: head, key: relation.id.rawValue, attributes: fields))
                edgeOrigins.append(Origin(exactName: relation.id.rawValue, place: place))
            }
            try escapeUnwritable()
        }

        /// Attributes as DOT strings: strings as they are, anything else as JSON listed in `jsonAttributes`
        /// (with the JSON-encoded `fields` written before). Names in `written` (fields already written) and
        /// `jsonAttributes` itself are skipped.
        static func attributes(
            _ attributes: Attributes, written: Set<String>, json fields: [String] = [],
            where place: String
        ) throws(GraphvizError) -> DOTGraph.Attributes {
            var result: DOTGraph.Attributes = [:]
            var json = fields.map(JSONValue.string)
            for (name, value) in attributes where !written.contains(name) && !markers.contains(name) {
                guard DOTText.survivesWriter(name), !name.isEmpty else {
                    throw GraphvizError(
                        code: .attributeRejected, stage: .build, format: "dot",
                        message: "the attribute name \(name.debugDescription) of \(place) cannot be written in DOT "
                            + "(it is empty, has a NUL, or a backslash before a quote or at the end)")
                }
                // An empty string would equal the declared default "" and not be written: carry it as JSON.
                if case .string(let text) = value, !text.isEmpty {
                    result[name] = text
                } else {
                    result[name] = DOTJSON.encode(value)
                    json.append(.string(name))
                }
            }
            if !json.isEmpty { result["jsonAttributes"] = DOTJSON.encode(.array(json)) }
            return result
        }

        /// The attributes the exporter writes about other attributes; an attribute of the same name
        /// in the graph is not written.
        static let markers: Set<String> = ["jsonAttributes", "percentEncoded", "entityID", "relationID", "graphTitle"]

        // MARK: Escaping

        /// Escapes, before the first write, every value the writer certainly cannot hold.
        mutating func escapeUnwritable() throws(GraphvizError) {
            var damaged: [Damage] = []
            if let title = dot.name, !DOTText.survivesWriter(title) {
                damaged.append(Damage(target: .graph, attribute: nil))
            }
            for (name, value) in dot.graphAttributes where !DOTText.survivesWriter(value) {
                damaged.append(Damage(target: .graph, attribute: name))
            }
            // An id with a control character is written with its exact spelling in `entityID`/`relationID`
            // too: DOTImport gives nodes named so generated ids (no document id may hold one) unless
            // the exporter vouches for them.
            func exact(_ id: String) -> Bool {
                DOTText.survivesAsName(id) && IDRules.firstControlCharacter(in: id) == nil
            }
            for (index, node) in dot.nodes.enumerated() {
                if !exact(node.name) { damaged.append(Damage(target: .node(index), attribute: nil)) }
                for (name, value) in node.attributes where !DOTText.survivesWriter(value) {
                    damaged.append(Damage(target: .node(index), attribute: name))
                }
            }
            for (index, edge) in dot.edges.enumerated() {
                if !exact(edge.key ?? "") { damaged.append(Damage(target: .edge(index), attribute: nil)) }
                for (name, value) in edge.attributes where !DOTText.survivesWriter(value) {
                    damaged.append(Damage(target: .edge(index), attribute: name))
                }
            }
            if !damaged.isEmpty { try escape(damaged) }
        }

        /// Rewrites each damaged value so the writer holds it: `%`-escapes (listed in the object's
        /// `percentEncoded`); a node or edge renamed to its escaped id, the exact id in `entityID` /
        /// `relationID`; a drawn label whose backslashes the writer cannot keep shows U+FF3C instead,
        /// the exact name carried in `name`. Fails for a value that was already escaped.
        mutating func escape(_ damaged: [Damage]) throws(GraphvizError) {
            for damage in damaged {
                switch damage.target {
                case .graph:
                    if let attribute = damage.attribute {
                        try Self.escape(attribute, in: &dot.graphAttributes, place: "the graph", warnings: &warnings)
                    } else if let name = dot.name {
                        let escaped = DOTText.percentEncoded(name)
                        guard escaped != name, dot.graphAttributes["graphTitle"] == nil else {
                            throw Self.unwritable("the graph's title")
                        }
                        dot.name = escaped
                        dot.graphAttributes["graphTitle"] = escaped
                        Self.list("graphTitle", as: "percentEncoded", in: &dot.graphAttributes)
                        warnings.append(
                            "DOT: the graph is named with %-escapes (Graphviz's writer cannot hold its title); "
                                + "the exact title is in 'graphTitle'")
                    }
                case .node(let index):
                    var node = dot.nodes[index]
                    var origin = nodeOrigins[index]
                    if let attribute = damage.attribute {
                        if attribute == "label", let label = origin.exactLabel {
                            let drawn = label.replacingOccurrences(of: "\\\\", with: "\u{FF3C}")
                            guard drawn != label else { throw Self.unwritable("the label of \(origin.place)") }
                            node.attributes["label"] = drawn
                            origin.exactLabel = drawn
                            if node.attributes["name"] == nil {
                                let name = DOTText.displayedLabel(label, objectName: "", graphName: "")
                                node.attributes["name"] = DOTText.percentEncoded(name)
                                Self.list("name", as: "percentEncoded", in: &node.attributes)
                            }
                            warnings.append(
                                "DOT: the label of \(origin.place) shows \u{FF3C} for each backslash (Graphviz's "
                                    + "writer cannot hold it); its exact name is in 'name'")
                        } else {
                            try Self.escape(attribute, in: &node.attributes, place: origin.place, warnings: &warnings)
                        }
                    } else {
                        var taken = Set(dot.nodes.map(\.name))
                        let escaped = uniqueName(
                            DOTText.escapedName(origin.exactName), taken: &taken, suffix: { "%\($0)" })
                        guard node.name == origin.exactName else { throw Self.unwritable("the id of \(origin.place)") }
                        node.name = escaped
                        node.attributes["entityID"] = DOTText.percentEncoded(origin.exactName)
                        Self.list("entityID", as: "percentEncoded", in: &node.attributes)
                        warnings.append(
                            "DOT: \(origin.place) is node '\(escaped)' (Graphviz's writer cannot hold its id); "
                                + "the exact id is in 'entityID'")
                    }
                    dot.nodes[index] = node
                    nodeOrigins[index] = origin
                case .edge(let index):
                    var edge = dot.edges[index]
                    let origin = edgeOrigins[index]
                    if let attribute = damage.attribute {
                        try Self.escape(attribute, in: &edge.attributes, place: origin.place, warnings: &warnings)
                    } else {
                        let exact = origin.exactName
                        guard edge.key == exact else { throw Self.unwritable("the id of \(origin.place)") }
                        var taken = Set(dot.edges.compactMap(\.key))
                        let key = uniqueName(DOTText.escapedName(exact), taken: &taken, suffix: { "%\($0)" })
                        edge.key = key
                        edge.attributes["relationID"] = DOTText.percentEncoded(exact)
                        Self.list("relationID", as: "percentEncoded", in: &edge.attributes)
                        warnings.append(
                            "DOT: \(origin.place) is edge key '\(key)' (Graphviz's writer cannot hold its id); "
                                + "the exact id is in 'relationID'")
                    }
                    dot.edges[index] = edge
                }
            }
        }

        private static func escape(
            _ attribute: String, in list: inout DOTGraph.Attributes, place: String, warnings: inout [String]
        ) throws(GraphvizError) {
            guard let value = list[attribute] else { throw unwritable("'\(attribute)' of \(place)") }
            let escaped = DOTText.percentEncoded(value)
            let listed = listed(in: list, as: "percentEncoded")
            guard escaped != value, !listed.contains(attribute) else {
                throw unwritable("'\(attribute)' of \(place)")
            }
            list[attribute] = escaped
            Self.list(attribute, as: "percentEncoded", in: &list)
            warnings.append(
                "DOT: '\(attribute)' of \(place) is written with %-escapes (%5C for a backslash, %0A for a line "
                    + "break, %25 for %, …): Graphviz's writer cannot hold it as it is; it reads back exactly")
        }

        /// Adds `name` to the JSON array in the marker attribute `marker`.
        private static func list(_ name: String, as marker: String, in list: inout DOTGraph.Attributes) {
            var names = listed(in: list, as: marker)
            guard !names.contains(name) else { return }
            names.append(name)
            list[marker] = DOTJSON.encode(.array(names.map(JSONValue.string)))
        }

        private static func listed(in list: DOTGraph.Attributes, as marker: String) -> [String] {
            guard let text = list[marker],
                case .array(let names)? = DOTJSON.decode(text)
            else { return [] }
            return names.compactMap(\.stringValue)
        }

        private static func unwritable(_ what: String) -> GraphvizError {
            GraphvizError(
                code: .attributeRejected, stage: .build, format: "dot",
                message: "\(what) cannot be written in DOT, even with %-escapes")
        }

        // MARK: Reading back

        /// What Graphviz reads back differently from what was set, parsing `data` with its own parser.
        func damage(readingBack data: Data, session: inout Session) throws(GraphvizError) -> [Damage] {
            let outcome = DOTParser.parse(Array(data), honorCharset: false, keep: { $0 == 0 }, session: &session)
            guard case .success(let result) = outcome, let parsed = result.graphs.first else {
                var messages: [String] = []
                if case .failure(let failure) = outcome { messages = failure.messages }
                throw GraphvizError(
                    code: .writeFailed, stage: .write, format: "dot", graphvizMessages: messages,
                    message: "Graphviz cannot read back the DOT it wrote")
            }
            var damaged: [Damage] = []
            func compare(_ target: Target, _ set: DOTGraph.Attributes, _ back: DOTGraph.Attributes) {
                for (name, value) in set where back[name] != value {
                    damaged.append(Damage(target: target, attribute: name))
                }
            }
            let read = parsed.dot
            if read.name != dot.name, dot.name != nil { damaged.append(Damage(target: .graph, attribute: nil)) }
            compare(.graph, dot.graphAttributes, read.graphAttributes)
            var readNodes: [String: DOTGraph.Node] = [:]
            for node in read.nodes { readNodes[node.name] = node }
            for (index, node) in dot.nodes.enumerated() {
                guard let back = readNodes[node.name] else {
                    damaged.append(Damage(target: .node(index), attribute: nil))
                    continue
                }
                compare(.node(index), node.attributes, back.attributes)
            }
            var readEdges: [String: DOTGraph.Edge] = [:]
            for edge in read.edges { if let key = edge.key { readEdges[key] = edge } }
            for (index, edge) in dot.edges.enumerated() {
                guard let key = edge.key, let back = readEdges[key] else {
                    damaged.append(Damage(target: .edge(index), attribute: nil))
                    continue
                }
                compare(.edge(index), edge.attributes, back.attributes)
            }
            if damaged.isEmpty, read.nodes.count != dot.nodes.count || read.edges.count != dot.edges.count {
                throw GraphvizError(
                    code: .writeFailed, stage: .write, format: "dot",
                    message: "Graphviz reads back \(read.nodes.count) nodes and \(read.edges.count) edges "
                        + "from the DOT it wrote for \(dot.nodes.count) and \(dot.edges.count)")
            }
            return damaged
        }
    }
}

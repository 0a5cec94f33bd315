import EntityGraph

/// Turns one ``ParsedDOTGraph`` into a ``Graph`` (the mapping is documented on ``DOTImport``). Pure Swift:
/// runs after the Graphviz lock is released.
struct DOTModelBuilder {
    let parsed: ParsedDOTGraph
    let options: DOTImportOptions
    let fileName: String?
    private var graph = Graph()
    /// What the model could not hold as the file wrote it, each kept another way.
    private(set) var warnings: [ValidationIssue] = []
    /// The entity id of each node: its name, or a generated one for a node whose name is empty.
    private var entityIDs: [String] = []
    /// Nodes and edges whose exact id ``DOTExport`` carried in `entityID` / `relationID`: kept as
    /// they are, since the graph they were written from held them.
    private let exactNodes: Set<Int>
    private let exactEdges: Set<Int>

    init(parsed: ParsedDOTGraph, options: DOTImportOptions, fileName: String? = nil) {
        (self.parsed, exactNodes, exactEdges) = Self.unescaped(parsed)
        self.options = options
        self.fileName = fileName
    }

    private mutating func warn(_ code: ValidationIssue.Code, _ message: String, suggestion: String? = nil) {
        warnings.append(
            ValidationIssue(
                severity: .warning, code: code, message: message, path: "$", fileName: fileName,
                suggestion: suggestion))
    }

    /// `parsed` with what ``DOTExport`` escaped restored: the values an object's `percentEncoded`
    /// lists decoded, and the graph, nodes and edge keys named by their exact `graphTitle`,
    /// `entityID` / `relationID`. The
    /// markers themselves are dropped once used.
    private static func unescaped(
        _ parsed: ParsedDOTGraph
    ) -> (graph: ParsedDOTGraph, exactNodes: Set<Int>, exactEdges: Set<Int>) {
        var result = parsed
        func restore(_ list: inout DOTGraph.Attributes, _ owner: ParsedDOTGraph.Owner, identity: String) -> String? {
            guard let marker = list["percentEncoded"], !parsed.isHTML(owner, "percentEncoded"),
                case .array(let listed)? = DOTJSON.decode(marker)
            else { return nil }
            let names = Set(listed.compactMap(\.stringValue))
            guard !names.isEmpty else { return nil }
            var exact: String?
            var kept: DOTGraph.Attributes = [:]
            for (name, original) in list where name != "percentEncoded" {
                var value = original
                if names.contains(name), !parsed.isHTML(owner, name) { value = DOTText.percentDecoded(value) }
                if name == identity, names.contains(name) {
                    exact = value
                    continue
                }
                kept[name] = value
            }
            list = kept
            return exact
        }
        if let exact = restore(&result.dot.graphAttributes, .graph, identity: "graphTitle") { result.dot.name = exact }
        var exactNodes = Set<Int>()
        var exactEdges = Set<Int>()
        for index in result.dot.nodes.indices {
            if let exact = restore(&result.dot.nodes[index].attributes, .node(index), identity: "entityID") {
                result.dot.nodes[index].name = exact
                exactNodes.insert(index)
            }
        }
        for index in result.dot.edges.indices {
            if let exact = restore(&result.dot.edges[index].attributes, .edge(index), identity: "relationID") {
                result.dot.edges[index].key = exact
                exactEdges.insert(index)
            }
        }
        return (result, exactNodes, exactEdges)
    }

    /// The graph, and ``warnings`` about what it had to keep another way.
    consuming func build() throws(DOTImportError) -> (graph: Graph, warnings: [ValidationIssue]) {
        let dot = parsed.dot
        graph.title = dot.name?.isEmpty == true ? nil : dot.name
        var taken = Set(dot.nodes.map(\.name))
        entityIDs = dot.nodes.enumerated().map { index, node in
            guard !exactNodes.contains(index),
                node.name.allSatisfy(\.isWhitespace) || IDRules.firstControlCharacter(in: node.name) != nil
            else { return node.name }
            return uniqueName("unnamed", taken: &taken, suffix: { "-\($0)" })
        }
        graph.reserveCapacity(entities: dot.nodes.count, relations: dot.edges.count)

        let graphValues = parsed.values(of: .graph)
        var attributes = Self.attributes(graphValues, json: jsonNames(in: graphValues))
        if !dot.nodeDefaults.isEmpty {
            attributes["nodeDefaults"] = .object(Self.attributes(parsed.values(of: .nodeDefaults), json: []))
        }
        if !dot.edgeDefaults.isEmpty {
            attributes["edgeDefaults"] = .object(Self.attributes(parsed.values(of: .edgeDefaults), json: []))
        }
        if !dot.subgraphs.isEmpty {
            var clusters = Attributes()
            for (index, cluster) in dot.subgraphs.enumerated() {
                var entry = Attributes()
                if let parent = cluster.parent { entry["parent"] = .string(dot.subgraphs[parent].name) }
                for (name, value) in Self.attributes(parsed.values(of: .subgraph(index)), json: []) {
                    entry[name] = value
                }
                clusters[cluster.name] = .object(entry)
            }
            attributes["clusters"] = .object(clusters)
        }
        if !dot.directed { attributes["directed"] = false }
        if dot.strict { attributes["strict"] = true }
        graph.attributes = attributes

        let groupNames = dot.subgraphs.enumerated().map { index, cluster -> String in
            if let label = cluster.attributes["label"], !parsed.isHTML(.subgraph(index), "label") {
                let text = DOTText.displayedLabel(label, objectName: cluster.name, graphName: dot.name ?? "")
                if !text.isEmpty { return text }
            }
            return cluster.name
        }
        for index in dot.nodes.indices {
            try addEntity(
                index, id: entityIDs[index], groups: parsed.clusterPath(ofNode: index).map { $0.map { groupNames[$0] } }
            )
        }
        var relationIDs = RelationIDs(
            keys: dot.edges.enumerated().compactMap { index, edge in
                edge.key.flatMap {
                    exactEdges.contains(index) || IDRules.firstControlCharacter(in: $0) == nil ? $0 : nil
                }
            })
        for (index, edge) in dot.edges.enumerated() {
            var key = edge.key
            if key == "" {
                warn(.emptyValue, "\(describe(edge)) has an empty key; its relation gets a generated id")
                key = nil
            } else if let text = key, !exactEdges.contains(index), let control = IDRules.firstControlCharacter(in: text)
            {
                warn(
                    .controlCharacterInID,
                    "\(describe(edge)): its key holds the control character \(control), which no id may; "
                        + "its relation gets a generated id, the key kept as the attribute 'dotKey'")
                key = nil
            }
            try addRelation(index, id: relationIDs.next(for: key), dotKey: key == edge.key ? nil : edge.key)
        }
        return (graph, warnings)
    }

    /// `edge 'a' -> 'b'` (with `--` in an undirected graph), and its key when it has one.
    private func describe(_ edge: DOTGraph.Edge) -> String {
        let arrow = parsed.dot.directed ? "->" : "--"
        let ends = "'\(parsed.dot.nodes[edge.tail].name)' \(arrow) '\(parsed.dot.nodes[edge.head].name)'"
        if let key = edge.key, !key.isEmpty { return "edge '\(key)' (\(ends))" }
        return "edge \(ends)"
    }

    // MARK: Entities

    private mutating func addEntity(_ index: Int, id: String, groups: [String]?) throws(DOTImportError) {
        var consumed: Set<String> = []
        let node = parsed.dot.nodes[index]
        let fields = Fields(parsed: parsed, owner: .node(index))

        // The name: an explicit `name`, else a plain label's displayed text, else the node's name (its
        // entity id). A blank one is no name: it stays an attribute, with a warning.
        var name = id
        let json = jsonNames(in: fields)
        var explicitName: String?
        if let explicit = fields["name"], !explicit.isHTML {
            explicitName =
                json.contains("name") ? DOTJSON.decode(explicit.text)?.stringValue ?? explicit.text : explicit.text
        }
        if let explicit = explicitName, !explicit.allSatisfy(\.isWhitespace) {
            name = explicit
            consumed.insert("name")
            // DOTExport writes `name` beside a label it drew from the name but that cannot show it exactly.
            if let label = fields["label"], !label.isHTML, DOTText.isLabelDrawn(label.text, from: name) {
                consumed.insert("label")
            }
        } else if let label = fields["label"], !label.isHTML, label.text != "\\N" {
            let text = DOTText.displayedLabel(label.text, objectName: node.name, graphName: parsed.dot.name ?? "")
            if !text.allSatisfy(\.isWhitespace) {
                name = text
                consumed.insert("label")
            }
        }
        if let explicit = explicitName, explicit.allSatisfy(\.isWhitespace) {
            warn(
                .emptyValue,
                "node '\(node.name)': its name is \(explicit.isEmpty ? "empty" : "blank"); the entity is named "
                    + "'\(name)' and the blank text is kept as the attribute 'name'")
        }

        let kind: KindID
        if let text = plain(fields["kind"]), !text.allSatisfy(\.isWhitespace) {
            let resolved = resolveKind(text)
            kind = resolved.id
            if resolved.exact { consumed.insert("kind") }
        } else if let shape = plain(fields["shape"]), let mapped = options.kindsByShape[shape.lowercased()] {
            kind = resolveKind(mapped.rawValue).id
        } else {
            kind = resolveKind(options.defaultKind.rawValue).id
        }

        var description: String?
        if let text = plain(fields["description"]) {
            description = json.contains("description") ? DOTJSON.decode(text)?.stringValue ?? text : text
            consumed.insert("description")
        }
        var aliases: [String] = []
        if let text = plain(fields["aliases"]), case .array(let values)? = DOTJSON.decode(text) {
            let strings = values.compactMap(\.stringValue)
            if strings.count == values.count {
                aliases = strings
                consumed.insert("aliases")
            }
        }

        var attributes = Self.attributes(
            parsed.values(of: .node(index)).filter { !consumed.contains($0.name) }, json: json)
        if let groups, let innermost = groups.last {
            if let own = attributes.removeValue(forKey: "group") { attributes["dotGroup"] = own }
            attributes["group"] = .string(innermost)
            attributes["groups"] = .array(groups.map(JSONValue.string))
        }

        if id != node.name {
            // A blank node name cannot be an id: the entity gets a generated one.
            if !node.name.isEmpty { attributes["dotName"] = .string(node.name) }
            let why =
                node.name.isEmpty
                ? "is empty"
                : node.name.allSatisfy(\.isWhitespace)
                    ? "is only whitespace"
                    : "holds the control character \(IDRules.firstControlCharacter(in: node.name) ?? "")"
            warn(
                .emptyValue,
                "a node's name \(why), which no id may; it becomes the entity '\(id)'"
                    + (node.name.isEmpty ? "" : ", the name kept as the attribute 'dotName'"))
        }
        let entity = Entity(
            id: EntityID(id), name: name, kind: kind, aliases: aliases,
            description: description, attributes: attributes)
        do {
            try graph.add(entity)
        } catch {
            throw DOTImportError(code: .unrepresentable, message: "node '\(node.name)': \(error)")
        }
    }

    /// A kind id for free text: the text itself when it is a lowerCamelCase id, else a slug of it. Declares
    /// it (label = the text) when it is neither built in nor declared yet. `exact` when the kind's id or
    /// label is the text, so nothing is lost by dropping the attribute.
    private mutating func resolveKind(_ text: String) -> (id: KindID, exact: Bool) {
        let id = KindID(DOTText.lowerCamelCaseID(text, prefix: "kind"))
        if graph.kind(id) == nil {
            try? graph.declare(Kind(id: id, label: text))
        }
        let kind = graph.kind(id)
        return (id, kind?.id.rawValue == text || kind?.label == text)
    }

    // MARK: Relations

    private mutating func addRelation(
        _ index: Int, id: RelationID, dotKey: String? = nil
    ) throws(DOTImportError) {
        var consumed: Set<String> = []
        let edge = parsed.dot.edges[index]
        let fields = Fields(parsed: parsed, owner: .edge(index))

        var type = options.defaultRelationType
        // A blank label names no type (it stays an attribute).
        if let source = ["type", "relation", "label"].first(where: {
            plain(fields[$0]).map { !$0.allSatisfy(\.isWhitespace) } ?? false
        }),
            let text = plain(fields[source])
        {
            let resolved = resolveType(text)
            type = resolved.id
            if resolved.exact { consumed.insert(source) }
        }
        if graph.relationType(type) == nil { type = resolveType(type.rawValue).id }

        var since: PartialDate?
        var until: PartialDate?
        for field in ["since", "until"] {
            guard let text = plain(fields[field]) else { continue }
            guard let date = PartialDate(text) else {
                warn(
                    .invalidDate,
                    "\(describe(edge)): \(field) '\(text)' is not a date; it is kept as the attribute '\(field)'",
                    suggestion: "write YYYY, YYYY-MM or YYYY-MM-DD (a real day)")
                continue
            }
            if field == "since" { since = date } else { until = date }
            consumed.insert(field)
        }
        if let first = since, let last = until, first.firstDay.ordinal > last.lastOrdinal {
            warn(
                .sinceAfterUntil,
                "\(describe(edge)): since \(first) is after until \(last); both are kept as attributes, not as dates")
            since = nil
            until = nil
            consumed.subtract(["since", "until"])
        }
        var certainty = Certainty.confirmed
        if let text = plain(fields["certainty"]), let value = Certainty(rawValue: text) {
            certainty = value
            consumed.insert("certainty")
        }
        var assertedBy: EntityID?
        if let text = plain(fields["assertedBy"]), graph.entities[EntityID(text)] != nil {
            assertedBy = EntityID(text)
            consumed.insert("assertedBy")
        }

        var attributes = Self.attributes(
            parsed.values(of: .edge(index)).filter { !consumed.contains($0.name) }, json: jsonNames(in: fields))
        if !parsed.dot.directed { attributes["directed"] = false }
        if let dotKey, !dotKey.isEmpty { attributes["dotKey"] = .string(dotKey) }

        let relation = Relation(
            id: id, type: type, source: EntityID(entityIDs[edge.tail]),
            target: EntityID(entityIDs[edge.head]), since: since, until: until, certainty: certainty,
            assertedBy: assertedBy, attributes: attributes)
        do {
            try graph.add(relation)
        } catch {
            throw DOTImportError(code: .unrepresentable, message: "edge '\(id)': \(error)")
        }
    }

    /// As ``resolveKind(_:)`` for relation types; new types are symmetric in an undirected graph.
    private mutating func resolveType(_ text: String) -> (id: RelationTypeID, exact: Bool) {
        let id = RelationTypeID(DOTText.lowerCamelCaseID(text, prefix: "type"))
        if graph.relationType(id) == nil {
            try? graph.declare(RelationType(id: id, label: text, symmetric: !parsed.dot.directed))
        }
        let type = graph.relationType(id)
        return (id, type?.id.rawValue == text || type?.label == text)
    }

    /// Relation ids: an edge's key when it is free, else `key-2`, `key-3`, …; `e1`, `e2`, … for edges
    /// without a key, skipping every id a key could take.
    private struct RelationIDs {
        var reserved: Set<String>
        var used: Set<String> = []
        var counter = 0

        init(keys: [String]) { reserved = Set(keys) }

        mutating func next(for key: String?) -> RelationID {
            var candidate: String
            if let key {
                candidate = key
                var suffix = 1
                while used.contains(candidate) {
                    suffix += 1
                    candidate = "\(key)-\(suffix)"
                }
            } else {
                repeat {
                    counter += 1
                    candidate = "e\(counter)"
                } while used.contains(candidate) || reserved.contains(candidate)
            }
            used.insert(candidate)
            return RelationID(candidate)
        }
    }

    // MARK: Attributes

    /// The text of a plain, non-empty value.
    private func plain(_ value: ParsedDOTGraph.Value?) -> String? {
        guard let value, !value.isHTML, !value.text.isEmpty else { return nil }
        return value.text
    }

    /// A node's or edge's values, its own or the declared defaults (``ParsedDOTGraph/field(_:of:)``).
    private struct Fields {
        let parsed: ParsedDOTGraph
        let owner: ParsedDOTGraph.Owner

        subscript(name: String) -> ParsedDOTGraph.Value? { parsed.field(name, of: owner) }
    }

    /// The attribute names an object's `jsonAttributes` (written by ``DOTExport``) lists.
    private func jsonNames(in fields: Fields) -> Set<String> {
        jsonNames(fields["jsonAttributes"])
    }

    private func jsonNames(in list: ParsedDOTGraph.AttributeList) -> Set<String> {
        jsonNames(list.first(where: { $0.name == "jsonAttributes" })?.value)
    }

    private func jsonNames(_ marker: ParsedDOTGraph.Value?) -> Set<String> {
        guard let text = plain(marker), case .array(let names)? = DOTJSON.decode(text) else { return [] }
        return Set(names.compactMap(\.stringValue))
    }

    /// Attribute values as JSON: strings (HTML-like ones with their `<…>` delimiters), or the decoded JSON
    /// for the names in `json` (the `jsonAttributes` marker itself is dropped when it was used).
    private static func attributes(_ list: ParsedDOTGraph.AttributeList, json: Set<String>) -> Attributes {
        var result = Attributes()
        for (name, value) in list {
            if name == "jsonAttributes", !json.isEmpty { continue }
            if value.isHTML {
                result[name] = .string("<" + value.text + ">")
            } else if json.contains(name), let decoded = DOTJSON.decode(value.text) {
                result[name] = decoded
            } else {
                result[name] = .string(value.text)
            }
        }
        return result
    }
}

import EntityGraph

/// Turns one ``ParsedDOTGraph`` into a ``Graph`` (the mapping is documented on ``DOTImport``). Pure Swift:
/// runs after the Graphviz lock is released.
struct DOTModelBuilder {
    let parsed: ParsedDOTGraph
    let options: DOTImportOptions
    private var graph = Graph()

    init(parsed: ParsedDOTGraph, options: DOTImportOptions) {
        self.parsed = parsed
        self.options = options
    }

    consuming func build() throws(DOTImportError) -> Graph {
        graph.title = parsed.name
        graph.reserveCapacity(entities: parsed.nodes.count, relations: parsed.edges.count)

        var attributes = Self.attributes(parsed.graphAttributes, json: jsonNames(in: parsed.graphAttributes))
        if !parsed.nodeDefaults.isEmpty {
            attributes["nodeDefaults"] = .object(Self.attributes(parsed.nodeDefaults, json: []))
        }
        if !parsed.edgeDefaults.isEmpty {
            attributes["edgeDefaults"] = .object(Self.attributes(parsed.edgeDefaults, json: []))
        }
        if !parsed.clusters.isEmpty {
            var clusters = Attributes()
            for cluster in parsed.clusters {
                var entry = Attributes()
                if let parent = cluster.parent { entry["parent"] = .string(parsed.clusters[parent].name) }
                for (name, value) in Self.attributes(cluster.attributes, json: []) { entry[name] = value }
                clusters[cluster.name] = .object(entry)
            }
            attributes["clusters"] = .object(clusters)
        }
        if !parsed.directed { attributes["directed"] = false }
        if parsed.strict { attributes["strict"] = true }
        graph.attributes = attributes

        let groupNames = parsed.clusters.map { cluster -> String in
            if let label = cluster.attributes.first(where: { $0.name == "label" })?.value, !label.isHTML {
                let text = DOTText.displayedLabel(label.text, objectName: cluster.name, graphName: parsed.name ?? "")
                if !text.isEmpty { return text }
            }
            return cluster.name
        }
        for (index, node) in parsed.nodes.enumerated() {
            try addEntity(node, groups: parsed.clusterPaths[index].map { $0.map { groupNames[$0] } })
        }
        var relationIDs = RelationIDs(keys: parsed.edges.compactMap(\.key))
        for edge in parsed.edges {
            try addRelation(edge, id: relationIDs.next(for: edge.key))
        }
        return graph
    }

    // MARK: Entities

    private mutating func addEntity(_ node: ParsedDOTGraph.Node, groups: [String]?) throws(DOTImportError) {
        var consumed: Set<String> = []
        let fields = node.fields

        var name = node.name
        let json = jsonNames(in: node.fields)
        if let explicit = fields["name"], !explicit.isHTML {
            name = json.contains("name") ? DOTJSON.decode(explicit.text)?.stringValue ?? explicit.text : explicit.text
            consumed.insert("name")
        } else if let label = fields["label"], !label.isHTML, label.text != "\\N" {
            let text = DOTText.displayedLabel(label.text, objectName: node.name, graphName: parsed.name ?? "")
            if !text.isEmpty {
                name = text
                consumed.insert("label")
            }
        }

        let kind: KindID
        if let text = plain(fields["kind"]) {
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
            description = text
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

        var attributes = Self.attributes(node.attributes.filter { !consumed.contains($0.name) }, json: json)
        if let groups, let innermost = groups.last {
            if let own = attributes.removeValue(forKey: "group") { attributes["dotGroup"] = own }
            attributes["group"] = .string(innermost)
            attributes["groups"] = .array(groups.map(JSONValue.string))
        }

        let entity = Entity(
            id: EntityID(node.name), name: name, kind: kind, aliases: aliases,
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

    private mutating func addRelation(_ edge: ParsedDOTGraph.Edge, id: RelationID) throws(DOTImportError) {
        var consumed: Set<String> = []
        let fields = edge.fields

        var type = options.defaultRelationType
        if let source = ["type", "relation", "label"].first(where: { plain(fields[$0]) != nil }),
            let text = plain(fields[source])
        {
            let resolved = resolveType(text)
            type = resolved.id
            if resolved.exact { consumed.insert(source) }
        }
        if graph.relationType(type) == nil { type = resolveType(type.rawValue).id }

        var since: PartialDate?
        if let text = plain(fields["since"]), let date = PartialDate(text) {
            since = date
            consumed.insert("since")
        }
        var until: PartialDate?
        if let text = plain(fields["until"]), let date = PartialDate(text) {
            until = date
            consumed.insert("until")
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
            edge.attributes.filter { !consumed.contains($0.name) }, json: jsonNames(in: edge.fields))
        if !parsed.directed { attributes["directed"] = false }

        let relation = Relation(
            id: id, type: type, source: EntityID(parsed.nodes[edge.tail].name),
            target: EntityID(parsed.nodes[edge.head].name), since: since, until: until, certainty: certainty,
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
            try? graph.declare(RelationType(id: id, label: text, symmetric: !parsed.directed))
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

    /// The attribute names an object's `jsonAttributes` (written by ``DOTExport``) lists.
    private func jsonNames(in fields: [String: ParsedDOTGraph.Value]) -> Set<String> {
        guard let text = plain(fields["jsonAttributes"]), case .array(let names)? = DOTJSON.decode(text) else {
            return []
        }
        return Set(names.compactMap(\.stringValue))
    }

    private func jsonNames(in list: ParsedDOTGraph.AttributeList) -> Set<String> {
        guard let marker = list.first(where: { $0.name == "jsonAttributes" }) else { return [] }
        return jsonNames(in: ["jsonAttributes": marker.value])
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

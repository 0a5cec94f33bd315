import Foundation
import OrderedCollections

// The builder the GraphML and GEXF readers share: records in, a `Graph` with issues out.

/// Turns the records of a GraphML or GEXF file into a graph: entities, relations, declared kinds
/// and types, and every issue, in file order.
struct XMLGraphBuilder {
    let format: String
    let fileName: String?
    var graph = Graph()
    var issues: [ValidationIssue] = []
    var kinds = CSVVocabulary.kinds()
    var types = CSVVocabulary.relationTypes()
    var entityPositions: [String: XMLPosition] = [:]
    var placeholderDocuments: [String] = []

    init(format: String, fileName: String?) {
        self.format = format
        self.fileName = fileName
    }

    // MARK: Issues

    mutating func report(
        _ severity: ValidationIssue.Severity, _ code: ValidationIssue.Code, _ message: String, path: String = "$",
        at position: XMLPosition?, suggestion: String? = nil
    ) {
        issues.append(
            ValidationIssue(
                severity: severity, code: code, message: message, path: path, line: position?.line,
                column: position?.column, fileName: fileName, suggestion: suggestion))
    }

    // MARK: Values

    /// The attribute name for a key: one `attr.` prefix (the writers' escape for names that collide
    /// with a field) is removed.
    static func attributeName(_ keyName: String) -> String {
        keyName.hasPrefix(AttributeColumns.prefix) && keyName.count > AttributeColumns.prefix.count
            ? String(keyName.dropFirst(AttributeColumns.prefix.count)) : keyName
    }

    /// The value a datum holds, by its key's type; text that is not of that type stays text (warned).
    /// Values of a key that ``XMLKey/holdsJSON`` (how the writers keep a column of values of no single
    /// type) are read as JSON; no other value is.
    mutating func typedValue(_ datum: XMLDatum, attribute: String) -> JSONValue {
        let text = datum.text
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch datum.key.type {
        case .integer:
            if let number = Int64(trimmed) { return .integer(number) }
        case .double:
            // The JSON and CSV readers' rule: a value a double would change stays text.
            switch DecimalText.read(trimmed) {
            case .number(.integer(let number)) where Double(exactly: number) != nil: return .double(Double(number))
            case .number(let number): return number
            case .inexact(let writtenAs):
                report(
                    .warning, .keptAsAttribute,
                    "'\(text.prefix(40))' would become \(writtenAs) as a double, as the key '\(datum.key.name)' "
                        + "declares; kept as text",
                    path: attribute, at: datum.position, suggestion: "declare the key as a string to keep it as written"
                )
                return .string(text)
            case .notANumber, .notFinite, .tooLarge: break
            }
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default: break
            }
        case .string:
            guard datum.key.holdsJSON else { return .string(text) }
            if let json = XMLGraphBuilder.parseJSON(text) { return json }
            report(
                .warning, .keptAsAttribute,
                "'\(text.prefix(40))' is not JSON text as the key '\(datum.key.name)' declares "
                    + "(\(XMLKey.jsonMarker)); kept as text",
                path: attribute, at: datum.position, suggestion: "fix the value, or remove the marker from the key")
            return .string(text)
        }
        let typeName: String
        switch datum.key.type {
        case .integer: typeName = "a whole number"
        case .double: typeName = "a finite number"
        case .boolean: typeName = "true or false"
        case .string: typeName = "text"
        }
        report(
            .warning, .keptAsAttribute,
            "'\(text.prefix(40))' is not \(typeName) as the key '\(datum.key.name)' declares; kept as text",
            path: attribute, at: datum.position, suggestion: "fix the value, or declare the key as a string")
        return .string(text)
    }

    /// Strict JSON: one value and nothing after it, no duplicate keys, no lone surrogates.
    static func parseJSON(_ text: String) -> JSONValue? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> JSONValue? in
            var reader = JSONScanner(bytes: buffer, limits: .standard)
            guard let value = try? reader.parseValue() else { return nil }
            guard (try? reader.expectEnd()) != nil, reader.issues.isEmpty else { return nil }
            return value
        }
    }

    // MARK: Graph

    mutating func build(
        _ records: XMLGraphRecords, metaTitle: String? = nil, metaDescription: String? = nil
    )
        -> GraphDocument.Decoded
    {
        issues += records.issues
        readGraphData(records.graphData)
        if let metaTitle, graph.title == nil { graph.title = metaTitle }
        if let metaDescription, graph.description == nil { graph.description = metaDescription }
        graph.reserveCapacity(entities: records.nodes.count, relations: records.edges.count)
        for node in records.nodes { addEntity(node) }
        addRelations(records.edges, defaultDirected: records.defaultDirected)
        finishWarnings()
        return finish()
    }

    mutating func readGraphData(_ data: [XMLDatum]) {
        var nameFallback: String? = nil
        for datum in data {
            switch datum.key.name {
            case "title" where graph.title == nil: graph.title = datum.text
            case "name" where nameFallback == nil && datum.key.type == .string: nameFallback = datum.text
            case "description" where graph.description == nil: graph.description = datum.text
            case "documents":
                if !readDocuments(datum) { fallthrough }
            default:
                let name = XMLGraphBuilder.attributeName(datum.key.name)
                if graph.attributes[name] == nil { graph.attributes[name] = typedValue(datum, attribute: name) }
            }
        }
        if graph.title == nil, let nameFallback, !nameFallback.isEmpty { graph.title = nameFallback }
    }

    /// Source documents as the GraphML writer keeps them: a JSON array of `{id, title, publisher, date,
    /// url, attributes}`. False (the text stays a graph attribute) when it is not that.
    mutating func readDocuments(_ datum: XMLDatum) -> Bool {
        guard case .array(let items)? = XMLGraphBuilder.parseJSON(datum.text) else { return false }
        var documents: [SourceDocument] = []
        for item in items {
            guard case .object(let object) = item, case .string(let id)? = object["id"], !id.isEmpty,
                IDRules.firstControlCharacter(in: id) == nil, case .string(let title)? = object["title"]
            else { return false }
            var document = SourceDocument(id: DocumentID(id), title: title)
            if case .string(let publisher)? = object["publisher"] { document.publisher = publisher }
            if case .string(let date)? = object["date"] { document.date = PartialDate(date) }
            if case .string(let url)? = object["url"] { document.url = url }
            if case .object(let attributes)? = object["attributes"] { document.attributes = attributes }
            documents.append(document)
        }
        for document in documents {
            do { try graph.add(document) } catch {
                report(.error, .duplicateID, error.description, path: "documents", at: datum.position)
            }
        }
        return true
    }

    /// Citations as the writers keep them: a JSON array of `{document, locator}`; `nil` when the text
    /// is not that. Documents the file does not describe are declared with their id as title.
    mutating func citations(_ datum: XMLDatum) -> [Citation]? {
        guard case .array(let items)? = XMLGraphBuilder.parseJSON(datum.text) else { return nil }
        var result: [Citation] = []
        for item in items {
            guard case .object(let object) = item, case .string(let document)? = object["document"],
                !document.isEmpty, IDRules.firstControlCharacter(in: document) == nil
            else { return nil }
            var locator: String? = nil
            if let value = object["locator"] {
                guard case .string(let text) = value else { return nil }
                locator = text
            }
            result.append(Citation(document: DocumentID(document), locator: locator))
        }
        for citation in result where graph.documents[citation.document] == nil {
            try? graph.add(SourceDocument(id: citation.document, title: citation.document.rawValue))
            placeholderDocuments.append(citation.document.rawValue)
        }
        return result
    }

    mutating func keep(
        _ datum: XMLDatum, as name: String, why: String, code: ValidationIssue.Code = .keptAsAttribute,
        suggestion: String? = nil, in attributes: inout Attributes
    ) {
        report(
            .warning, code, why + "; kept as the attribute '\(name)'", path: name, at: datum.position,
            suggestion: suggestion)
        attributes[name] = .string(datum.text)
    }

    /// An id checked for emptiness and control characters, or `nil` (reported).
    mutating func checkID(_ id: String?, noun: String, path: String, at position: XMLPosition) -> String? {
        guard let id, !id.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            report(
                .error, .emptyValue, "the \(noun) has no id", path: path, at: position,
                suggestion: "give every \(noun) an id=\"…\" that no other \(noun) has")
            return nil
        }
        if let control = IDRules.firstControlCharacter(in: id) {
            report(
                .error, .controlCharacterInID, "the \(noun) id '\(id)' contains the control character \(control)",
                path: path, at: position, suggestion: "remove it: an id may hold any other character, spaces included")
            return nil
        }
        return id
    }

    /// Groups a record's data by key name (file order); GEXF dynamic values become one array of
    /// `{value, start, end}` objects per key.
    mutating func grouped(_ data: [XMLDatum]) -> OrderedDictionary<String, [XMLDatum]> {
        var groups: OrderedDictionary<String, [XMLDatum]> = [:]
        for datum in data { groups[datum.key.name, default: []].append(datum) }
        return groups
    }

    mutating func value(of group: [XMLDatum], attribute: String) -> JSONValue {
        if group.count == 1, group[0].start == nil, group[0].end == nil {
            return typedValue(group[0], attribute: attribute)
        }
        return .array(
            group.map { datum in
                var object: OrderedDictionary<String, JSONValue> = ["value": typedValue(datum, attribute: attribute)]
                if let start = datum.start { object["start"] = .string(start) }
                if let end = datum.end { object["end"] = .string(end) }
                return .object(object)
            })
    }

    // MARK: Entities

    /// The one datum named `name` (without a time interval), removed from `groups`; `nil` when there
    /// is none or several.
    static func take(_ name: String, from groups: inout OrderedDictionary<String, [XMLDatum]>) -> XMLDatum? {
        guard let group = groups[name], group.count == 1, group[0].start == nil else { return nil }
        groups[name] = nil
        return group[0]
    }

    /// The `sources` datum as citations, removed from `groups`; one that is not a JSON array of
    /// citations is kept as an attribute, with a warning.
    mutating func takeSources(
        from groups: inout OrderedDictionary<String, [XMLDatum]>, keepingFailures attributes: inout Attributes
    ) -> [Citation] {
        guard let datum = Self.take("sources", from: &groups) else { return [] }
        if let found = citations(datum) { return found }
        keep(
            datum, as: "sources", why: "the sources are not a JSON array of {\"document\", \"locator\"}",
            in: &attributes)
        return []
    }

    /// Every datum left in `groups` as a typed attribute, named by its key (without an `attr.` prefix,
    /// unless that name is taken).
    mutating func addAttributes(
        _ groups: OrderedDictionary<String, [XMLDatum]>, to attributes: inout Attributes
    ) {
        for (key, group) in groups {
            let attribute = XMLGraphBuilder.attributeName(key)
            let name = attributes[attribute] == nil ? attribute : key
            attributes[name] = value(of: group, attribute: name)
        }
    }

    mutating func addEntity(_ node: XMLNodeRecord) {
        guard let id = checkID(node.id, noun: "node", path: "id", at: node.position) else { return }
        if let first = entityPositions[id] {
            report(
                .error, .duplicateID,
                "the node id '\(id)' is used twice (first at line \(first.line), column \(first.column))", path: "id",
                at: node.position, suggestion: "give each node its own id")
            return
        }
        entityPositions[id] = node.position
        var groups = grouped(node.data)
        var attributes: Attributes = [:]
        func take(_ name: String) -> XMLDatum? { XMLGraphBuilder.take(name, from: &groups) }

        // Name: `name`, else `label` (networkx, Gephi), else the format's label, else the id.
        let nameDatum = take("name")
        var labelDatum = take("label")
        var name = id
        var nameFromLabel = false
        if let text = nameDatum?.text, !isBlank(text) {
            name = text
        } else if let text = labelDatum?.text, !isBlank(text) {
            name = text
            nameFromLabel = true
        } else if let text = node.label, !isBlank(text) {
            name = text
        }
        if let nameDatum, isBlank(nameDatum.text) { attributes["name"] = .string(nameDatum.text) }
        if let datum = labelDatum, !nameFromLabel, datum.text != name {
            attributes["label"] = .string(datum.text)
            labelDatum = nil
        }
        if let label = node.label, label != name, attributes["label"] == nil { attributes["label"] = .string(label) }

        var kindText = "Entity"
        let kindDatum = take("kind")
        if let datum = kindDatum, !isBlank(datum.text) {
            kindText = datum.text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let kind = resolveKind(kindText)
        if let datum = kindDatum, kind.rawValue != datum.text, graph.kind(kind)?.label != datum.text {
            attributes["kind"] = .string(datum.text)
        }

        var aliases: [String] = []
        if let datum = take("aliases") {
            if case .array(let items)? = XMLGraphBuilder.parseJSON(datum.text),
                let strings = Optional(items.compactMap(\.stringValue)), strings.count == items.count
            {
                aliases = strings.filter { !isBlank($0) }
                if aliases.count != strings.count {
                    report(
                        .warning, .emptyValue, "empty aliases were left out", path: "aliases", at: datum.position)
                }
            } else {
                keep(
                    datum, as: "aliases", why: "the aliases are not a JSON array of strings",
                    suggestion: "write them as [\"first\", \"second\"]", in: &attributes)
            }
        }
        var description: String? = nil
        if let datum = take("description"), !datum.text.isEmpty { description = datum.text }
        let sources = takeSources(from: &groups, keepingFailures: &attributes)
        addAttributes(groups, to: &attributes)
        for (key, value) in node.extras where attributes[key] == nil { attributes[key] = value }
        let entity = Entity(
            id: EntityID(id), name: name, kind: kind, aliases: aliases, description: description,
            attributes: attributes, sources: sources)
        do { try graph.add(entity) } catch { report(.error, .duplicateID, error.description, at: node.position) }
    }

    mutating func resolveKind(_ text: String) -> KindID {
        let (id, isNew) = kinds.resolve(text)
        if isNew { try? graph.declare(Kind(id: KindID(id), label: text)) }
        return KindID(id)
    }
}

/// True for text that is empty or only whitespace.
func isBlank(_ text: String) -> Bool {
    text.allSatisfy(\.isWhitespace)
}

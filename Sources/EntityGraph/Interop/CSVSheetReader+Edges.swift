import Foundation
import OrderedCollections

extension CSVSheetReader {
    // MARK: Edges

    struct PendingRelation {
        var line: Int
        var id: String?
        var relation: Relation
    }

    mutating func readEdges(_ records: [CSVRecord]) {
        guard
            let parsed = header(
                records.first, file: .edges,
                roles: [
                    ("id", CSVColumns.edgeID), ("source", CSVColumns.edgeSource), ("target", CSVColumns.edgeTarget),
                    ("type", CSVColumns.edgeType), ("since", CSVColumns.edgeSince), ("until", CSVColumns.edgeUntil),
                    ("certainty", CSVColumns.edgeCertainty), ("assertedBy", CSVColumns.edgeAssertedBy),
                    ("typeFallback", CSVColumns.edgeTypeFallback),
                ] + CSVSources.roles(nodes: false))
        else { return }
        var header2 = parsed
        // Gephi's edge `Label` is the type only when there is no type column; otherwise an attribute.
        if let fallback = header2.roles["typeFallback"] {
            header2.roles["typeFallback"] = nil
            if header2.roles["type"] == nil {
                header2.roles["type"] = fallback
            } else {
                header2.attributes.append((fallback, header2.names[fallback]))
                header2.attributes.sort { $0.index < $1.index }
            }
        }
        let header = header2
        let headerLine = records[0].line
        var missing: [String] = []
        if header["source"] == nil { missing.append("source") }
        if header["target"] == nil { missing.append("target") }
        if !missing.isEmpty {
            report(
                .edges, .missingColumn,
                "there is no \(missing.joined(separator: " or ")) column" + describeHeader(header, file: .edges),
                line: headerLine, at: 1,
                suggestion: "add 'source' and 'target' columns (Kumu's 'From' and 'To' work too)")
            for record in records.dropFirst() { _ = wrongFieldCount(record, header, file: .edges) }
            return
        }
        func name(_ role: String) -> String { header.names[header[role]!] }

        var pending: [PendingRelation] = []
        var relationLines: [String: Int] = [:]
        for record in records.dropFirst() {
            if record.isTruncated || wrongFieldCount(record, header, file: .edges) { continue }
            var ok = true
            var explicitID: String? = nil
            if let idField = cell(record, header["id"]), !trimmed(idField).isEmpty {
                if let id = checkID(idField, column: name("id"), noun: "relation", file: .edges) {
                    if let first = relationLines[id] {
                        report(
                            .edges, .duplicateID, "the relation id '\(id)' is used twice (first at line \(first))",
                            column: name("id"), line: idField.line, at: idField.column,
                            suggestion: "give each row its own id, or leave the id column empty to number rows")
                        ok = false
                    } else {
                        relationLines[id] = record.line
                        explicitID = id
                    }
                } else {
                    ok = false
                }
            }
            let source = entity(cell(record, header["source"])!, column: name("source"), role: "source")
            let target = entity(cell(record, header["target"])!, column: name("target"), role: "target")
            var assertedBy: EntityID? = nil
            if let field = cell(record, header["assertedBy"]), !trimmed(field).isEmpty {
                assertedBy = entity(field, column: name("assertedBy"), role: "assertedBy")
                if assertedBy == nil { ok = false }
            }
            if source == nil || target == nil { ok = false }

            let typeField = cell(record, header["type"])
            let typeText = trimmed(typeField)
            let type =
                typeText.isEmpty
                ? RelationTypeID("relatedTo")
                : resolveType(typeText, field: typeField, column: header["type"].map { header.names[$0] })

            var since: PartialDate? = nil
            var until: PartialDate? = nil
            if let field = cell(record, header["since"]), !trimmed(field).isEmpty {
                since = date(field, column: name("since"))
                if since == nil { ok = false }
            }
            if let field = cell(record, header["until"]), !trimmed(field).isEmpty {
                until = date(field, column: name("until"))
                if until == nil { ok = false }
            }
            if let since, let until, since.firstDay.ordinal > until.lastDay.ordinal {
                let field = cell(record, header["until"])!
                report(
                    .edges, .sinceAfterUntil, "since (\(since)) is after until (\(until))", column: name("until"),
                    line: field.line, at: field.column, suggestion: "swap them, or fix the year")
                ok = false
            }
            var certainty = Certainty.confirmed
            if let field = cell(record, header["certainty"]), !trimmed(field).isEmpty {
                let text = trimmed(field)
                if let value = Certainty(rawValue: text.lowercased()) {
                    certainty = value
                } else {
                    let names = Certainty.allCases.map(\.rawValue)
                    report(
                        .edges, .unknownCertainty, "'\(text)' is not a certainty", column: name("certainty"),
                        line: field.line, at: field.column,
                        suggestion: Suggest.phrase(text, among: names)
                            ?? "use one of \(names.joined(separator: ", "))")
                    ok = false
                }
            }
            let attributes = self.attributes(record, header, file: .edges)
            let sources = citations(record, header, file: .edges)
            guard ok, let source, let target, let sources else { continue }
            pending.append(
                PendingRelation(
                    line: record.line, id: explicitID,
                    relation: Relation(
                        id: RelationID(""), type: type, source: source, target: target, since: since, until: until,
                        certainty: certainty, assertedBy: assertedBy, sources: sources, attributes: attributes)))
        }
        reportEndpointsByName()
        guard nodesUsable else { return }
        var counter = 1
        for var item in pending {
            if let id = item.id {
                item.relation.id = RelationID(id)
            } else {
                while relationLines["e\(counter)"] != nil { counter += 1 }
                item.relation.id = RelationID("e\(counter)")
                relationLines["e\(counter)"] = item.line
                counter += 1
            }
            do { try graph.add(item.relation) } catch {
                report(.edges, .invalidCSV, error.description, line: item.line)
            }
        }
    }

    /// The entity a cell names — by id; else by name or alias, in any case and with or without
    /// diacritics, when that names one entity (``LookupIndex``) — or `nil`, reported unless the nodes
    /// sheet is unusable or the row naming it was broken: an ambiguous name lists its entities, an
    /// unknown one suggests the closest names with their ids.
    mutating func entity(_ field: CSVField, column: String, role: String) -> EntityID? {
        let text = trimmed(field)
        guard !text.isEmpty else {
            report(
                .edges, .emptyValue, "the \(role) is empty", column: column, line: field.line, at: field.column,
                suggestion: "name an entity id from the nodes sheet")
            return nil
        }
        if graph.entities[EntityID(text)] != nil { return EntityID(text) }
        if let id = kumuLabels?[text] { return EntityID(id) }
        guard nodesUsable, !nodesTruncated, !brokenEntityIDs.contains(text) else { return nil }
        if lookup == nil { lookup = LookupIndex(graph) }
        // Suggestions cost O(entities) each: only the first few unknown references get them.
        let suggest = unknownReferences < CSVSheetReader.maximumSuggestions
        switch lookup!.lookup(text, suggestionLimit: suggest ? 3 : 0) {
        case .found(let id):
            endpointsByName += 1
            if firstEndpointByName == nil { firstEndpointByName = (field.line, text, id) }
            return id
        case .ambiguous(let candidates):
            report(
                .edges, .ambiguousEntity,
                "'\(text)' names \(candidates.count) entities: "
                    + candidates.prefix(5).map { "'\($0.name)' (id \($0.entity))" }.joined(separator: ", "),
                column: column, line: field.line, at: field.column, suggestion: "name the entity by its id")
            return nil
        case .notFound(let suggestions):
            unknownReferences += 1
            let named = suggestions.map { "'\($0.name)' (id \($0.entity))" }
            report(
                .edges, .unknownEntity, "unknown entity '\(text)'", column: column, line: field.line, at: field.column,
                suggestion: named.isEmpty
                    ? "add a row for it to the nodes sheet"
                    : "did you mean \(named.joined(separator: " or "))?")
            return nil
        }
    }

    /// A row's citations from its source columns (``CSVSources``), adding each document the graph does
    /// not have yet; `nil` (reported) when a locator cites no document.
    mutating func citations(_ record: CSVRecord, _ header: CSVHeader, file: CSVFile) -> [Citation]? {
        var cells: [String: String] = [:]
        for role in ["sourceID", "document", "publisher", "sourceURL", "locator"] {
            if let index = header[role], let field = cell(record, index), !trimmed(field).isEmpty {
                cells[role] = trimmed(field)
            }
        }
        guard !cells.isEmpty else { return [] }
        var citations: [Citation] = []
        for reference in CSVSources.references(cells, nodes: file == .nodes) {
            guard reference.id != nil || reference.title != nil || reference.url != nil || reference.publisher != nil
            else {
                let field = cell(record, header["locator"])
                report(
                    file, .missingSource, "the locator '\(reference.locator ?? "")' cites no document",
                    column: header["locator"].map { header.names[$0] } ?? "$", line: field?.line ?? record.line,
                    at: field?.column, suggestion: "fill in the document, source url or source id of this row")
                return nil
            }
            let (id, conflict) = sourceDocuments.id(for: reference)
            if let conflict {
                let field = cell(record, header["sourceID"])
                report(
                    file, .conflictingSource, conflict, column: header["sourceID"].map { header.names[$0] } ?? "$",
                    line: field?.line ?? record.line, at: field?.column, severity: .warning,
                    suggestion: "give the other document its own source id")
            }
            if graph.documents[DocumentID(id)] == nil, let document = sourceDocuments.documents[id] {
                do { try graph.add(document) } catch {
                    report(file, .invalidCSV, error.description, line: record.line)
                    return nil
                }
            }
            citations.append(Citation(document: DocumentID(id), locator: reference.locator))
        }
        return citations
    }

    /// One warning saying that endpoints were matched by name or alias, with the first example.
    mutating func reportEndpointsByName() {
        guard let first = firstEndpointByName else { return }
        let more = endpointsByName > 1 ? " and \(endpointsByName - 1) more" : ""
        report(
            .edges, .endpointByName,
            "entities named by name or alias rather than id: '\(first.text)' is '\(first.id)'\(more)",
            line: first.line, severity: .warning,
            suggestion: "this is fine; name entities by id where two could share a name")
    }

    mutating func date(_ field: CSVField, column: String) -> PartialDate? {
        let text = trimmed(field)
        if let date = PartialDate(text) { return date }
        report(
            .edges, .invalidDate, "'\(text)' is not a date", column: column, line: field.line, at: field.column,
            suggestion: "use YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)")
        return nil
    }
}

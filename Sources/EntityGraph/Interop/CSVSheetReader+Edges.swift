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
                ])
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
                "there is no \(missing.joined(separator: " or ")) column", line: headerLine, at: 1,
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
            var attributes: Attributes = [:]
            for (index, key) in header.attributes {
                let text = record.fields[index].text
                if !text.isEmpty { attributes[key] = .string(text) }
            }
            guard ok, let source, let target else { continue }
            pending.append(
                PendingRelation(
                    line: record.line, id: explicitID,
                    relation: Relation(
                        id: RelationID(""), type: type, source: source, target: target, since: since, until: until,
                        certainty: certainty, assertedBy: assertedBy, attributes: attributes)))
        }
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

    /// The entity a cell names, or `nil` (reported unless the nodes sheet is unusable or the row naming it was broken).
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
        // Suggestions cost O(entities) each: only the first few unknown references get one.
        unknownReferences += 1
        let suggestion =
            unknownReferences <= CSVSheetReader.maximumSuggestions
            ? Suggest.phrase(text, among: graph.entities.keys.lazy.map(\.rawValue)) : nil
        report(
            .edges, .unknownEntity, "unknown entity '\(text)'", column: column, line: field.line, at: field.column,
            suggestion: suggestion ?? "add a row for it to the nodes sheet")
        return nil
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

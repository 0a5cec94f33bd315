import Foundation
import OrderedCollections

// The builder's relations and its finishing step: edges to relations, then the issues sorted
// and capped.

extension XMLGraphBuilder {
    // MARK: Relations

    mutating func addRelations(_ edges: [XMLEdgeRecord], defaultDirected: Bool) {
        // Explicit ids first, so generated ones (e1, e2, …) never take an id the file uses later.
        var taken: [String: (pair: String, position: XMLPosition)] = [:]
        var explicit: [String?] = []
        explicit.reserveCapacity(edges.count)
        var respelled: [String] = []
        for edge in edges {
            guard let raw = edge.id, !raw.isEmpty else {
                explicit.append(nil)
                continue
            }
            guard let id = checkID(raw, noun: "edge", path: "id", at: edge.position) else {
                explicit.append("")
                continue
            }
            let pair = (edge.source ?? "") + "\u{0}" + (edge.target ?? "")
            if let first = taken[id] {
                if first.pair == pair {
                    report(
                        .error, .duplicateID,
                        "the edge id '\(id)' is used twice for the same nodes (first at line \(first.position.line), "
                            + "column \(first.position.column))",
                        path: "id", at: edge.position, suggestion: "give each edge its own id")
                    explicit.append("")
                    continue
                }
                // networkx writes multigraph keys (0, 1, …) as edge ids: unique per pair of nodes only.
                var counter = 2
                while taken["\(id)-\(counter)"] != nil { counter += 1 }
                let spelling = "\(id)-\(counter)"
                taken[spelling] = (pair, edge.position)
                respelled.append("'\(id)' at line \(edge.position.line) as '\(spelling)'")
                explicit.append(spelling)
                continue
            }
            taken[id] = (pair, edge.position)
            explicit.append(id)
        }
        if !respelled.isEmpty {
            let shown = respelled.prefix(8).joined(separator: ", ")
            let more = respelled.count > 8 ? " and \(respelled.count - 8) more" : ""
            report(
                .warning, .readAsNoted,
                "\(pluralize(respelled.count, "edge id")) also used for other pairs of nodes (networkx writes "
                    + "multigraph keys so) got new ids: \(shown)\(more)",
                path: "id", at: nil)
        }
        var counter = 1
        for (edge, id) in zip(edges, explicit) {
            if id == "" { continue }
            var relationID = id
            if relationID == nil {
                while taken["e\(counter)"] != nil { counter += 1 }
                relationID = "e\(counter)"
                taken["e\(counter)"] = ("", edge.position)
                counter += 1
            }
            addRelation(edge, id: relationID!, defaultDirected: defaultDirected)
        }
    }

    mutating func endpoint(_ text: String?, role: String, at position: XMLPosition) -> EntityID? {
        guard let text, !text.isEmpty else {
            report(
                .error, .missingField, "the edge has no \(role)", path: role, at: position,
                suggestion: "add \(role)=\"…\" naming a node id")
            return nil
        }
        if graph.entities[EntityID(text)] != nil { return EntityID(text) }
        if entityPositions[text] != nil { return nil }  // a node that could not be read: already reported
        let suggestion = Suggest.phrase(text, among: graph.entities.keys.lazy.map(\.rawValue))
        report(
            .error, .unknownEntity, "unknown node '\(text)'", path: role, at: position,
            suggestion: suggestion ?? "add a <node id=\"\(text)\"/>, or fix the \(role)")
        return nil
    }

    mutating func addRelation(_ edge: XMLEdgeRecord, id: String, defaultDirected: Bool) {
        let source = endpoint(edge.source, role: "source", at: edge.position)
        let target = endpoint(edge.target, role: "target", at: edge.position)
        guard let source, let target else { return }
        var groups = grouped(edge.data)
        var attributes: Attributes = [:]
        func take(_ name: String) -> XMLDatum? { XMLGraphBuilder.take(name, from: &groups) }
        let directed = edge.directed ?? defaultDirected
        let symmetric = !directed || edge.mutual

        // Type: `type`, else `label` (networkx, Gephi), else the format's label, else relatedTo.
        let typeDatum = take("type")
        var labelDatum = take("label")
        let categoryDatum = take("category")
        var typeText: String? = nil
        var fromLabel = false
        if let text = typeDatum?.text, !isBlank(text) {
            typeText = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let text = labelDatum?.text, !isBlank(text) {
            typeText = text.trimmingCharacters(in: .whitespacesAndNewlines)
            fromLabel = true
        } else if let text = edge.label, !isBlank(text) {
            typeText = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let type: RelationTypeID
        if let typeText {
            let (resolved, isNew) = types.resolve(typeText)
            if isNew {
                var label = typeText
                if !fromLabel, let text = labelDatum?.text, !isBlank(text) { label = text }
                var category = RelationCategory.other
                if let text = categoryDatum?.text, !isBlank(text) { category = RelationCategory(text) }
                try? graph.declare(
                    RelationType(id: RelationTypeID(resolved), label: label, symmetric: symmetric, category: category))
            }
            type = RelationTypeID(resolved)
        } else {
            type = "relatedTo"
        }
        let declared = graph.relationType(type)
        if let datum = typeDatum, datum.text != type.rawValue, datum.text != declared?.label {
            attributes["type"] = .string(datum.text)
        }
        if let datum = labelDatum, datum.text != declared?.label, !(fromLabel && datum.text == typeText) {
            attributes["label"] = .string(datum.text)
            labelDatum = nil
        }
        if let label = edge.label, label != declared?.label, label != typeText, attributes["label"] == nil {
            attributes["label"] = .string(label)
        }
        if let datum = categoryDatum, datum.text != declared?.category.rawValue {
            attributes["category"] = .string(datum.text)
        }

        // Dates: `since`/`until` as written, else GEXF `start`/`end`.
        var since: PartialDate? = nil
        var until: PartialDate? = nil
        func date(_ datum: XMLDatum?, fallback: String?) -> (PartialDate?, XMLDatum?) {
            if let datum {
                let text = datum.text.trimmingCharacters(in: .whitespacesAndNewlines)
                if let parsed = PartialDate(text) { return (parsed, nil) }
                return (nil, datum)
            }
            if let fallback, let parsed = PartialDate(fallback) { return (parsed, nil) }
            return (nil, nil)
        }
        let sinceDatum = take("since")
        let untilDatum = take("until")
        var badDates: [(XMLDatum, String)] = []
        let sinceResult = date(sinceDatum, fallback: edge.start)
        since = sinceResult.0
        if let bad = sinceResult.1 { badDates.append((bad, "since")) }
        let untilResult = date(untilDatum, fallback: edge.end)
        until = untilResult.0
        if let bad = untilResult.1 { badDates.append((bad, "until")) }
        for (datum, field) in badDates {
            keep(
                datum, as: field, why: "'\(datum.text.prefix(40))' is not a date",
                suggestion: "use YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)", in: &attributes)
        }
        if let start = edge.start {
            let consumed = since.map { sinceDatum == nil ? true : $0.firstDay.description == start } ?? false
            if !consumed {
                attributes["start"] = .string(start)
                if sinceDatum == nil {
                    report(
                        .warning, .keptAsAttribute,
                        "the start '\(start.prefix(40))' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); kept as the attribute 'start'",
                        path: "start", at: edge.position)
                }
            }
        }
        if let end = edge.end {
            let consumed = until.map { untilDatum == nil ? true : $0.lastDay.description == end } ?? false
            if !consumed {
                attributes["end"] = .string(end)
                if untilDatum == nil {
                    report(
                        .warning, .keptAsAttribute,
                        "the end '\(end.prefix(40))' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); kept as the attribute 'end'",
                        path: "end", at: edge.position)
                }
            }
        }
        if let first = since, let last = until, first.firstDay.ordinal > last.lastDay.ordinal {
            report(
                .warning, .sinceAfterUntil,
                "since (\(first)) is after until (\(last)); both kept as attributes 'since' and 'until'", path: "until",
                at: untilDatum?.position ?? edge.position, suggestion: "swap them, or fix the year")
            attributes["since"] = .string(first.description)
            attributes["until"] = .string(last.description)
            since = nil
            until = nil
        }

        var certainty = Certainty.confirmed
        if let datum = take("certainty"), !isBlank(datum.text) {
            let text = datum.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let value = Certainty(rawValue: text.lowercased()) {
                certainty = value
                if text != value.rawValue { attributes["certainty"] = .string(datum.text) }
            } else {
                let names = Certainty.allCases.map(\.rawValue)
                keep(
                    datum, as: "certainty", why: "'\(text.prefix(40))' is not a certainty",
                    suggestion: Suggest.phrase(text, among: names) ?? "use one of \(names.joined(separator: ", "))",
                    in: &attributes)
            }
        }
        var assertedBy: EntityID? = nil
        if let datum = take("assertedBy"), !datum.text.isEmpty {
            if graph.entities[EntityID(datum.text)] != nil {
                assertedBy = EntityID(datum.text)
            } else {
                keep(
                    datum, as: "assertedBy", why: "assertedBy names no node ('\(datum.text.prefix(40))')",
                    suggestion: Suggest.phrase(datum.text, among: graph.entities.keys.lazy.map(\.rawValue)),
                    in: &attributes)
            }
        }
        let sources = takeSources(from: &groups, keepingFailures: &attributes)
        addAttributes(groups, to: &attributes)
        for (key, value) in edge.extras where attributes[key] == nil { attributes[key] = value }
        if !directed, attributes["directed"] == nil { attributes["directed"] = false }
        if edge.mutual, attributes["mutual"] == nil { attributes["mutual"] = true }
        let relation = Relation(
            id: RelationID(id), type: type, source: source, target: target, since: since, until: until,
            certainty: certainty, assertedBy: assertedBy, sources: sources, attributes: attributes)
        do { try graph.add(relation) } catch { report(.error, .duplicateID, error.description, at: edge.position) }
    }

    // MARK: Finishing

    mutating func finishWarnings() {
        if !placeholderDocuments.isEmpty {
            let listed = placeholderDocuments.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
            let more = placeholderDocuments.count > 8 ? " and \(placeholderDocuments.count - 8) more" : ""
            report(
                .warning, .readAsNoted,
                "citations name \(pluralize(placeholderDocuments.count, "source document")) the file does not "
                    + "describe; each was declared with its id as title: \(listed)\(more)",
                at: nil)
        }
    }

    mutating func finish() -> GraphDocument.Decoded {
        let listed = ValidationIssue.listed(issues, fileName: fileName)
        let hasErrors = listed.contains { $0.severity == .error }
        return GraphDocument.Decoded(graph: hasErrors ? nil : graph, issues: listed)
    }
}

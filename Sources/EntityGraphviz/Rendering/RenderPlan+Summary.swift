import EntityGraph

extension RenderPlan {
    /// What ``RenderOptions/summarize`` folds: each entity whose relations all join it to one other
    /// entity (a leaf), when that neighbour is not itself a leaf and has at least two leaves, and the
    /// leaf asserts no relation. The folded leaves (and their relations) are not drawn; their neighbour
    /// shows a badge line ("+3 places, 1 event") and lists them, with their relations, in its tooltip.
    /// O(entities + relations).
    struct LeafSummary {
        var folded: Set<EntityID> = []
        /// Per neighbour: the badge line and the tooltip lines.
        var badges: [EntityID: (line: String, tooltip: [String])] = [:]
    }

    static func leafSummary(of graph: Graph) -> LeafSummary {
        var neighbours: [EntityID: Set<EntityID>] = [:]
        var asserters = Set<EntityID>()
        for relation in graph.relations.values {
            if let asserter = relation.assertedBy { asserters.insert(asserter) }
            guard relation.source != relation.target else { continue }
            neighbours[relation.source, default: []].insert(relation.target)
            neighbours[relation.target, default: []].insert(relation.source)
        }
        func isLeaf(_ id: EntityID) -> Bool { neighbours[id]?.count == 1 && !asserters.contains(id) }
        var leaves: [EntityID: [EntityID]] = [:]
        for id in graph.entities.keys where isLeaf(id) {
            guard let neighbour = neighbours[id]?.first, !isLeaf(neighbour) else { continue }
            leaves[neighbour, default: []].append(id)
        }
        var summary = LeafSummary()
        for (neighbour, folded) in leaves where folded.count >= 2 {
            summary.folded.formUnion(folded)
            var counts: [(kind: KindID, count: Int)] = []
            for id in folded {
                guard let kind = graph.entities[id]?.kind else { continue }
                if let index = counts.firstIndex(where: { $0.kind == kind }) {
                    counts[index].count += 1
                } else {
                    counts.append((kind, 1))
                }
            }
            let parts = counts.map { entry in
                "\(entry.count) " + noun(graph.kind(entry.kind)?.label ?? entry.kind.rawValue, count: entry.count)
            }
            var tooltip = ["Summarized here:"]
            for id in folded {
                guard let entity = graph.entities[id] else { continue }
                let kind = graph.kind(entity.kind)?.label ?? entity.kind.rawValue
                tooltip.append("• \(entity.name) (\(kind.lowercased()))")
            }
            summary.badges[neighbour] = ("+" + parts.joined(separator: ", "), tooltip)
        }
        return summary
    }

    /// `place` → `places`, `person` → `people`, `facility` → `facilities` (lower case).
    static func noun(_ label: String, count: Int) -> String {
        let word = label.lowercased()
        guard count != 1 else { return word }
        if word == "person" { return "people" }
        if word.hasSuffix("y"), let before = word.dropLast().last, !"aeiou".contains(before) {
            return word.dropLast() + "ies"
        }
        if word.hasSuffix("s") || word.hasSuffix("x") || word.hasSuffix("ch") || word.hasSuffix("sh") {
            return word + "es"
        }
        return word + "s"
    }
}

import EntityGraph

/// The line under a filtered map's title that says what it shows, for ``RenderOptions/subtitle``:
/// "As of 1 October 2022 · around Alexander Lukashenko, 1 hop · confirmed only".
public enum MapSubtitle {
    /// The subtitle for a map drawn with `filter`, around `focus` (an entity's name) at `depth` hops
    /// when it is an ego map; `nil` when nothing is filtered. Relation types and kinds are named by
    /// their labels in `graph` (the unfiltered graph, so every label is found). O(filter size).
    public static func describing(
        filter: QueryFilter, focus: String? = nil, depth: Int = 1, in graph: Graph
    ) -> String? {
        var parts: [String] = []
        switch filter.time {
        case nil: break
        case .inForce(let date)?: parts.append("As of " + spelled(date))
        case .overlapping(let from, let to)?: parts.append("From \(spelled(from)) to \(spelled(to))")
        }
        if let focus { parts.append("around \(focus), \(depth) \(depth == 1 ? "hop" : "hops")") }
        if let certainties = filter.certainties {
            let names = Certainty.allCases.filter(certainties.contains).map(\.rawValue)
            parts.append(names.count == 1 ? "\(names[0]) only" : names.joined(separator: ", ") + " only")
        }
        if let types = filter.relationTypes {
            let labels = types.map { graph.relationType($0)?.label ?? $0.rawValue }.sorted()
            parts.append("relations: " + labels.joined(separator: ", "))
        }
        if let kinds = filter.entityKinds {
            let labels = kinds.map { graph.kind($0)?.label ?? $0.rawValue }.sorted()
            parts.append("entities: " + labels.joined(separator: ", "))
        }
        guard !parts.isEmpty else { return nil }
        var text = parts.joined(separator: " · ")
        text = text.prefix(1).uppercased() + text.dropFirst()
        return text
    }

    /// `1 October 2022`, `October 2022`, `2022`.
    static func spelled(_ date: PartialDate) -> String {
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        guard let month = date.month else { return String(date.year) }
        let name = months[month - 1]
        guard let day = date.day else { return "\(name) \(date.year)" }
        return "\(day) \(name) \(date.year)"
    }
}

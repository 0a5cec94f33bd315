import EntityGraph

/// Resolves ENTITY arguments (an id, a name or an alias, in any case, with or without diacritics)
/// through the library's ``LookupIndex``.
struct EntityResolver {
    let graph: Graph
    let path: String
    private let index: LookupIndex

    init(graph: Graph, path: String) {
        self.graph = graph
        self.path = path
        self.index = LookupIndex(graph)
    }

    /// The entity `query` names, or a failure listing ranked candidates.
    func resolve(_ query: String) throws(CommandFailure) -> EntityID {
        switch index.lookup(query, suggestionLimit: 5) {
        case .found(let id):
            return id
        case .ambiguous(let candidates):
            throw CommandFailure(
                .invalidInput, "'\(query)' could mean \(plural(candidates.count, "entity", "entities")) in \(path)",
                details: candidates.map { describe($0) } + ["use the id to pick one"])
        case .notFound(let suggestions):
            guard let best = suggestions.first else {
                throw CommandFailure(
                    .invalidInput, "no entity called '\(query)' in \(path)",
                    details: [
                        "no id, name or alias is close; 'entitygraph info \(path)' lists the most connected entities"
                    ])
            }
            var details = ["did you mean \(best.name) (\(best.entity))?"]
            if suggestions.count > 1 {
                details.append("other candidates:")
                details += suggestions.dropFirst().map { "  " + describe($0) }
            }
            throw CommandFailure(.invalidInput, "no entity called '\(query)' in \(path)", details: details)
        }
    }

    /// `Alexander Lukashenko (lukashenko), person — alias 'Lukashenka'`.
    private func describe(_ candidate: LookupCandidate) -> String {
        var text = "\(candidate.name) (\(candidate.entity))"
        if let kind = graph.entities[candidate.entity]?.kind { text += ", \(kind)" }
        if candidate.matchedText != candidate.name, candidate.matchedText != candidate.entity.rawValue {
            text += " — matched '\(candidate.matchedText)'"
        }
        return text
    }
}

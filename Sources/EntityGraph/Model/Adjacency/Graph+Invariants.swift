extension Graph {
    /// What is wrong with the adjacency lists, one line per broken invariant (empty when all hold),
    /// however the graph was made — relation by relation, by the document reader with relations
    /// before their types, or extracted by a query:
    /// - one list of each kind per entity; every relation in its source's outgoing and its target's
    ///   incoming list exactly once, in insertion order;
    /// - each entry's symmetric flag is its relation type's; each link's far end is the relation's
    ///   other endpoint;
    /// - the symmetric incoming lists are exactly the symmetric, non-self-loop part of the incoming
    ///   lists; ``symmetricRelationCount`` counts the symmetric relations.
    ///
    /// For tests (as swift-collections keeps `_checkInvariants()` beside each collection).
    /// O(entities + relations).
    package func checkInvariants() -> [String] {
        var problems: [String] = []
        let count = entities.count
        guard outgoing.count == count, incoming.count == count, symmetricIncoming.count == count else {
            return ["\(outgoing.count)/\(incoming.count)/\(symmetricIncoming.count) lists for \(count) entities"]
        }
        var seenOut = [Int](repeating: 0, count: relations.count)
        var seenIn = [Int](repeating: 0, count: relations.count)
        let symmetric = relations.values.count { relationType($0.type)?.symmetric ?? false }
        if symmetric != symmetricRelationCount {
            problems.append("symmetricRelationCount is \(symmetricRelationCount), \(symmetric) relations are symmetric")
        }
        func ends(_ entry: Int32) -> (source: Int, target: Int)? {
            let relation = relations.value(at: Int(Adjacency.relation(entry)))
            guard let source = entities.index(forKey: relation.source),
                let target = entities.index(forKey: relation.target)
            else { return nil }
            return (source, target)
        }
        for entity in 0..<count {
            var previous: Int32 = -1
            for link in outgoing[entity] {
                let relation = Int(Adjacency.relation(link.entry))
                guard relation < relations.count else {
                    problems.append("entity \(entity): outgoing entry \(link.entry) names no relation")
                    continue
                }
                seenOut[relation] += 1
                if link.entry <= previous { problems.append("entity \(entity): outgoing list out of order") }
                previous = link.entry
                let type = relations.value(at: relation).type
                if Adjacency.isSymmetric(link.entry) != (relationType(type)?.symmetric ?? false) {
                    problems.append("relation \(relation): symmetric flag differs from its type")
                }
                if let (source, target) = ends(link.entry), source != entity || target != Int(link.other) {
                    problems.append("relation \(relation): outgoing link of entity \(entity) has the wrong ends")
                }
            }
            previous = -1
            for link in incoming[entity] {
                let relation = Int(Adjacency.relation(link.entry))
                guard relation < relations.count else {
                    problems.append("entity \(entity): incoming entry \(link.entry) names no relation")
                    continue
                }
                seenIn[relation] += 1
                if link.entry <= previous { problems.append("entity \(entity): incoming list out of order") }
                previous = link.entry
                if let (source, target) = ends(link.entry), target != entity || source != Int(link.other) {
                    problems.append("relation \(relation): incoming link of entity \(entity) has the wrong ends")
                }
            }
            let loops = Set(outgoing[entity].filter { $0.other == Int32(entity) }.map(\.entry))
            let expected = incoming[entity].filter { Adjacency.isSymmetric($0.entry) && !loops.contains($0.entry) }
            if symmetricIncoming[entity] != expected {
                problems.append("entity \(entity): symmetric incoming list is not the symmetric part of incoming")
            }
        }
        for relation in 0..<relations.count where seenOut[relation] != 1 || seenIn[relation] != 1 {
            problems.append(
                "relation \(relation): in \(seenOut[relation]) outgoing and \(seenIn[relation]) incoming lists")
        }
        return problems
    }
}

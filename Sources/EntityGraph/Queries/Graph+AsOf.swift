extension Graph {
    /// The graph as it stood on `date`: every entity, and the relations in force on that date.
    ///
    /// A relation is in force when its span touches `date`, compared by coverage as in
    /// ``Relation/isInForce(on:)``: `2022` covers all of 2022, so a relation since `2022-10-19` is in
    /// force "on" `2022` and `2022-10` but not on `2022-10-01`. A relation with no `since` and no
    /// `until` is always in force; one with only `since` is in force from `since` onwards (an open
    /// `until` means it still holds, with no end); one with only `until` until then; a one-off act
    /// (`since == until`) only during the day, month or year it names. Metadata, vocabulary and
    /// documents are kept; order is this graph's.
    ///
    /// - Complexity: O(V + E).
    public func asOf(_ date: PartialDate) -> Graph {
        let window = TimeConstraint.inForce(on: date)
        return subgraph(
            entityFilter: { _ in true },
            relationFilter: { window.admits(since: $0.since, until: $0.until) })
    }

    /// The part of this graph that passes `filter`: the entities of the admitted kinds and the
    /// relations that pass the relation criteria with both ends admitted.
    ///
    /// Entities that assert a kept relation are kept even when their kind is filtered out (a graph
    /// cannot refer to a missing entity). Order is this graph's.
    ///
    /// - Complexity: O(V + E).
    public func filtered(by filter: QueryFilter) -> Graph {
        let compiled = CompiledFilter(filter)
        var admitted = [Bool](repeating: false, count: entities.count)
        var kept: [Int32] = []
        for index in 0..<Int32(entities.count) where compiled.admitsEntity(index, in: self) {
            admitted[Int(index)] = true
            kept.append(index)
        }
        var keptRelations: [KeptRelation] = []  // by source (assemble sorts them)
        for source in kept {
            for link in outgoing[Int(source)]
            where admitted[Int(link.other)] && compiled.admitsRelation(Adjacency.relation(link.entry), in: self) {
                keptRelations.append(KeptRelation(entry: link.entry, source: source, target: link.other))
            }
        }
        return assemble(entities: kept, relations: keptRelations, isIncluded: { admitted[Int($0)] })
    }
}

extension Graph {
    /// The neighbourhood of `center` up to `radius` hops, as a graph a caller can render directly.
    ///
    /// The entities are `center` and every entity reachable from it in at most `radius` hops along
    /// relations that pass `filter`, following `direction` (symmetric relations are followed both
    /// ways, see ``TraversalDirection``; ``QueryFilter/entityKinds`` restricts the entities reached,
    /// never the centre). The relations are **all** relations passing `filter`
    /// whose two ends are among those entities — including relations between two entities of the
    /// outer ring and relations against `direction` — like networkx's `ego_graph`, which returns the
    /// induced subgraph. A graph cannot hold a relation whose ``Relation/assertedBy`` entity is
    /// missing, so such asserting entities are added as well (they count as no hop and bring no
    /// relations of their own). Entities and relations keep this graph's insertion order; metadata,
    /// vocabulary and documents are copied.
    ///
    /// - Parameters:
    ///   - center: The entity in the middle.
    ///   - radius: The number of hops; `0` gives the centre and its self-loops.
    ///   - direction: Which relations the search follows: out of each entity, into it, or both
    ///     (symmetric ones always both ways).
    ///   - filter: The relations to follow and keep, and the kinds of entities to reach.
    /// - Complexity: O(V' + E' + k log k) expected, where V' and E' are the entities reached and their
    ///   adjacent relations, and k the size of the result; independent of the rest of the graph.
    /// - Throws: ``QueryError/unknownEntity(_:)`` when no entity has id `center`;
    ///   ``QueryError/negativeBound(_:_:)`` for a negative radius.
    public func egoGraph(
        around center: EntityID, radius: Int = 1, direction: TraversalDirection = .both,
        filter: QueryFilter = .unrestricted
    ) throws(QueryError) -> Graph {
        guard radius >= 0 else { throw .negativeBound("radius", radius) }
        let start = try requireEntityIndex(of: center)
        let compiled = CompiledFilter(filter)
        return TraversalPool.shared.withScratch { scratch in
            let generation = scratch.begin(count: entities.count)
            let (members, kept) = scratch.withBuffers { buffers -> ([Int32], [Int32]) in
                let mark = buffers.markA
                var members: [Int32] = [start]
                mark[Int(start)] = generation
                var head = 0
                for _ in 0..<radius {
                    let layerEnd = members.count
                    if head == layerEnd { break }
                    while head < layerEnd {
                        let entity = members[head]
                        head += 1
                        forEachLink(of: entity, direction: direction) { relation, other, _ in
                            guard mark[Int(other)] != generation, compiled.admitsRelation(relation, in: self),
                                compiled.admitsEntity(other, in: self)
                            else { return }
                            mark[Int(other)] = generation
                            members.append(other)
                        }
                    }
                }
                // Every relation with both ends inside is seen exactly once, from its source.
                var kept: [Int32] = []
                endpoints.withUnsafeBufferPointer { ends in
                    for entity in members {
                        for entry in outgoing[Int(entity)] {
                            let relation = Adjacency.relation(entry)
                            if mark[Int(ends[Int(relation)].target)] == generation
                                && compiled.admitsRelation(relation, in: self)
                            {
                                kept.append(entry)
                            }
                        }
                    }
                }
                return (members, kept)
            }
            let marks = scratch.markA
            return assemble(entities: members, relations: kept, isIncluded: { marks[Int($0)] == generation })
        }
    }
}

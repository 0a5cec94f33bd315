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
    /// relations of their own). Entities and relations keep this graph's insertion order and are not
    /// copied: the result's tables share this graph's storage (see ``GraphTable``); metadata,
    /// vocabulary and documents are carried over.
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
            let mark = scratch.markA
            let members = reach(
                from: start, radius: radius, direction: direction, filter: compiled, mark: mark,
                generation: generation)
            // Every relation with both ends inside is seen exactly once, from its source.
            var kept: [KeptRelation] = []
            for entity in members {
                for link in outgoing[Int(entity)]
                where mark[Int(link.other)] == generation
                    && compiled.admitsRelation(Adjacency.relation(link.entry), in: self)
                {
                    kept.append(KeptRelation(entry: link.entry, source: entity, target: link.other))
                }
            }
            return assemble(entities: members, relations: kept, isIncluded: { mark[Int($0)] == generation })
        }
    }

    /// The entities within `radius` hops of `center`: the centre first, then each ring in the order
    /// the search meets them (entity by entity of the ring before, each entity's relations in
    /// insertion order).
    ///
    /// The entities are those of ``egoGraph(around:radius:direction:filter:)`` without the asserting
    /// entities it adds, and without building a graph: what python-igraph's `neighborhood` answers.
    /// Use it to list or count who is near an entity; use the ego graph to look at or render them.
    ///
    /// - Parameters:
    ///   - center: The entity in the middle.
    ///   - radius: The number of hops; `0` gives the centre alone.
    ///   - direction: Which relations the search follows (symmetric ones always both ways).
    ///   - filter: The relations to follow and the kinds of entities to reach (never the centre).
    /// - Complexity: O(V' + E'), where V' and E' are the entities reached and their adjacent
    ///   relations; independent of the rest of the graph.
    /// - Throws: ``QueryError/unknownEntity(_:)`` when no entity has id `center`;
    ///   ``QueryError/negativeBound(_:_:)`` for a negative radius.
    public func neighborhood(
        of center: EntityID, radius: Int = 1, direction: TraversalDirection = .both,
        filter: QueryFilter = .unrestricted
    ) throws(QueryError) -> [EntityID] {
        guard radius >= 0 else { throw .negativeBound("radius", radius) }
        let start = try requireEntityIndex(of: center)
        let compiled = CompiledFilter(filter)
        let members = TraversalPool.shared.withScratch { scratch in
            let generation = scratch.begin(count: entities.count)
            return reach(
                from: start, radius: radius, direction: direction, filter: compiled, mark: scratch.markA,
                generation: generation)
        }
        let ids = entities.keys
        return members.map { ids[Int($0)] }
    }

    /// ``neighborhood(of:radius:direction:filter:)`` ring by ring: element `k` holds the entities
    /// exactly `k` hops from `center` (element 0 is the centre alone), each ring in the order the
    /// search meets them. Empty rings at the end are left out. What `entitygraph neighbors --depth`
    /// lists.
    ///
    /// - Complexity: O(V' + E'), as ``neighborhood(of:radius:direction:filter:)``.
    /// - Throws: as ``neighborhood(of:radius:direction:filter:)``.
    public func neighborhoodRings(
        of center: EntityID, radius: Int = 1, direction: TraversalDirection = .both,
        filter: QueryFilter = .unrestricted
    ) throws(QueryError) -> [[EntityID]] {
        guard radius >= 0 else { throw .negativeBound("radius", radius) }
        let start = try requireEntityIndex(of: center)
        let compiled = CompiledFilter(filter)
        var ringEnds: [Int] = []
        let members = TraversalPool.shared.withScratch { scratch in
            let generation = scratch.begin(count: entities.count)
            return reach(
                from: start, radius: radius, direction: direction, filter: compiled, mark: scratch.markA,
                generation: generation, ringEnds: &ringEnds)
        }
        let ids = entities.keys
        var rings: [[EntityID]] = []
        var ringStart = 0
        for end in ringEnds where end > ringStart {
            rings.append(members[ringStart..<end].map { ids[Int($0)] })
            ringStart = end
        }
        return rings
    }

    /// Breadth-first from `start` up to `radius` hops through relations and entities passing `filter`,
    /// marking every entity reached with `generation` in `mark`; the entities in the order reached,
    /// `start` first, and in `ringEnds` where each ring ends. O(V' + E').
    private func reach(
        from start: Int32, radius: Int, direction: TraversalDirection, filter: CompiledFilter,
        mark: UnsafeMutableBufferPointer<UInt32>, generation: UInt32
    ) -> [Int32] {
        var ringEnds: [Int] = []
        return reach(
            from: start, radius: radius, direction: direction, filter: filter, mark: mark, generation: generation,
            ringEnds: &ringEnds)
    }

    private func reach(
        from start: Int32, radius: Int, direction: TraversalDirection, filter: CompiledFilter,
        mark: UnsafeMutableBufferPointer<UInt32>, generation: UInt32, ringEnds: inout [Int]
    ) -> [Int32] {
        var members: [Int32] = [start]
        mark[Int(start)] = generation
        var head = 0
        ringEnds.append(1)
        defer { if ringEnds.last != members.count { ringEnds.append(members.count) } }
        for _ in 0..<radius {
            let layerEnd = members.count
            if head == layerEnd { break }
            if ringEnds.last != layerEnd { ringEnds.append(layerEnd) }
            while head < layerEnd {
                let entity = members[head]
                head += 1
                forEachLink(of: entity, direction: direction) { relation, other, _ in
                    guard mark[Int(other)] != generation, filter.admitsRelation(relation, in: self),
                        filter.admitsEntity(other, in: self)
                    else { return }
                    mark[Int(other)] = generation
                    members.append(other)
                }
            }
        }
        return members
    }
}

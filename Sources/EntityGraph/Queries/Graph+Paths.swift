/// A walk from one entity to another, one relation at a time.
///
/// Returned by ``Graph/shortestPath(from:to:direction:filter:)`` and
/// ``Graph/allShortestPaths(from:to:direction:filter:limit:)``.
public struct GraphPath: Sendable, Hashable {
    /// One hop of a path.
    public struct Step: Sendable, Hashable {
        /// The relation crossed.
        public var relation: RelationID
        /// The entity the hop leaves.
        public var from: EntityID
        /// The entity the hop reaches.
        public var to: EntityID
        /// ``Traversal/forward`` when ``from`` is the relation's source, ``Traversal/backward`` when it
        /// is its target (the hop goes against the relation's stored direction; a directed path does
        /// that only across a symmetric relation).
        public var traversal: Traversal

        /// Creates a step.
        public init(relation: RelationID, from: EntityID, to: EntityID, traversal: Traversal) {
            self.relation = relation
            self.from = from
            self.to = to
            self.traversal = traversal
        }
    }

    /// The first entity.
    public var start: EntityID
    /// The hops, in order; each step's ``Step/from`` is the previous step's ``Step/to``.
    public var steps: [Step]

    /// Creates a path.
    public init(start: EntityID, steps: [Step]) {
        self.start = start
        self.steps = steps
    }

    /// The last entity (``start`` for an empty path). O(1).
    public var end: EntityID { steps.last?.to ?? start }
    /// The number of hops. O(1).
    public var length: Int { steps.count }
    /// The entities visited, ``start`` first: one more than ``length``. O(length).
    public var entities: [EntityID] { [start] + steps.map(\.to) }
    /// The relations crossed, in order. O(length).
    public var relations: [RelationID] { steps.map(\.relation) }
}

/// The shortest paths between two entities, up to a limit.
public struct ShortestPaths: Sendable, Hashable {
    /// The paths found, all of length ``length``, in lexicographic order of the insertion positions
    /// of their relations. Empty when the entities are not connected (or the limit is 0).
    public var paths: [GraphPath]
    /// The number of hops of a shortest path, or `nil` when the entities are not connected.
    public var length: Int?
    /// False when the limit cut the list short: more shortest paths exist.
    public var isComplete: Bool

    /// Creates a result.
    public init(paths: [GraphPath], length: Int?, isComplete: Bool) {
        self.paths = paths
        self.length = length
        self.isComplete = isComplete
    }
}

extension TraversalDirection {
    /// The direction that walks the same relations the other way.
    internal var reversed: TraversalDirection {
        switch self {
        case .outgoing: return .incoming
        case .incoming: return .outgoing
        case .both: return .both
        }
    }
}

extension Graph {
    /// A shortest path (fewest hops) from `source` to `target` through relations that pass `filter`.
    ///
    /// With ``TraversalDirection/outgoing`` every hop goes from a relation's source to its target;
    /// ``TraversalDirection/incoming`` walks relations backwards; ``TraversalDirection/both`` ignores
    /// direction. A relation whose type is symmetric reads the same both ways, so both directed walks
    /// cross it either way (a hop from its target to its source is a ``Traversal/backward`` step). ``QueryFilter/entityKinds`` restricts the entities passed through, not the two
    /// ends. When several shortest paths exist, the one returned is fixed for a given graph (the
    /// first met by a bidirectional breadth-first search that expands, layer by layer, the side with
    /// fewer relations to scan, outgoing relations before incoming ones, each in insertion order).
    /// A path from an entity to itself is empty.
    ///
    /// - Returns: The path, or `nil` when `target` cannot be reached.
    /// - Complexity: O(V + E) in the worst case; a bidirectional search usually visits far less.
    ///   Reuses pooled per-entity buffers, so it allocates little beyond the result.
    /// - Throws: ``QueryError/unknownEntity(_:)`` when either id is unknown.
    public func shortestPath(
        from source: EntityID, to target: EntityID, direction: TraversalDirection = .both,
        filter: QueryFilter = .unrestricted
    ) throws(QueryError) -> GraphPath? {
        let s = try requireEntityIndex(of: source)
        let t = try requireEntityIndex(of: target)
        if s == t { return GraphPath(start: source, steps: []) }
        let compiled = CompiledFilter(filter)
        return TraversalPool.shared.withScratch { scratch -> GraphPath? in
            let generation = scratch.begin(count: entities.count)
            guard
                let meeting = bidirectionalSearch(
                    from: s, to: t, direction: direction, filter: compiled, generation: generation,
                    scratch: scratch)
            else { return nil }
            // Each reached entity's slot names the relation that reached it and whether it was crossed
            // forwards: walk back from the meeting relation's ends to `s` and to `t` (on the target's
            // side the hops are crossed the other way), then put the source's side in order.
            let slots = scratch.slots
            var steps: [GraphPath.Step] = []
            steps.reserveCapacity(8)
            var v = meeting.a
            while v != s {
                let (relation, forward) = Reached.decode(slots[Int(v)])
                let u = origin(of: relation, at: v, forward: forward)
                steps.append(step(from: u, to: v, relation: relation, forward: forward))
                v = u
            }
            steps.reverse()
            steps.append(step(from: meeting.a, to: meeting.b, relation: meeting.relation, forward: meeting.forward))
            v = meeting.b
            while v != t {
                let (relation, forward) = Reached.decode(slots[Int(v)])
                let u = origin(of: relation, at: v, forward: forward)
                steps.append(step(from: v, to: u, relation: relation, forward: !forward))
                v = u
            }
            return GraphPath(start: entities.key(at: Int(s)), steps: steps)
        }
    }

    /// Every shortest path (fewest hops) from `source` to `target`, up to `limit` paths.
    ///
    /// Direction and filter work as in ``shortestPath(from:to:direction:filter:)``. Parallel relations
    /// make distinct paths. Paths come in lexicographic order of the insertion positions of their
    /// relations; ``ShortestPaths/isComplete`` tells whether the limit cut the list short.
    ///
    /// - Complexity: O(V + E) to find the entities on shortest paths, plus O(limit × length) to list
    ///   the paths (the number of shortest paths can grow exponentially; hence the limit).
    /// - Throws: ``QueryError/unknownEntity(_:)`` when either id is unknown;
    ///   ``QueryError/negativeBound(_:_:)`` for a negative limit.
    public func allShortestPaths(
        from source: EntityID, to target: EntityID, direction: TraversalDirection = .both,
        filter: QueryFilter = .unrestricted, limit: Int = 1_000
    ) throws(QueryError) -> ShortestPaths {
        guard limit >= 0 else { throw .negativeBound("limit", limit) }
        let s = try requireEntityIndex(of: source)
        let t = try requireEntityIndex(of: target)
        guard let dag = shortestPathDAG(from: s, to: t, direction: direction, filter: filter) else {
            return ShortestPaths(paths: [], length: nil, isComplete: true)
        }
        var paths: [GraphPath] = []
        var hops: [(from: Int32, relation: Int32)] = []
        var complete = true
        // Depth-first over the DAG of shortest-path hops, in relation order.
        func walk(_ entity: Int32) {
            if entity == t {
                if paths.count == limit {
                    complete = false
                    return
                }
                paths.append(makePath(start: s, hops: hops))
                return
            }
            for (relation, next) in dag.successors[entity] ?? [] {
                if !complete { return }
                hops.append((entity, relation))
                walk(next)
                hops.removeLast()
            }
        }
        walk(s)
        return ShortestPaths(paths: paths, length: dag.length, isComplete: complete)
    }

    /// How `source` is connected to `target`: the union of all their shortest paths, as a graph.
    ///
    /// The entities and relations are those lying on at least one shortest path (however many paths
    /// there are: no limit applies), in this graph's order, with the asserting entities of the kept
    /// relations (see ``egoGraph(around:radius:direction:filter:)``). Direction and filter work as in
    /// ``shortestPath(from:to:direction:filter:)``.
    ///
    /// - Returns: The graph, or `nil` when `target` cannot be reached. For `source == target`, a
    ///   graph holding that entity alone.
    /// - Complexity: O(V + E) in the worst case, plus O(k log k) to build a result of size k.
    /// - Throws: ``QueryError/unknownEntity(_:)`` when either id is unknown.
    public func connectionGraph(
        from source: EntityID, to target: EntityID, direction: TraversalDirection = .both,
        filter: QueryFilter = .unrestricted
    ) throws(QueryError) -> Graph? {
        let s = try requireEntityIndex(of: source)
        let t = try requireEntityIndex(of: target)
        guard let dag = shortestPathDAG(from: s, to: t, direction: direction, filter: filter) else { return nil }
        let members = Set(dag.entities)
        return assemble(entities: dag.entities, relations: dag.relations, isIncluded: members.contains)
    }

    // MARK: Internals

    /// The hops that lie on shortest paths from `s` to `t`.
    internal struct ShortestPathDAG {
        /// Hops count of a shortest path.
        var length: Int
        /// For each entity on a shortest path, the hops `(relation, next entity)` that stay on one,
        /// in relation order.
        var successors: [Int32: [(Int32, Int32)]]
        /// Entities on a shortest path, `s` and `t` included.
        var entities: [Int32]
        /// Relations on a shortest path.
        var relations: [KeptRelation]
    }

    /// Breadth-first from `s` until `t` is reached, then backwards from `t` keeping only the hops
    /// whose ends are one layer apart on the way to `s`. O(V + E). `nil` when `t` is unreachable.
    internal func shortestPathDAG(
        from s: Int32, to t: Int32, direction: TraversalDirection, filter: QueryFilter
    ) -> ShortestPathDAG? {
        if s == t { return ShortestPathDAG(length: 0, successors: [:], entities: [s], relations: []) }
        let compiled = CompiledFilter(filter)
        return TraversalPool.shared.withScratch { scratch -> ShortestPathDAG? in
            let generation = scratch.begin(count: entities.count)
            let (markA, markB, dataA) = (scratch.markA, scratch.markB, scratch.dataA)
            // Forward: dataA holds the distance from s.
            markA[Int(s)] = generation
            dataA[Int(s)] = 0
            var frontier: [Int32] = [s]
            var next: [Int32] = []
            var depth: Int32 = 0
            var reached = false
            while !reached, !frontier.isEmpty {
                depth += 1
                next.removeAll(keepingCapacity: true)
                for u in frontier {
                    forEachLink(of: u, direction: direction) { relation, w, _ in
                        let wi = Int(w)
                        guard markA[wi] != generation, compiled.admitsRelation(relation, in: self),
                            w == t || compiled.admitsEntity(w, in: self)
                        else { return }
                        markA[wi] = generation
                        dataA[wi] = depth
                        if w == t { reached = true }
                        next.append(w)
                    }
                }
                swap(&frontier, &next)
            }
            guard reached else { return nil }
            let length = depth
            // Backward from t: an entity at distance d from s joins when a hop links it to an entity
            // at distance d + 1 already known to be on a shortest path.
            var successors: [Int32: [(Int32, Int32)]] = [:]
            var onPath: [Int32] = [t]
            var relationsOnPath: [KeptRelation] = []
            markB[Int(t)] = generation
            frontier = [t]
            while !frontier.isEmpty {
                next.removeAll(keepingCapacity: true)
                for u in frontier {
                    let wanted = dataA[Int(u)] - 1
                    _ = forEachEntry(of: u, direction: direction.reversed) { entry, w, traversal in
                        let wi = Int(w)
                        let relation = Adjacency.relation(entry)
                        guard markA[wi] == generation, dataA[wi] == wanted, w != t,
                            compiled.admitsRelation(relation, in: self)
                        else { return false }
                        successors[w, default: []].append((relation, u))
                        // Forward: `u` is the relation's source.
                        relationsOnPath.append(
                            traversal == .forward
                                ? KeptRelation(entry: entry, source: u, target: w)
                                : KeptRelation(entry: entry, source: w, target: u))
                        if markB[wi] != generation {
                            markB[wi] = generation
                            onPath.append(w)
                            if w != s { next.append(w) }
                        }
                        return false
                    }
                }
                swap(&frontier, &next)
            }
            for key in successors.keys { successors[key]!.sort { $0.0 < $1.0 } }
            return ShortestPathDAG(
                length: Int(length), successors: successors, entities: onPath, relations: relationsOnPath)
        }
    }

    /// How an entity was reached, in the low half of its slot: the relation crossed (bits 1–31) and
    /// whether it was crossed forwards, from the relation's source (bit 0).
    private enum Reached {
        @inline(__always) static func encode(_ relation: Int32, forward: Bool) -> UInt64 {
            UInt64(UInt32(bitPattern: relation)) << 1 | (forward ? 1 : 0)
        }
        @inline(__always) static func decode(_ slot: UInt64) -> (relation: Int32, forward: Bool) {
            (Int32(truncatingIfNeeded: (slot & 0xFFFF_FFFF) >> 1), slot & 1 != 0)
        }
    }

    /// The entity that relation `relation` was crossed from to reach `entity`: its source when
    /// crossed forwards, else its target; found in `entity`'s own list by binary search. O(log degree).
    private func origin(of relation: Int32, at entity: Int32, forward: Bool) -> Int32 {
        let list = forward ? incoming[Int(entity)] : outgoing[Int(entity)]
        guard let position = list.index(ofRelation: relation) else {
            preconditionFailure("relation \(relation) did not reach entity \(entity)")
        }
        return list[position].other
    }

    /// Breadth-first from both ends, one whole layer at a time, always expanding the side whose
    /// frontier has fewer relations to scan; stops at the first relation joining the two sides (which
    /// lies on a shortest path: every earlier-visited entity of the other side was fully expanded).
    ///
    /// Each side queues its entities in the order reached, one layer after the other (`dataA` for
    /// the source's side, `dataB` for the target's). Each entity's slot holds the side that reached
    /// it (`generation` for the source's side, `generation + 1` for the target's, in the high half)
    /// and how (low half: see ``Reached``), so one load tells both sides apart. Returns the meeting
    /// relation's ends, the one on the source's side first, and whether that one is the relation's
    /// source. O(V + E) at worst.
    private func bidirectionalSearch(
        from s: Int32, to t: Int32, direction: TraversalDirection, filter: CompiledFilter,
        generation: UInt32, scratch: TraversalScratch
    ) -> (a: Int32, relation: Int32, forward: Bool, b: Int32)? {
        let slots = scratch.slots
        let (sideA, sideB) = (UInt64(generation) << 32, UInt64(generation + 1) << 32)
        let (queueA, queueB) = (scratch.dataA, scratch.dataB)
        slots[Int(s)] = sideA
        slots[Int(t)] = sideB
        queueA[0] = s
        queueB[0] = t
        let unrestricted = !filter.checksRelations && !filter.checksKinds
        return outgoing.withUnsafeBufferPointer { outgoing in
            incoming.withUnsafeBufferPointer { incoming in
                symmetricIncoming.withUnsafeBufferPointer { symmetricIncoming in
                    // The lists a walk scans: relations crossed forwards (the far end is the target;
                    // only entries matching the mask: 1 keeps the symmetric ones) and relations
                    // crossed backwards (the far end is the source).
                    typealias Walk = (
                        forwards: UnsafeBufferPointer<[AdjacencyLink]>, mask: Int32,
                        backwards: UnsafeBufferPointer<[AdjacencyLink]>
                    )
                    @inline(__always) func plan(_ walk: TraversalDirection) -> Walk {
                        switch walk {
                        case .outgoing: return (outgoing, 0, symmetricIncoming)
                        // Without symmetric relations, `symmetricIncoming` holds only empty lists.
                        case .incoming:
                            return (symmetricRelationCount == 0 ? symmetricIncoming : outgoing, 1, incoming)
                        case .both: return (outgoing, 0, incoming)
                        }
                    }
                    // Entity `u`'s list, read in place. The outer list array (held for the whole
                    // search by the enclosing `withUnsafeBufferPointer`) keeps every inner one alive,
                    // so the inner buffer is not retained per entity as `withUnsafeBufferPointer` on
                    // it would (200 pairs in turn, `queries --profile path` run for 20,000 rounds
                    // instead of 1,000: 7.1 → 5.6 s user time, setup included; no change when one
                    // pair repeats). Arrays of a struct type are always contiguous.
                    @inline(__always) func elements(
                        _ lists: UnsafeBufferPointer<[AdjacencyLink]>, _ u: Int32
                    ) -> UnsafeBufferPointer<AdjacencyLink> {
                        let list = lists[Int(u)]
                        return UnsafeBufferPointer(start: list._baseAddressIfContiguous, count: list.count)
                    }
                    @inline(__always) func degree(_ u: Int32, _ walk: Walk) -> Int {
                        walk.forwards[Int(u)].count &+ walk.backwards[Int(u)].count
                    }
                    // Expands the layer `queue[layer]` of one side, queueing the next layer from `end`
                    // on, outgoing relations before incoming ones; returns the joining relation, if
                    // met.
                    func expand(
                        _ queue: UnsafeMutableBufferPointer<Int32>, _ layer: Range<Int>, end: inout Int,
                        _ walk: Walk, own: UInt64, other: UInt64
                    ) -> (from: Int32, relation: Int32, forward: Bool, to: Int32)? {
                        @inline(__always) func scan(
                            _ u: Int32, _ list: UnsafeBufferPointer<AdjacencyLink>, mask: Int32, forward: Bool
                        ) -> (from: Int32, relation: Int32, forward: Bool, to: Int32)? {
                            for link in list where link.entry & mask == mask {
                                let relation = Adjacency.relation(link.entry)
                                let w = link.other
                                let wi = Int(w)
                                let slot = slots[wi]
                                let seen = slot & 0xFFFF_FFFF_0000_0000
                                if seen == other, filter.admitsRelation(relation, in: self) {
                                    return (u, relation, forward, w)
                                }
                                if unrestricted {
                                    // Without branching on `seen`, which no predictor guesses: an
                                    // entity seen before keeps its slot and is written past the
                                    // queue's end, where the next new entity overwrites it.
                                    let new = seen != own
                                    slots[wi] = new ? own | Reached.encode(relation, forward: forward) : slot
                                    queue[end] = w
                                    end &+= new ? 1 : 0
                                } else {
                                    if seen == own || seen == other || !filter.admitsRelation(relation, in: self)
                                        || !filter.admitsEntity(w, in: self)
                                    {
                                        continue
                                    }
                                    slots[wi] = own | Reached.encode(relation, forward: forward)
                                    queue[end] = w
                                    end &+= 1
                                }
                            }
                            return nil
                        }
                        for index in layer {
                            let u = queue[index]
                            if let hit = scan(u, elements(walk.forwards, u), mask: walk.mask, forward: true) {
                                return hit
                            }
                            if let hit = scan(u, elements(walk.backwards, u), mask: 0, forward: false) {
                                return hit
                            }
                        }
                        return nil
                    }
                    // The new layer is weighed in a loop of its own, after the scan: independent reads
                    // of the list sizes overlap there (inside the scan each would wait behind the
                    // scan's own reads).
                    @inline(__always) func weigh(
                        _ queue: UnsafeMutableBufferPointer<Int32>, _ layer: Range<Int>, _ walk: Walk
                    ) -> Int {
                        var cost = 0
                        for index in layer { cost &+= degree(queue[index], walk) }
                        return cost
                    }
                    let (walkA, walkB) = (plan(direction), plan(direction.reversed))
                    var (layerA, endA) = (0..<1, 1)
                    var (layerB, endB) = (0..<1, 1)
                    var costA = degree(s, walkA)
                    var costB = degree(t, walkB)
                    while !layerA.isEmpty, !layerB.isEmpty {
                        if costA <= costB {
                            if let hit = expand(queueA, layerA, end: &endA, walkA, own: sideA, other: sideB) {
                                return (hit.from, hit.relation, hit.forward, hit.to)
                            }
                            layerA = layerA.upperBound..<endA
                            costA = weigh(queueA, layerA, walkA)
                        } else {
                            if let hit = expand(queueB, layerB, end: &endB, walkB, own: sideB, other: sideA) {
                                // Crossed from the target's side: seen from the source's side, the
                                // other way round.
                                return (hit.to, hit.relation, !hit.forward, hit.from)
                            }
                            layerB = layerB.upperBound..<endB
                            costB = weigh(queueB, layerB, walkB)
                        }
                    }
                    return nil
                }
            }
        }
    }

    /// Turns `(from, relation)` hops starting at entity `start` into a ``GraphPath``.
    internal func makePath(start: Int32, hops: [(from: Int32, relation: Int32)]) -> GraphPath {
        var steps: [GraphPath.Step] = []
        steps.reserveCapacity(hops.count)
        for hop in hops { steps.append(step(from: hop.from, relation: hop.relation)) }
        return GraphPath(start: entities.key(at: Int(start)), steps: steps)
    }

    /// The step that crosses relation `relation` from entity `from` (one of its ends).
    @inline(__always)
    internal func step(from: Int32, relation: Int32) -> GraphPath.Step {
        let (to, forward) = farEnd(of: relation, from: from)
        return step(from: from, to: to, relation: relation, forward: forward)
    }

    /// The step from entity `from` to entity `to` across relation `relation`, forwards when `from`
    /// is its source.
    @inline(__always)
    internal func step(from: Int32, to: Int32, relation: Int32, forward: Bool) -> GraphPath.Step {
        GraphPath.Step(
            relation: relations.key(at: Int(relation)), from: entities.key(at: Int(from)),
            to: entities.key(at: Int(to)), traversal: forward ? .forward : .backward)
    }
}

import OrderedCollections

/// An entity next to another one, with every relation that links the two.
///
/// Returned by ``Graph/neighbors(of:direction:filter:)``.
public struct Neighbor: Sendable, Hashable {
    /// One relation linking the queried entity to ``Neighbor/entity``.
    public struct Link: Sendable, Hashable {
        /// The linking relation.
        public var relation: RelationID
        /// ``Traversal/forward`` when the queried entity is the relation's source (the neighbour is
        /// its target), ``Traversal/backward`` when the queried entity is its target — also for a
        /// symmetric relation, which every direction follows both ways.
        public var traversal: Traversal

        /// Creates a link.
        public init(relation: RelationID, traversal: Traversal) {
            self.relation = relation
            self.traversal = traversal
        }
    }

    /// The neighbouring entity (the queried entity itself for a self-loop).
    public var entity: EntityID
    /// The linking relations, in relation insertion order; parallel relations each appear.
    public var links: [Link]

    /// Creates a neighbour.
    public init(entity: EntityID, links: [Link]) {
        self.entity = entity
        self.links = links
    }

    /// The ids of the linking relations, in relation insertion order. O(links).
    public var relations: [RelationID] { links.map(\.relation) }
}

extension Graph {
    /// The relations `id` is the source of, in insertion order, as a view over the adjacency list.
    ///
    /// Nothing is copied: the view shares the graph's storage, so iterating it allocates nothing.
    /// Empty when no entity has this id. O(1) to create (one hash lookup); O(1) per element.
    public func outgoingRelations(of id: EntityID) -> AdjacentRelations {
        AdjacentRelations(positions: entityIndex(of: id).map { outgoing[Int($0)] } ?? [], all: relations.values)
    }

    /// The relations `id` is the target of, in insertion order, as a view over the adjacency list.
    ///
    /// Nothing is copied: the view shares the graph's storage, so iterating it allocates nothing.
    /// Empty when no entity has this id. O(1) to create (one hash lookup); O(1) per element.
    public func incomingRelations(of id: EntityID) -> AdjacentRelations {
        AdjacentRelations(positions: entityIndex(of: id).map { incoming[Int($0)] } ?? [], all: relations.values)
    }

    /// The ids of the entities at the other end of each relation of `id` in `direction`, as a view
    /// over the adjacency lists.
    ///
    /// One element per relation, in relation insertion order: an entity linked by two parallel
    /// relations appears twice, a self-loop yields `id` once (also for ``TraversalDirection/both``).
    /// The directed views also hold the far ends of the symmetric relations `id` takes part in the
    /// other way round (see ``TraversalDirection``). Nothing is copied, so iterating allocates
    /// nothing. Empty when no entity has this id.
    ///
    /// - Complexity: One hash lookup, then O(degree) to create and walk through: O(1) per element,
    ///   plus, for a directed view of a graph with symmetric relations, a step over each relation of
    ///   the other direction that is not symmetric. `count` is O(degree).
    public func neighborIDs(of id: EntityID, direction: TraversalDirection = .both) -> NeighborIDs {
        let positions = entityIndex(of: id).map { neighborPositions(ofEntityAt: Int($0), direction: direction) }
        return NeighborIDs(
            positions: positions ?? NeighborPositions(outs: [], ins: [], endpoints: [], outMask: 0, inMask: 0),
            ids: entities.keys)
    }

    /// Like ``neighborIDs(of:direction:)`` for the entity at `position` in ``entities``, giving the
    /// neighbours' positions in ``entities``: the integer-indexed form for tight loops, with no
    /// hashing at all (`entities.index(forKey:)` gives an entity's position once).
    ///
    /// - Precondition: `position` is a valid index of ``entities``.
    /// - Complexity: O(degree) to create and walk through, O(1) per element plus the skipped relations
    ///   (see ``neighborIDs(of:direction:)``); `count` is O(degree). O(1) to create and O(1) per step
    ///   for ``TraversalDirection/both`` or a graph without symmetric relations.
    @inlinable
    public func neighborPositions(ofEntityAt position: Int, direction: TraversalDirection = .both) -> NeighborPositions
    {
        // A directed walk also crosses symmetric relations the other way: it keeps the other list's
        // entries with the symmetric bit set (none to look for when the graph has no symmetric relation).
        let symmetric = symmetricRelationCount != 0
        switch direction {
        case .outgoing:
            return NeighborPositions(
                outs: outgoing[position], ins: symmetric ? incoming[position] : [], endpoints: endpoints,
                outMask: 0, inMask: 1)
        case .incoming:
            return NeighborPositions(
                outs: symmetric ? outgoing[position] : [], ins: incoming[position], endpoints: endpoints,
                outMask: 1, inMask: 0)
        case .both:
            return NeighborPositions(
                outs: outgoing[position], ins: incoming[position], endpoints: endpoints, outMask: 0, inMask: 0)
        }
    }

    /// The neighbours of `id` in `direction` through the relations that pass `filter`, each paired
    /// with the relations that link it.
    ///
    /// Neighbours appear in the order of their first linking relation in relation insertion order
    /// (outgoing and incoming relations are merged by insertion order). Parallel relations are
    /// listed one by one in ``Neighbor/links``; a self-loop makes `id` its own neighbour, once per
    /// self-loop relation (``Traversal/forward``, or ``Traversal/backward`` under
    /// ``TraversalDirection/incoming``). A symmetric relation is followed both ways in every
    /// direction: under ``TraversalDirection/outgoing``, a symmetric relation stored B → `id` makes B
    /// a neighbour (link ``Traversal/backward``), and under ``TraversalDirection/incoming`` a
    /// symmetric `id` → B does too (link ``Traversal/forward``). The filter's
    /// ``QueryFilter/entityKinds`` applies to the neighbours.
    ///
    /// - Complexity: O(degree of `id`) expected.
    /// - Throws: ``QueryError/unknownEntity(_:)`` when no entity has this id.
    public func neighbors(
        of id: EntityID, direction: TraversalDirection = .both, filter: QueryFilter = .unrestricted
    ) throws(QueryError) -> [Neighbor] {
        let center = try requireEntityIndex(of: id)
        let compiled = CompiledFilter(filter)
        var result: [Neighbor] = []
        var position: [Int32: Int] = [:]
        forEachLink(of: center, direction: direction) { relation, other, traversal in
            guard compiled.admitsRelation(relation, in: self), compiled.admitsEntity(other, in: self) else { return }
            let link = Neighbor.Link(relation: relations.keys[Int(relation)], traversal: traversal)
            if let existing = position[other] {
                result[existing].links.append(link)
            } else {
                position[other] = result.count
                result.append(Neighbor(entity: entities.keys[Int(other)], links: [link]))
            }
        }
        return result
    }
}

/// A graph's relations at some positions, as a zero-copy random-access view: the result of
/// ``Graph/outgoingRelations(of:)`` and ``Graph/incomingRelations(of:)``.
///
/// It shares the graph's storage; O(1) per element access.
public struct AdjacentRelations: RandomAccessCollection, Sendable {
    @usableFromInline let positions: [Int32]
    @usableFromInline let all: OrderedDictionary<RelationID, Relation>.Values

    init(positions: [Int32], all: OrderedDictionary<RelationID, Relation>.Values) {
        self.positions = positions
        self.all = all
    }

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The number of relations.
    @inlinable public var endIndex: Int { positions.count }
    /// The relation at `position`. O(1).
    @inlinable public subscript(position: Int) -> Relation { all[Int(Adjacency.relation(positions[position]))] }
}

/// The positions (in ``Graph/entities``) of the entities at the far end of an entity's relations:
/// a zero-copy view made by ``Graph/neighborPositions(ofEntityAt:direction:)``.
///
/// Outgoing and incoming relations are merged by relation insertion order; a self-loop, present in
/// both lists, is reported once. For a directed view, only the symmetric relations of the other list
/// are taken, skipped over while stepping. O(degree) to walk through; `count` is O(degree).
public struct NeighborPositions: Collection, Sendable {
    /// A position in the merge of the outgoing and incoming lists.
    public struct Index: Comparable, Sendable {
        @usableFromInline var out: Int
        @usableFromInline var `in`: Int

        @inlinable init(out: Int, in: Int) {
            self.out = out
            self.in = `in`
        }

        /// Order along the merged walk (both parts only ever grow).
        @inlinable public static func < (lhs: Index, rhs: Index) -> Bool {
            lhs.out != rhs.out ? lhs.out < rhs.out : lhs.in < rhs.in
        }
    }

    @usableFromInline let outs: [Int32]
    @usableFromInline let ins: [Int32]
    @usableFromInline let endpoints: [(source: Int32, target: Int32)]
    /// An adjacency entry of `outs` is taken when `entry & outMask == outMask` (0: every entry;
    /// 1: the symmetric relations only); likewise for `ins`.
    @usableFromInline let outMask: Int32
    @usableFromInline let inMask: Int32
    /// The first taken position.
    @usableFromInline let start: Index

    @inlinable
    init(
        outs: [Int32], ins: [Int32], endpoints: [(source: Int32, target: Int32)], outMask: Int32, inMask: Int32
    ) {
        self.outs = outs
        self.ins = ins
        self.endpoints = endpoints
        self.outMask = outMask
        self.inMask = inMask
        var first = Index(out: 0, in: 0)
        while first.out < outs.count && outs[first.out] & outMask != outMask { first.out += 1 }
        while first.in < ins.count && ins[first.in] & inMask != inMask { first.in += 1 }
        start = first
    }

    /// The first position at or after `index` whose entries are both taken (or at the end).
    @inlinable @inline(__always)
    func skipped(_ index: Index) -> Index {
        var next = index
        while next.out < outs.count && outs[next.out] & outMask != outMask { next.out += 1 }
        while next.in < ins.count && ins[next.in] & inMask != inMask { next.in += 1 }
        return next
    }

    /// The first position.
    @inlinable public var startIndex: Index { start }
    /// The position past the end.
    @inlinable public var endIndex: Index { Index(out: outs.count, in: ins.count) }

    /// True when the element at `index` comes from the outgoing list.
    @inlinable @inline(__always)
    func takesOut(_ index: Index) -> Bool {
        index.in == ins.count || (index.out < outs.count && outs[index.out] <= ins[index.in])
    }

    /// The neighbour's position in ``Graph/entities``. O(1).
    @inlinable public subscript(position: Index) -> Int {
        if takesOut(position) { return Int(endpoints[Int(Adjacency.relation(outs[position.out]))].target) }
        return Int(endpoints[Int(Adjacency.relation(ins[position.in]))].source)
    }

    /// Walks the merge directly (faster than stepping through indices): holds the next taken entry
    /// of each list, or `Int32.max` past its end.
    public struct Iterator: IteratorProtocol, Sendable {
        @usableFromInline let base: NeighborPositions
        @usableFromInline var out: Int
        @usableFromInline var `in`: Int
        @usableFromInline var nextOut: Int32
        @usableFromInline var nextIn: Int32

        @inlinable init(_ base: NeighborPositions) {
            self.base = base
            out = base.start.out
            self.in = base.start.in
            nextOut = out < base.outs.count ? base.outs[out] : .max
            nextIn = self.in < base.ins.count ? base.ins[self.in] : .max
        }

        /// The next neighbour's position in ``Graph/entities``, or `nil` at the end.
        @inlinable
        public mutating func next() -> Int? {
            if nextOut <= nextIn {
                guard nextOut != .max else { return nil }
                let entry = nextOut
                out += 1
                while out < base.outs.count && base.outs[out] & base.outMask != base.outMask { out += 1 }
                nextOut = out < base.outs.count ? base.outs[out] : .max
                if nextIn == entry { advanceIn() }  // a self-loop, in both lists
                return Int(base.endpoints[Int(Adjacency.relation(entry))].target)
            }
            let entry = nextIn
            advanceIn()
            return Int(base.endpoints[Int(Adjacency.relation(entry))].source)
        }

        @inlinable @inline(__always)
        mutating func advanceIn() {
            `in` += 1
            while `in` < base.ins.count && base.ins[`in`] & base.inMask != base.inMask { `in` += 1 }
            nextIn = `in` < base.ins.count ? base.ins[`in`] : .max
        }
    }

    /// An iterator over the neighbours' positions.
    @inlinable public func makeIterator() -> Iterator { Iterator(self) }

    /// The next position: O(1) plus the relations of the other list skipped over.
    @inlinable public func index(after i: Index) -> Index {
        var next = i
        if takesOut(i) {
            if i.in < ins.count && ins[i.in] == outs[i.out] { next.in += 1 }
            next.out += 1
        } else {
            next.in += 1
        }
        return skipped(next)
    }
}

/// The ids of the entities at the far end of an entity's relations: a zero-copy view made by
/// ``Graph/neighborIDs(of:direction:)``, in the order of ``NeighborPositions``.
public struct NeighborIDs: Collection, Sendable {
    /// A position in the view.
    public typealias Index = NeighborPositions.Index

    @usableFromInline let positions: NeighborPositions
    @usableFromInline let ids: OrderedSet<EntityID>

    init(positions: NeighborPositions, ids: OrderedSet<EntityID>) {
        self.positions = positions
        self.ids = ids
    }

    /// The first position.
    @inlinable public var startIndex: Index { positions.startIndex }
    /// The position past the end.
    @inlinable public var endIndex: Index { positions.endIndex }
    /// The neighbour's id. O(1).
    @inlinable public subscript(position: Index) -> EntityID { ids[positions[position]] }
    /// The next position. O(1).
    @inlinable public func index(after i: Index) -> Index { positions.index(after: i) }
}

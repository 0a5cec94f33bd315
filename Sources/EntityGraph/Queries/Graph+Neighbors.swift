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
    /// - Complexity: One hash lookup, then O(1) per element; `count` is O(degree).
    public func neighborIDs(of id: EntityID, direction: TraversalDirection = .both) -> NeighborIDs {
        let positions = entityIndex(of: id).map { neighborPositions(ofEntityAt: Int($0), direction: direction) }
        return NeighborIDs(
            positions: positions ?? NeighborPositions(outs: [], ins: []),
            ids: entities.keys)
    }

    /// Like ``neighborIDs(of:direction:)`` for the entity at `position` in ``entities``, giving the
    /// neighbours' positions in ``entities``: the integer-indexed form for tight loops, with no
    /// hashing at all (`entities.index(forKey:)` gives an entity's position once).
    ///
    /// - Precondition: `position` is a valid index of ``entities``.
    /// - Complexity: O(1) to create, O(1) per element; `count` is O(degree). (The graph keeps the
    ///   symmetric relations each entity takes part in in lists of their own, so a directed view never
    ///   steps over relations it does not take.)
    @inlinable @inline(__always)
    public func neighborPositions(ofEntityAt position: Int, direction: TraversalDirection = .both) -> NeighborPositions
    {
        // A directed walk also crosses symmetric relations the other way: the graph keeps those in
        // lists of their own, merged in by insertion order.
        switch direction {
        case .outgoing:
            return NeighborPositions(outs: outgoing[position], ins: symmetricIncoming[position])
        case .incoming:
            return NeighborPositions(
                outs: symmetricRelationCount == 0 ? [] : outgoing[position], ins: incoming[position], outMask: 1)
        case .both:
            return NeighborPositions(outs: outgoing[position], ins: incoming[position])
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
            let link = Neighbor.Link(relation: relations.key(at: Int(relation)), traversal: traversal)
            if let existing = position[other] {
                result[existing].links.append(link)
            } else {
                position[other] = result.count
                result.append(Neighbor(entity: entities.key(at: Int(other)), links: [link]))
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
    @usableFromInline let positions: [AdjacencyLink]
    @usableFromInline let all: GraphTable<RelationID, Relation>.Values

    init(positions: [AdjacencyLink], all: GraphTable<RelationID, Relation>.Values) {
        self.positions = positions
        self.all = all
    }

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The number of relations.
    @inlinable public var endIndex: Int { positions.count }
    /// The relation at `position`. O(1).
    @inlinable public subscript(position: Int) -> Relation { all[Int(Adjacency.relation(positions[position].entry))] }
}

/// The positions (in ``Graph/entities``) of the entities at the far end of an entity's relations:
/// a zero-copy view made by ``Graph/neighborPositions(ofEntityAt:direction:)``.
///
/// Two of the graph's adjacency lists merged by relation insertion order: relations crossed forwards
/// (the far end is the target) and relations crossed backwards (the far end is the source). A
/// self-loop, present in both lists of an undirected view, is reported once. O(1) per element;
/// `count` is O(degree).
public struct NeighborPositions: Collection, Sendable {
    /// A position in the merge of the two lists.
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

    /// Links of relations crossed forwards, and of relations crossed backwards (see
    /// ``AdjacencyLink``).
    @usableFromInline let outs: [AdjacencyLink]
    @usableFromInline let ins: [AdjacencyLink]
    /// An entry of `outs` is taken when `entry & outMask == outMask`: 0 takes them all, 1 only the
    /// symmetric ones (an incoming view crosses those forwards).
    @usableFromInline let outMask: Int32

    @inlinable
    init(outs: [AdjacencyLink], ins: [AdjacencyLink], outMask: Int32 = 0) {
        self.outs = outs
        self.ins = ins
        self.outMask = outMask
    }

    /// The first taken position at or after `out` in `outs`.
    @inlinable @inline(__always)
    func nextOut(from out: Int) -> Int {
        var out = out
        while out < outs.count && outs[out].entry & outMask != outMask { out += 1 }
        return out
    }

    /// The first position.
    @inlinable public var startIndex: Index { Index(out: nextOut(from: 0), in: 0) }
    /// The position past the end.
    @inlinable public var endIndex: Index { Index(out: outs.count, in: ins.count) }

    /// True when the element at `index` comes from the forwards list.
    @inlinable @inline(__always)
    func takesOut(_ index: Index) -> Bool {
        index.in == ins.count || (index.out < outs.count && outs[index.out].entry <= ins[index.in].entry)
    }

    /// The neighbour's position in ``Graph/entities``. O(1).
    @inlinable public subscript(position: Index) -> Int {
        Int(takesOut(position) ? outs[position.out].other : ins[position.in].other)
    }

    /// Walks the merge directly (faster than stepping through indices).
    public struct Iterator: IteratorProtocol, Sendable {
        @usableFromInline let base: NeighborPositions
        @usableFromInline var out = 0
        @usableFromInline var `in` = 0

        @inlinable init(_ base: NeighborPositions) {
            self.base = base
            out = base.nextOut(from: 0)
        }

        /// The next neighbour's position in ``Graph/entities``, or `nil` at the end.
        @inlinable @inline(__always)
        public mutating func next() -> Int? {
            if out < base.outs.count {
                let link = base.outs[out]
                if `in` == base.ins.count || link.entry <= base.ins[`in`].entry {
                    out = base.nextOut(from: out + 1)
                    // A self-loop, in both lists.
                    if `in` < base.ins.count && base.ins[`in`].entry == link.entry { `in` += 1 }
                    return Int(link.other)
                }
            } else if `in` == base.ins.count {
                return nil
            }
            let link = base.ins[`in`]
            `in` += 1
            return Int(link.other)
        }
    }

    /// An iterator over the neighbours' positions.
    @inlinable public consuming func makeIterator() -> Iterator { Iterator(self) }

    /// The next position. O(1).
    @inlinable public func index(after i: Index) -> Index {
        var next = i
        if takesOut(i) {
            if i.in < ins.count && ins[i.in].entry == outs[i.out].entry { next.in += 1 }
            next.out = nextOut(from: i.out + 1)
        } else {
            next.in += 1
        }
        return next
    }
}

/// The ids of the entities at the far end of an entity's relations: a zero-copy view made by
/// ``Graph/neighborIDs(of:direction:)``, in the order of ``NeighborPositions``.
public struct NeighborIDs: Collection, Sendable {
    /// A position in the view.
    public typealias Index = NeighborPositions.Index

    @usableFromInline let positions: NeighborPositions
    @usableFromInline let ids: GraphTable<EntityID, Entity>.Keys

    init(positions: NeighborPositions, ids: GraphTable<EntityID, Entity>.Keys) {
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

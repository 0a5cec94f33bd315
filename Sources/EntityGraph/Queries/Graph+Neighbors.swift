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
        /// its target), ``Traversal/backward`` when the queried entity is its target.
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
    public func outgoingRelations(of id: EntityID) -> some RandomAccessCollection<Relation> {
        AdjacentRelations(positions: entityIndex(of: id).map { outgoing[Int($0)] } ?? [], all: relations.values)
    }

    /// The relations `id` is the target of, in insertion order, as a view over the adjacency list.
    ///
    /// Nothing is copied: the view shares the graph's storage, so iterating it allocates nothing.
    /// Empty when no entity has this id. O(1) to create (one hash lookup); O(1) per element.
    public func incomingRelations(of id: EntityID) -> some RandomAccessCollection<Relation> {
        AdjacentRelations(positions: entityIndex(of: id).map { incoming[Int($0)] } ?? [], all: relations.values)
    }

    /// The ids of the entities at the other end of each relation of `id` in `direction`, as a view
    /// over the adjacency lists.
    ///
    /// One element per relation, in relation insertion order: an entity linked by two parallel
    /// relations appears twice, a self-loop yields `id` once (also for ``TraversalDirection/both``).
    /// Nothing is copied, so iterating allocates nothing. Empty when no entity has this id.
    /// O(1) to create (one hash lookup); O(1) per element; `count` is O(degree).
    public func neighborIDs(of id: EntityID, direction: TraversalDirection = .both) -> some Collection<EntityID> {
        let entity = entityIndex(of: id).map(Int.init)
        let outs = entity.map { direction == .incoming ? [] : outgoing[$0] } ?? []
        let ins = entity.map { direction == .outgoing ? [] : incoming[$0] } ?? []
        return AdjacentEntityIDs(outs: outs, ins: ins, endpoints: endpoints, ids: entities.keys)
    }

    /// The neighbours of `id` in `direction` through the relations that pass `filter`, each paired
    /// with the relations that link it.
    ///
    /// Neighbours appear in the order of their first linking relation in relation insertion order
    /// (for ``TraversalDirection/both``, outgoing and incoming relations are merged by insertion
    /// order). Parallel relations are listed one by one in ``Neighbor/links``; a self-loop makes `id`
    /// its own neighbour, once per self-loop relation (as ``Traversal/forward``). The filter's
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

/// A random-access view of some of a graph's relations, selected by their positions.
internal struct AdjacentRelations: RandomAccessCollection {
    let positions: [Int32]
    let all: OrderedDictionary<RelationID, Relation>.Values

    var startIndex: Int { 0 }
    var endIndex: Int { positions.count }

    subscript(position: Int) -> Relation { all[Int(positions[position])] }
}

/// The entities at the far end of an entity's outgoing and incoming relations, merged by relation
/// index, with self-loops (present in both lists) reported once.
internal struct AdjacentEntityIDs: Collection {
    /// A position in the merge of the two lists.
    struct Index: Comparable {
        var out: Int
        var `in`: Int
        static func < (lhs: Index, rhs: Index) -> Bool {
            lhs.out != rhs.out ? lhs.out < rhs.out : lhs.in < rhs.in
        }
    }

    let outs: [Int32]
    let ins: [Int32]
    let endpoints: [(source: Int32, target: Int32)]
    let ids: OrderedSet<EntityID>

    var startIndex: Index { Index(out: 0, in: 0) }
    var endIndex: Index { Index(out: outs.count, in: ins.count) }

    /// True when the element at `index` comes from the outgoing list.
    @inline(__always)
    private func takesOut(_ index: Index) -> Bool {
        index.in == ins.count || (index.out < outs.count && outs[index.out] <= ins[index.in])
    }

    subscript(position: Index) -> EntityID {
        if takesOut(position) {
            return ids[Int(endpoints[Int(outs[position.out])].target)]
        }
        return ids[Int(endpoints[Int(ins[position.in])].source)]
    }

    func index(after i: Index) -> Index {
        var next = i
        if takesOut(i) {
            if i.in < ins.count && ins[i.in] == outs[i.out] { next.in += 1 }
            next.out += 1
        } else {
            next.in += 1
        }
        return next
    }
}

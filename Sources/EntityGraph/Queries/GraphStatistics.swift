import OrderedCollections

/// How many relations an entity takes part in.
///
/// A self-loop counts once as incoming and once as outgoing, so twice in ``total`` (as in networkx).
public struct Degree: Sendable, Hashable {
    /// Relations the entity is the target of.
    public var incoming: Int
    /// Relations the entity is the source of.
    public var outgoing: Int

    /// Creates a degree.
    public init(incoming: Int, outgoing: Int) {
        self.incoming = incoming
        self.outgoing = outgoing
    }

    /// ``incoming`` + ``outgoing``.
    public var total: Int { incoming + outgoing }
}

/// The earliest and latest dates a graph's relations mention.
public struct DateSpan: Sendable, Hashable {
    /// The `since` or `until` that starts first (compared by first day; the coarser wins a tie).
    public var earliest: PartialDate
    /// The `since` or `until` that ends last (compared by last day; the first met wins a tie).
    public var latest: PartialDate

    /// Creates a span.
    public init(earliest: PartialDate, latest: PartialDate) {
        self.earliest = earliest
        self.latest = latest
    }
}

/// An entity with its degree, as ranked by ``Graph/mostConnected(_:)``.
public struct RankedEntity: Sendable, Hashable {
    /// The entity.
    public var entity: EntityID
    /// Its degree.
    public var degree: Degree

    /// Creates a ranked entity.
    public init(entity: EntityID, degree: Degree) {
        self.entity = entity
        self.degree = degree
    }
}

/// A summary of a graph: counts, degrees, components and dates. Made by ``Graph/statistics()``.
public struct GraphStatistics: Sendable, Hashable {
    /// The number of entities.
    public var entityCount: Int
    /// The number of relations.
    public var relationCount: Int
    /// Entities per kind, for the kinds that have any, in the order of ``Graph/kinds``.
    public var entitiesByKind: OrderedDictionary<KindID, Int>
    /// Relations per type, for the types that have any, in the order of ``Graph/relationTypes``.
    public var relationsByType: OrderedDictionary<RelationTypeID, Int>
    /// Each entity's degree, in entity insertion order.
    public var degrees: OrderedDictionary<EntityID, Degree>
    /// The weakly connected components; see ``Graph/weaklyConnectedComponents()``.
    public var components: [[EntityID]]
    /// The dates the relations mention, or `nil` when none is dated.
    public var dateSpan: DateSpan?

    /// Creates statistics from their parts.
    public init(
        entityCount: Int, relationCount: Int, entitiesByKind: OrderedDictionary<KindID, Int>,
        relationsByType: OrderedDictionary<RelationTypeID, Int>, degrees: OrderedDictionary<EntityID, Degree>,
        components: [[EntityID]], dateSpan: DateSpan?
    ) {
        self.entityCount = entityCount
        self.relationCount = relationCount
        self.entitiesByKind = entitiesByKind
        self.relationsByType = relationsByType
        self.degrees = degrees
        self.components = components
        self.dateSpan = dateSpan
    }

    /// The sizes of ``components``, in the same order. O(components).
    public var componentSizes: [Int] { components.map(\.count) }

    /// The `k` entities with the highest total degree; ties go to insertion order. O(V log V).
    public func mostConnected(_ k: Int) -> [RankedEntity] {
        Graph.rank(degrees.map { RankedEntity(entity: $0.key, degree: $0.value) }, k)
    }
}

extension Graph {
    /// Counts, degrees, weakly connected components and the date span of this graph.
    ///
    /// - Complexity: O(V log V + E).
    public func statistics() -> GraphStatistics {
        var byKind: [KindID: Int] = [:]
        for entity in entities.values { byKind[entity.kind, default: 0] += 1 }
        var byType: [RelationTypeID: Int] = [:]
        for relation in relations.values { byType[relation.type, default: 0] += 1 }
        var entitiesByKind: OrderedDictionary<KindID, Int> = [:]
        for kind in kinds { if let count = byKind[kind.id] { entitiesByKind[kind.id] = count } }
        var relationsByType: OrderedDictionary<RelationTypeID, Int> = [:]
        for type in relationTypes { if let count = byType[type.id] { relationsByType[type.id] = count } }
        var degrees: OrderedDictionary<EntityID, Degree> = [:]
        degrees.reserveCapacity(entities.count)
        for (index, id) in entities.keys.enumerated() {
            degrees[id] = Degree(incoming: incoming[index].count, outgoing: outgoing[index].count)
        }
        return GraphStatistics(
            entityCount: entities.count, relationCount: relations.count, entitiesByKind: entitiesByKind,
            relationsByType: relationsByType, degrees: degrees, components: weaklyConnectedComponents(),
            dateSpan: dateSpan)
    }

    /// The degree of entity `id`.
    ///
    /// - Complexity: O(1) expected.
    /// - Throws: ``QueryError/unknownEntity(_:)`` when no entity has this id.
    public func degree(of id: EntityID) throws(QueryError) -> Degree {
        let index = Int(try requireEntityIndex(of: id))
        return Degree(incoming: incoming[index].count, outgoing: outgoing[index].count)
    }

    /// The `k` entities with the highest total degree, highest first; ties go to insertion order.
    ///
    /// - Complexity: O(V log V).
    public func mostConnected(_ k: Int) -> [RankedEntity] {
        Graph.rank(
            entities.keys.enumerated().map { index, id in
                RankedEntity(
                    entity: id, degree: Degree(incoming: incoming[index].count, outgoing: outgoing[index].count))
            }, k)
    }

    internal static func rank(_ all: [RankedEntity], _ k: Int) -> [RankedEntity] {
        guard k > 0 else { return [] }
        let order = all.indices.sorted { lhs, rhs in
            let (a, b) = (all[lhs].degree.total, all[rhs].degree.total)
            return a != b ? a > b : lhs < rhs
        }
        return order.prefix(k).map { all[$0] }
    }

    /// The weakly connected components: groups of entities linked by relations in either direction.
    ///
    /// Components are ordered by their first entity in insertion order; members are in insertion
    /// order. An isolated entity is a component of its own.
    ///
    /// - Complexity: O(V log V + E).
    public func weaklyConnectedComponents() -> [[EntityID]] {
        let count = entities.count
        var component = [Int32](repeating: -1, count: count)
        var groups: [[Int32]] = []
        var stack: [Int32] = []
        for start in 0..<Int32(count) where component[Int(start)] < 0 {
            let label = Int32(groups.count)
            var members: [Int32] = [start]
            component[Int(start)] = label
            stack.append(start)
            while let entity = stack.popLast() {
                forEachLink(of: entity, direction: .both) { _, other, _ in
                    guard component[Int(other)] < 0 else { return }
                    component[Int(other)] = label
                    members.append(other)
                    stack.append(other)
                }
            }
            members.sort()
            groups.append(members)
        }
        let ids = entities.keys
        return groups.map { $0.map { ids[Int($0)] } }
    }

    /// The earliest and latest dates among the relations' `since` and `until`, or `nil` when no
    /// relation is dated.
    ///
    /// - Complexity: O(E).
    public var dateSpan: DateSpan? {
        var earliest: PartialDate?
        var latest: PartialDate?
        for relation in relations.values {
            for date in [relation.since, relation.until].compactMap({ $0 }) {
                if earliest.map({ date < $0 }) ?? true { earliest = date }
                if latest.map({ date.lastOrdinal > $0.lastOrdinal }) ?? true { latest = date }
            }
        }
        guard let earliest, let latest else { return nil }
        return DateSpan(earliest: earliest, latest: latest)
    }
}

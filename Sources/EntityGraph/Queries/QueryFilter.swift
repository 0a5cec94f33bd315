/// Which relations a query follows and which entities it may reach.
///
/// One value is shared by every query: ``Graph/neighbors(of:direction:filter:)``,
/// ``Graph/egoGraph(around:radius:direction:filter:)``, the path queries and ``Graph/filtered(by:)``.
/// Each criterion is optional; `nil` means "no restriction", an empty set lets nothing through.
/// All criteria must hold at once.
///
/// - The relation criteria (``relationTypes``, ``certainties``, ``time``) apply to every relation a
///   query follows or returns.
/// - ``entityKinds`` applies to the entities a query *reaches*: the neighbours of a neighbour query,
///   the entities an ego graph or a path passes through. The entities you name yourself (the centre of
///   an ego graph, the two ends of a path) are always admitted.
///
/// ```swift
/// let filter = QueryFilter(relationTypes: ["sanctions", "supplies"], certainties: [.confirmed],
///                          time: .inForce(on: PartialDate("2022-10-20")!))
/// ```
public struct QueryFilter: Sendable, Hashable {
    /// Relation types to follow; `nil` follows every type.
    public var relationTypes: Set<RelationTypeID>?
    /// Kinds of entities that may be reached; `nil` admits every kind.
    public var entityKinds: Set<KindID>?
    /// Certainties to follow; `nil` follows every certainty. See ``confirmedOnly``.
    public var certainties: Set<Certainty>?
    /// When the followed relations must hold; `nil` ignores dates.
    public var time: TimeConstraint?

    /// Creates a filter; every criterion left `nil` lets everything through.
    public init(
        relationTypes: Set<RelationTypeID>? = nil, entityKinds: Set<KindID>? = nil,
        certainties: Set<Certainty>? = nil, time: TimeConstraint? = nil
    ) {
        self.relationTypes = relationTypes
        self.entityKinds = entityKinds
        self.certainties = certainties
        self.time = time
    }

    /// The filter that lets every relation and entity through.
    public static let unrestricted = QueryFilter()

    /// Follows only ``Certainty/confirmed`` relations.
    public static let confirmedOnly = QueryFilter(certainties: [.confirmed])

    /// A copy of this filter that also requires the relations to be confirmed.
    public func confirmed() -> QueryFilter {
        var copy = self
        copy.certainties = (certainties ?? Set(Certainty.allCases)).intersection([.confirmed])
        return copy
    }

    /// True when the filter lets everything through (every criterion is `nil`).
    public var isUnrestricted: Bool {
        relationTypes == nil && entityKinds == nil && certainties == nil && time == nil
    }

    /// True when the relation passes the relation criteria (type, certainty, time). O(1) expected.
    public func admits(_ relation: Relation) -> Bool {
        if let relationTypes, !relationTypes.contains(relation.type) { return false }
        if let certainties, !certainties.contains(relation.certainty) { return false }
        if let time, !time.admits(since: relation.since, until: relation.until) { return false }
        return true
    }

    /// True when the entity passes the kind criterion. O(1) expected.
    public func admits(_ entity: Entity) -> Bool {
        entityKinds?.contains(entity.kind) ?? true
    }
}

/// A time criterion for relations, compared by coverage like ``Relation/isInForce(on:)``.
///
/// Partial dates cover every day they name (`2022` is all of 2022). A relation with no `since` has
/// always held; one with no `until` still holds, with no end (a query for any later date finds it).
/// A relation with only `since` holds from `since` onwards; a one-off act (`since == until`) holds
/// only during the day, month or year it names.
public enum TimeConstraint: Sendable, Hashable {
    /// The relation held at some time during `date` (a day, a month or a year).
    case inForce(on: PartialDate)
    /// The relation's span shares at least one day with `from ... to` (from the first day of `from` to
    /// the last day of `to`, as ``Relation/overlaps(from:to:)``; swapped when `to` ends before `from`).
    case overlapping(from: PartialDate, to: PartialDate)

    /// The inclusive window of `yyyymmdd` ordinals a relation must touch.
    internal var window: (low: Int, high: Int) {
        switch self {
        case .inForce(let date):
            return (date.firstDay.ordinal, date.lastOrdinal)
        case .overlapping(let from, let to):
            if from.firstDay.ordinal <= to.lastOrdinal { return (from.firstDay.ordinal, to.lastOrdinal) }
            return (to.firstDay.ordinal, from.lastOrdinal)
        }
    }

    /// True when a relation spanning `since ... until` touches the window. O(1).
    public func admits(since: PartialDate?, until: PartialDate?) -> Bool {
        let (low, high) = window
        if let since, since.firstDay.ordinal > high { return false }
        if let until, until.lastOrdinal < low { return false }
        return true
    }
}

/// Which relations of an entity a query follows.
///
/// A relation whose type is symmetric (``RelationType/symmetric``: "allied with", "spoke with", …)
/// reads the same both ways, so the directed walks follow it whichever end the entity is: a
/// symmetric relation stored A → B makes B an out- and an in-neighbour of A, and A an out- and an
/// in-neighbour of B. Crossing it from B to A is reported as ``Traversal/backward`` (B is its stored
/// target), as in any direction.
public enum TraversalDirection: Sendable, Hashable, CaseIterable {
    /// Relations the entity is the source of (towards their targets), and symmetric relations it is
    /// the target of (back to their sources).
    case outgoing
    /// Relations the entity is the target of (back to their sources), and symmetric relations it is
    /// the source of (towards their targets).
    case incoming
    /// Both, ignoring direction.
    case both
}

/// How a query crossed a relation.
public enum Traversal: Sendable, Hashable {
    /// From the relation's source to its target.
    case forward
    /// From the relation's target back to its source.
    case backward
}

/// Why a query could not run.
public enum QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No entity has this id.
    case unknownEntity(EntityID)
    /// A radius, hop count or limit was negative.
    case negativeBound(String, Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unknownEntity(let id): return "no entity has id '\(id)'"
        case .negativeBound(let name, let value): return "\(name) must not be negative (got \(value))"
        }
    }
}

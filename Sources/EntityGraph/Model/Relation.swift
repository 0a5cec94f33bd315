import OrderedCollections

/// A kind of relation: its labels in both directions, whether it is symmetric, and the
/// category renderers style it by.
public struct RelationType: Hashable, Sendable, Identifiable {
    /// The type's id, named by ``Relation/type``.
    public var id: RelationTypeID
    /// Read from source to target: "apologized to".
    public var label: String
    /// Read from target to source: "received an apology from". Same as ``label`` when symmetric.
    public var inverseLabel: String
    /// A symmetric relation (e.g. "allied with") reads the same both ways; renderers draw no arrowhead.
    public var symmetric: Bool
    /// The styling family renderers draw it with (political, military, …).
    public var category: RelationCategory
    /// Free-form data about the type.
    public var attributes: Attributes

    /// Creates a relation type; `inverseLabel` defaults to `label`. Declare it in a graph with
    /// ``Graph/declare(_:)-(RelationType)`` before using it.
    public init(
        id: RelationTypeID, label: String, inverseLabel: String? = nil, symmetric: Bool = false,
        category: RelationCategory = .other, attributes: Attributes = [:]
    ) {
        self.id = id
        self.label = label
        self.inverseLabel = inverseLabel ?? label
        self.symmetric = symmetric
        self.category = category
        self.attributes = attributes
    }

    /// The relation types every graph knows without declaring them.
    public static let builtIn: [RelationType] = [
        .init(id: "memberOf", label: "member of", inverseLabel: "has member", category: .membership),
        .init(id: "leads", label: "leads", inverseLabel: "led by", category: .political),
        .init(id: "partOf", label: "part of", inverseLabel: "includes", category: .membership),
        .init(id: "locatedIn", label: "located in", inverseLabel: "location of", category: .geographic),
        .init(id: "citizenOf", label: "citizen of", inverseLabel: "has citizen", category: .political),
        .init(id: "alliedWith", label: "allied with", symmetric: true, category: .political),
        .init(id: "opposes", label: "opposes", inverseLabel: "opposed by", category: .political),
        .init(id: "owns", label: "owns", inverseLabel: "owned by", category: .economic),
        .init(id: "operates", label: "operates", inverseLabel: "operated by", category: .economic),
        .init(id: "supplies", label: "supplies", inverseLabel: "supplied by", category: .economic),
        .init(id: "sanctions", label: "sanctions", inverseLabel: "sanctioned by", category: .legal),
        .init(id: "accuses", label: "accuses", inverseLabel: "accused by", category: .legal),
        .init(id: "charges", label: "charged", inverseLabel: "charged by", category: .legal),
        .init(id: "attacked", label: "attacked", inverseLabel: "attacked by", category: .military),
        .init(
            id: "militarySupport", label: "supports militarily", inverseLabel: "supported militarily by",
            category: .military),
        .init(id: "spokeWith", label: "spoke with", symmetric: true, category: .communication),
        .init(
            id: "statedAbout", label: "made a statement about", inverseLabel: "subject of a statement by",
            category: .communication),
        .init(id: "participatedIn", label: "participated in", inverseLabel: "had participant", category: .event),
        .init(id: "relatedTo", label: "related to", symmetric: true, category: .other),
    ]
}

/// A typed, dated, sourced tie from one entity to another.
///
/// Parallel relations between the same pair stay distinct: each has its own ``id``.
public struct Relation: Hashable, Sendable, Identifiable {
    /// The relation's id, unique in its graph; tells parallel relations apart.
    public var id: RelationID
    /// What kind of tie it is: a built-in type such as `sanctions` or one the graph declares.
    public var type: RelationTypeID
    /// The entity the relation goes from (the subject: "Belarus" in "Belarus supplies Ukraine").
    public var source: EntityID
    /// The entity the relation goes to.
    public var target: EntityID
    /// When the relation began (or, for a one-off act, when it happened). `nil` when unknown.
    public var since: PartialDate?
    /// When it ended; `nil` when it still holds or the end is unknown.
    public var until: PartialDate?
    /// How firmly the sources establish it; ``Certainty/confirmed`` unless stated.
    public var certainty: Certainty
    /// Who says this relation holds ("Zelensky says Lukashenko apologized" → Zelensky).
    public var assertedBy: EntityID?
    /// The documents that support the relation.
    public var sources: [Citation]
    /// Anything else about the relation, e.g. `["medium": "phone call"]`, kept losslessly.
    public var attributes: Attributes

    /// Creates a relation; add it to a graph with ``Graph/add(_:)-(Relation)``.
    public init(
        id: RelationID, type: RelationTypeID, source: EntityID, target: EntityID,
        since: PartialDate? = nil, until: PartialDate? = nil, certainty: Certainty = .confirmed,
        assertedBy: EntityID? = nil, sources: [Citation] = [], attributes: Attributes = [:]
    ) {
        self.id = id
        self.type = type
        self.source = source
        self.target = target
        self.since = since
        self.until = until
        self.certainty = certainty
        self.assertedBy = assertedBy
        self.sources = sources
        self.attributes = attributes
    }

    /// True when the relation was in force at some time on `date` (compared by coverage:
    /// `since` `2022` starts on 2022-01-01; `until` `2022` ends on 2022-12-31; open ends are unbounded).
    public func isInForce(on date: PartialDate) -> Bool {
        if let since, since.firstDay.ordinal > date.lastDay.ordinal { return false }
        if let until, until.lastDay.ordinal < date.firstDay.ordinal { return false }
        return true
    }

    /// True when the relation's time span shares at least one day with `from...to`.
    public func overlaps(from: PartialDate, to: PartialDate) -> Bool {
        if let since, since.firstDay.ordinal > to.lastDay.ordinal { return false }
        if let until, until.lastDay.ordinal < from.firstDay.ordinal { return false }
        return true
    }
}

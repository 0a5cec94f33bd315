import OrderedCollections

/// A typed, dated, sourced multigraph of entities and the relations between them.
///
/// `Graph` is a value: copies are cheap (storage is shared until one copy changes) and it is
/// `Sendable`. Entities and relations keep insertion order, so everything derived from a graph
/// (files, renders, query results) is deterministic.
///
/// The graph always satisfies its invariants: ids are unique, every relation's endpoints and
/// `assertedBy` entity exist, every entity's kind and relation's type is built in or declared, and
/// every citation names a known document. The mutating methods throw ``GraphError`` instead of
/// breaking them. To collect *every* problem of a document at once, read it with
/// ``GraphDocument`` and look at its validation issues.
///
/// Adjacency lists are kept per entity, so a neighbour lookup costs O(degree), not O(relations).
/// Graphs returned by queries share their source's entity and relation storage (see ``GraphTable``).
public struct Graph: Sendable {
    /// Document title, shown by renderers and `entitygraph info`.
    public var title: String?
    /// Free text about the graph.
    public var description: String?
    /// Document-level attributes, kept losslessly.
    public var attributes: Attributes

    /// Source documents, in insertion order.
    public private(set) var documents: OrderedDictionary<DocumentID, SourceDocument> = [:]
    /// Kinds declared by this graph (the built-in ones are not listed; see ``kinds``).
    public private(set) var declaredKinds: OrderedDictionary<KindID, Kind> = [:]
    /// Relation types declared by this graph (the built-in ones are not listed; see ``relationTypes``).
    public private(set) var declaredRelationTypes: OrderedDictionary<RelationTypeID, RelationType> = [:]
    /// Entities, in insertion order, by id. In a graph returned by a query, a selection sharing the
    /// source graph's storage (see ``GraphTable``).
    public internal(set) var entities = GraphTable<EntityID, Entity>()
    /// Relations, in insertion order, by id. In a graph returned by a query, a selection sharing
    /// the source graph's storage (see ``GraphTable``).
    public internal(set) var relations = GraphTable<RelationID, Relation>()

    /// For each entity (by index in ``entities``), the relations it is the source of, in insertion
    /// order, as links (see ``AdjacencyLink``: the relation's entry — its index in ``relations`` and
    /// whether its type is symmetric — with the position of its target).
    @usableFromInline internal var outgoing: [[AdjacencyLink]] = []
    /// For each entity, the relations it is the target of, in insertion order, as links to their
    /// sources.
    @usableFromInline internal var incoming: [[AdjacencyLink]] = []
    /// For each entity, the symmetric relations it is the target of (self-loops excepted), as links
    /// to their sources in insertion order: what an outgoing walk crosses backwards. A copy of part
    /// of ``incoming``, so that outgoing walks need not scan a hub's whole incoming list for them.
    /// (Incoming walks pick the symmetric relations out of ``outgoing`` as they go: a second copy
    /// would cost memory for every symmetric relation, and hubs are made by incoming relations.)
    @usableFromInline internal var symmetricIncoming: [[AdjacencyLink]] = []
    /// How many relations have a symmetric type; when 0, directed walks need not look at the other
    /// list for symmetric relations.
    @usableFromInline internal var symmetricRelationCount = 0
    /// True once a relation was appended before its type was declared (only the document reader does
    /// that, for files that list relations before relation types): declaring a symmetric type must
    /// then flag the relations that already have it.
    var hasRelationsOfUndeclaredType = false
    /// While the document reader fills the graph (see ``beginDeferredAdjacency()``), what the
    /// adjacency lists will be built from; `nil` otherwise.
    var deferred: DeferredAdjacency?

    /// Creates an empty graph.
    public init(title: String? = nil, description: String? = nil, attributes: Attributes = [:]) {
        self.title = title
        self.description = description
        self.attributes = attributes
    }

    // MARK: Vocabulary

    /// Built-in and declared kinds, built-in first. O(kinds).
    public var kinds: [Kind] { Kind.builtIn + declaredKinds.values }

    /// Built-in and declared relation types, built-in first. O(types).
    public var relationTypes: [RelationType] { RelationType.builtIn + declaredRelationTypes.values }

    /// The kind with this id, built in or declared. O(1) expected.
    public func kind(_ id: KindID) -> Kind? {
        if let declared = declaredKinds[id] { return declared }
        return Graph.builtInKinds[id]
    }

    /// The relation type with this id, built in or declared. O(1) expected.
    public func relationType(_ id: RelationTypeID) -> RelationType? {
        if let declared = declaredRelationTypes[id] { return declared }
        return Graph.builtInRelationTypes[id]
    }

    /// Declares a kind. Throws when the id is built in or already declared.
    public mutating func declare(_ kind: Kind) throws(GraphError) {
        guard Graph.builtInKinds[kind.id] == nil, declaredKinds[kind.id] == nil else {
            throw .duplicateKind(kind.id)
        }
        declaredKinds[kind.id] = kind
    }

    /// Declares a relation type. Throws when the id is built in or already declared.
    ///
    /// A type cannot be declared twice, so whether a relation's type is symmetric never changes once
    /// the relation is in the graph. O(1) expected (O(relations) only when a document read by
    /// ``GraphDocument`` lists relations before the symmetric type they use).
    public mutating func declare(_ type: RelationType) throws(GraphError) {
        guard Graph.builtInRelationTypes[type.id] == nil, declaredRelationTypes[type.id] == nil else {
            throw .duplicateRelationType(type.id)
        }
        declaredRelationTypes[type.id] = type
        if type.symmetric && hasRelationsOfUndeclaredType { flagSymmetric(type.id) }
    }

    /// Adds a source document. Throws when the id is taken.
    public mutating func add(_ document: SourceDocument) throws(GraphError) {
        guard documents[document.id] == nil else { throw .duplicateDocument(document.id) }
        documents[document.id] = document
    }

    // MARK: Entities and relations

    /// Adds an entity. Amortized O(1) (O(entities) once when a query result taken from this graph
    /// is still alive: see ``GraphTable``). Throws when the id is taken, the kind is unknown or a
    /// citation names an unknown document.
    public mutating func add(_ entity: Entity) throws(GraphError) {
        guard entities[entity.id] == nil else { throw .duplicateEntity(entity.id) }
        guard kind(entity.kind) != nil else { throw .unknownKind(entity.kind, entity: entity.id) }
        try checkCitations(entity.sources)
        entities.set(entity, for: entity.id)
        outgoing.append([])
        incoming.append([])
        symmetricIncoming.append([])
    }

    /// Adds a relation. Amortized O(1) (O(relations) once when a query result taken from this graph
    /// is still alive: see ``GraphTable``). Throws when the id is taken, an endpoint or `assertedBy`
    /// entity is missing, the type is unknown or a citation names an unknown document.
    public mutating func add(_ relation: Relation) throws(GraphError) {
        guard relations[relation.id] == nil else { throw .duplicateRelation(relation.id) }
        guard let source = entities.index(forKey: relation.source) else {
            throw .unknownEntity(relation.source, relation: relation.id)
        }
        guard let target = entities.index(forKey: relation.target) else {
            throw .unknownEntity(relation.target, relation: relation.id)
        }
        if let asserter = relation.assertedBy, entities[asserter] == nil {
            throw .unknownEntity(asserter, relation: relation.id)
        }
        guard let type = relationType(relation.type) else {
            throw .unknownRelationType(relation.type, relation: relation.id)
        }
        try checkCitations(relation.sources)
        append(relation, source: source, target: target, symmetric: type.symmetric)
    }

    /// Replaces the entity with the same id, keeping its position and relations. O(1) expected.
    public mutating func update(_ entity: Entity) throws(GraphError) {
        guard entities[entity.id] != nil else { throw .unknownEntity(entity.id, relation: nil) }
        guard kind(entity.kind) != nil else { throw .unknownKind(entity.kind, entity: entity.id) }
        try checkCitations(entity.sources)
        entities.set(entity, for: entity.id)
    }

    /// A graph with the same vocabulary, documents and metadata holding only the given entities and
    /// the given relations whose endpoints (and asserting entity) are kept. Order follows this graph.
    /// O(entities + relations).
    public func subgraph(entities keptEntities: Set<EntityID>, relations keptRelations: Set<RelationID>) -> Graph {
        subgraph(
            entityFilter: { keptEntities.contains($0.id) },
            relationFilter: { keptRelations.contains($0.id) })
    }

    /// A graph holding the entities that pass `entityFilter` and the relations that pass
    /// `relationFilter` and whose endpoints and asserting entity are kept. Its tables share this
    /// graph's storage (see ``GraphTable``). `relationFilter` is called only for relations whose
    /// endpoints pass `entityFilter`, grouped by source entity (in entity order), not in relation
    /// order. O(entities + relations).
    public func subgraph(entityFilter: (Entity) -> Bool, relationFilter: (Relation) -> Bool) -> Graph {
        var kept: [Int32] = []
        var newPosition = [Int32](repeating: -1, count: entities.count)
        for (index, entity) in entities.values.enumerated() where entityFilter(entity) {
            newPosition[index] = Int32(kept.count)
            kept.append(Int32(index))
        }
        // Each relation with both ends kept, met once: from its source's outgoing list.
        var keptRelations: [KeptRelation] = []
        for source in kept {
            for link in outgoing[Int(source)] where newPosition[Int(link.other)] >= 0 {
                let relation = relations.value(at: Int(Adjacency.relation(link.entry)))
                guard relationFilter(relation) else { continue }
                if let asserter = relation.assertedBy, let position = entityIndex(of: asserter),
                    newPosition[Int(position)] < 0
                {
                    continue
                }
                keptRelations.append(KeptRelation(entry: link.entry, source: source, target: link.other))
            }
        }
        keptRelations.sortByEntry()
        return extracting(entities: kept, relations: keptRelations, newPosition: { newPosition[Int($0)] })
    }

    /// A graph with this graph's metadata, vocabulary and documents (shared, O(1)) holding the
    /// entities at the given positions (ascending) and the given relations (ascending by entry),
    /// with every relation's endpoints and asserting entity among the entities; `newPosition` maps
    /// an entity's position here to its position in `entityPositions`. The tables are selections
    /// sharing this graph's storage (nothing is copied or hashed); only the adjacency lists are
    /// built. Used by the queries. O(k) for k entities and relations.
    internal func extracting(
        entities entityPositions: [Int32], relations kept: [KeptRelation], newPosition: (Int32) -> Int32
    ) -> Graph {
        var result = Graph(title: title, description: description, attributes: attributes)
        result.documents = documents
        result.declaredKinds = declaredKinds
        result.declaredRelationTypes = declaredRelationTypes
        result.hasRelationsOfUndeclaredType = hasRelationsOfUndeclaredType
        result.entities = entities.selecting(entityPositions)
        result.outgoing = Array(repeating: [], count: entityPositions.count)
        result.incoming = result.outgoing
        result.symmetricIncoming = result.outgoing
        let ends = kept.map { (source: newPosition($0.source), target: newPosition($0.target)) }
        result.buildAdjacency(
            relationCount: kept.count, ends: { ends[$0] }, isSymmetric: { Adjacency.isSymmetric(kept[$0].entry) })
        result.relations = relations.selecting(kept.map { Adjacency.relation($0.entry) })
        return result
    }

    /// Reserves room for the given numbers of entities and relations.
    public mutating func reserveCapacity(entities entityCount: Int, relations relationCount: Int) {
        entities.reserveCapacity(entityCount)
        outgoing.reserveCapacity(entityCount)
        incoming.reserveCapacity(entityCount)
        symmetricIncoming.reserveCapacity(entityCount)
        relations.reserveCapacity(relationCount)
        deferred?.reserve(relationCount)
    }
}

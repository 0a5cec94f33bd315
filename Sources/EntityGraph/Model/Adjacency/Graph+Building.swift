import OrderedCollections

/// How the adjacency lists are built, kept and extended: relation by relation as entities and
/// relations are added, in one pass for the document reader (deferred), and for extracted subgraphs.
extension Graph {
    // MARK: Internals

    /// Until ``finishDeferredAdjacency()``, relations are appended to the tables only, and the
    /// adjacency lists are then built in one pass, each at its exact size: lists grown relation by
    /// relation end up with up to twice the room they need and leave their outgrown buffers behind
    /// (freed, but still resident). For the document reader, which calls neither queries nor
    /// anything else that reads the lists in between. Only on a graph without relations.
    internal mutating func beginDeferredAdjacency() {
        precondition(relations.isEmpty, "adjacency is deferred from the first relation on")
        deferred = DeferredAdjacency()
    }

    /// Builds the adjacency lists deferred since ``beginDeferredAdjacency()``. O(entities + relations).
    internal mutating func finishDeferredAdjacency() {
        guard let deferred else { return }
        self.deferred = nil
        precondition(deferred.count == relations.count, "every relation appended while deferred has its ends")
        buildAdjacency(relationCount: deferred.count, ends: deferred.ends(of:), isSymmetric: deferred.isSymmetric)
    }

    /// Fills the empty adjacency lists (one per entity) with relations `0..<relationCount`, given
    /// each one's ends and whether its type is symmetric: degrees are counted first, so each list is
    /// allocated once, at its exact size. O(entities + relations).
    mutating func buildAdjacency(
        relationCount: Int, ends: (Int) -> (source: Int32, target: Int32), isSymmetric: (Int) -> Bool
    ) {
        // Scratch memory (see `ScratchMemory`): given back to the system when freed.
        let counts = ScratchInts(zeros: 3 * outgoing.count)  // out, in, symmetric in: per entity
        for index in 0..<relationCount {
            let end = ends(index)
            counts.add(1, at: 3 * Int(end.source))
            counts.add(1, at: 3 * Int(end.target) + 1)
            if isSymmetric(index) && end.source != end.target { counts.add(1, at: 3 * Int(end.target) + 2) }
        }
        // In place: the outer arrays are not reallocated, only each list is sized once.
        for entity in outgoing.indices {
            outgoing[entity].reserveCapacity(counts[3 * entity])
            incoming[entity].reserveCapacity(counts[3 * entity + 1])
            if counts[3 * entity + 2] > 0 { symmetricIncoming[entity].reserveCapacity(counts[3 * entity + 2]) }
        }
        symmetricRelationCount = 0
        for index in 0..<relationCount {
            let end = ends(index)
            link(Adjacency.entry(index, symmetric: isSymmetric(index)), source: end.source, target: end.target)
        }
    }

    /// Adds the links of the relation with adjacency entry `entry` to its ends' lists (and counts it
    /// when symmetric).
    @inline(__always)
    mutating func link(_ entry: Int32, source: Int32, target: Int32) {
        outgoing[Int(source)].append(AdjacencyLink(entry: entry, other: target))
        incoming[Int(target)].append(AdjacencyLink(entry: entry, other: source))
        if Adjacency.isSymmetric(entry) {
            symmetricRelationCount += 1
            if source != target { symmetricIncoming[Int(target)].append(AdjacencyLink(entry: entry, other: source)) }
        }
    }

    func checkCitations(_ citations: [Citation]) throws(GraphError) {
        for citation in citations where documents[citation.document] == nil {
            throw .unknownDocument(citation.document)
        }
    }

    /// Appends an entity already known to satisfy the invariants (used when copying from a valid graph).
    internal mutating func appendUnchecked(_ entity: Entity) {
        entities.set(entity, for: entity.id)
        outgoing.append([])
        incoming.append([])
        symmetricIncoming.append([])
    }

    /// Appends a relation whose endpoints are present and whose other references are known valid
    /// (its type may be declared later: see `declare(_:)` for relation types).
    internal mutating func appendUnchecked(_ relation: Relation) {
        let source = entities.index(forKey: relation.source)!
        let target = entities.index(forKey: relation.target)!
        let symmetric: Bool
        if let type = relationType(relation.type) {
            symmetric = type.symmetric
        } else {
            symmetric = false
            hasRelationsOfUndeclaredType = true
        }
        append(relation, source: source, target: target, symmetric: symmetric)
    }

    mutating func append(_ relation: Relation, source: Int, target: Int, symmetric: Bool) {
        precondition(relations.count < Adjacency.maximumRelationCount, "a graph holds at most 2^30 relations")
        let index = relations.count
        let entry = Adjacency.entry(index, symmetric: symmetric)
        relations.set(relation, for: relation.id)
        if let deferred {
            deferred.append(source: Int32(source), target: Int32(target), symmetric: symmetric)
            return
        }
        link(entry, source: Int32(source), target: Int32(target))
    }

    /// Sets the symmetric flag in the adjacency entries of every relation of type `type`. O(relations).
    mutating func flagSymmetric(_ type: RelationTypeID) {
        if let deferred {
            for (index, relation) in relations.values.enumerated() where relation.type == type {
                deferred.flagSymmetric(index)
            }
            return
        }
        @inline(__always) func hasType(_ link: AdjacencyLink) -> Bool {
            relations.value(at: Int(Adjacency.relation(link.entry))).type == type
        }
        for entity in outgoing.indices {
            for i in outgoing[entity].indices where hasType(outgoing[entity][i]) {
                outgoing[entity][i].entry |= 1
                symmetricRelationCount += 1
            }
            for i in incoming[entity].indices where hasType(incoming[entity][i]) {
                incoming[entity][i].entry |= 1
                // The lists are sorted by relation index (relations are only ever appended).
                if incoming[entity][i].other != Int32(entity) {
                    symmetricIncoming[entity].insertSorted(incoming[entity][i])
                }
            }
        }
    }

    static let builtInKinds = OrderedDictionary(uniqueKeysWithValues: Kind.builtIn.map { ($0.id, $0) })
    static let builtInRelationTypes = OrderedDictionary(
        uniqueKeysWithValues: RelationType.builtIn.map { ($0.id, $0) })
}

/// The adjacency lists' entries: a relation's index in ``Graph/relations`` shifted left by one, with
/// bit 0 set when the relation's type is symmetric. Entries keep the order of relation indices, so
/// two sorted lists merge by comparing entries, and one relation has the same entry in both lists.
@usableFromInline
internal enum Adjacency {
    /// Relation indices must fit in 31 bits once shifted.
    static let maximumRelationCount = 1 << 30

    /// The entry of relation `index`.
    @inlinable @inline(__always)
    static func entry(_ index: Int, symmetric: Bool) -> Int32 {
        Int32(truncatingIfNeeded: index << 1 | (symmetric ? 1 : 0))
    }

    /// The relation's index in ``Graph/relations``.
    @inlinable @inline(__always)
    static func relation(_ entry: Int32) -> Int32 { entry >> 1 }

    /// True when the relation's type is symmetric.
    @inlinable @inline(__always)
    static func isSymmetric(_ entry: Int32) -> Bool { entry & 1 != 0 }
}

/// The relations kept by a query, for ``Graph/extracting(entities:relations:newPosition:)``: each
/// relation's adjacency entry with the positions of its two ends.
internal struct KeptRelation {
    var entry: Int32
    var source: Int32
    var target: Int32
}

extension Array where Element == KeptRelation {
    /// Sorts by entry (entries are unique and non-negative): a radix sort for large arrays. O(n).
    internal mutating func sortByEntry() { radixSort(key: { UInt32(bitPattern: $0.entry) }) }
}

/// What ``Graph/beginDeferredAdjacency()`` collects: each relation's ends and symmetric flag, in
/// scratch memory (see `ScratchMemory`: large buffers are mapped pages, given back to the system
/// when freed instead of staying resident as freed heap). `@unchecked Sendable`: it exists only
/// while the document reader, on one thread, fills a graph it has not handed out yet.
struct DeferredAdjacency: @unchecked Sendable {
    /// Per relation, two values: its source's position and its target's.
    private let ends = ScratchInts(capacity: 2048)
    /// One bit per relation, set when its type is symmetric (`Int.bitWidth` relations per value).
    private let symmetric = ScratchInts(capacity: 16)
    private static let bits = Int.bitWidth

    var count: Int { ends.count / 2 }

    func reserve(_ relationCount: Int) {
        ends.reserve(2 * relationCount)
        symmetric.reserve(relationCount / Self.bits + 1)
    }

    func append(source: Int32, target: Int32, symmetric flag: Bool) {
        let index = count
        ends.append(Int(source))
        ends.append(Int(target))
        if index % Self.bits == 0 { symmetric.append(0) }
        if flag { flagSymmetric(index) }
    }

    func ends(of index: Int) -> (source: Int32, target: Int32) {
        (Int32(truncatingIfNeeded: ends[2 * index]), Int32(truncatingIfNeeded: ends[2 * index + 1]))
    }

    func flagSymmetric(_ index: Int) {
        let word = index / Self.bits
        symmetric.set(symmetric[word] | 1 << (index % Self.bits), at: word)
    }

    func isSymmetric(_ index: Int) -> Bool { symmetric[index / Self.bits] & (1 << (index % Self.bits)) != 0 }
}

/// One relation in an entity's adjacency list: the relation's entry (see ``Adjacency``) and the
/// position in ``Graph/entities`` of the entity at its far end (the target in an outgoing list, the
/// source in an incoming one), so that a walk reaches the neighbour without looking the relation up.
@usableFromInline
internal struct AdjacencyLink: Sendable, Hashable {
    /// The relation's entry: its index in ``Graph/relations`` and its symmetric flag.
    @usableFromInline var entry: Int32
    /// The entity at the far end.
    @usableFromInline var other: Int32

    @inlinable @inline(__always)
    init(entry: Int32, other: Int32) {
        self.entry = entry
        self.other = other
    }
}

extension Array where Element == AdjacencyLink {
    /// The first position whose entry is not below `entry`, in this list ascending by entry (as
    /// every adjacency list is), found by binary search. O(log n).
    internal func lowerBound(ofEntry entry: Int32) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if self[middle].entry < entry { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The position of relation `relation`'s link in this list, or `nil`. O(log n).
    internal func index(ofRelation relation: Int32) -> Int? {
        // The relation's entry is `relation << 1` or that plus its symmetric flag.
        let position = lowerBound(ofEntry: Adjacency.entry(Int(relation), symmetric: false))
        return position < count && Adjacency.relation(self[position].entry) == relation ? position : nil
    }

    /// Inserts `link` into this list, keeping it ascending by entry. O(n).
    internal mutating func insertSorted(_ link: AdjacencyLink) {
        insert(link, at: lowerBound(ofEntry: link.entry))
    }
}

extension Graph: Equatable {
    /// Two graphs are equal when their metadata, vocabulary, documents, entities and relations are
    /// equal, in the same order. O(entities + relations).
    public static func == (lhs: Graph, rhs: Graph) -> Bool {
        lhs.title == rhs.title && lhs.description == rhs.description && lhs.attributes == rhs.attributes
            && lhs.documents == rhs.documents && lhs.declaredKinds == rhs.declaredKinds
            && lhs.declaredRelationTypes == rhs.declaredRelationTypes && lhs.entities == rhs.entities
            && lhs.relations == rhs.relations
    }
}

/// Why a change to a ``Graph`` was refused.
public enum GraphError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An entity with this id is already in the graph.
    case duplicateEntity(EntityID)
    /// A relation with this id is already in the graph.
    case duplicateRelation(RelationID)
    /// This kind is built in or already declared.
    case duplicateKind(KindID)
    /// This relation type is built in or already declared.
    case duplicateRelationType(RelationTypeID)
    /// A source document with this id is already in the graph.
    case duplicateDocument(DocumentID)
    /// An entity that does not exist, referenced by a relation (or looked up for update when `relation` is nil).
    case unknownEntity(EntityID, relation: RelationID?)
    /// The entity's kind is neither built in nor declared.
    case unknownKind(KindID, entity: EntityID)
    /// The relation's type is neither built in nor declared.
    case unknownRelationType(RelationTypeID, relation: RelationID)
    /// A citation names a source document the graph does not have.
    case unknownDocument(DocumentID)

    /// A one-line explanation naming the ids involved.
    public var description: String {
        switch self {
        case .duplicateEntity(let id): return "an entity with id '\(id)' already exists"
        case .duplicateRelation(let id): return "a relation with id '\(id)' already exists"
        case .duplicateKind(let id): return "kind '\(id)' is already defined"
        case .duplicateRelationType(let id): return "relation type '\(id)' is already defined"
        case .duplicateDocument(let id): return "a document with id '\(id)' already exists"
        case .unknownEntity(let id, let relation?): return "relation '\(relation)' refers to unknown entity '\(id)'"
        case .unknownEntity(let id, nil): return "no entity has id '\(id)'"
        case .unknownKind(let kind, let entity): return "entity '\(entity)' has unknown kind '\(kind)'"
        case .unknownRelationType(let type, let relation):
            return "relation '\(relation)' has unknown type '\(type)'"
        case .unknownDocument(let id): return "no source document has id '\(id)'"
        }
    }
}

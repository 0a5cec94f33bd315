import Foundation

// Internal plumbing shared by the queries: index-based access to the adjacency lists, a filter
// compiled for tight loops, and reusable traversal buffers.

extension Graph {
    /// The index in ``entities`` of the entity with this id. O(1) expected.
    @inline(__always)
    internal func entityIndex(of id: EntityID) -> Int32? {
        entities.index(forKey: id).map { Int32(truncatingIfNeeded: $0) }
    }

    /// The index of `id`, or a thrown ``QueryError/unknownEntity(_:)``.
    internal func requireEntityIndex(of id: EntityID) throws(QueryError) -> Int32 {
        guard let index = entityIndex(of: id) else { throw .unknownEntity(id) }
        return index
    }

    /// The other end of relation `relation` seen from `entity`, one of its ends (itself for a
    /// self-loop), and whether `entity` is its source: found in `entity`'s lists by binary search
    /// (they are ascending by relation). O(log degree).
    internal func farEnd(of relation: Int32, from entity: Int32) -> (entity: Int32, forward: Bool) {
        let outs = outgoing[Int(entity)]
        if let position = outs.index(ofRelation: relation) { return (outs[position].other, true) }
        let ins = incoming[Int(entity)]
        guard let position = ins.index(ofRelation: relation) else {
            preconditionFailure("relation \(relation) does not touch entity \(entity)")
        }
        return (ins[position].other, false)
    }

    /// Calls `body(relation, neighbour, traversal)` for each relation of `entity` in `direction`, in
    /// relation insertion order (see ``forEachEntry(of:direction:until:)``). O(degree).
    @inline(__always)
    internal func forEachLink(
        of entity: Int32, direction: TraversalDirection, _ body: (Int32, Int32, Traversal) -> Void
    ) {
        _ = forEachEntry(
            of: entity, direction: direction,
            until: {
                body(Adjacency.relation($0), $1, $2)
                return false
            })
    }

    /// Calls `body(entry, neighbour, traversal)` for each relation of `entity` in `direction`, in
    /// relation insertion order, where `entry` is the relation's adjacency entry (see ``Adjacency``);
    /// stops as soon as `body` returns true and returns whether it stopped early.
    ///
    /// ``TraversalDirection/outgoing`` follows the relations `entity` is the source of (forward) and
    /// the symmetric ones it is the target of (backward); ``TraversalDirection/incoming`` the
    /// relations it is the target of (backward) and the symmetric ones it is the source of
    /// (forward); ``TraversalDirection/both`` all of them. A self-loop is reported once: forward,
    /// except backward under ``TraversalDirection/incoming``. O(degree).
    @inline(__always)
    internal func forEachEntry(
        of entity: Int32, direction: TraversalDirection, until body: (Int32, Int32, Traversal) -> Bool
    ) -> Bool {
        let e = Int(entity)
        switch direction {
        case .outgoing:
            guard symmetricIncoming[e].isEmpty else {
                return merge(entity, outgoing[e], symmetricIncoming[e], outMask: 0, selfLoop: .forward, body)
            }
            for link in outgoing[e] where body(link.entry, link.other, .forward) {
                return true
            }
            return false
        case .incoming:
            guard symmetricRelationCount == 0 else {
                return merge(entity, outgoing[e], incoming[e], outMask: 1, selfLoop: .backward, body)
            }
            for link in incoming[e] where body(link.entry, link.other, .backward) {
                return true
            }
            return false
        case .both:
            return merge(entity, outgoing[e], incoming[e], outMask: 0, selfLoop: .forward, body)
        }
    }

    /// Merges `outs` (relations `entity` is the source of: the far end is the target, crossed forwards;
    /// only entries with `entry & outMask == outMask`: 1 keeps the symmetric ones) and `ins` (relations
    /// it is the target of: crossed backwards) by insertion order (both lists are sorted: relations are
    /// only ever appended); a self-loop, in both lists under the same entry, is reported once as `selfLoop`.
    @inline(__always)
    private func merge(
        _ entity: Int32, _ outs: [AdjacencyLink], _ ins: [AdjacencyLink], outMask: Int32, selfLoop: Traversal,
        _ body: (Int32, Int32, Traversal) -> Bool
    ) -> Bool {
        var i = 0
        var j = 0
        while true {
            while i < outs.count && outs[i].entry & outMask != outMask { i += 1 }
            if i < outs.count && (j == ins.count || outs[i].entry <= ins[j].entry) {
                let link = outs[i]
                i += 1
                if j < ins.count && ins[j].entry == link.entry {
                    j += 1
                    if body(link.entry, entity, selfLoop) { return true }
                } else if body(link.entry, link.other, .forward) {
                    return true
                }
            } else if j < ins.count {
                let link = ins[j]
                j += 1
                if body(link.entry, link.other, .backward) { return true }
            } else {
                return false
            }
        }
    }

    /// A graph holding entities `entityIndices` and relations `keptRelations` of this graph (each
    /// relation's endpoints must be among the entities; neither list needs to be sorted), both in
    /// this graph's order. Entities that assert a kept relation are added too, since a graph cannot
    /// refer to a missing entity. O(k) for k kept entities and relations (radix-sorted), plus one
    /// hash lookup per asserted relation.
    internal func assemble(
        entities entityIndices: [Int32], relations keptRelations: [KeptRelation],
        isIncluded: (Int32) -> Bool
    ) -> Graph {
        var kept = entityIndices
        var relationOrder = keptRelations
        return TraversalPool.shared.withScratch { scratch in
            let generation = scratch.begin(count: entities.count)
            let added = scratch.markB  // asserting entities already added: `generation`
            relations.withValueBuffer { all, selection in
                // Reading one field through the buffer avoids copying (and retaining) whole relations.
                for r in relationOrder {
                    let i = Int(Adjacency.relation(r.entry))
                    guard let asserter = all[selection.map { Int($0[i]) } ?? i].assertedBy,
                        let index = entityIndex(of: asserter), !isIncluded(index),
                        added[Int(index)] != generation
                    else { continue }
                    added[Int(index)] = generation
                    kept.append(index)
                }
            }
            kept.sortNonNegative()
            relationOrder.sortByEntry()
            let newPosition = scratch.dataA
            for (new, old) in kept.enumerated() { newPosition[Int(old)] = Int32(new) }
            return extracting(entities: kept, relations: relationOrder, newPosition: { newPosition[Int($0)] })
        }
    }
}

/// A ``QueryFilter`` resolved against one graph for use in inner loops.
internal struct CompiledFilter {
    let checksRelations: Bool
    let checksKinds: Bool
    let types: Set<RelationTypeID>?
    let kinds: Set<KindID>?
    /// Bit `n` set when the certainty with raw position `n` in `Certainty.allCases` passes.
    let certaintyMask: UInt8
    let low: Int
    let high: Int

    init(_ filter: QueryFilter) {
        if filter.isUnrestricted {  // the common case, without building sets or a mask
            (types, kinds, certaintyMask, low, high) = (nil, nil, UInt8.max, Int.min, Int.max)
            (checksRelations, checksKinds) = (false, false)
            return
        }
        types = filter.relationTypes
        kinds = filter.entityKinds
        var mask: UInt8 = 0
        for (position, certainty) in Certainty.allCases.enumerated()
        where filter.certainties?.contains(certainty) ?? true {
            mask |= 1 << UInt8(position)
        }
        certaintyMask = mask
        (low, high) = filter.time?.window ?? (Int.min, Int.max)
        checksRelations = filter.relationTypes != nil || filter.certainties != nil || filter.time != nil
        checksKinds = filter.entityKinds != nil
    }

    /// True when relation `index` of `graph` passes the type, certainty and time criteria.
    @inline(__always)
    func admitsRelation(_ index: Int32, in graph: Graph) -> Bool {
        guard checksRelations else { return true }
        // Through the buffer, only the fields read are loaded (no copy of the whole relation).
        return graph.relations.withValueBuffer { all, selection in
            let i = selection.map { Int($0[Int(index)]) } ?? Int(index)
            if certaintyMask & (1 << CompiledFilter.position(of: all[i].certainty)) == 0 { return false }
            if let since = all[i].since, since.firstDay.ordinal > high { return false }
            if let until = all[i].until, until.lastOrdinal < low { return false }
            if let types, !types.contains(all[i].type) { return false }
            return true
        }
    }

    /// True when entity `index` of `graph` passes the kind criterion.
    @inline(__always)
    func admitsEntity(_ index: Int32, in graph: Graph) -> Bool {
        guard checksKinds, let kinds else { return true }
        return kinds.contains(graph.entities.value(at: Int(index)).kind)
    }

    @inline(__always)
    static func position(of certainty: Certainty) -> UInt8 {
        switch certainty {
        case .confirmed: return 0
        case .reported: return 1
        case .claimed: return 2
        case .alleged: return 3
        case .disputed: return 4
        case .denied: return 5
        }
    }
}

/// Per-entity buffers for breadth-first searches, reused across calls through ``TraversalPool``.
///
/// `markA`/`markB` hold a generation number; an entry is "set" when it equals the current generation,
/// so starting a new search costs O(1) instead of clearing O(entities) memory. `slots` packs a
/// generation (high 32 bits) with how an entity was reached (low 32 bits) for searches that record
/// it, so that one load answers both "seen?" and "from where?".
///
/// A class holding manually allocated buffers: handing one out of the pool and back moves a single
/// reference (a struct of arrays retained and released each array on the way), and the buffers are
/// read without bounds or uniqueness checks. The buffers are valid until the next ``begin(count:)``.
internal final class TraversalScratch {
    private(set) var markA = UnsafeMutableBufferPointer<UInt32>(start: nil, count: 0)
    private(set) var markB = UnsafeMutableBufferPointer<UInt32>(start: nil, count: 0)
    private(set) var dataA = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    private(set) var dataB = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    private(set) var slots = UnsafeMutableBufferPointer<UInt64>(start: nil, count: 0)
    private var generation: UInt32 = 0

    /// The number of entities the buffers cover. (`dataA` and `dataB`, used as queues, hold one more
    /// entry: a search writes unconditionally one past its queue's end, and a
    /// side's queue never holds every entity — the other side's start is never in it — but the spare
    /// entry keeps that from being the only guard.)
    var capacity: Int { markA.count }

    deinit { release() }

    private func release() {
        markA.deallocate()
        markB.deallocate()
        dataA.deallocate()
        dataB.deallocate()
        slots.deallocate()
    }

    /// Makes the buffers cover `count` entities and returns a fresh generation `g`; `g` and `g + 1`
    /// are both unused in the marks and slots until the next call.
    func begin(count: Int) -> UInt32 {
        if markA.count < count {
            release()
            // Fresh buffers: every mark and slot is 0, older than any generation handed out.
            markA = .allocate(capacity: count)
            markA.initialize(repeating: 0)
            markB = .allocate(capacity: count)
            markB.initialize(repeating: 0)
            dataA = .allocate(capacity: count + 1)
            dataA.initialize(repeating: -1)
            dataB = .allocate(capacity: count + 1)
            dataB.initialize(repeating: -1)
            slots = .allocate(capacity: count)
            slots.initialize(repeating: 0)
        }
        // Two values per search, so that one slot array can tell the two sides of a search apart.
        if generation >= UInt32.max - 2 {
            markA.update(repeating: 0)
            markB.update(repeating: 0)
            slots.update(repeating: 0)
            generation = 0
        }
        generation += 2
        return generation
    }
}

/// A small process-wide pool of ``TraversalScratch`` buffers so repeated queries on a large graph do
/// not allocate and clear O(entities) memory each time.
///
/// Keeps at most ``keep`` buffers of 24 bytes per entity of the largest graph queried (one per
/// thread querying at once: 1.2 MB per buffer for 50,000 entities, 100 MB near ``largest``); buffers for
/// graphs above ``largest`` entities are dropped after use rather than kept.
internal final class TraversalPool: @unchecked Sendable {
    // `lock` guards `free`; a buffer taken out of the pool belongs to one caller until returned.
    // The list lives behind a pointer rather than in a stored property: a class's stored `var` is
    // checked for exclusive access at run time on every use, which cost more than the lock.
    private let lock = NSLock()
    private let free: UnsafeMutablePointer<[TraversalScratch]>
    static let keep = 4
    static let largest = 1 << 22

    static let shared = TraversalPool()

    init() {
        free = .allocate(capacity: 1)
        free.initialize(to: [])
    }

    deinit {
        free.deinitialize(count: 1)
        free.deallocate()
    }

    /// Runs `body` with a scratch buffer, returning the buffer to the pool afterwards.
    func withScratch<R, E: Error>(_ body: (TraversalScratch) throws(E) -> R) throws(E) -> R {
        lock.lock()
        let scratch = free.pointee.popLast() ?? TraversalScratch()
        lock.unlock()
        defer {
            lock.lock()
            if free.pointee.count < TraversalPool.keep, scratch.capacity <= TraversalPool.largest {
                free.pointee.append(scratch)
            }
            lock.unlock()
        }
        return try body(scratch)
    }
}

extension Array where Element == Int32 {
    /// Sorts values that are all `>= 0` ascending. O(n).
    internal mutating func sortNonNegative() { radixSort(key: { UInt32(bitPattern: $0) }) }
}

extension Array {
    /// Sorts by `key`, distinct for distinct elements (equal keys keep no particular order): a
    /// least-significant-digit radix sort for large arrays — only as many passes as the largest key
    /// has digits, of 8 bits below 4,096 elements and 11 above — the standard sort for small ones.
    /// O(n).
    internal mutating func radixSort(key: (Element) -> UInt32) {
        guard count > 64 else { return sort { key($0) < key($1) } }
        var largest: UInt32 = 0
        for element in self { largest = Swift.max(largest, key(element)) }
        let digitBits = count < 4_096 ? 8 : 11
        let passes = Swift.max(1, (32 - largest.leadingZeroBitCount + digitBits - 1) / digitBits)
        let mask = UInt32(1 << digitBits - 1)
        var other = self
        var counts = [Int](repeating: 0, count: 1 << digitBits + 1)
        self.withUnsafeMutableBufferPointer { a in
            other.withUnsafeMutableBufferPointer { b in
                counts.withUnsafeMutableBufferPointer { counts in
                    var (from, to) = (a, b)
                    for pass in 0..<passes {
                        let shift = UInt32(pass * digitBits)
                        for i in counts.indices { counts[i] = 0 }
                        for value in from { counts[Int((key(value) >> shift) & mask) + 1] += 1 }
                        for i in 1..<counts.count { counts[i] += counts[i - 1] }
                        for value in from {
                            let digit = Int((key(value) >> shift) & mask)
                            to[counts[digit]] = value
                            counts[digit] += 1
                        }
                        swap(&from, &to)
                    }
                    // After an odd number of passes the result is in `b`.
                    if passes % 2 == 1 { _ = a.update(fromContentsOf: b) }
                }
            }
        }
    }
}

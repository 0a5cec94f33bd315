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

    /// The other end of relation `relation` seen from entity `entity` (itself for a self-loop).
    @inline(__always)
    internal func otherEnd(of relation: Int32, from entity: Int32) -> Int32 {
        let ends = endpoints[Int(relation)]
        return ends.source == entity ? ends.target : ends.source
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
            for r in outgoing[e] where body(r, endpoints[Int(Adjacency.relation(r))].target, .forward) {
                return true
            }
            return false
        case .incoming:
            guard symmetricRelationCount == 0 else {
                return merge(entity, outgoing[e], incoming[e], outMask: 1, selfLoop: .backward, body)
            }
            for r in incoming[e] where body(r, endpoints[Int(Adjacency.relation(r))].source, .backward) {
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
        _ entity: Int32, _ outs: [Int32], _ ins: [Int32], outMask: Int32, selfLoop: Traversal,
        _ body: (Int32, Int32, Traversal) -> Bool
    ) -> Bool {
        var i = 0
        var j = 0
        while true {
            while i < outs.count && outs[i] & outMask != outMask { i += 1 }
            if i < outs.count && (j == ins.count || outs[i] <= ins[j]) {
                let r = outs[i]
                i += 1
                if j < ins.count && ins[j] == r {
                    j += 1
                    if body(r, entity, selfLoop) { return true }
                } else if body(r, endpoints[Int(Adjacency.relation(r))].target, .forward) {
                    return true
                }
            } else if j < ins.count {
                let r = ins[j]
                j += 1
                if body(r, endpoints[Int(Adjacency.relation(r))].source, .backward) { return true }
            } else {
                return false
            }
        }
    }

    /// A graph holding entities `entityIndices` and the relations of adjacency entries
    /// `relationEntries` of this graph (see ``Adjacency``; each relation's endpoints must be among the
    /// entities; neither list needs to be sorted), both in this graph's order. Entities that assert a
    /// kept relation are added too, since a graph cannot refer to a missing entity. O(k) for k kept
    /// entities and relations (radix-sorted), plus one hash lookup per asserted relation.
    internal func assemble(
        entities entityIndices: [Int32], relations relationEntries: [Int32],
        isIncluded: (Int32) -> Bool
    ) -> Graph {
        var kept = entityIndices
        var relationOrder = relationEntries
        return TraversalPool.shared.withScratch { scratch in
            let generation = scratch.begin(count: entities.count)
            let added = scratch.markB  // asserting entities already added: `generation`
            relations.withValueBuffer { all, selection in
                // Reading one field through the buffer avoids copying (and retaining) whole relations.
                for r in relationOrder {
                    let i = Int(Adjacency.relation(r))
                    guard let asserter = all[selection.map { Int($0[i]) } ?? i].assertedBy,
                        let index = entityIndex(of: asserter), !isIncluded(index),
                        added[Int(index)] != generation
                    else { continue }
                    added[Int(index)] = generation
                    kept.append(index)
                }
            }
            kept.sortNonNegative()
            relationOrder.sortNonNegative()
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
/// generation (high 32 bits) with a relation index (low 32 bits) for searches that record how each
/// entity was reached, so that one load answers both "seen?" and "from where?".
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

    /// The number of entities the buffers cover (`dataA` and `dataB` hold one more entry, so that a
    /// queue of every entity still has room for one unconditional write past its end).
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
        // Two values per search, so that one mark array can tell the two sides of a search apart.
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
/// Keeps at most ``keep`` buffers of 32 bytes per entity of the largest graph queried; buffers for
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
    /// Sorts values that are all `>= 0` ascending: a least-significant-digit radix sort (three
    /// passes of 11 bits) for large arrays, the standard sort for small ones. O(n).
    internal mutating func sortNonNegative() {
        guard count > 64 else { return sort() }
        var other = [Int32](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: 2049)
        self.withUnsafeMutableBufferPointer { a in
            other.withUnsafeMutableBufferPointer { b in
                counts.withUnsafeMutableBufferPointer { counts in
                    var (from, to) = (a, b)
                    for shift in stride(from: 0, to: 33, by: 11) {
                        for i in counts.indices { counts[i] = 0 }
                        for value in from { counts[Int((UInt32(bitPattern: value) >> UInt32(shift)) & 2047) + 1] += 1 }
                        for i in 1..<counts.count { counts[i] += counts[i - 1] }
                        for value in from {
                            let digit = Int((UInt32(bitPattern: value) >> UInt32(shift)) & 2047)
                            to[counts[digit]] = value
                            counts[digit] += 1
                        }
                        swap(&from, &to)
                    }
                    // Three passes: the result is in `b`.
                    _ = a.update(fromContentsOf: b)
                }
            }
        }
    }
}

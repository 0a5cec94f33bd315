import OrderedCollections

/// A graph's entities or its relations: values in insertion order, each found by its id.
///
/// ``Graph/entities`` and ``Graph/relations`` are tables. A table reads like an ordered dictionary:
/// iterate it for `(key, value)` pairs in order, look values up by id, and use ``keys`` and
/// ``values`` as random-access collections.
///
/// A graph returned by a query — an ego graph, a connection graph, the map as of a date — does not
/// copy the entities and relations it keeps: its tables are *selections* of the source graph's
/// tables and share their storage. Such a table behaves exactly like any other; looking a value up
/// by id costs a hash lookup in the shared storage plus a binary search of the selection
/// (O(log n) instead of O(1)), and the first change to a graph holding a selection gives it a table
/// of its own (O(n), once). A selection keeps the source's storage alive while it exists, and,
/// as with any copy-on-write value, the source's first change while a result taken from it is
/// alive copies the source's table (O(n), once; the result keeps the version it was taken from).
/// So build a graph first and query it after, or let results go before changing their source.
public struct GraphTable<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The values, or a larger table whose elements at the ``selection`` positions are this table's.
    @usableFromInline internal var storage: OrderedDictionary<Key, Value>
    /// `nil` when this table is all of ``storage``; otherwise this table's positions in it, ascending.
    @usableFromInline internal var selection: [Int32]?

    /// An empty table.
    internal init() {
        storage = [:]
        selection = nil
    }

    /// A table holding the elements of `storage` at `selection` (ascending), sharing its storage.
    internal init(storage: OrderedDictionary<Key, Value>, selection: [Int32]?) {
        self.storage = storage
        self.selection = selection
    }

    /// The number of elements. O(1).
    @inlinable public var count: Int { selection?.count ?? storage.count }

    /// True when the table holds nothing. O(1).
    @inlinable public var isEmpty: Bool { count == 0 }

    /// The position in ``storage`` of the element at `position` in this table.
    @inlinable @inline(__always)
    internal func storagePosition(_ position: Int) -> Int {
        guard let selection else { return position }
        return Int(selection[position])
    }

    /// The position of the element with this key, or `nil`. O(1) expected; O(log n) in a table
    /// selected from another graph's.
    @inlinable public func index(forKey key: Key) -> Int? {
        guard let position = storage.index(forKey: key) else { return nil }
        guard let selection else { return position }
        // Binary search of the ascending selection.
        let wanted = Int32(truncatingIfNeeded: position)
        var (low, high) = (0, selection.count)
        while low < high {
            let middle = (low + high) / 2
            if selection[middle] < wanted { low = middle + 1 } else { high = middle }
        }
        return low < selection.count && selection[low] == wanted ? low : nil
    }

    /// The value with this key, or `nil`. O(1) expected; O(log n) in a table selected from another
    /// graph's.
    @inlinable public subscript(key: Key) -> Value? {
        guard let position = index(forKey: key) else { return nil }
        return storage.values[storagePosition(position)]
    }

    /// The keys, in order, as a random-access collection sharing the table's storage.
    @inlinable public var keys: Keys { Keys(table: self) }

    /// The values, in order, as a random-access collection sharing the table's storage.
    @inlinable public var values: Values { Values(table: self) }

    /// A table's keys, in order.
    public struct Keys: RandomAccessCollection, Sendable {
        @usableFromInline internal let table: GraphTable

        @inlinable internal init(table: GraphTable) { self.table = table }

        /// Always 0.
        @inlinable public var startIndex: Int { 0 }
        /// The number of keys.
        @inlinable public var endIndex: Int { table.count }
        /// The key at `position`. O(1).
        @inlinable public subscript(position: Int) -> Key { table.key(at: position) }
        /// True when the table has this key: a lookup, not a scan. O(1) expected; O(log n) in a
        /// table selected from another graph's.
        @inlinable public func contains(_ key: Key) -> Bool { table.index(forKey: key) != nil }

        /// Answers `contains(_:)` by a lookup, also when called through generic code.
        @inlinable public func _customContainsEquatableElement(_ element: Key) -> Bool? { contains(element) }

        /// Answers `firstIndex(of:)` by a lookup (keys are unique).
        @inlinable public func _customIndexOfEquatableElement(_ element: Key) -> Int?? {
            .some(table.index(forKey: element))
        }

        /// Answers `lastIndex(of:)` by a lookup (keys are unique).
        @inlinable public func _customLastIndexOfEquatableElement(_ element: Key) -> Int?? {
            _customIndexOfEquatableElement(element)
        }
    }

    /// A table's values, in order.
    public struct Values: RandomAccessCollection, Sendable {
        @usableFromInline internal let table: GraphTable

        @inlinable internal init(table: GraphTable) { self.table = table }

        /// Always 0.
        @inlinable public var startIndex: Int { 0 }
        /// The number of values.
        @inlinable public var endIndex: Int { table.count }
        /// The value at `position`. O(1).
        @inlinable public subscript(position: Int) -> Value { table.value(at: position) }
    }

    // MARK: Changing (the graph's own business)

    /// The key at `position` (without making a ``keys`` view first). O(1).
    @inlinable @inline(__always)
    internal func key(at position: Int) -> Key { storage.keys[storagePosition(position)] }

    /// The value at `position` (without making a ``values`` view first). O(1).
    @inlinable @inline(__always)
    internal func value(at position: Int) -> Value { storage.values[storagePosition(position)] }

    /// Makes the table own its storage (a selection copies its elements out, once). O(n) the first
    /// time, O(1) after.
    internal mutating func makeOwned() {
        guard let selection else { return }
        let (keys, values) = (storage.keys, storage.values)
        storage = OrderedDictionary(
            uncheckedUniqueKeys: selection.lazy.map { keys[Int($0)] }, values: selection.lazy.map { values[Int($0)] })
        self.selection = nil
    }

    /// Sets the value for `key`, appending it when new. Amortized O(1) (plus ``makeOwned()``).
    internal mutating func set(_ value: Value, for key: Key) {
        makeOwned()
        storage[key] = value
    }

    /// Reserves room for `count` elements.
    internal mutating func reserveCapacity(_ count: Int) {
        makeOwned()
        storage.reserveCapacity(count)
    }

    /// The elements at `positions` (ascending positions in this table), as a table sharing this
    /// one's storage. O(k).
    internal func selecting(_ positions: [Int32]) -> GraphTable {
        // Ascending and unique: as many positions as elements means all of them.
        if positions.count == count { return self }
        guard let selection else { return GraphTable(storage: storage, selection: positions) }
        return GraphTable(storage: storage, selection: positions.map { selection[Int($0)] })
    }

    /// Calls `body` with the storage's values and a way from a position in this table to one in
    /// them: direct access to single fields in tight loops, without copying whole values.
    @inlinable @inline(__always)
    internal func withValueBuffer<R>(_ body: (UnsafeBufferPointer<Value>, [Int32]?) -> R) -> R {
        storage.values.withUnsafeBufferPointer { body($0, selection) }
    }
}

extension GraphTable: RandomAccessCollection {
    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The number of elements.
    @inlinable public var endIndex: Int { count }
    /// The key and value at `position`. O(1).
    @inlinable public subscript(position: Int) -> (key: Key, value: Value) {
        let at = storagePosition(position)
        return (storage.keys[at], storage.values[at])
    }
}

extension GraphTable: Equatable where Value: Equatable {
    /// Two tables are equal when they hold equal keys and values in the same order, whether or not
    /// they share storage. O(n).
    public static func == (lhs: GraphTable, rhs: GraphTable) -> Bool {
        lhs.count == rhs.count && lhs.keys.elementsEqual(rhs.keys) && lhs.values.elementsEqual(rhs.values)
    }
}

extension GraphTable: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The elements, like a dictionary literal: `[key: value, …]`.
    public var description: String {
        isEmpty ? "[:]" : "[" + lazy.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
    }

    /// The elements, like a dictionary literal, with each key and value's debug description.
    public var debugDescription: String {
        isEmpty
            ? "[:]"
            : "["
                + lazy.map { String(reflecting: $0.key) + ": " + String(reflecting: $0.value) }
                .joined(separator: ", ") + "]"
    }

    /// The elements as a dictionary's children (not the shared storage behind a selection).
    public var customMirror: Mirror {
        Mirror(self, unlabeledChildren: Array(self), displayStyle: .dictionary)
    }
}

extension GraphTable.Keys: CustomStringConvertible, CustomReflectable {
    /// The keys, like an array literal.
    public var description: String { Array(self).description }
    /// The keys as a collection's children.
    public var customMirror: Mirror { Mirror(self, unlabeledChildren: Array(self), displayStyle: .collection) }
}

extension GraphTable.Values: CustomStringConvertible, CustomReflectable {
    /// The values, like an array literal.
    public var description: String { Array(self).description }
    /// The values as a collection's children.
    public var customMirror: Mirror { Mirror(self, unlabeledChildren: Array(self), displayStyle: .collection) }
}

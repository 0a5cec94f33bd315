#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A hash set of byte strings, numbering its keys in insertion order; used by the reader to look
/// ids up straight from the input bytes — no `String` is created, and hashing is a few cycles per
/// byte.
///
/// Open addressing with linear probing over 16-byte slots that hold 32 bits of the hash, the entry
/// number and where the key's bytes are, so a lookup touches one slot and, when the hashes agree,
/// the key bytes — two cache misses at most. Keys are copied into one arena. A class with manually
/// managed buffers, so the hot path has no copy-on-write checks; used only while reading.
///
/// Large buffers are mapped straight from the system (`ScratchMemory`), so they go back to it as
/// soon as the map is freed instead of lingering in the allocator's heap.
final class ByteMap {
    private struct Slot {
        /// 0 = empty; otherwise `hash32 << 32 | (entry + 1)`.
        var tagAndEntry: UInt64
        var start: UInt32
        var length: UInt32
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var slotCount: Int
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    /// The number of keys.
    private(set) var count = 0

    init(expectedCount: Int = 16) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slotCount = capacity
        slots = ScratchMemory.allocateZeroed(Slot.self, count: capacity)
        arenaCapacity = max(64, expectedCount * 16)
        arena = ScratchMemory.allocateZeroed(UInt8.self, count: arenaCapacity)
    }

    deinit {
        ScratchMemory.free(slots, count: slotCount)
        ScratchMemory.free(arena, count: arenaCapacity)
    }

    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var index = 0
        while index < count {
            hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3
            index += 1
        }
        // Finalizer (from MurmurHash3) so the low bits used for the slot are well mixed.
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }

    /// The entry number of the key, or `nil`.
    @inline(__always)
    func find(_ bytes: UnsafePointer<UInt8>, _ count: Int, hash: UInt64) -> Int? {
        let mask = slotCount - 1
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry.tagAndEntry == 0 { return nil }
            if entry.tagAndEntry >> 32 == tag, Int(entry.length) == count,
                memoryEquals(arena + Int(entry.start), bytes, count)
            {
                return Int(truncatingIfNeeded: entry.tagAndEntry & 0xFFFF_FFFF) - 1
            }
            slot = (slot + 1) & mask
        }
    }

    /// Adds a key that is not present; returns its entry number (0, 1, 2, … in insertion order).
    @discardableResult
    func insert(_ bytes: UnsafePointer<UInt8>, _ count: Int, hash: UInt64) -> Int {
        if (self.count + 1) * 2 > slotCount { grow() }
        if arenaCount + count > arenaCapacity {
            var capacity = arenaCapacity * 2
            while capacity < arenaCount + count { capacity *= 2 }
            let larger = ScratchMemory.allocateZeroed(UInt8.self, count: capacity)
            larger.update(from: arena, count: arenaCount)
            ScratchMemory.free(arena, count: arenaCapacity)
            arena = larger
            arenaCapacity = capacity
        }
        (arena + arenaCount).update(from: bytes, count: count)
        let entry = self.count
        place(
            Slot(
                tagAndEntry: (hash >> 32) << 32 | UInt64(entry + 1), start: UInt32(truncatingIfNeeded: arenaCount),
                length: UInt32(truncatingIfNeeded: count)),
            hash: hash)
        arenaCount += count
        self.count += 1
        return entry
    }

    // Convenience for buffers (small tables).
    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        ByteMap.withBase(bytes) { base in find(base, bytes.count, hash: ByteMap.hash(base, bytes.count)) }
    }

    @discardableResult
    func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        ByteMap.withBase(bytes) { base in insert(base, bytes.count, hash: ByteMap.hash(base, bytes.count)) }
    }

    /// Calls `body` with the buffer's base address, or, for an empty buffer without one, with the
    /// address of a byte that lives until `body` returns (a pointer never outlives its closure).
    @inline(__always)
    static func withBase<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>) -> T) -> T {
        if let base = bytes.baseAddress { return body(base) }
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { body($0) }
    }

    @inline(__always)
    private func memoryEquals(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        while index + 8 <= count {
            if UnsafeRawPointer(a + index).loadUnaligned(as: UInt64.self)
                != UnsafeRawPointer(b + index).loadUnaligned(as: UInt64.self)
            {
                return false
            }
            index += 8
        }
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    private func place(_ slot: Slot, hash: UInt64) {
        let mask = slotCount - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index].tagAndEntry != 0 { index = (index + 1) & mask }
        slots[index] = slot
    }

    private func grow() {
        let old = slots
        let oldCount = slotCount
        slotCount *= 2
        slots = ScratchMemory.allocateZeroed(Slot.self, count: slotCount)
        for index in 0..<oldCount where old[index].tagAndEntry != 0 {
            let slot = old[index]
            place(slot, hash: ByteMap.hash(arena + Int(slot.start), Int(slot.length)))
        }
        ScratchMemory.free(old, count: oldCount)
    }
}

/// Interns the short strings that repeat across a document (kinds, types, document ids), so each
/// distinct value is decoded into a Swift `String` once and shared by every use.
struct Interner {
    private let map = ByteMap()
    private(set) var strings: [String] = []
    /// Per interned string: known to name something that exists (cached once true).
    var known: [Bool] = []

    /// The index of the interned copy of `bytes`, adding it if new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if let index = map.find(bytes) { return index }
        map.insert(bytes)
        strings.append(String(decoding: bytes, as: UTF8.self))
        known.append(false)
        return strings.count - 1
    }
}

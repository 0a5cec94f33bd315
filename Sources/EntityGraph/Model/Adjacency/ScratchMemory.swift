#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Zero-filled scratch buffers of trivial types. Small ones come from the allocator; large ones
/// (256 KiB and up) are mapped from the system and unmapped when freed, so a large read leaves no
/// freed-but-resident memory behind.
enum ScratchMemory {
    static let mappingThreshold = 256 << 10

    static func allocateZeroed<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(count, 1) * MemoryLayout<T>.stride
        if bytes >= mappingThreshold,
            let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | anonymous, -1, 0),
            mapped != MAP_FAILED
        {
            return mapped.bindMemory(to: T.self, capacity: count)  // the system hands out zeroed pages
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: MemoryLayout<T>.alignment)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// Frees a buffer from `allocateZeroed` with the same `count`.
    static func free<T>(_ pointer: UnsafeMutablePointer<T>, count: Int) {
        let bytes = max(count, 1) * MemoryLayout<T>.stride
        if bytes >= mappingThreshold, munmap(pointer, bytes) == 0 { return }
        UnsafeMutableRawPointer(pointer).deallocate()
    }

    #if os(Linux)
    private static let anonymous = MAP_ANONYMOUS
    #else
    private static let anonymous = MAP_ANON
    #endif
}

/// A growable array of integers in scratch memory (see ``ScratchMemory``), for the reader's
/// per-entity and per-relation bookkeeping.
final class ScratchInts {
    private var storage: UnsafeMutablePointer<Int>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        storage = ScratchMemory.allocateZeroed(Int.self, count: self.capacity)
    }

    /// `count` zeros (the memory comes zeroed).
    convenience init(zeros count: Int) {
        self.init(capacity: count)
        self.count = count
    }

    deinit { ScratchMemory.free(storage, count: capacity) }

    subscript(index: Int) -> Int {
        precondition(index >= 0 && index < count, "index out of range")
        return storage[index]
    }

    /// Replaces the value at `index`.
    func set(_ value: Int, at index: Int) {
        precondition(index >= 0 && index < count, "index out of range")
        storage[index] = value
    }

    /// Adds `amount` to the value at `index`.
    func add(_ amount: Int, at index: Int) {
        precondition(index >= 0 && index < count, "index out of range")
        storage[index] += amount
    }

    func append(_ value: Int) {
        if count == capacity { reserve(capacity * 2) }
        storage[count] = value
        count += 1
    }

    func reserve(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        let larger = ScratchMemory.allocateZeroed(Int.self, count: minimumCapacity)
        larger.update(from: storage, count: count)
        ScratchMemory.free(storage, count: capacity)
        storage = larger
        capacity = minimumCapacity
    }
}

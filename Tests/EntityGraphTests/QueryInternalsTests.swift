import Testing

@testable import EntityGraph

/// The internal helpers of the queries.
@Suite struct QueryInternalsTests {
    @Test(arguments: [0, 1, 5, 64, 65, 300, 5_000])
    func radixSortMatchesTheStandardSort(count: Int) {
        var rng = SeededGenerator(seed: UInt64(count))
        for bound in [Int32(10), 3_000, .max] {
            let values = (0..<count).map { _ in Int32.random(in: 0...bound, using: &rng) }
            var sorted = values
            sorted.sortNonNegative()
            #expect(sorted == values.sorted())
        }
    }

    @Test func adjacencyEntriesKeepRelationOrder() {
        let entries = [(5, false), (5, true), (6, false), (1 << 29, true)].map {
            Adjacency.entry($0.0, symmetric: $0.1)
        }
        #expect(entries.map(Adjacency.relation) == [5, 5, 6, 1 << 29])
        #expect(entries.map(Adjacency.isSymmetric) == [false, true, false, true])
        #expect(entries[1] < entries[2] && entries[0] < entries[2])
        #expect([Int32(2), 4, 8, 10].sortedIndex(of: 8) == 2)
        #expect([Int32(2), 4, 8, 10].sortedIndex(of: 9) == nil)
    }
}

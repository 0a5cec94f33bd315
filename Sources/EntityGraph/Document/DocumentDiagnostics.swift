import Foundation

// Helpers that turn problems into helpful messages: entity suggestions (through ``Suggest``), date explanations,
// and byte offsets into line:column.

/// Suggests entities for an unknown reference by id, name and aliases.
///
/// Built lazily on the first unknown reference; each lookup is O(entities · length²) with a
/// length filter, so at most ``maximumLookups`` distinct references are looked up per document.
struct EntitySuggester {
    static let maximumLookups = 200

    private struct Entry {
        var folded: [Unicode.Scalar]
        var id: EntityID
        /// The name or alias matched, or `nil` when the entry is the id itself.
        var label: String?
    }
    private var entries: [Entry] = []
    private var cache: [String: String?] = [:]
    private var lookups = 0

    init(graph: Graph) {
        entries.reserveCapacity(graph.entities.count * 2)
        for entity in graph.entities.values {
            entries.append(Entry(folded: Self.fold(entity.id.rawValue), id: entity.id, label: nil))
            entries.append(Entry(folded: Self.fold(entity.name), id: entity.id, label: entity.name))
            for alias in entity.aliases {
                entries.append(Entry(folded: Self.fold(alias), id: entity.id, label: alias))
            }
        }
    }

    private static func fold(_ text: String) -> [Unicode.Scalar] { Array(Suggest.fold(text).unicodeScalars) }

    mutating func suggestion(for reference: String) -> String? {
        if let cached = cache[reference] { return cached }
        guard lookups < EntitySuggester.maximumLookups else { return nil }
        lookups += 1
        let folded = Self.fold(reference)
        let limit = Suggest.threshold(forLength: folded.count)
        var best: (entry: Entry, distance: Int)? = nil
        for entry in entries {
            let bound = best?.distance ?? limit
            let distance = Suggest.distance(folded, entry.folded, limit: bound)
            guard distance <= bound else { continue }
            // Strictly closer wins; at equal distance an id match beats a name or alias match.
            if let current = best, distance == current.distance, !(current.entry.label != nil && entry.label == nil) {
                continue
            }
            best = (entry, distance)
        }
        var text: String? = nil
        if let entry = best?.entry {
            if let label = entry.label, label != entry.id.rawValue {
                text = "did you mean '\(entry.id)' (\(label))?"
            } else {
                text = "did you mean '\(entry.id)'?"
            }
        }
        cache[reference] = text
        return text
    }
}

/// Explains why `text` is not a ``PartialDate``, or returns `nil` when it is one.
func partialDateProblem(_ text: String) -> String? {
    if PartialDate(text) != nil { return nil }
    let shape = "use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2022, 2022-10 or 2022-10-19"
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    let widths = parts.map(\.utf8.count)
    let allDigits = parts.allSatisfy { part in !part.isEmpty && part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    guard allDigits, [[4], [4, 2], [4, 2, 2]].contains(widths) else {
        return "'\(text)' is not a partial date: \(shape)"
    }
    let numbers = parts.map { Int($0)! }
    if numbers[0] == 0 { return "'\(text)' has year 0000; years run from 0001 to 9999" }
    if numbers.count > 1, !(1...12).contains(numbers[1]) {
        return "'\(text)' has month \(parts[1]); months run from 01 to 12"
    }
    if numbers.count > 2 {
        let days = PartialDate.daysIn(month: numbers[1], year: numbers[0])
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December",
        ]
        return "'\(text)' does not exist: \(months[numbers[1] - 1]) \(parts[0]) has \(days) days"
    }
    return "'\(text)' is not a partial date: \(shape)"
}

/// Maps byte offsets to 1-based line and column (columns count Unicode scalars; a leading UTF-8
/// byte order mark is not counted).
///
/// All offsets are placed in one sweep over the bytes: O(file size + k log k) for k offsets. A
/// minified document (one line) with an issue per relation would cost O(file size) per issue if each
/// column were counted from its line's start.
enum SourceLines {
    static func locations(
        of offsets: some Sequence<Int>, in bytes: UnsafeBufferPointer<UInt8>
    ) -> [Int: (line: Int, column: Int)] {
        let targets = Set(offsets).sorted()
        var found: [Int: (line: Int, column: Int)] = [:]
        found.reserveCapacity(targets.count)
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        var index = bom ? 3 : 0
        var line = 1
        var column = 1
        for target in targets {
            let end = min(target, bytes.count)
            while index < end {
                let byte = bytes[index]
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
                index += 1
            }
            found[target] = (line, column)
        }
        return found
    }
}

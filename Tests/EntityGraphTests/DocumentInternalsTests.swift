import Foundation
import Testing

@testable import EntityGraph

/// The reader's building blocks: the byte-keyed hash map, scratch memory, suggestions, positions.
@Suite struct DocumentInternalsTests {
    @Test func byteMapFindsEveryKeyAcrossGrowth() {
        let map = ByteMap(expectedCount: 4)
        let keys = (0..<20_000).map { Array("key-\($0)".utf8) }
        for (index, key) in keys.enumerated() {
            key.withUnsafeBufferPointer { #expect(map.find($0) == nil) }
            let entry = key.withUnsafeBufferPointer { map.insert($0) }
            #expect(entry == index)
        }
        #expect(map.count == keys.count)
        for (index, key) in keys.enumerated() {
            let found = key.withUnsafeBufferPointer { map.find($0) }
            #expect(found == index)
        }
        for absent in ["key-20000", "key-", "", "KEY-1", "key-1 "] {
            let found = Array(absent.utf8).withUnsafeBufferPointer { map.find($0) }
            #expect(found == nil, "\(absent)")
        }
        let empty = [UInt8]().withUnsafeBufferPointer { map.insert($0) }
        #expect([UInt8]().withUnsafeBufferPointer { map.find($0) } == empty)
        // Keys longer than a word compare every byte.
        let long = Array(String(repeating: "x", count: 100).utf8)
        var almost = long
        almost[99] = 0x79
        _ = long.withUnsafeBufferPointer { map.insert($0) }
        #expect(almost.withUnsafeBufferPointer { map.find($0) } == nil)
    }

    @Test("every key of the format is decoded by name: one spelling per field, none twice")
    func formatFieldsSpellEachKeyOnce() {
        func spellings<Field: FormatField>(_: Field.Type) -> [String] {
            #expect(Field.keys.count == Field.allCases.count)
            for (index, field) in Field.allCases.enumerated() {
                #expect(field.rawValue == index, "\(field)")
                #expect(Field.keys[index].description == field.key.description)
            }
            return Field.keys.map(\.description)
        }
        let all = [
            spellings(TopLevelField.self), spellings(DocumentField.self), spellings(KindField.self),
            spellings(RelationTypeField.self), spellings(EntityField.self), spellings(RelationField.self),
            spellings(CitationField.self),
        ]
        for keys in all { #expect(Set(keys).count == keys.count, "\(keys)") }
        // The field enums spell what the writer writes (a case named as its key, the format's convention).
        #expect(EntityField.allCases.map { "\($0)" } == all[4])
        #expect(RelationField.allCases.map { "\($0)" } == all[5])
        #expect(Certainty.spellings.map(\.description) == Certainty.allCases.map(\.rawValue))
    }

    @Test func scratchMemoryIsZeroedAndGrows() {
        let ints = ScratchInts(capacity: 2)
        for value in 0..<100_000 { ints.append(value * 3) }  // grows past the mapping threshold
        #expect(ints.count == 100_000)
        #expect(ints[0] == 0)
        #expect(ints[99_999] == 299_997)
        let big = ScratchMemory.allocateZeroed(UInt64.self, count: 1 << 16)
        #expect((0..<(1 << 16)).allSatisfy { big[$0] == 0 })
        ScratchMemory.free(big, count: 1 << 16)
        let small = ScratchMemory.allocateZeroed(UInt32.self, count: 10)
        #expect((0..<10).allSatisfy { small[$0] == 0 })
        ScratchMemory.free(small, count: 10)
    }

    @Test func interningSharesStrings() {
        var interner = Interner()
        let first = Array("militaryUnit".utf8).withUnsafeBufferPointer { interner.intern($0) }
        let second = Array("person".utf8).withUnsafeBufferPointer { interner.intern($0) }
        let again = Array("militaryUnit".utf8).withUnsafeBufferPointer { interner.intern($0) }
        #expect(first == again)
        #expect(first != second)
        #expect(interner.strings == ["militaryUnit", "person"])
    }

    @Test func editDistanceCountsTranspositionsAsOneStep() {
        func distance(_ a: String, _ b: String) -> Int {
            Suggest.distance(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: 10)
        }
        #expect(distance("nmae", "name") == 1)
        #expect(Suggest.editDistance("nmae", "name") == 1)
        #expect(distance("lukashenk", "lukashenko") == 1)
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("", "abc") == 3)
        #expect(Suggest.distance(Array("abcdef".unicodeScalars), Array("uvwxyz".unicodeScalars), limit: 2) == 3)
        #expect(Suggest.fold("Aliaksandr  Łukašenka") == "aliaksandr lukasenka")
        #expect(Suggest.fold("__Mozyr_Refinery-") == "mozyr refinery")
        #expect(Suggest.closest(to: "spokewith", in: ["spokeWith", "statedAbout"]) == "spokeWith")
        #expect(Suggest.closest(to: "xyz", in: ["spokeWith", "statedAbout"]) == nil)
    }

    @Test func idRulesFindExactlyTheControlCharacters() {
        #expect(IDRules.firstControlCharacter(in: "Evelyn Jefferson") == nil)
        #expect(IDRules.firstControlCharacter(in: "Лукашенко \u{200B}\u{202E}\u{A0}é") == nil)
        #expect(IDRules.firstControlCharacter(in: "a\u{0}b") == "U+0000")
        #expect(IDRules.firstControlCharacter(in: "a\u{1B}[2J") == "U+001B")
        #expect(IDRules.firstControlCharacter(in: "x\u{7F}") == "U+007F")
        #expect(IDRules.firstControlCharacter(in: "ctl\u{9B}next") == "U+009B")
        #expect(IDRules.firstControlCharacter(in: "nel\u{85}") == "U+0085")
        #expect(IDRules.firstControlCharacter(in: "\u{A0}\u{C2}") == nil)
        // The same verdict as Unicode's general category for every scalar up to U+0800.
        for value in UInt32(0)..<0x800 {
            let scalar = Unicode.Scalar(value)!
            let text = "a" + String(Character(scalar)) + "b"
            #expect((IDRules.firstControlCharacter(in: text) != nil) == (scalar.properties.generalCategory == .control))
        }
    }

    @Test("one engine: the same typo gets the same answer from validate, lookup and the CLI's lists")
    func oneSuggestionEngine() throws {
        var graph = Graph()
        try graph.add(Entity(id: "lukashenko", name: "Lukashenko", kind: .person))
        // Within the threshold (3 for 10 letters): everyone suggests; beyond it: no one does.
        for (typo, expected) in [("lukshenko", true), ("lkshnk", false), ("ulkashenko", true)] {
            let fromList = Suggest.closest(to: typo, in: ["lukashenko"]) != nil
            var suggester = EntitySuggester(graph: graph)
            let fromDocument = suggester.suggestion(for: typo) != nil
            let fromLookup: Bool
            if case .notFound(let candidates) = graph.lookup(typo) {
                fromLookup = !candidates.isEmpty
            } else {
                fromLookup = true
            }
            #expect(fromList == expected, "\(typo)")
            #expect(fromDocument == expected, "\(typo)")
            #expect(fromLookup == expected, "\(typo)")
        }
    }

    @Test func entitySuggestionsPreferIDsThenNames() throws {
        var graph = Graph()
        try graph.add(
            Entity(
                id: "lukashenko", name: "Alexander Lukashenko", kind: .person,
                aliases: ["Aliaksandr Lukashenka"]))
        try graph.add(Entity(id: "lukashenka-jr", name: "Viktor Lukashenko", kind: .person))
        var suggester = EntitySuggester(graph: graph)
        #expect(suggester.suggestion(for: "lukashenk") == "did you mean 'lukashenko'?")
        #expect(
            suggester.suggestion(for: "aliaksandr lukashenka") == "did you mean 'lukashenko' (Aliaksandr Lukashenka)?")
        #expect(suggester.suggestion(for: "VIKTOR-LUKASHENKO") == "did you mean 'lukashenka-jr' (Viktor Lukashenko)?")
        #expect(suggester.suggestion(for: "putin") == nil)
    }

    @Test func sourceLinesCountCharactersNotBytes() {
        let text = Array("ab\r\nçé😀x\n\ny".utf8)
        text.withUnsafeBufferPointer { buffer in
            let x = text.firstIndex(of: 0x78)!
            let found = SourceLines.locations(of: [0, 4, x, text.count - 1, text.count], in: buffer)
            #expect(found[0]! == (1, 1))
            #expect(found[4]! == (2, 1))
            #expect(found[x]! == (2, 4))
            #expect(found[text.count - 1]! == (4, 1))
            #expect(found[text.count]! == (4, 2))
        }
    }

    // MARK: Scale

    @Test func manyProblemsAreAllReportedWithSuggestions() throws {
        var entities: [String] = []
        for index in 0..<2_000 {
            entities.append(#"{"id": "person-\#(index)", "name": "Person \#(index)", "kind": "person"}"#)
        }
        var relations: [String] = []
        for index in 0..<3_000 {
            let target = index % 3 == 0 ? "persn-\(index % 2_000)" : "person-\(index % 2_000)"
            let id = index % 100 == 99 ? "r\(index - 1)" : "r\(index)"  // every 100th repeats the previous id
            relations.append(#"{"id": "\#(id)", "type": "relatedTo", "source": "person-0", "target": "\#(target)"}"#)
        }
        let text = """
            {"formatVersion": 1,
             "entities": [\(entities.joined(separator: ",\n"))],
             "relations": [\(relations.joined(separator: ",\n"))]}
            """
        let issues = GraphDocument.validate(text.utf8)
        let unknown = issues.filter { $0.code == .unknownEntity }
        let duplicates = issues.filter { $0.code == .duplicateID }
        #expect(unknown.count == 1_000)
        #expect(duplicates.count == 30)
        #expect(unknown.first?.suggestion == "did you mean 'person-0'?")
        #expect(unknown.allSatisfy { $0.suggestion != nil })
    }

    /// Line:column for many offsets comes from one sweep; it must agree with counting each offset
    /// from its line's start, on generated text with newlines, multi-byte letters and a BOM.
    @Test func sourceLocationsMatchCountingFromTheLineStart() {
        var random = SplitMix64(seed: 0x5EED_0F_11E5)
        let pieces: [[UInt8]] = [[0x61], [0x0A], [0xC3, 0xA9], [0xE2, 0x80, 0x94], [0xF0, 0x9F, 0x98, 0x80], [0x20]]
        for round in 0..<200 {
            var bytes: [UInt8] = round % 3 == 0 ? [0xEF, 0xBB, 0xBF] : []
            for _ in 0..<Int.random(in: 0...300, using: &random) {
                bytes += pieces[Int.random(in: 0..<pieces.count, using: &random)]
            }
            let offsets = (0..<Int.random(in: 1...40, using: &random)).map { _ in
                Int.random(in: 0...bytes.count, using: &random)
            }
            bytes.withUnsafeBufferPointer { buffer in
                let found = SourceLines.locations(of: offsets, in: buffer)
                let start = round % 3 == 0 ? 3 : 0
                for offset in offsets {
                    var line = 1
                    var lineStart = start
                    for index in start..<max(start, offset) where bytes[index] == 0x0A {
                        line += 1
                        lineStart = index + 1
                    }
                    let scalars = bytes[min(lineStart, offset)..<offset].filter { $0 & 0xC0 != 0x80 }.count
                    #expect(found[offset]?.line == line, "round \(round), offset \(offset)")
                    #expect(found[offset]?.column == scalars + 1, "round \(round), offset \(offset)")
                }
            }
        }
    }
}

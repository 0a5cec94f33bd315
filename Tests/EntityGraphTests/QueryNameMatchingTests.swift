import EntityGraph
import Testing

/// Names written in other scripts, romanizations, word orders and with titles find the seed graph's
/// entities by matching (the seed's aliases are the article's, nothing was added for these tests).
@Suite struct QueryNameMatchingTests {
    let index: LookupIndex

    init() throws {
        index = LookupIndex(try SeedGraph.load())
    }

    /// Each seed entity with the ways a reader may write it; every one must find that entity alone.
    static let variants: [(entity: EntityID, queries: [String])] = [
        (
            "zelensky",
            [
                "Зеленський", "Зеленский", "Володимир Зеленський", "ZELENSKYY, Volodymyr", "Zelenskyi",
                "President Zelensky", "Volodymyr Zelenskiy", "Ζελένσκι",
            ]
        ),
        (
            "lukashenko",
            [
                "Лукашенко", "Лукашэнка", "Аляксандр Лукашэнка", "LUKASHENKO, Alexander", "Lukašenko",
                "President Lukashenko", "Mr. Lukashenka", "Λουκασένκο",
            ]
        ),
        ("putin", ["Путин", "Владимир Путин", "PUTIN, Vladimir", "putin", "President Putin", "Πούτιν"]),
        ("tsikhanouskaya", ["Ціханоўская", "Святлана Ціханоўская", "TSIKHANOUSKAYA, Sviatlana"]),
        ("kuyun", ["Сергей Куюн", "Kuyun", "KUYUN Sergey"]),
        ("fesenko", ["Володимир Фесенко", "Fesenko", "FESENKO, Volodymyr"]),
        ("lex-fridman", ["Fridman, Lex", "Лекс Фридман"]),
        ("minsk", ["Минск", "Мінск"]),
        ("kyiv", ["Київ"]),
        ("mozyr", ["Мозырь", "Мазыр"]),
        ("belarus", ["Беларусь"]),
        ("moldova", ["Молдова"]),
        ("wagner-group", ["Вагнер", "Group Wagner"]),
        ("sbu", ["Ukraine Security Service of", "СБУ"]),
        ("novopolotsk-refinery", ["Refinery Novopolotsk", "Новополоцк refinery"]),
    ]

    @Test(arguments: variants)
    func variantsFindTheirEntity(_ entity: EntityID, _ queries: [String]) {
        for query in queries {
            #expect(index.lookup(query) == .found(entity), "\(query)")
        }
    }

    @Test func aSharedWordIsAmbiguousWithTheBestFirst() throws {
        // "Fridman" names the podcaster and the podcast; the person's shorter name ranks first.
        guard case .ambiguous(let candidates) = index.lookup("Фридман") else {
            Issue.record("expected an ambiguous result")
            return
        }
        #expect(candidates.map(\.entity) == ["lex-fridman", "lex-fridman-podcast"])
        #expect(candidates.allSatisfy { $0.match == .allWords })
        // A text with exactly the query's words wins over texts holding more: the id `shevchenko`
        // over the back-channel event "… involving Shevchenko".
        #expect(index.lookup("Шевченко") == .found("shevchenko"))
    }

    @Test func closeSpellingsInOtherScriptsAreSuggested() {
        // Spellings that differ from the article's by a letter or two (Russian forms, Ukrainian г as
        // g, a Russian case ending) and a name being typed are suggestions, not matches.
        for (query, entity) in [
            ("Украина", "ukraine"), ("Светлана Тихановская", "tsikhanouskaya"), ("Владимир Зеленский", "zelensky"),
            ("Лукаш", "lukashenko"), ("Сергій Куюн", "kuyun"), ("Группа Вагнера", "wagner-group"),
        ] as [(String, EntityID)] {
            guard case .notFound(let suggestions) = index.lookup(query) else {
                Issue.record("\(query) should not match by itself")
                continue
            }
            #expect(suggestions.first?.entity == entity, "\(query)")
        }
    }

    @Test func wordsAreTransliteratedFoldedAndSpelledAlike() {
        #expect(Suggest.nameWords("PUTIN, Vladimir") == Suggest.nameWords("Vladimir Putin"))
        #expect(Suggest.nameWords("Лукашенко") == Suggest.nameWords("Lukashenko"))
        #expect(Suggest.nameWords("Зеленський") == Suggest.nameWords("Zelenskyy"))
        #expect(Suggest.nameWords("Wagner") == ["vagner"])
        #expect(Suggest.nameWords("President Putin", droppingTitles: true) == ["putin"])
        #expect(Suggest.nameWords("The President", droppingTitles: true) == ["president", "the"])
        // A title is dropped only where titles stand: before the name.
        #expect(Suggest.nameWords("Joe General", droppingTitles: true) == Suggest.nameWords("Joe General"))
        #expect(Suggest.nameWords("") == [])
        #expect(Suggest.nameWords("\u{0}\r\n ,;") == [])
        #expect(Suggest.nameWords("O'Brien's") == Suggest.nameWords("obrien"))
        #expect(Suggest.latin("Chișinău") == "Chișinău")
    }

    @Test func everyWordMatchIsAnEntityOfTheQueriedWords() throws {
        // Property: whatever an entity's words are found by, the found entity holds all those words.
        let graph = try SeedGraph.load()
        for entity in graph.entities.values {
            for text in [entity.name] + entity.aliases {
                let words = Suggest.nameWords(text)
                for word in words {
                    guard case .found(let found) = index.lookup(word) else { continue }
                    let holder = graph.entities[found]!
                    let texts = [holder.id.rawValue, holder.name] + holder.aliases
                    #expect(texts.contains { Suggest.nameWords($0).contains(word) || Suggest.fold($0) == word })
                }
            }
        }
    }
}

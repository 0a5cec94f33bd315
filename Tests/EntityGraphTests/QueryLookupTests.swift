import EntityGraph
import Testing

@Suite struct QueryLookupTests {
    func graph() throws -> Graph {
        var graph = Graph()
        try graph.add(
            Entity(id: "zelensky", name: "Volodymyr Zelensky", kind: .person, aliases: ["Volodya", "Zelenskyy"]))
        try graph.add(
            Entity(
                id: "lukashenko", name: "Alexander Lukashenko", kind: .person,
                aliases: ["Aliaksandr Lukashenka"]))
        try graph.add(Entity(id: "chisinau", name: "Chișinău", kind: .place))
        try graph.add(Entity(id: "border", name: "Belarus–Ukraine  border", kind: .place))
        try graph.add(Entity(id: "georgia", name: "Georgia", kind: .state))
        try graph.add(Entity(id: "georgia-us", name: "Georgia", kind: .place))
        try graph.add(Entity(id: "lukashenko-call", name: "Lukashenko–Zelensky call", kind: .event))
        return graph
    }

    @Test func normalization() {
        #expect(LookupIndex.normalize("  Chișinău ") == "chisinau")
        #expect(LookupIndex.normalize("Chişinău") == "chisinau")
        #expect(LookupIndex.normalize("Belarus–Ukraine \t border") == "belarus ukraine border")
        #expect(LookupIndex.normalize("STRASSE") == LookupIndex.normalize("Straße"))
        #expect(LookupIndex.normalize("Russia’s") == "russia's")
        // Letters with a stroke or a ligature have no decomposition; they fold to their base letters.
        #expect(LookupIndex.normalize("Łukaszenka") == "lukaszenka")
        #expect(LookupIndex.normalize("Øresund Đakovo Æsir Œuvre Þór") == "oresund dakovo aesir oeuvre thor")
        #expect(LookupIndex.normalize("ﬁnance") == "finance")
        #expect(LookupIndex.normalize("ΟΔΥΣΣΕΑΣ") == LookupIndex.normalize("Οδυσσέας"))
    }

    @Test func findsByIdNameAndAlias() throws {
        let index = LookupIndex(try graph())
        #expect(index.lookup("volodya") == .found("zelensky"))
        #expect(index.lookup("chisinau") == .found("chisinau"))
        #expect(index.lookup("CHIȘINĂU") == .found("chisinau"))
        #expect(index.lookup("LUKASHENKO") == .found("lukashenko"))
        #expect(index.lookup("aliaksandr  lukashenka") == .found("lukashenko"))
        #expect(index.lookup("belarus-ukraine border") == .found("border"))
        #expect(index.lookup("GEORGIA") == .found("georgia"))  // the id wins over the other's name
        #expect(try graph().lookup("Zelenskyy").entity == "zelensky")
    }

    @Test func ambiguityListsCandidatesInOrder() throws {
        var graph = Graph()
        try graph.add(Entity(id: "g1", name: "Georgia", kind: .state))
        try graph.add(Entity(id: "g2", name: "Georgia", kind: .place))
        guard case .ambiguous(let candidates) = graph.lookup("georgia") else {
            Issue.record("expected ambiguity")
            return
        }
        #expect(candidates.map(\.entity) == ["g1", "g2"])
        #expect(candidates.allSatisfy { $0.match == .exact && $0.matchedText == "Georgia" })
    }

    @Test func suggestionsRankPrefixThenSubstringThenDistance() throws {
        let index = LookupIndex(try graph())
        guard case .notFound(let suggestions) = index.lookup("lukashenk") else {
            Issue.record("expected no exact match")
            return
        }
        #expect(suggestions.first?.entity == "lukashenko")
        #expect(suggestions.first?.match == .prefix)
        #expect(suggestions.map(\.entity).contains("lukashenko-call"))

        guard case .notFound(let typo) = index.lookup("zelesnky") else {
            Issue.record("expected a miss")
            return
        }
        #expect(typo.first?.entity == "zelensky")
        #expect(typo.first?.match == .similar(distance: 1))

        guard case .notFound(let inner) = index.lookup("kraine") else {
            Issue.record("expected a miss")
            return
        }
        #expect(
            inner.first
                == LookupCandidate(
                    entity: "border", name: "Belarus–Ukraine  border",
                    matchedText: "Belarus–Ukraine  border", match: .substring))
        #expect(index.lookup("qqqqqqqq") == .notFound(suggestions: []))
        #expect(index.lookup("   ") == .notFound(suggestions: []))
        #expect(LookupCandidate.Match.prefix < .substring && LookupCandidate.Match.substring < .similar(distance: 0))
    }

    @Test("lookups of odd text (NULs, CR LF, broken UTF-8, combining marks) never crash")
    func oddTextNeverCrashes() throws {
        var generator = SplitMix64(seed: 7)
        let alphabet: [UInt8] = Array("ab,\"\r\n |\\".utf8) + [0x00, 0xC3, 0xA9, 0xFF, 0xE2, 0x80, 0xCC, 0x81]
        func text(_ length: Int) -> String {
            String(decoding: (0..<length).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
        }
        for round in 0..<200 {
            var graph = Graph()
            for index in 0..<4 {
                try graph.add(
                    Entity(id: EntityID("e\(round)-\(index)"), name: text(12), kind: .person, aliases: [text(6)]))
            }
            let index = LookupIndex(graph)
            for _ in 0..<5 {
                let query = text(Int.random(in: 1..<10, using: &generator))
                if case .notFound(let suggestions) = index.lookup(query) {
                    #expect(suggestions.count <= 5)
                }
            }
        }
    }
}

import EntityGraph
import Testing

/// `Graph.resolveRelationType(_:)` and `Graph.resolveKind(_:)`: what `--type` and `--kind` accept.
@Suite struct QueryVocabularyTests {
    func graph() throws -> Graph {
        var graph = Graph()
        try graph.declare(RelationType(id: "suppressed", label: "crushed", category: .political))
        try graph.declare(RelationType(id: "ally", label: "Allied With", symmetric: true, category: .political))
        try graph.declare(Kind(id: "militaryUnit", label: "Military unit"))
        try graph.declare(Kind(id: "Person", label: "Person (legacy)"))
        return graph
    }

    @Test("an id exactly, else an id or label folded: case, diacritics, dashes and spacing ignored")
    func resolvesIDsAndLabels() throws {
        let graph = try graph()
        #expect(try graph.resolveRelationType("memberOf") == "memberOf")
        #expect(try graph.resolveRelationType("member of") == "memberOf")
        #expect(try graph.resolveRelationType("MEMBEROF") == "memberOf")
        #expect(try graph.resolveRelationType("  Member-Of ") == "memberOf")
        #expect(try graph.resolveRelationType("Crushed") == "suppressed")
        #expect(try graph.resolveRelationType("SUPPRESSED") == "suppressed")
        #expect(try graph.resolveKind("military_unit") == "militaryUnit")
        #expect(try graph.resolveKind("MILITARYUNIT") == "militaryUnit")
        #expect(try graph.resolveKind("Organization") == .organization)
        // An exact id wins over the built-in `person`, which folds the same.
        #expect(try graph.resolveKind("Person") == "Person")
        #expect(try graph.resolveKind("person") == .person)
    }

    @Test("every built-in id and label resolves to its own entry")
    func builtInsResolveToThemselves() throws {
        let graph = Graph()
        for type in RelationType.builtIn {
            #expect(try graph.resolveRelationType(type.label.uppercased()) == type.id)
            #expect(try graph.resolveRelationType(type.id.rawValue.lowercased()) == type.id)
        }
        for kind in Kind.builtIn {
            #expect(try graph.resolveKind(kind.label.uppercased()) == kind.id)
        }
    }

    @Test("a text that folds like two entries is ambiguous and lists both, built-in first")
    func ambiguousLabels() throws {
        let graph = try graph()
        #expect(
            throws: VocabularyError.ambiguous(
                .relationTypes, "allied with",
                candidates: [
                    VocabularyEntry(id: "alliedWith", label: "allied with"),
                    VocabularyEntry(id: "ally", label: "Allied With"),
                ])
        ) { try graph.resolveRelationType("allied with") }
        #expect(
            throws: VocabularyError.ambiguous(
                .kinds, "PERSON",
                candidates: [
                    VocabularyEntry(id: "person", label: "Person"),
                    VocabularyEntry(id: "Person", label: "Person (legacy)"),
                ])
        ) { try graph.resolveKind("PERSON") }
        #expect(try graph.resolveRelationType("ally") == "ally")
        let error = VocabularyError.ambiguous(.relationTypes, "allied with", candidates: [])
        #expect(error.description == "'allied with' could mean 0 relation types")
    }

    @Test("an unknown text suggests the closest entries by id or label, each once")
    func unknownTextsGetSuggestions() throws {
        let graph = try graph()
        do {
            _ = try graph.resolveRelationType("crushd")
            Issue.record("expected an error")
        } catch {
            guard case .unknown(let vocabulary, let text, let suggestions, let known) = error else {
                Issue.record("expected unknown, got \(error)")
                return
            }
            #expect(vocabulary == .relationTypes)
            #expect(text == "crushd")
            #expect(suggestions.first == VocabularyEntry(id: "suppressed", label: "crushed"))
            #expect(known.count == RelationType.builtIn.count + 2)
            #expect(known.first?.id == RelationType.builtIn.first?.id.rawValue)
            #expect(error.description == "unknown relation type 'crushd'")
        }
        do {
            _ = try graph.resolveKind("leads")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "unknown kind 'leads'")
            if case .unknown(_, _, let suggestions, _) = error { #expect(suggestions.isEmpty) }
        }
        #expect(throws: VocabularyError.self) { try graph.resolveKind("") }
        #expect(throws: VocabularyError.self) { try graph.resolveKind("   ") }
        // Each entry is suggested once, though its id and label are both close.
        do {
            _ = try Graph().resolveRelationType("lead")
        } catch {
            if case .unknown(_, _, let suggestions, _) = error {
                #expect(suggestions.map(\.id).first == "leads")
                #expect(Set(suggestions.map(\.id)).count == suggestions.count)
            }
        }
    }
}

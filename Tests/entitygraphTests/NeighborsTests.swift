import Foundation
import Testing

/// `entitygraph neighbors`.
@Suite struct NeighborsTests {
    @Test func tableMatchesSnapshot() throws {
        let result = try CLI.run(["neighbors", seedGraph, "Lukashenko"])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        try assertSnapshot(result.output, named: "neighbors-lukashenko.txt")
    }

    @Test func depthTwoTableMatchesSnapshot() throws {
        let result = try CLI.run(["neighbors", seedGraph, "mozyr-refinery", "--depth", "2", "--direction", "in"])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        try assertSnapshot(result.output, named: "neighbors-mozyr-refinery-depth2-in.txt")
        #expect(result.output.contains("Alexander Lukashenko"))
    }

    @Test(arguments: ["lukashenko", "LUKASHENKO", "Alexander Lukashenko", "alexander lukashenko"])
    func entityByIdOrNameInAnyCase(query: String) throws {
        let result = try CLI.run(["neighbors", seedGraph, query, "--json"])
        #expect(result.status == 0)
        let first = try #require((try parseJSON(result.standardOutput) as? [[String: Any]])?.first)
        #expect(first["id"] as? String == "belarus")
    }

    @Test func entityByAliasAndWithoutDiacritics() throws {
        let alias = try CLI.run(["neighbors", seedGraph, "volodya"])
        #expect(alias.status == 0)
        #expect(alias.output.hasPrefix("Volodymyr Zelensky (zelensky):"))

        let plain = try CLI.run(["neighbors", seedGraph, "chisinau"])
        #expect(plain.status == 0, "\(plain.standardError)")
    }

    @Test func unknownEntityPrintsRankedSuggestions() throws {
        let result = try CLI.run(["neighbors", seedGraph, "lukashenk"])
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        let lines = result.standardError.split(separator: "\n").map(String.init)
        #expect(lines.first == "error: no entity called 'lukashenk' in \(seedGraph)")
        #expect(lines.dropFirst().first == "  did you mean Alexander Lukashenko (lukashenko)?")
    }

    @Test func ambiguousEntityListsTheCandidates() throws {
        try withTemporaryFolder { folder in
            let document = """
                {
                  "formatVersion": 1,
                  "entities": [
                    { "id": "john-smith-1", "name": "John Smith", "kind": "person" },
                    { "id": "john-smith-2", "name": "John Smith", "kind": "person", "aliases": ["Johnny"] }
                  ],
                  "relations": []
                }
                """
            try Data(document.utf8).write(to: folder.appendingPathComponent("smiths.json"))
            let ambiguous = try CLI.run(["neighbors", "smiths.json", "JOHN SMITH"], in: folder)
            #expect(ambiguous.status == 1)
            #expect(
                ambiguous.standardError == """
                    error: 'JOHN SMITH' could mean 2 entities in smiths.json
                      John Smith (john-smith-1), person
                      John Smith (john-smith-2), person
                      use the id to pick one

                    """)
            let byAlias = try CLI.run(["neighbors", "smiths.json", "johnny"], in: folder)
            #expect(byAlias.status == 0)
            #expect(byAlias.output == "John Smith (john-smith-2) has no neighbours\n")
        }
    }

    @Test func jsonHasTheDocumentedFields() throws {
        let result = try CLI.run(["neighbors", seedGraph, "lukashenko", "--json"])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        let neighbours = try #require(try parseJSON(result.standardOutput) as? [[String: Any]])
        #expect(neighbours.count == 14)
        for neighbour in neighbours {
            #expect(Set(neighbour.keys) == ["id", "name", "kind", "hops", "relations"])
            #expect(neighbour["hops"] as? Int == 1)
            let relations = try #require(neighbour["relations"] as? [[String: Any]])
            #expect(!relations.isEmpty)
            for relation in relations {
                #expect(
                    Set(relation.keys) == [
                        "id", "type", "label", "direction", "since", "until", "certainty", "assertedBy",
                    ])
                #expect(["out", "in"].contains(relation["direction"] as? String))
            }
        }
        let mozyr = try #require(neighbours.first { $0["id"] as? String == "mozyr-refinery" })
        #expect(mozyr["name"] as? String == "Mozyr oil refinery")
        #expect(mozyr["kind"] as? String == "facility")
        let strike = try #require((mozyr["relations"] as? [[String: Any]])?.first)
        #expect(strike["type"] as? String == "suggestedStrikeOn")
        #expect(strike["direction"] as? String == "out")
        #expect(strike["certainty"] as? String == "claimed")
        #expect(strike["assertedBy"] as? String == "zelensky")
        #expect(strike["since"] as? String == "2022-02")
        #expect(strike["until"] as? String == "2022-03")
    }

    @Test func filtersNarrowTheResult() throws {
        let result = try CLI.run([
            "neighbors", seedGraph, "lukashenko", "--direction", "out", "--type", "leads", "--json",
        ])
        #expect(result.status == 0)
        let ids = try #require(try parseJSON(result.standardOutput) as? [[String: Any]]).compactMap {
            $0["id"] as? String
        }
        #expect(ids == ["belarus", "belarusian-armed-forces"])

        let confirmed = try CLI.run(["neighbors", seedGraph, "lukashenko", "--only-confirmed", "--json"])
        let relations = try #require(try parseJSON(confirmed.standardOutput) as? [[String: Any]])
            .flatMap { ($0["relations"] as? [[String: Any]]) ?? [] }
        #expect(!relations.isEmpty)
        #expect(relations.allSatisfy { $0["certainty"] as? String == "confirmed" })
    }

    @Test func unknownTypeIsAnErrorWithASuggestion() throws {
        let result = try CLI.run(["neighbors", seedGraph, "lukashenko", "--type", "lead"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("error: unknown relation type 'lead'\n  did you mean 'leads'?"))
    }

    @Test(
        "--type and --kind take an id or a label in any case, as the CSV reader does",
        arguments: [
            (["--type", "leads"], ["--type", "LEADS"]),
            (["--type", "suppressed"], ["--type", "Crushed"]),
            (["--type", "alliedWith"], ["--type", "Allied With"]),
            (["--type", "leads,alliedWith"], ["--type", "leads, allied-with"]),
            (["--kind", "person"], ["--kind", "Person"]),
            (["--kind", "organization"], ["--kind", "ORGANIZATION"]),
        ])
    func filtersTakeLabelsInAnyCase(byID: [String], byLabel: [String]) throws {
        let expected = try CLI.run(["neighbors", seedGraph, "lukashenko", "--json"] + byID)
        let result = try CLI.run(["neighbors", seedGraph, "lukashenko", "--json"] + byLabel)
        #expect(expected.status == 0)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        #expect(result.standardOutput == expected.standardOutput)
        #expect(try #require(try parseJSON(result.standardOutput) as? [[String: Any]]).isEmpty == false)
    }

    @Test("a label two types share is an error listing them; an unknown label suggests the id")
    func ambiguousAndUnknownLabels() throws {
        try withTemporaryFolder { folder in
            let file = folder.appendingPathComponent("g.json")
            try Data(
                #"""
                {"formatVersion": 1,
                 "relationTypes": [{"id": "ally", "label": "Allied With", "symmetric": true}],
                 "entities": [{"id": "a", "name": "A", "kind": "person"}, {"id": "b", "name": "B", "kind": "person"}],
                 "relations": [{"id": "r1", "type": "ally", "source": "a", "target": "b"}]}
                """#.utf8
            ).write(to: file)
            let ambiguous = try CLI.run(["neighbors", file.path, "a", "--type", "allied with"])
            #expect(ambiguous.status == 1)
            #expect(
                ambiguous.standardError == """
                    error: 'allied with' could mean 2 relation types
                      alliedWith (allied with)
                      ally (Allied With)
                      use the id to pick one

                    """)
            let byID = try CLI.run(["neighbors", file.path, "a", "--type", "ally", "--json"])
            #expect(byID.status == 0)

            let unknown = try CLI.run(["neighbors", seedGraph, "lukashenko", "--type", "crushd"])
            #expect(unknown.status == 1)
            #expect(
                unknown.standardError.hasPrefix(
                    "error: unknown relation type 'crushd'\n  did you mean 'suppressed' (crushed)?\n"))
            let kind = try CLI.run(["neighbors", seedGraph, "lukashenko", "--kind", "Persn"])
            #expect(kind.status == 1)
            #expect(kind.standardError.hasPrefix("error: unknown kind 'Persn'\n  did you mean 'person'?\n"))
        }
    }

    @Test func renderWritesTheNeighbourhood() throws {
        try withTemporaryFolder { folder in
            let out = folder.appendingPathComponent("around.svg")
            let result = try CLI.run(["neighbors", seedGraph, "sbu", "--render", out.path])
            #expect(result.status == 0)
            #expect(result.standardError.isEmpty)
            let ids = try svgElementIDs(try Data(contentsOf: out))
            #expect(ids.contains("entity-sbu"))
            #expect(ids.contains("entity-ukraine"))
            #expect(!ids.contains("entity-mozyr-refinery"))
        }
    }
}

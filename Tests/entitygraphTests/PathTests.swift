import Foundation
import Testing

/// `entitygraph path`.
@Suite struct PathTests {
    @Test func putinToMozyrRefinery() throws {
        let result = try CLI.run(["path", seedGraph, "Putin", "Mozyr refinery", "--ignore-direction"])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        // One of the 2-hop paths, e.g.
        // Vladimir Putin —[allied with]— Alexander Lukashenko —[suggested a strike on]→ Mozyr oil refinery.
        #expect(result.output.hasPrefix("Vladimir Putin —["))
        #expect(result.output.hasSuffix(" Mozyr oil refinery\n"))
        #expect(result.output.components(separatedBy: "[").count == 3)

        let all = try CLI.run(["path", seedGraph, "Putin", "Mozyr refinery", "--ignore-direction", "--all"])
        #expect(all.status == 0)
        #expect(all.output.hasPrefix("4 shortest paths of 2 hops from Vladimir Putin to Mozyr oil refinery\n"))
        let viaLukashenko = "Vladimir Putin —[allied with]— Alexander Lukashenko —[suggested a strike on]→ "
        #expect(all.output.contains(viaLukashenko + "Mozyr oil refinery\n"))
    }

    @Test func noDirectedPathExits1WithAHint() throws {
        let result = try CLI.run(["path", seedGraph, "Putin", "sbu"])
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(
            result.standardError == """
                error: no path from Vladimir Putin (putin) to Security Service of Ukraine (sbu) \
                following the relations' direction
                  ignoring direction they are 2 hops apart: add --ignore-direction

                """)
    }

    /// "Lukashenko allied with Putin" is stored lukashenko → putin, but reads the same both ways, so a
    /// directed path may start with it.
    @Test func directedPathsCrossSymmetricRelationsEitherWay() throws {
        let result = try CLI.run(["path", seedGraph, "Putin", "Mozyr refinery", "--all"])
        #expect(result.status == 0)
        #expect(
            result.output == """
                1 shortest path of 2 hops from Vladimir Putin to Mozyr oil refinery
                1. Vladimir Putin —[allied with]— Alexander Lukashenko —[suggested a strike on]→ Mozyr oil refinery

                """)
        let json = try CLI.run(["path", seedGraph, "Putin", "Mozyr refinery", "--json"])
        let object = try #require(try parseJSON(json.standardOutput) as? [String: Any])
        let steps = try #require((object["paths"] as? [[[String: Any]]])?.first)
        #expect(steps.first?["relation"] as? String == "lukashenko-ties-with-putin")
        #expect(steps.first?["direction"] as? String == "backward")
    }

    @Test func stepsAgainstTheRelationReadBackwards() throws {
        let result = try CLI.run(["path", seedGraph, "putin", "sbu", "--ignore-direction"])
        #expect(result.status == 0)
        #expect(result.output.contains("←["))
    }

    @Test func allListsEveryShortestPath() throws {
        let result = try CLI.run(["path", seedGraph, "putin", "sbu", "--ignore-direction", "--all", "--json"])
        #expect(result.status == 0)
        let object = try #require(try parseJSON(result.standardOutput) as? [String: Any])
        #expect(object["from"] as? String == "putin")
        #expect(object["to"] as? String == "sbu")
        let length = try #require(object["length"] as? Int)
        let paths = try #require(object["paths"] as? [[[String: Any]]])
        #expect(!paths.isEmpty)
        for path in paths {
            #expect(path.count == length)
            #expect(path.first?["from"] as? String == "putin")
            #expect(path.last?["to"] as? String == "sbu")
            for step in path {
                #expect(Set(step.keys) == ["from", "to", "relation", "type", "label", "direction"])
            }
        }
    }

    @Test func renderDrawsThePathWithItsAsserter() throws {
        try withTemporaryFolder { folder in
            let out = folder.appendingPathComponent("path.svg")
            let result = try CLI.run(["path", seedGraph, "lukashenko", "mozyr-refinery", "--render", out.path])
            #expect(result.status == 0)
            #expect(result.standardError.isEmpty)
            #expect(result.output == "Alexander Lukashenko —[suggested a strike on]→ Mozyr oil refinery\n")
            let ids = try svgElementIDs(try Data(contentsOf: out))
            #expect(ids.contains("relation-lukashenko-suggested-strike-on-mozyr"))
            // The relation is Zelensky's claim: a graph keeps a claimed relation only with its asserter.
            #expect(ids.contains("entity-zelensky"))
            #expect(!ids.contains("entity-putin"))
        }
    }
}

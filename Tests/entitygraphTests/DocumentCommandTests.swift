import Foundation
import Testing

/// `entitygraph validate`, `info`, `convert` and `engines`.
@Suite struct DocumentCommandTests {
    static let broken = """
        {
          "formatVersion": 1,
          "entities": [
            { "id": "a", "name": "Alice", "kind": "person" },
            { "id": "b", "name": "Bob", "kind": "persn" }
          ],
          "relations": [
            { "id": "r1", "type": "leads", "source": "a", "target": "lukashenk" }
          ]
        }

        """

    @Test func validateListsEveryProblemAsFileLineColumn() throws {
        try withTemporaryFolder { folder in
            try Data(DocumentCommandTests.broken.utf8).write(to: folder.appendingPathComponent("broken.json"))
            let result = try CLI.run(["validate", "broken.json"], in: folder)
            #expect(result.status == 1)
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("broken.json:5:"))
            #expect(lines[0].contains(": error: "))
            #expect(lines[0].contains("persn"))
            #expect(lines[1].hasPrefix("broken.json:8:"))
            #expect(lines[1].contains("lukashenk"))
            #expect(lines[2] == "broken.json: 2 errors")
            for line in lines.dropLast() {
                #expect(line.wholeMatch(of: /broken\.json:\d+:\d+: error: .+/) != nil)
            }
        }
    }

    @Test func validateWithWarningsOnlyExits0() throws {
        let result = try CLI.run(["validate", seedGraph])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        let lines = result.output.split(separator: "\n")
        #expect(lines.dropLast().allSatisfy { $0.contains(": warning: ") })
        #expect(lines.last?.hasPrefix("\(seedGraph): ") == true)
    }

    @Test func otherCommandsRefuseAnInvalidDocument() throws {
        try withTemporaryFolder { folder in
            try Data(DocumentCommandTests.broken.utf8).write(to: folder.appendingPathComponent("broken.json"))
            let result = try CLI.run(["info", "broken.json"], in: folder)
            #expect(result.status == 1)
            #expect(result.output.isEmpty)
            let lines = result.standardError.split(separator: "\n")
            #expect(lines.first == "error: broken.json is not a valid EntityGraph document (2 errors)")
            #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  broken.json:") })
        }
    }

    @Test func infoSummarizesTheGraph() throws {
        let result = try CLI.run(["info", seedGraph])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        #expect(result.output.hasPrefix("Zelensky, Lukashenko and the Mozyr refinery\n49 entities, 99 relations"))
        for heading in ["Entities by kind", "Relations by type", "Most connected", "Components: ", "Dates: "] {
            #expect(result.output.contains(heading))
        }

        let json = try CLI.run(["info", seedGraph, "--json"])
        let object = try #require(try parseJSON(json.standardOutput) as? [String: Any])
        #expect(object["entities"] as? Int == 49)
        #expect(object["relations"] as? Int == 99)
        let top = try #require((object["mostConnected"] as? [[String: Any]])?.first)
        #expect(top["id"] as? String == "lukashenko")
    }

    @Test func convertJSONToJSONIsDeterministic() throws {
        try withTemporaryFolder { folder in
            let first = folder.appendingPathComponent("first.json")
            let second = folder.appendingPathComponent("second.json")
            let one = try CLI.run(["convert", seedGraph, first.path])
            #expect(one.status == 0)
            #expect(one.standardError.isEmpty)
            let two = try CLI.run(["convert", first.path, second.path])
            #expect(two.status == 0)
            #expect(try Data(contentsOf: first) == Data(contentsOf: second))
            let validation = try CLI.run(["validate", second.path])
            #expect(validation.status == 0)
        }
    }

    @Test func convertToDOTWarnsAboutWhatItDrops() throws {
        try withTemporaryFolder { folder in
            let out = folder.appendingPathComponent("map.gv")
            let result = try CLI.run(["convert", seedGraph, out.path])
            #expect(result.status == 0)
            #expect(result.output.isEmpty)
            #expect(result.standardError.hasPrefix("warning: DOT cannot hold everything"))
            #expect(result.standardError.contains("source documents"))
            let dot = try String(contentsOf: out, encoding: .utf8)
            #expect(dot.hasPrefix("digraph"))
            #expect(dot.contains("lukashenko"))
            #expect(!dot.contains("pos="))
        }
    }

    @Test func convertRefusesAnUnknownOutputExtension() throws {
        let result = try CLI.run(["convert", seedGraph, "out.xlsx"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("error: cannot tell which format to write out.xlsx in"))
    }

    @Test func enginesListsWhatGraphvizHas() throws {
        let text = try CLI.run(["engines"])
        #expect(text.status == 0)
        #expect(text.standardError.isEmpty)
        #expect(text.output.hasPrefix("Graphviz "))
        #expect(text.output.contains("engines: "))
        #expect(text.output.contains(" dot "))

        let json = try CLI.run(["engines", "--json"])
        let object = try #require(try parseJSON(json.standardOutput) as? [String: Any])
        #expect((object["engines"] as? [String])?.contains("dot") == true)
        #expect((object["formats"] as? [String])?.contains("svg") == true)
        #expect(object["version"] is String)
    }
}

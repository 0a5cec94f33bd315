import Foundation
import Testing

/// `entitygraph convert` to and from the exchange formats, and CSV folders as FILE inputs.
@Suite struct InteropCommandTests {
    @Test(arguments: [
        ("map.graphml", "<graphml"), ("map.gexf", "<gexf"), ("map.cypher", "// EntityGraph export"),
        ("map.cql", "// EntityGraph export"), ("map.mmd", "---\ntitle:"), ("map.mermaid", "---\ntitle:"),
    ])
    func convertWritesEachFormatByExtension(name: String, start: String) throws {
        try withTemporaryFolder { folder in
            let out = folder.appendingPathComponent(name)
            let result = try CLI.run(["convert", seedGraph, out.path])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.output.isEmpty)
            let lines = result.standardError.split(separator: "\n")
            #expect(!lines.isEmpty)
            #expect(lines.allSatisfy { $0.hasPrefix("warning: ") })
            let text = try String(contentsOf: out, encoding: .utf8)
            #expect(text.contains(start))
            #expect(text.contains("lukashenko"))
        }
    }

    @Test func convertToDOTReadsBackToTheSameEntitiesAndRelations() throws {
        try withTemporaryFolder { folder in
            let dot = folder.appendingPathComponent("seed.dot").path
            let write = try CLI.run(["convert", seedGraph, dot])
            #expect(write.status == 0, "\(write.standardError)")
            #expect(write.standardError.contains("leaves out:"))
            #expect(write.standardError.contains("247 citations"))
            let info = try CLI.run(["info", dot, "--json"])
            #expect(info.status == 0, "\(info.standardError)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(info.output.utf8)) as? [String: Any])
            #expect(object["entities"] as? Int == 49, "\(info.output)")
            #expect(object["relations"] as? Int == 99, "\(info.output)")
            let neighbors = try CLI.run(["neighbors", dot, "Lukashenko", "--json"])
            #expect(neighbors.status == 0, "\(neighbors.standardError)")
            #expect(neighbors.output.contains("\"zelensky\""))
        }
    }

    @Test func convertWritesCSVSheetsToAFolderAndReadsThemBack() throws {
        try withTemporaryFolder { folder in
            let sheets = folder.appendingPathComponent("sheets").path + "/"
            let write = try CLI.run(["convert", seedGraph, sheets])
            #expect(write.status == 0)
            #expect(
                write.standardError.contains("warning: CSV drops 4 source documents (no entity or relation cites them)")
            )
            #expect(!write.standardError.contains("citation"))
            let nodes = try String(contentsOfFile: sheets + "nodes.csv", encoding: .utf8)
            #expect(nodes.hasPrefix("id,name,kind,aliases,description,"))
            #expect(FileManager.default.fileExists(atPath: sheets + "edges.csv"))

            // Folder → document → validate; folder → folder is byte-stable.
            let json = folder.appendingPathComponent("back.json").path
            let toJSON = try CLI.run(["convert", sheets, json])
            #expect(toJSON.status == 0, "\(toJSON.standardError)")
            #expect(toJSON.standardError.isEmpty)
            #expect(try CLI.run(["validate", json]).status == 0)
            let again = folder.appendingPathComponent("again").path
            try FileManager.default.createDirectory(atPath: again, withIntermediateDirectories: true)
            let copy = try CLI.run(["convert", sheets, again])
            #expect(copy.status == 0)
            let second = folder.appendingPathComponent("second").path + "/"
            #expect(try CLI.run(["convert", again, second]).status == 0)
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: again + "/nodes.csv"))
                    == Data(contentsOf: URL(fileURLWithPath: second + "nodes.csv")))
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: again + "/edges.csv"))
                    == Data(contentsOf: URL(fileURLWithPath: second + "edges.csv")))

            // The nodes.csv path works as an input and as an output.
            let info = try CLI.run(["info", sheets + "nodes.csv", "--json"])
            #expect(info.status == 0)
            let object = try #require(try parseJSON(info.standardOutput) as? [String: Any])
            #expect(object["entities"] as? Int == 49)
            #expect(object["relations"] as? Int == 99)
            let byName = folder.appendingPathComponent("named/nodes.csv").path
            #expect(try CLI.run(["convert", seedGraph, byName]).status == 0)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("named/edges.csv").path))
        }
    }

    @Test func convertWritesNeo4jAdminCSVWithTheFormatOption() throws {
        try withTemporaryFolder { folder in
            let out = folder.appendingPathComponent("neo4j").path
            let result = try CLI.run(["convert", seedGraph, out, "--format", "neo4j-csv"])
            #expect(result.status == 0, "\(result.standardError)")
            let nodes = try String(contentsOfFile: out + "/nodes.csv", encoding: .utf8)
            #expect(nodes.hasPrefix("id:ID,name,kind,:LABEL,aliases:string[],description,sources"))
            let relationships = try String(contentsOfFile: out + "/relationships.csv", encoding: .utf8)
            #expect(relationships.hasPrefix(":START_ID,:END_ID,:TYPE,id,type,"))

            let graphml = folder.appendingPathComponent("forced.txt").path
            #expect(try CLI.run(["convert", seedGraph, graphml, "--format", "graphml"]).status == 0)
            #expect(try String(contentsOfFile: graphml, encoding: .utf8).contains("<graphml"))
        }
    }

    /// FtM files by their two-part extensions, both ways, and by `--input-format ftm` under any name.
    static let zala = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/ftm/zala.ftm.json").path

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: zala),
            "no corpus at ../shared/corpus/ftm (a clone without shared/)"))
    func followTheMoneyFilesAreReadAndWrittenByEveryCommand() throws {
        let zala = Self.zala
        try withTemporaryFolder { folder in
            let document = folder.appendingPathComponent("zala.json").path
            let toDocument = try CLI.run(["convert", zala, document])
            #expect(toDocument.status == 0, "\(toDocument.standardError)")
            let back = folder.appendingPathComponent("zala.ftm.jsonl").path
            #expect(try CLI.run(["convert", document, back]).status == 0)
            let original = try String(contentsOfFile: zala, encoding: .utf8).split(separator: "\n")
            #expect(try String(contentsOfFile: back, encoding: .utf8).split(separator: "\n").count == original.count)
            let info = try CLI.run(["info", back])
            #expect(info.status == 0, "\(info.standardError)")
            #expect(info.output.contains("sanction"))
            let plain = folder.appendingPathComponent("entities.json").path
            try FileManager.default.copyItem(atPath: zala, toPath: plain)
            #expect(try CLI.run(["validate", plain]).status == 1)
            #expect(try CLI.run(["validate", plain, "--input-format", "ftm"]).status == 0)
            let unknown = try CLI.run(["info", plain, "--input-format", "xlsx"])
            #expect(unknown.status == 1)
            #expect(unknown.standardError.hasPrefix("error: cannot read --input-format 'xlsx'"))
        }
    }

    @Test func convertRefusesUnknownFormatsAndLoneCSVFiles() throws {
        let unknown = try CLI.run(["convert", seedGraph, "out.txt", "--format", "xlsx"])
        #expect(unknown.status == 1)
        #expect(unknown.standardError.hasPrefix("error: unknown format 'xlsx'"))

        let lone = try CLI.run(["convert", seedGraph, "table.csv"])
        #expect(lone.status == 1)
        #expect(lone.standardError.hasPrefix("error: cannot write CSV sheets to table.csv"))
    }

    @Test func invalidCSVSheetsAreReportedWithFileLineColumn() throws {
        try withTemporaryFolder { folder in
            let sheets = folder.appendingPathComponent("bad")
            try FileManager.default.createDirectory(at: sheets, withIntermediateDirectories: true)
            try Data("id,name\nlukashenko,\"Alexander\nzelensky,Volodymyr,extra\n".utf8)
                .write(to: sheets.appendingPathComponent("nodes.csv"))
            try Data("source,target,since\nlukashenk,zelensky,2022-13\n".utf8).write(
                to: sheets.appendingPathComponent("edges.csv"))

            let validate = try CLI.run(["validate", "bad"], in: folder)
            #expect(validate.status == 1)
            let lines = validate.output.split(separator: "\n").map(String.init)
            #expect(
                lines.first
                    == "bad/nodes.csv:2:12: error: this quoted field is never closed (the file ends inside it) — close it with \", and double every quote inside it (\"\")"
            )
            #expect(lines.contains { $0.hasPrefix("bad/edges.csv:2:20: error: since: '2022-13' is not a date") })
            #expect(lines.last == "bad: 2 errors")

            let info = try CLI.run(["info", "bad/nodes.csv"], in: folder)
            #expect(info.status == 1)
            #expect(
                info.standardError.hasPrefix(
                    "error: bad/nodes.csv is not a valid pair of CSV sheets (2 errors)\n  bad/nodes.csv:2:12: error:"))

            let lonely = try CLI.run(["info", "bad/other.csv"], in: folder)
            #expect(lonely.status == 1)
        }
    }

    @Test("a semicolon sheet naming endpoints by name converts, and says how it read them")
    func semicolonSheetsWithEndpointsByName() throws {
        try withTemporaryFolder { folder in
            let sheets = folder.appendingPathComponent("sheets")
            try FileManager.default.createDirectory(at: sheets, withIntermediateDirectories: true)
            try Data("\u{FEFF}id;name;kind\r\nbraun;Markus Braun;person\r\nwirecard;Wirecard AG;organization\r\n".utf8)
                .write(to: sheets.appendingPathComponent("nodes.csv"))
            try Data("source;target;type\r\nmarkus braun;WIRECARD AG;leads\r\n".utf8)
                .write(to: sheets.appendingPathComponent("edges.csv"))
            let out = folder.appendingPathComponent("out.json").path
            let result = try CLI.run(["convert", sheets.path, out])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardError.contains("warning: entities named by name or alias rather than id"))
            let validate = try CLI.run(["validate", out])
            #expect(validate.status == 0, "\(validate.output)\(validate.standardError)")
            let info = try CLI.run(["info", out, "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(info.output.utf8)) as? [String: Any])
            #expect(object["relations"] as? Int == 1)
        }
    }

    @Test func dotFilesAreReadThroughDOTImport() throws {
        try withTemporaryFolder { folder in
            let dot = folder.appendingPathComponent("map.gv").path
            #expect(try CLI.run(["convert", seedGraph, dot]).status == 0)
            let back = folder.appendingPathComponent("back.json").path
            let result = try CLI.run(["convert", dot, back])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(try CLI.run(["validate", back]).status == 0)

            try Data("digraph { a -> ; }\n".utf8).write(to: folder.appendingPathComponent("bad.gv"))
            let bad = try CLI.run(["info", "bad.gv"], in: folder)
            #expect(bad.status == 1)
            #expect(bad.standardError.hasPrefix("error: bad.gv cannot be read as DOT\n"))
        }
    }
}

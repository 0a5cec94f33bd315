import Foundation
import Testing

/// `entitygraph render`.
@Suite struct RenderTests {
    @Test func dashWritesSVGToStandardOutput() throws {
        let result = try CLI.run(["render", seedGraph, "-o", "-"])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        #expect(result.output.hasPrefix("<?xml"))
        #expect(result.output.contains("<svg"))
        #expect(result.output.hasSuffix("</svg>\n"))
        let ids = try svgElementIDs(result.standardOutput)
        #expect(ids.contains("entity-lukashenko"))
        #expect(ids.contains("relation-lukashenko-suggested-strike-on-mozyr"))
    }

    @Test func formatComesFromTheOutputExtension() throws {
        try withTemporaryFolder { folder in
            let png = folder.appendingPathComponent("map.png")
            let result = try CLI.run(["render", seedGraph, "-o", png.path, "--cluster-by", "country"])
            #expect(result.status == 0)
            #expect(result.standardError.isEmpty)
            #expect(result.output.isEmpty)
            let bytes = try Data(contentsOf: png)
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test func htmlFormatWritesTheInteractivePage() throws {
        try withTemporaryFolder { folder in
            let result = try CLI.run([
                "render", seedGraph, "--format", "html", "-o", folder.appendingPathComponent("map").path,
            ])
            #expect(result.status == 0)
            #expect(result.standardError.isEmpty)
            let page = String(decoding: try Data(contentsOf: folder.appendingPathComponent("map")), as: UTF8.self)
            #expect(page.hasPrefix("<!DOCTYPE html>"))
            #expect(page.contains("id=\"eg-search\""))
            #expect(page.contains("<g id=\"entity&#45;lukashenko\""))
            // Without -o the page is named after the input.
            let named = try CLI.run(
                ["render", repositoryRoot.appendingPathComponent(seedGraph).path, "--format", "html"], in: folder)
            #expect(named.status == 0)
            #expect(
                FileManager.default.fileExists(
                    atPath: folder.appendingPathComponent("zelensky-lukashenko-mozyr.html").path))
        }
    }

    @Test func withoutOutputWritesTheBaseNameInTheCurrentFolder() throws {
        try withTemporaryFolder { folder in
            let result = try CLI.run(["render", repositoryRoot.appendingPathComponent(seedGraph).path], in: folder)
            #expect(result.status == 0)
            #expect(result.standardError.isEmpty)
            let svg = try Data(contentsOf: folder.appendingPathComponent("zelensky-lukashenko-mozyr.svg"))
            #expect(try svgElementIDs(svg).contains("entity-zelensky"))
        }
    }

    @Test func failedRenderExits3AndLeavesTheOutputUntouched() throws {
        try withTemporaryFolder { folder in
            let out = folder.appendingPathComponent("map.svg")
            let before = Data("an existing file, not a map\n".utf8)
            try before.write(to: out)
            let result = try CLI.run(["render", seedGraph, "-o", out.path, "--engine", "nosuch"])
            #expect(result.status == 3)
            #expect(result.output.isEmpty)
            #expect(result.standardError.hasPrefix("error: layout failed (engine nosuch)"))
            #expect(try Data(contentsOf: out) == before)
            // No temporary file left behind either.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["map.svg"])
        }
    }

    @Test func unknownFormatExits3() throws {
        let result = try CLI.run(["render", seedGraph, "-o", "-", "--format", "nosuch"])
        #expect(result.status == 3)
        #expect(result.output.isEmpty)
        #expect(result.standardError.contains("format nosuch"))
    }

    @Test func focusDrawsOnlyTheNeighbourhood() throws {
        let result = try CLI.run(["render", seedGraph, "-o", "-", "--focus", "Mozyr refinery", "--depth", "1"])
        #expect(result.status == 0)
        let ids = try svgElementIDs(result.standardOutput)
        #expect(ids.contains("entity-mozyr-refinery"))
        #expect(ids.contains("entity-lukashenko"))
        #expect(!ids.contains("entity-lex-fridman"))
    }

    @Test func filteredMapsSayWhatTheyShowInTheSubtitle() throws {
        let result = try CLI.run([
            "render", seedGraph, "-o", "-", "--focus", "Lukashenko", "--as-of", "2022-10-01", "--only-confirmed",
        ])
        #expect(result.status == 0)
        let svg = String(decoding: result.standardOutput, as: UTF8.self)
        #expect(svg.contains(">As of 1 October 2022 · around Alexander Lukashenko, 1 hop · confirmed only</text>"))
        #expect(svg.contains(">Zelensky, Lukashenko and the Mozyr refinery</text>"))

        let unfiltered = try CLI.run(["render", seedGraph, "-o", "-"])
        #expect(!(try svgElementIDs(unfiltered.standardOutput)).contains("map-subtitle"))
        let custom = try CLI.run(["render", seedGraph, "-o", "-", "--as-of", "2022", "--subtitle", ""])
        #expect(!(try svgElementIDs(custom.standardOutput)).contains("map-subtitle"))
    }

    @Test func separateRelationsDrawsOneEdgePerRelation() throws {
        let merged = try svgElementIDs(try CLI.run(["render", seedGraph, "-o", "-"]).standardOutput)
        let separate = try svgElementIDs(
            try CLI.run(["render", seedGraph, "-o", "-", "--separate-relations"]).standardOutput)
        #expect(separate.filter { $0.hasPrefix("relation-") }.count == 99)
        #expect(merged.filter { $0.hasPrefix("relation-") }.count < 99)
    }

    @Test func unknownOutputExtensionIsAnError() throws {
        let result = try CLI.run(["render", seedGraph, "-o", "map.xyz"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("error: cannot tell the output format of map.xyz"))
        #expect(!FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent("map.xyz").path))
    }

    @Test func dotInputIsReadThroughDOTImport() throws {
        try withTemporaryFolder { folder in
            let dot = folder.appendingPathComponent("graph.gv")
            try Data("digraph { a -> b }\n".utf8).write(to: dot)
            let result = try CLI.run(["render", dot.path, "-o", "-"])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.output.contains("<svg"))
        }
    }

    @Test func missingFileIsAnError() throws {
        let result = try CLI.run(["render", "Graphs/no-such-graph.json", "-o", "-"])
        #expect(result.status == 1)
        #expect(result.standardError == "error: no such file: Graphs/no-such-graph.json\n")
    }

    @Test func badThemeIsAnError() throws {
        try withTemporaryFolder { folder in
            let theme = folder.appendingPathComponent("theme.json")
            try Data(#"{"fontNmae": "DejaVu Sans"}"#.utf8).write(to: theme)
            let result = try CLI.run(["render", seedGraph, "-o", "-", "--theme", theme.path])
            #expect(result.status == 1)
            #expect(result.output.isEmpty)
            #expect(result.standardError.hasPrefix("error: cannot use the theme"))
            #expect(result.standardError.contains("fontName"))
        }
    }
}

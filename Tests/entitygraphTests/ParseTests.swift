import ArgumentParser
import Testing

@testable import entitygraph

/// The command line parsed in process (swift-argument-parser's `parseAsRoot`), beside the end-to-end
/// tests: which subcommand and options a line gives, and which lines are usage errors.
@Suite("Command-line parsing")
struct ParseTests {
    @Test func renderTakesItsOptions() throws {
        let command = try EntityGraphCommand.parseAsRoot([
            "render", "g.json", "-o", "map.png", "--engine", "neato", "--focus", "Lukashenko", "--depth", "2",
            "--timeout", "5", "--cluster-by", "country",
        ])
        let render = try #require(command as? EntityGraphCommand.Render)
        #expect(render.file == "g.json")
        #expect(render.output == "map.png")
        #expect(render.engine == "neato")
        #expect(render.focus == "Lukashenko" && render.depth == 2)
        #expect(render.timeout == 5)
        #expect(render.clusterBy == "country")
    }

    @Test func convertTakesRawCells() throws {
        let command = try EntityGraphCommand.parseAsRoot(["convert", "g.json", "sheets/", "--raw-cells"])
        let convert = try #require(command as? EntityGraphCommand.Convert)
        #expect(convert.rawCells)
        #expect(convert.input == "g.json" && convert.output == "sheets/")
        let plain = try #require(
            try EntityGraphCommand.parseAsRoot(["convert", "a.json", "b.gv"]) as? EntityGraphCommand.Convert)
        #expect(!plain.rawCells)
    }

    @Test(
        "usage errors are caught before anything runs",
        arguments: [
            ["render", "g.json", "--depth", "2"],  // --depth needs --focus
            ["render", "g.json", "--timeout", "-1"],
            ["render", "g.json", "--focus", "x", "--depth", "-1"],
            ["convert", "g.json"],  // no OUT
            ["convert", "g.json", "x.json", "--quiet"],  // convert has no progress to quieten
            ["neighbors", "g.json", "x", "--depth", "0"],
            ["nosuchcommand"],
        ])
    func usageErrors(arguments: [String]) {
        #expect(throws: (any Error).self, "\(arguments)") { try EntityGraphCommand.parseAsRoot(arguments) }
    }
}

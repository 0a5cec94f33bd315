import EntityGraph
import EntityGraphviz
import Foundation
import Testing

/// The README's library snippet, verbatim apart from paths: if it stops compiling or working, this fails.
@Suite("README snippet")
struct ReadmeSnippetTests {
    @Test("the library snippet in the README compiles and runs on the seed graph")
    func readmeSnippet() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: output) }

        // --- README begins (paths adjusted) ---
        let graph = try GraphDocument.read(
            contentsOf: root.appendingPathComponent("Graphs/zelensky-lukashenko-mozyr.json"))

        // Who is around Lukashenko, and through which relations?
        var printed: [String] = []
        for neighbor in try graph.neighbors(of: "lukashenko", direction: .both) {
            printed.append(graph.entities[neighbor.entity]?.name ?? "?")
        }

        // How is Putin connected to the Mozyr refinery, ignoring direction?
        var pathEntities: [EntityID] = []
        if let path = try graph.shortestPath(from: "putin", to: "mozyr-refinery", direction: .both) {
            pathEntities = path.entities
        }

        // The map as it stood before the October 2022 sanctions, drawn to an SVG file (written atomically).
        let before = graph.asOf(PartialDate("2022-10-01")!)
        try Renderer().write(before, to: output)
        // --- README ends ---

        #expect(printed.contains("Volodymyr Zelensky"))
        #expect(pathEntities.first == "putin" && pathEntities.last == "mozyr-refinery")
        #expect(try Data(contentsOf: output).count > 1_000)
    }
}

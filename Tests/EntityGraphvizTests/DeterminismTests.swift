import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

@Suite("Determinism, concurrency, atomic writes")
struct DeterminismTests {
    @Test(
        "same graph and options give the same bytes, for every engine",
        arguments: ["dot", "neato", "fdp", "sfdp", "circo", "twopi"])
    func sameBytes(engine: String) throws {
        let capabilities = try Renderer.capabilities()
        guard capabilities.engines.contains(engine) else { return }
        let renderer = Renderer(options: RenderOptions(engine: engine))
        let graph = try tinyGraph()
        let first = try renderer.render(graph, format: "svg")
        let second = try renderer.render(graph, format: "svg")
        if engine == "fdp" {
            // Graphviz 2.42's fdp keeps layout state in globals that dot and osage layouts change, so when
            // other tests render in between (they run in parallel) its output can differ. A process that
            // renders with one engine is deterministic; see docs/Reliability.md.
            withKnownIssue(
                "fdp output depends on other engines' earlier layouts in the same process", isIntermittent: true
            ) {
                #expect(first == second)
            }
        } else {
            #expect(first == second)
        }
    }

    @Test("8 tasks × 50 concurrent renders give identical bytes")
    func concurrentRenders() async throws {
        let graph = try tinyGraph()
        let renderer = Renderer()
        let reference = try renderer.render(graph, format: "svg")
        let results = try await withThrowingTaskGroup(of: [Data].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var outputs: [Data] = []
                    for index in 0..<50 {
                        // Mix in failing renders: they must not disturb the others.
                        if (task + index) % 10 == 0 {
                            _ = try? Renderer(options: RenderOptions(engine: "nosuchengine")).render(
                                graph, format: "svg")
                        }
                        outputs.append(try renderer.render(graph, format: "svg"))
                    }
                    return outputs
                }
            }
            var all: [Data] = []
            for try await outputs in group { all += outputs }
            return all
        }
        #expect(results.count == 400)
        #expect(results.allSatisfy { $0 == reference })
    }

    @Test("several formats from one layout match single renders, whatever the order")
    func multipleFormats() throws {
        let graph = try tinyGraph()
        let outputs = try Renderer().renderDetailed(graph, formats: ["json", "svg", "canon"])
        #expect(outputs.map(\.format) == ["json", "svg", "canon"])
        #expect(outputs[1].data == (try Renderer().render(graph, format: "svg")))
        #expect(outputs[2].data == (try Renderer().render(graph, format: "canon")))
    }

    @Test("a failed render leaves an existing file untouched and no temporary file behind")
    func atomicWrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eg-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("map.svg")
        try Data("previous".utf8).write(to: target)
        #expect(throws: GraphvizError.self) {
            try Renderer(options: RenderOptions(engine: "nosuchengine")).write(try tinyGraph(), to: target)
        }
        #expect(try Data(contentsOf: target) == Data("previous".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["map.svg"])
        // A render that fails after the layout, while Graphviz streams into the temporary file.
        #expect(throws: GraphvizError.self) {
            try Renderer().write(try tinyGraph(), to: target, format: "nosuchformat")
        }
        #expect(try Data(contentsOf: target) == Data("previous".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["map.svg"])
        try Renderer().write(try tinyGraph(), to: target)
        #expect(try SVGGroups(Data(contentsOf: target)).group(id: "entity-alice") != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["map.svg"])
    }
}

import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

@Suite("Renderer")
struct RendererTests {
    @Test("a tiny graph renders to SVG with one group per entity and relation")
    func tinySVG() throws {
        let graph = try tinyGraph()
        let svg = try Renderer().render(graph, format: "svg")
        let groups = try SVGGroups(svg)
        let alice = try #require(groups.group(id: "entity-alice"))
        #expect(alice.title == "alice")
        #expect(alice.classes == ["node", "entity", "kind-person"])
        #expect(groups.group(id: "entity-acme")?.classes.contains("kind-organization") == true)
        let claimed = try #require(groups.group(id: "relation-r2"))
        #expect(
            claimed.classes == ["edge", "relation", "type-spokeWith", "category-communication", "certainty-claimed"])
        #expect(claimed.title == "alice->bob")
        #expect(groups.group(id: "relation-r3") != nil)  // the parallel relation stays distinct
        #expect(groups.group(id: "relation-r4")?.title == "acme->acme")  // self-loop
        let entityGroups = groups.groups.filter { $0.classes.contains("entity") }
        let relationGroups = groups.groups.filter { $0.classes.contains("relation") }
        #expect(entityGroups.count == 3)
        #expect(relationGroups.count == 4)
    }

    @Test("PNG output has the PNG signature and a real image")
    func png() throws {
        let data = try Renderer().render(try tinyGraph(), format: "png")
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(data.count > 5_000)
    }

    @Test("PDF output starts with %PDF")
    func pdf() throws {
        let data = try Renderer().render(try tinyGraph(), format: "pdf")
        #expect(String(decoding: data.prefix(5), as: UTF8.self) == "%PDF-")
    }

    @Test("an unknown engine raises a typed error with Graphviz's message, silently, and the next render works")
    func unknownEngine() throws {
        let graph = try tinyGraph()
        let renderer = Renderer(options: RenderOptions(engine: "nosuchengine"))
        let (error, stderrText) = capturingStandardError { () -> GraphvizError? in
            do {
                _ = try renderer.render(graph, format: "svg")
                return nil
            } catch let error as GraphvizError { return error } catch { return nil }
        }
        let failure = try #require(error)
        #expect(failure.code == .unknownEngine)
        #expect(failure.stage == .layout)
        #expect(failure.engine == "nosuchengine")
        #expect(failure.graphvizMessages.joined().contains("nosuchengine"))
        // The test runner itself writes progress to stderr, so look for Graphviz's words only.
        #expect(!stderrText.contains("nosuchengine"))
        let svg = try Renderer().render(graph, format: "svg")
        #expect(try SVGGroups(svg).group(id: "entity-alice") != nil)
    }

    @Test("an unknown format raises a typed error, prints nothing, and the next render works")
    func unknownFormat() throws {
        let graph = try tinyGraph()
        let (error, stderrText) = capturingStandardError { () -> GraphvizError? in
            do {
                _ = try Renderer().render(graph, format: "nosuchformat")
                return nil
            } catch let error as GraphvizError { return error } catch { return nil }
        }
        let failure = try #require(error)
        #expect(failure.code == .unknownFormat)
        #expect(failure.stage == .render)
        #expect(failure.format == "nosuchformat")
        // Refused before Graphviz sees it (only listed formats reach Graphviz), so Graphviz said nothing.
        #expect(failure.message.contains("no output format 'nosuchformat'"), "\(failure.message)")
        #expect(failure.graphvizMessages.isEmpty)
        #expect(!stderrText.contains("nosuchformat"))
        let (svg, afterText) = try capturingStandardError { try Renderer().render(graph, format: "svg") }
        #expect(!afterText.contains("<svg"))  // the stale-job trap would also write the image out
        #expect(try SVGGroups(svg).group(id: "entity-bob") != nil)
    }

    @Test("discovery lists dot and svg")
    func discovery() throws {
        let capabilities = try Renderer.capabilities()
        #expect(capabilities.engines.contains("dot"))
        #expect(capabilities.formats.contains("svg"))
        #expect(!capabilities.engines.contains("nop"))
        #expect(!capabilities.version.isEmpty)
    }
}

import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

@Suite("Renderer")
struct RendererTests {
    @Test("a tiny graph renders to SVG with one group per entity and relation (separate relations)")
    func tinySVG() throws {
        let graph = try tinyGraph()
        var options = RenderOptions()
        options.separateRelations = true
        let svg = try Renderer(options: options).render(graph, format: "svg")
        let groups = try SVGGroups(svg)
        let alice = try #require(groups.group(id: "entity-alice"))
        #expect(alice.title == "alice")
        #expect(alice.classes == ["node", "entity", "kind-person"])
        #expect(groups.group(id: "entity-acme")?.classes.contains("kind-organization") == true)
        let claimed = try #require(groups.group(id: "relation-r2"))
        #expect(
            claimed.classes == [
                "edge", "relation", "line-claimed", "type-spokeWith", "category-communication", "certainty-claimed",
            ])
        #expect(claimed.title == "alice->bob")
        #expect(groups.group(id: "relation-r3") != nil)  // the parallel relation stays distinct
        #expect(groups.group(id: "relation-r4")?.title == "acme->acme")  // self-loop
        let entityGroups = groups.groups.filter { $0.classes.contains("entity") }
        let relationGroups = groups.groups.filter { $0.classes.contains("relation") }
        #expect(entityGroups.count == 3)
        #expect(relationGroups.count == 4)
    }

    @Test("parallel relations are one edge that keeps every relation's id, label line and tooltip")
    func mergedParallelRelations() throws {
        let graph = try tinyGraph()
        let groups = try SVGGroups(try Renderer().render(graph, format: "svg"))
        let relationGroups = groups.groups.filter { $0.classes.contains("relation") }
        #expect(relationGroups.count == 3)  // r2 and r3 join alice and bob: one edge
        let merged = try #require(relationGroups.first { $0.classes.contains("relations-merged") })
        #expect(merged.id == "relation-r2")
        #expect(merged.classes.contains("rel-r2") && merged.classes.contains("rel-r3"))
        // Styled by the more certain of the two (r3 is confirmed, r2 claimed).
        #expect(merged.classes.contains("line-confirmed"))
        #expect(merged.classes.contains("certainty-claimed") && merged.classes.contains("certainty-confirmed"))
        let r2 = try #require(graph.relations["r2"])
        let r3 = try #require(graph.relations["r3"])
        let label = merged.texts.joined(separator: "\n")
        for relation in [r2, r3] {
            let type = try #require(graph.relationType(relation.type))
            #expect(label.contains(type.label), "\(relation.id) has a line of its own")
        }
        #expect(merged.texts.count >= 2)
    }

    @Test("the legend and title sit outside the map: no entity inside the legend's frame, with every engine")
    func legendOutsideTheLayout() throws {
        let url = DOTImportCorpusTests.repositoryRoot.appendingPathComponent("Graphs/zelensky-lukashenko-mozyr.json")
        let graph = try GraphDocument.read(contentsOf: url)
        for engine in ["dot", "neato", "fdp", "sfdp", "circo", "twopi", "osage", "patchwork"] {
            var options = RenderOptions(engine: engine)
            options.subtitle = "As of 1 October 2022"
            let json = try Renderer(options: options).render(graph, format: "json")
            let layout = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            let objects = try #require(layout["objects"] as? [[String: Any]])
            func box(_ object: [String: Any]) -> (x: Double, y: Double, w: Double, h: Double)? {
                guard let pos = (object["pos"] as? String)?.split(separator: ",").compactMap({ Double($0) }),
                    pos.count == 2, let w = Double(object["width"] as? String ?? ""),
                    let h = Double(object["height"] as? String ?? "")
                else { return nil }
                return (pos[0], pos[1], w * 72, h * 72)
            }
            let frame = try #require(objects.first { ($0["id"] as? String) == "legend" }.flatMap(box), "\(engine)")
            let entities = objects.filter { ($0["class"] as? String ?? "").hasPrefix("entity") }
            #expect(entities.count == graph.entities.count, "\(engine)")
            for entity in entities {
                let b = try #require(box(entity))
                let apart =
                    b.x + b.w / 2 <= frame.x - frame.w / 2 || b.x - b.w / 2 >= frame.x + frame.w / 2
                    || b.y + b.h / 2 <= frame.y - frame.h / 2 || b.y - b.h / 2 >= frame.y + frame.h / 2
                #expect(apart, "\(engine): \(entity["name"] ?? "?") is inside the legend")
            }
            let subtitle = objects.first { ($0["id"] as? String) == "map-subtitle" }
            #expect(subtitle != nil, "\(engine): no subtitle")
        }
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

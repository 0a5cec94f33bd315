import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

@Suite("Render limits")
struct LimitsTests {
    static func chain(_ count: Int) throws -> Graph {
        var graph = Graph()
        for index in 0..<count {
            try graph.add(Entity(id: EntityID("e\(index)"), name: "E\(index)", kind: .organization))
            if index > 0 {
                try graph.add(
                    Relation(
                        id: RelationID("r\(index)"), type: "partOf", source: EntityID("e\(index - 1)"),
                        target: EntityID("e\(index)")))
            }
        }
        return graph
    }

    func limitError(_ body: () throws -> Void) -> GraphvizError? {
        do {
            try body()
            return nil
        } catch let error as GraphvizError {
            return error
        } catch {
            return nil
        }
    }

    @Test("dot beyond the layered-layout budget is refused before Graphviz runs, naming the limit")
    func layeredBudget() throws {
        let graph = try Self.chain(300)
        let error = limitError { _ = try Renderer(options: RenderOptions(engine: "dot")).render(graph, format: "svg") }
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("maximumLayeredEntities") == true)
        #expect(error?.message.contains("sfdp") == true)
        // The same map renders with the engine chosen by size, and with dot when the limit is raised.
        #expect(Renderer.suggestedEngine(for: graph) == "sfdp")
        var limits = RenderLimits.standard
        limits.maximumLayeredEntities = 400
        #expect(
            try Renderer(options: RenderOptions(engine: "dot", limits: limits)).render(graph, format: "canon").count > 0
        )
    }

    @Test("entity and relation counts are bounded")
    func counts() throws {
        let graph = try Self.chain(20)
        let error = limitError {
            _ = try Renderer(options: RenderOptions(limits: RenderLimits(maximumEntities: 10))).render(
                graph, format: "svg")
        }
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("maximumEntities is 10") == true)
        let relations = limitError {
            _ = try Renderer(options: RenderOptions(limits: RenderLimits(maximumRelations: 5))).render(
                graph, format: "svg")
        }
        #expect(relations?.message.contains("maximumRelations is 5") == true)
    }

    @Test("an over-long name is refused with the entity's id")
    func textLength() throws {
        var graph = Graph()
        try graph.add(Entity(id: "long", name: String(repeating: "x", count: 20_000), kind: .person))
        let error = limitError { _ = try Renderer().render(graph, format: "svg") }
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("entity 'long'") == true)
        #expect(error?.message.contains("maximumTextBytes") == true)
    }
}

import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

/// Issue 8's stress run: 8 tasks × 500 mixed renders and queries on shared graphs. Every task must get
/// exactly the answers a single thread gets, with no crash.
@Suite("Stress")
struct StressTests {
    @Test("8 tasks × 500 mixed renders and queries on shared graphs give the same answers as one thread")
    func mixedWorkload() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let seed = try GraphDocument.read(
            contentsOf: root.appendingPathComponent("Graphs/zelensky-lukashenko-mozyr.json"))
        let tiny = try tinyGraph()
        let renderer = Renderer()
        let sfdp = Renderer(options: RenderOptions(engine: "sfdp"))

        // The reference answers, computed on one thread.
        let tinySVG = try renderer.render(tiny, format: "svg")
        let tinySFDP = try sfdp.render(tiny, format: "svg")
        let neighbours = try seed.neighbors(of: "lukashenko", direction: .both).map(\.entity)
        let path = try seed.shortestPath(from: "putin", to: "mozyr-refinery", direction: .both)
        let ego = try seed.egoGraph(around: "zelensky", radius: 2, direction: .both)
        let before = seed.asOf(PartialDate("2022-10-01")!)

        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for step in 0..<500 {
                        switch (task + step) % 6 {
                        case 0: if try renderer.render(tiny, format: "svg") != tinySVG { wrong += 1 }
                        case 1: if try sfdp.render(tiny, format: "svg") != tinySFDP { wrong += 1 }
                        case 2:
                            if try seed.neighbors(of: "lukashenko", direction: .both).map(\.entity) != neighbours {
                                wrong += 1
                            }
                        case 3:
                            if try seed.shortestPath(from: "putin", to: "mozyr-refinery", direction: .both) != path {
                                wrong += 1
                            }
                        case 4:
                            if try seed.egoGraph(around: "zelensky", radius: 2, direction: .both) != ego { wrong += 1 }
                        default:
                            if seed.asOf(PartialDate("2022-10-01")!) != before { wrong += 1 }
                            // A failing render in the mix must not disturb the others.
                            _ = try? renderer.render(tiny, format: "nosuchformat")
                        }
                    }
                    return wrong
                }
            }
            var total = 0
            for try await wrong in group { total += wrong }
            return total
        }
        #expect(mismatches == 0)
    }
}

import EntityGraph
import EntityGraphviz
import Foundation

/// `make leakcheck`: render cycles for valgrind to watch. Renders a 12-entity map `cycles` times
/// with each of dot (clustered and not), neato and sfdp, and the seed map a few times, then exits.
/// `--only NAME` keeps one variant (`dot`, `dot, clustered`, `neato`, `sfdp`); `--no-seed` skips the seed map.
/// Every failure is fatal, so a leak check of a broken build cannot pass. Renders run in process, where
/// valgrind sees Graphviz (a worker would be another process).
enum LeakCheck {
    static func run() throws {
        let arguments = CommandLine.arguments
        let cycles = arguments.firstIndex(of: "--cycles").flatMap { Int(arguments[$0 + 1]) } ?? 1000
        let small = RenderBenchmark.twelveNodeGraph()
        var clustered = RenderOptions(engine: "dot", isolation: .inProcess)
        clustered.clustering = .kind
        let variants: [(String, RenderOptions)] = [
            ("dot", RenderOptions(engine: "dot", isolation: .inProcess)), ("dot, clustered", clustered),
            ("neato", RenderOptions(engine: "neato", isolation: .inProcess)),
            ("sfdp", RenderOptions(engine: "sfdp", isolation: .inProcess)),
        ]
        let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }
        let seedMaps = !arguments.contains("--no-seed")
        var total = 0
        for (name, options) in variants where only == nil || only == name {
            let renderer = Renderer(options: options)
            for _ in 0..<(cycles / variants.count) {
                _ = try renderer.render(small, format: "svg")
                total += 1
            }
            // A failing render (unknown format) on every path too.
            _ = try? renderer.render(small, format: "nosuchformat")
            print("leakcheck: \(name): \(cycles / variants.count) renders")
        }
        guard seedMaps else {
            print("leakcheck: \(total) renders done")
            return
        }
        let seed = try GraphDocument.read(contentsOf: URL(fileURLWithPath: "Graphs/zelensky-lukashenko-mozyr.json"))
        let seedRenderer = Renderer(options: RenderOptions(clustering: .attribute("country"), isolation: .inProcess))
        for format in ["svg", "png", "pdf"] {
            _ = try seedRenderer.render(seed, format: format)
            total += 1
        }
        _ = try Renderer(options: RenderOptions(isolation: .inProcess)).dotSource(seed)
        print("leakcheck: \(total) renders done")
    }
}

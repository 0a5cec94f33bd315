import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

/// Every engine × every format × {the seed, every corpus DOT file Graphviz parses, 200 generated maps},
/// each rendered in a layout worker: a Graphviz crash fails its case (named, with the format that
/// crashed) instead of the test runner. A render may still fail with a typed error (a timeout on a
/// huge corpus file, a label over the size limit): those are counted and printed, never crashes.
///
/// The full matrix runs with `ENTITYGRAPH_MATRIX=full`, as `make test` does in a step of its own (it
/// takes minutes and keeps both cores busy; run among the other suites it would starve their timing
/// tests). Without it (a plain `swift test`) the quick form runs: the seed and 20 generated maps with 8
/// formats. The sanitizer runs skip it.
@Suite("Crash matrix")
struct CrashMatrixTests {
    /// One map to draw.
    struct Case: Sendable {
        var name: String
        var graph: Graph
    }

    static let quick = ProcessInfo.processInfo.environment["ENTITYGRAPH_MATRIX"] != "full"
    static let generatedCount = quick ? 20 : 200
    static let verbose = ProcessInfo.processInfo.environment["ENTITYGRAPH_MATRIX_VERBOSE"] != nil
    /// Fixed, so a failure names a case that fails again.
    static let generatorSeed: UInt64 = 0x5EED_2026
    /// The longest one case (one layout, every format) may take before it counts as timed out.
    static let caseTimeout: Duration = .seconds(10)

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/dot")

    /// The maps: the seed, the corpus files DOTImport reads, then the generated ones.
    static func cases() throws -> [Case] {
        let seed = try GraphDocument.read(
            contentsOf: repositoryRoot.appendingPathComponent("Graphs/zelensky-lukashenko-mozyr.json"))
        var cases = [Case(name: "seed", graph: seed)]
        if !quick, FileManager.default.fileExists(atPath: corpus.path) {
            let files = FileManager.default.enumerator(atPath: corpus.path)?.compactMap { $0 as? String } ?? []
            for file in files.sorted() where file.hasSuffix(".dot") || file.hasSuffix(".gv") {
                // Files Graphviz's parser rejects, or that hold several graphs, are the import tests' business.
                guard let graph = try? DOTImport.read(contentsOf: corpus.appendingPathComponent(file)) else { continue }
                cases.append(Case(name: "corpus/\(file)", graph: graph))
            }
        }
        for index in 0..<generatedCount {
            let seed = generatorSeed &+ UInt64(index)
            cases.append(Case(name: "generated seed \(seed)", graph: try matrixGraph(seed: seed)))
        }
        return cases
    }

    /// Outcome counts for one engine.
    struct Tally: CustomStringConvertible {
        var rendered = 0
        var skipped = 0
        var typedErrors: [String: Int] = [:]
        var description: String {
            "\(rendered) rendered, \(skipped) beyond the size budget"
                + typedErrors.sorted { $0.key < $1.key }.map { ", \($0.value) \($0.key)" }.joined()
        }
    }

    static let pool = LayoutWorkerPool(
        executable: LayoutWorkerPool.standard?.executable ?? URL(fileURLWithPath: "/nonexistent"), size: 2)

    /// Renders `graph` with `engine` into `formats` from one layout, in a worker, as ``Renderer`` does.
    /// The generated maps are scaled to fit 3 inches (`size=3,3`), so that the bitmap formats (webp,
    /// png, bmp, tiff: seconds at full size) take milliseconds and the matrix fits in CI; the seed and
    /// the corpus files are drawn at full size. (Not the corpus: scaling a lopsided drawing — one corpus
    /// file lays out 420,000 points wide and 529 high — to a few inches leaves a side of 0 pixels, on
    /// which Graphviz's gd renderers segfault. The renderer never sets `size`, so users cannot get there.)
    /// Odd-numbered cases are drawn without the legend and title, as the HTML page's map is.
    static func render(
        _ item: Case, index: Int, engine: String, formats: [String], options: RenderOptions
    ) throws(GraphvizError) {
        var options = options
        if index % 2 == 1 {
            options.theme.showLegend = false
            options.theme.showTitle = false
        }
        var plan = try RenderPlan(graph: item.graph, options: options, engine: engine)
        if item.name.hasPrefix("generated") { plan.dot.graphAttributes["size"] = "3,3" }
        let graphvizFormats = formats.filter { $0 != Renderer.htmlFormat }
        _ = try GraphvizBackend(options).render(plan, engine: engine, formats: graphvizFormats)
        if formats.contains(Renderer.htmlFormat) {
            _ = try Renderer(options: options).render(item.graph, format: Renderer.htmlFormat)
        }
    }

    @Test(
        "no map crashes any engine in any format",
        .enabled(if: LayoutWorkerPool.standard != nil, "no entitygraph-worker beside the tests"),
        arguments: (ProcessInfo.processInfo.environment["ENTITYGRAPH_MATRIX_ENGINES"]
            ?? "dot neato fdp sfdp circo twopi osage patchwork").split(separator: " ").map(String.init))
    func matrix(engine: String) throws {
        let capabilities = try Renderer.capabilities()
        guard capabilities.engines.contains(engine) else { return }
        let formats = capabilities.formats.filter { $0 != Renderer.htmlFormat } + [Renderer.htmlFormat]
        let quickFormats = ["svg", "png", "pdf", "dot", "json", "vdx", "svgz", Renderer.htmlFormat]
        let options = RenderOptions(engine: engine, isolation: .workers(Self.pool), timeout: Self.caseTimeout)
        var tally = Tally()
        // Graphviz must not write files of its own (vrml used to drop a PNG per node into the folder).
        let folder = FileManager.default.currentDirectoryPath
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        defer {
            let after = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            let added = after.subtracting(before).filter { $0.hasPrefix("node") }
            #expect(added.isEmpty, "\(engine): Graphviz wrote \(added.sorted().prefix(5)) into \(folder)")
        }
        for (index, item) in try Self.cases().enumerated() {
            if ["dot", "circo", "twopi"].contains(engine),
                item.graph.entities.count > RenderLimits.standard.maximumLayeredEntities
                    || item.graph.relations.count > RenderLimits.standard.maximumLayeredRelations
            {
                tally.skipped += 1
                continue
            }
            let chosen = Self.quick ? quickFormats.filter { formats.contains($0) } : formats
            let started = Date()
            defer {
                if Self.verbose {
                    print(String(format: "matrix %@ %@ %.2f s", engine, item.name, Date().timeIntervalSince(started)))
                }
            }
            do {
                try Self.render(item, index: index, engine: engine, formats: chosen, options: options)
                tally.rendered += 1
            } catch  where error.code == .workerCrashed || error.code == .workerFailed {
                // Find the format(s) that crash, for the report.
                var crashing: [String] = []
                for format in chosen {
                    do {
                        try Self.render(item, index: index, engine: engine, formats: [format], options: options)
                    } catch
                        where error.code == .workerCrashed || error.code == .workerFailed
                    {
                        crashing.append(format)
                    } catch {}
                }
                Issue.record(
                    "\(item.name) (case \(index)), engine \(engine), formats \(crashing.joined(separator: " ")): \(error)"
                )
            } catch {
                tally.typedErrors[error.code.rawValue, default: 0] += 1
            }
        }
        print("crash matrix, \(engine): \(tally)")
        #expect(tally.rendered > 0)
    }
}

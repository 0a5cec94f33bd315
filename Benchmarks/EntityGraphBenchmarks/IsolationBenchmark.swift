import EntityGraph
@_spi(Benchmarks) import EntityGraphviz
import Foundation

/// Issue 15's targets, both sides interleaved in one run (A B A B …, after a warm-up each):
/// - the seed map → SVG through a warm layout worker within 1.10× of rendering in process;
/// - 8 concurrent seed renders: throughput with the worker pool (one worker per core) at least 1.8×
///   that of rendering in process, where one lock serializes Graphviz (and, for information, with one
///   worker);
/// - the engine chosen by default, on generated 200/400, 300/600 and 1,000/3,000 maps: each under 5 s
///   (through a worker, as the CLI renders).
///
/// Run: `swift run -c release EntityGraphBenchmarks isolation`.
enum IsolationBenchmark {
    static func run() throws {
        let seed = try GraphDocument.read(contentsOf: URL(fileURLWithPath: "Graphs/zelensky-lukashenko-mozyr.json"))
        guard let standard = LayoutWorkerPool.standard else {
            print("isolation: no entitygraph-worker beside \(CommandLine.arguments[0]); build the package first")
            return
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let pool = LayoutWorkerPool(executable: standard.executable, size: cores)
        let single = LayoutWorkerPool(executable: standard.executable, size: 1)
        let inProcess = Renderer(options: RenderOptions(isolation: .inProcess))
        let isolated = Renderer(options: RenderOptions(isolation: .workers(pool)))
        let isolatedOne = Renderer(options: RenderOptions(isolation: .workers(single)))
        if CommandLine.arguments.contains("--breakdown") {
            try breakdown(seed, pool: single)
            return
        }
        print("")
        print("Isolation benchmark (Graphviz \(try Renderer.capabilities().version), \(cores) cores, \(loadText()))")

        // One render at a time: rounds of 10 renders per side, alternating.
        func sequential(_ renderer: Renderer) throws -> Double {
            let start = ContinuousClock.now
            for _ in 0..<10 { _ = try renderer.render(seed, format: "svg") }
            return RenderBenchmark.milliseconds(ContinuousClock.now - start) / 10
        }
        for _ in 0..<3 {
            _ = try sequential(inProcess)
            _ = try sequential(isolated)
        }
        var ratios: [Double] = []
        var oursTimes: [Double] = []
        var baseTimes: [Double] = []
        for _ in 0..<9 {
            let base = try sequential(inProcess)
            let ours = try sequential(isolated)
            baseTimes.append(base)
            oursTimes.append(ours)
            ratios.append(ours / base)
        }
        print(
            row(
                "seed → SVG, warm worker vs in process", ours: RenderBenchmark.median(oursTimes),
                theirs: RenderBenchmark.median(baseTimes), ratios: ratios, target: "≤ 1.10×",
                met: RenderBenchmark.median(ratios) <= 1.10, unit: "ms"))

        // Eight renders at once: throughput (renders per second) of each side.
        func concurrent(_ renderer: Renderer) throws -> Double {
            let start = ContinuousClock.now
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                do { _ = try renderer.render(seed, format: "svg") } catch { failures.add(error) }
            }
            if let error = failures.first { throw error }
            return 8 / (RenderBenchmark.milliseconds(ContinuousClock.now - start) / 1000)
        }
        for _ in 0..<2 {
            _ = try concurrent(inProcess)
            _ = try concurrent(isolated)
            _ = try concurrent(isolatedOne)
        }
        var poolRatios: [Double] = []
        var oneRatios: [Double] = []
        var poolRates: [Double] = []
        var oneRates: [Double] = []
        var lockRates: [Double] = []
        for _ in 0..<7 {
            let lock = try concurrent(inProcess)
            let withPool = try concurrent(isolated)
            let withOne = try concurrent(isolatedOne)
            lockRates.append(lock)
            poolRates.append(withPool)
            oneRates.append(withOne)
            poolRatios.append(withPool / lock)
            oneRatios.append(withOne / lock)
        }
        print(
            row(
                "8 concurrent seed renders, \(cores) workers vs one lock", ours: RenderBenchmark.median(poolRates),
                theirs: RenderBenchmark.median(lockRates), ratios: poolRatios, target: "≥ 1.8×",
                met: RenderBenchmark.median(poolRatios) >= 1.8, unit: "renders/s"))
        print(
            row(
                "8 concurrent seed renders, 1 worker vs one lock", ours: RenderBenchmark.median(oneRates),
                theirs: RenderBenchmark.median(lockRates), ratios: oneRatios, target: "info", met: nil,
                unit: "renders/s"))

        // The default engine on generated maps, through a worker as the CLI renders.
        let timed = Renderer(options: RenderOptions(isolation: .workers(pool), timeout: .seconds(60)))
        for (entities, relations) in [(200, 400), (300, 600), (1_000, 3_000)] {
            let graph = BenchGraph.generate(entities: entities, relations: relations, seed: 11)
            var samples: [Double] = []
            var engine = ""
            for _ in 0..<3 {
                let start = ContinuousClock.now
                engine = try timed.renderDetailed(graph, formats: ["svg"])[0].engine
                samples.append(RenderBenchmark.milliseconds(ContinuousClock.now - start))
            }
            let median = RenderBenchmark.median(samples)
            print(
                RenderBenchmark.pad("default engine, \(entities)/\(relations) (\(engine))", 52)
                    + RenderBenchmark.pad(RenderBenchmark.ms(median), 12)
                    + "range \(RenderBenchmark.ms(samples.min()!))–\(RenderBenchmark.ms(samples.max()!))   "
                    + RenderBenchmark.verdict(median < 5000, "< 5 s"))
        }
        pool.shutDown()
        single.shutDown()
    }

    /// Where a worker render's time goes: a round trip with no work (the `none` fault request), the
    /// render through the worker, and the render in process, each the median of 50.
    static func breakdown(_ seed: Graph, pool: LayoutWorkerPool) throws {
        func median(_ body: () throws -> Void) rethrows -> Double {
            var samples: [Double] = []
            for _ in 0..<50 {
                let start = ContinuousClock.now
                try body()
                samples.append(RenderBenchmark.milliseconds(ContinuousClock.now - start))
            }
            return RenderBenchmark.median(samples)
        }
        let isolated = Renderer(options: RenderOptions(isolation: .workers(pool)))
        let local = Renderer(options: RenderOptions(isolation: .inProcess))
        _ = try isolated.render(seed, format: "svg")
        _ = try local.render(seed, format: "svg")
        let roundTrip = try median { try RenderPlanExport.ping(pool) }
        let worker = try median { _ = try isolated.render(seed, format: "svg") }
        let inProcess = try median { _ = try local.render(seed, format: "svg") }
        let planOnly = try median { _ = try RenderPlanExport.planObjectCount(seed, options: RenderOptions()) }
        print(
            String(
                format: "round trip %.3f ms, worker render %.2f ms, in process %.2f ms, plan %.2f ms", roundTrip,
                worker,
                inProcess, planOnly))
    }

    /// One table line: both medians, the median ratio with its range over the pairs, and the verdict.
    static func row(
        _ name: String, ours: Double, theirs: Double, ratios: [Double], target: String, met: Bool?, unit: String
    ) -> String {
        let sorted = ratios.sorted()
        let value = { (number: Double) in
            unit == "ms" ? RenderBenchmark.ms(number) : String(format: "%.0f %@", number, unit)
        }
        return RenderBenchmark.pad(name, 52) + RenderBenchmark.pad(value(ours), 16)
            + RenderBenchmark.pad(value(theirs), 16)
            + RenderBenchmark.pad(
                String(
                    format: "%.2f× (%.2f–%.2f, %d pairs)", RenderBenchmark.median(ratios), sorted.first!, sorted.last!,
                    ratios.count), 30)
            + (met.map { RenderBenchmark.verdict($0, target) } ?? target)
    }

    /// The 1-minute load average and the core count, to say how busy the machine was.
    static func loadText() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
            let first = text.split(separator: " ").first
        else { return "load unknown" }
        return "load average \(first)"
    }

    /// Errors from concurrent renders, collected under a lock.
    final class Failures: @unchecked Sendable {
        // `lock` guards `errors`.
        private let lock = NSLock()
        private var errors: [any Error] = []
        func add(_ error: any Error) {
            lock.lock()
            errors.append(error)
            lock.unlock()
        }
        var first: (any Error)? {
            lock.lock()
            defer { lock.unlock() }
            return errors.first
        }
    }
}

import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

#if canImport(Glibc)
import Glibc
#endif

/// Layout worker processes: faults contained, deadlines, cancellation, and the same bytes as in process.
@Suite("Layout workers")
struct IsolationTests {
    /// The worker executable SwiftPM built beside the test bundle.
    static let workerExecutable: URL? = LayoutWorkerPool.standard?.executable

    /// A pool of one worker of its own, so a test's faults and process ids are its own.
    static func privatePool(size: Int = 1) throws -> LayoutWorkerPool {
        LayoutWorkerPool(
            executable: try #require(workerExecutable, "no entitygraph-worker beside the tests"), size: size)
    }

    static func renderer(_ pool: LayoutWorkerPool, timeout: Duration? = nil) -> Renderer {
        Renderer(options: RenderOptions(isolation: .workers(pool), timeout: timeout))
    }

    /// True while a process with this id exists (a zombie counts: it has not been reaped).
    static func processExists(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    @Test("tests render through workers: the worker executable is found beside them")
    func standardPoolIsFound() throws {
        let pool = try #require(LayoutWorkerPool.standard)
        #expect(pool.executable.lastPathComponent == "entitygraph-worker")
        #expect(GraphvizBackend(RenderOptions()).enforcesDeadline == false)
        if case .workers = GraphvizBackend(RenderOptions()) {
        } else {
            Issue.record("automatic isolation ran in process")
        }
    }

    @Test("a worker gives the same bytes as rendering in process, for every engine")
    func workerMatchesInProcess() throws {
        let graph = try tinyGraph()
        let pool = try Self.privatePool()
        for engine in try Renderer.capabilities().engines {
            var options = RenderOptions(engine: engine)
            options.isolation = .inProcess
            let local = try Renderer(options: options).renderDetailed(graph, formats: ["svg", "dot"])
            options.isolation = .workers(pool)
            let isolated = try Renderer(options: options).renderDetailed(graph, formats: ["svg", "dot"])
            #expect(local.map(\.data) == isolated.map(\.data), "engine \(engine)")
        }
    }

    @Test(
        "an injected fault gives the right error, the worker is reaped and the next render works",
        arguments: [
            ("abort", GraphvizError.Code.workerCrashed, "signal 6 (SIGABRT)"),
            ("segfault", .workerCrashed, "signal 11 (SIGSEGV)"),
            ("exit", .workerFailed, "exit status 7"),
            ("garbage", .workerFailed, "broke the protocol"),
            ("hang", .timedOut, "did not finish"),
        ])
    func injectedFault(fault: String, code: GraphvizError.Code, words: String) throws {
        let pool = try Self.privatePool()
        let graph = try tinyGraph()
        let before = try Self.renderer(pool).render(graph, format: "svg")
        let pid = try #require(pool.idleWorkerIDs.first)
        let started = Date()
        // Under a sanitizer (`make tsan`, `make asan` set these) the worker is instrumented too: its
        // sanitizer turns a segfault into its own exit status, and its exit-time checks take a while.
        let environment = ProcessInfo.processInfo.environment
        let sanitized = environment["TSAN_OPTIONS"] != nil || environment["ASAN_OPTIONS"] != nil
        do {
            try GraphvizBackend.injectFault(fault, into: pool, timeout: fault == "hang" ? 1 : 60)
            Issue.record("fault \(fault) did not fail")
        } catch {
            if sanitized, fault == "segfault" {
                #expect(error.code == .workerCrashed || error.code == .workerFailed, "\(error)")
            } else {
                #expect(error.code == code, "\(error)")
                #expect(error.message.contains(words), "\(error.message)")
            }
        }
        #expect(Date().timeIntervalSince(started) < (sanitized ? 60 : 5))
        #expect(!Self.processExists(pid), "worker \(pid) was left running or unreaped")
        #expect(pool.idleWorkerIDs.isEmpty)
        let after = try Self.renderer(pool).render(graph, format: "svg")
        #expect(after == before)
        #expect(pool.idleWorkerIDs.count == 1 && pool.idleWorkerIDs.first != pid)
    }

    @Test("an abort carries Graphviz's last words from the worker's standard error")
    func abortMessageIsKept() throws {
        let pool = try Self.privatePool()
        do {
            try GraphvizBackend.injectFault("abort", into: pool, timeout: 5)
            Issue.record("abort did not fail")
        } catch {
            #expect(error.graphvizMessages.contains { $0.contains("aborting on request") }, "\(error)")
        }
    }

    @Test("a missing or foreign worker executable is a typed error, not a crash")
    func unavailableWorker() throws {
        let graph = try tinyGraph()
        for path in ["/nonexistent/entitygraph-worker", "/bin/true"] {
            let pool = LayoutWorkerPool(executable: URL(fileURLWithPath: path))
            do {
                _ = try Self.renderer(pool).render(graph, format: "svg")
                Issue.record("\(path) rendered")
            } catch {
                #expect(error.code == .workerUnavailable, "\(error)")
                #expect(error.message.contains(path))
            }
        }
    }

    @Test("a deadline stops a layout that would run for many seconds")
    func deadlineStopsLayout() throws {
        // dot on 100 random entities and 300 relations runs for well over 10 s here.
        // dot needs tens of seconds for this graph, so the layout cannot win the race with the
        // cancellation even on a loaded machine (under ASan with 100/300 it sometimes did).
        let slow = try randomGraph(entities: 400, relations: 1600, seed: 7)
        let pool = try Self.privatePool()
        var options = RenderOptions(engine: "dot", isolation: .workers(pool), timeout: .milliseconds(1500))
        options.limits = .standard  // guarded by the deadline, so the layered budget is advice only
        let started = Date()
        do {
            _ = try Renderer(options: options).render(slow, format: "svg")
            Issue.record("the slow layout finished")
        } catch {
            #expect(error.code == .timedOut, "\(error)")
            #expect(error.stage == .layout)
            #expect(error.engine == "dot")
            #expect(error.message.contains("1.5 s"), "\(error.message)")
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 3.0, "took \(elapsed) s")
        #expect(try Self.renderer(pool).render(try tinyGraph(), format: "svg").count > 0)
    }

    @Test("a deadline turns the layered size budget into a warning")
    func layeredBudgetBecomesAdvice() throws {
        let big = try randomGraph(entities: 260, relations: 260, seed: 3)
        var options = RenderOptions(engine: "dot", isolation: .workers(try Self.privatePool()), timeout: .seconds(60))
        let output = try Renderer(options: options).renderDetailed(big, formats: ["svg"])[0]
        #expect(output.warnings.contains { $0.contains("layered budget") })
        options.timeout = nil
        #expect(throws: GraphvizError.self) { try Renderer(options: options).render(big, format: "svg") }
    }

    @Test("cancelling the task stops the layout within a second")
    func cancellationStopsLayout() async throws {
        // dot needs tens of seconds for this graph, so the layout cannot win the race with the
        // cancellation even on a loaded machine (under ASan with 100/300 it sometimes did).
        let slow = try randomGraph(entities: 400, relations: 1600, seed: 7)
        let pool = try Self.privatePool()
        var options = Self.renderer(pool).options
        options.engine = "dot"
        options.timeout = .seconds(600)  // a deadline lets dot past the layered-layout budget
        let renderer = Renderer(options: options)
        // The task notes when the render returned: awaiting its result can take longer when the test
        // runner's threads are busy with other suites, which is not the renderer's doing.
        let task = Task { () -> (Result<Data, GraphvizError>, Date) in
            let result = Result { () throws(GraphvizError) in try renderer.render(slow, format: "svg") }
            return (result, Date())
        }
        // Cancel once the worker is laying out.
        let waitStarted = Date()
        while pool.busyWorkerCount == 0, Date().timeIntervalSince(waitStarted) < 30 {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = Date()
        task.cancel()
        let (result, returned) = await task.value
        let delay = returned.timeIntervalSince(cancelled)
        #expect(delay < 1.0, "stopped \(delay) s after cancellation")
        switch result {
        case .success: Issue.record("the layout finished")
        case .failure(let error): #expect(error.code == .cancelled, "\(error)")
        }
        #expect(pool.busyWorkerCount == 0)
    }

    @Test("concurrent renders through a pool of two give identical bytes, one worker per render at a time")
    func concurrentRenders() async throws {
        let graph = try tinyGraph()
        let pool = try Self.privatePool(size: 2)
        let expected = try Self.renderer(pool).render(graph, format: "svg")
        let results = try await withThrowingTaskGroup(of: Data.self) { group in
            for _ in 0..<16 { group.addTask { try Self.renderer(pool).render(graph, format: "svg") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == expected })
        #expect(pool.idleWorkerIDs.count <= 2)
        pool.shutDown()
        #expect(pool.idleWorkerIDs.isEmpty)
    }

    @Test("display devices and vrml (which writes a PNG per node into the current folder) are refused")
    func displayDevicesRefused() throws {
        let formats = try Renderer.capabilities().formats
        for device in ["x11", "xlib", "gtk", "vrml"] {
            #expect(!formats.contains(device))
            let graph = try tinyGraph()
            do throws(GraphvizError) {
                _ = try Renderer().render(graph, format: device)
                Issue.record("\(device) rendered")
            } catch {
                #expect(error.code == .unknownFormat, "\(error)")
            }
        }
    }

    @Test("the protocol round-trips a plan exactly")
    func planRoundTrip() throws {
        let graph = try matrixGraph(seed: 11)
        let plan = try RenderPlan(
            graph: graph, options: RenderOptions(clustering: .attribute("country")), engine: "dot")
        var writer = WireWriter(kind: Wire.Request.render.rawValue)
        writer.plan(plan)
        var reader = try WireReader(writer.bytes)
        var decoded = try reader.plan()
        decoded.warnings = plan.warnings
        #expect(decoded == plan)
        #expect(reader.isAtEnd)
        // Truncated payloads are errors, never crashes or huge allocations.
        for cut in stride(from: 1, to: writer.bytes.count, by: max(1, writer.bytes.count / 97)) {
            var truncated = try WireReader(Array(writer.bytes.prefix(cut)))
            #expect(throws: WireError.self) { _ = try truncated.plan() }
        }
    }
}

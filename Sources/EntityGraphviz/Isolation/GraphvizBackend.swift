import Foundation

/// Where one render's Graphviz work runs: in a worker of a ``LayoutWorkerPool``, or in this process
/// under ``Graphviz``'s lock. Both take the same ``RenderPlan`` and give the same bytes.
enum GraphvizBackend {
    case inProcess
    case workers(LayoutWorkerPool, timeout: Double?)

    /// The backend `options` ask for (``RenderOptions/Isolation``), with their deadline.
    init(_ options: RenderOptions) {
        let timeout = options.timeout.map(\.seconds)
        switch options.isolation {
        case .automatic: self = LayoutWorkerPool.standard.map { .workers($0, timeout: timeout) } ?? .inProcess
        case .inProcess: self = .inProcess
        case .workers(let pool): self = .workers(pool, timeout: timeout)
        }
    }

    /// True when a deadline will stop a runaway layout.
    var enforcesDeadline: Bool {
        if case .workers(_, let timeout?) = self, timeout > 0 { return true }
        return false
    }

    /// Lays out `plan` and renders each of `formats` (see ``LayoutRun/render(_:engine:formats:session:progress:)``).
    func render(_ plan: consuming RenderPlan, engine: String, formats: [String]) throws(GraphvizError) -> [String: Data]
    {
        switch self {
        case .inProcess:
            try GraphvizBackend.checkCancellation(engine: engine, format: formats.first)
            var pending: RenderPlan? = consume plan
            return try Graphviz.withLock { session throws(GraphvizError) in
                try LayoutRun.render(pending.take()!, engine: engine, formats: formats, session: &session)
            }
        case .workers(let pool, let timeout):
            var writer = WireWriter(kind: Wire.Request.render.rawValue)
            writer.string(engine)
            writer.strings(formats)
            writer.plan(plan)
            _ = consume plan
            var reader = try pool.exchange(writer.bytes, timeout: timeout, engine: engine, format: formats.first)
            return try GraphvizBackend.decoding(engine: engine) { () throws(WireError) in
                let count = try reader.count(minimumSize: 16)
                var results: [String: Data] = [:]
                for _ in 0..<count {
                    let format = try reader.string()
                    results[format] = try reader.data()
                }
                return results
            }
        }
    }

    /// The plan as DOT text without layout (``LayoutRun/dotSource(_:engine:session:)``).
    func dotSource(_ plan: RenderPlan, engine: String) throws(GraphvizError) -> Data {
        switch self {
        case .inProcess:
            return try Graphviz.withLock { session throws(GraphvizError) in
                try LayoutRun.dotSource(plan, engine: engine, session: &session)
            }
        case .workers(let pool, let timeout):
            var writer = WireWriter(kind: Wire.Request.dotSource.rawValue)
            writer.string(engine)
            writer.plan(plan)
            var reader = try pool.exchange(writer.bytes, timeout: timeout, engine: engine, format: "dot")
            return try GraphvizBackend.decoding(engine: engine) { () throws(WireError) in try reader.data() }
        }
    }

    /// Test-only: asks a worker of `pool` to misbehave (`abort`, `exit`, `segfault`, `hang`, `garbage`).
    static func injectFault(_ fault: String, into pool: LayoutWorkerPool, timeout: Double?) throws(GraphvizError) {
        var writer = WireWriter(kind: Wire.Request.fault.rawValue)
        writer.string(fault)
        _ = try pool.exchange(writer.bytes, timeout: timeout, engine: nil, format: nil)
    }

    private static func decoding<T>(engine: String, _ body: () throws(WireError) -> T) throws(GraphvizError) -> T {
        do {
            return try body()
        } catch {
            throw GraphvizError(
                code: .workerFailed, stage: .render, engine: engine,
                message: "the layout worker's response was malformed (\(error.message))")
        }
    }

    private static func checkCancellation(engine: String, format: String?) throws(GraphvizError) {
        if Task.isCancelledInSyncContext {
            throw GraphvizError(
                code: .cancelled, stage: .build, engine: engine, format: format,
                message: "the render was cancelled before Graphviz started")
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

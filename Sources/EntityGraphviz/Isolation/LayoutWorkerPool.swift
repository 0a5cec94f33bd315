import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pool of layout worker processes: Graphviz runs in them, so that when it aborts, crashes, calls
/// `exit` or never finishes, the render fails with a ``GraphvizError`` and the host process goes on.
///
/// Each worker is a separate process with its own Graphviz context, started on demand with
/// `posix_spawn` and kept for later renders; up to ``size`` run at once, so renders on several threads
/// lay out in parallel (in process they take turns on one lock). A worker that dies or overruns its
/// deadline is killed, reaped and replaced by the next render. The worker renders into memory; the
/// renderer writes files itself, atomically, so Graphviz never writes to disk.
///
/// Renderers use a pool through ``RenderOptions/isolation``. The one the default
/// (``RenderOptions/Isolation/automatic``) uses is ``standard``: the `entitygraph-worker` executable
/// beside the running program. An app gets that executable by naming the product in its target's
/// dependencies — one line:
///
/// ```swift
/// .product(name: "entitygraph-worker", package: "EntityGraph"),
/// ```
///
/// The `entitygraph` command is its own worker (it starts itself with a hidden argument), so it is
/// always isolated.
///
/// A pool is `Sendable`; its state is guarded by one condition lock.
public final class LayoutWorkerPool: @unchecked Sendable, Hashable, CustomStringConvertible {
    // `@unchecked Sendable`: `idle`, `live` and the workers in `idle` are touched only while holding
    // `condition`; a checked-out worker belongs to the one caller that took it.

    /// The worker executable.
    public let executable: URL
    /// Arguments that make `executable` serve as a worker (none for `entitygraph-worker`).
    public let arguments: [String]
    /// The most workers running at once.
    public let size: Int
    /// How long a new worker may take to report that it is ready, in seconds.
    static let startupTimeout = 30.0

    private let condition = NSCondition()
    private var idle: [WorkerProcess] = []
    private var live = 0

    /// The name of the worker executable product.
    public static let workerExecutableName = "entitygraph-worker"

    /// Creates a pool running `executable` with `arguments`, up to `size` at once (at least 1; by
    /// default the number of active processor cores). No process starts until the first render.
    public init(executable: URL, arguments: [String] = [], size: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.executable = executable
        self.arguments = arguments
        self.size = max(1, size)
    }

    deinit { shutDown() }

    /// The pool behind ``RenderOptions/Isolation/automatic``, or `nil` when no worker executable can
    /// be found (renders then run in process). Looked up once: the path in the `ENTITYGRAPH_WORKER`
    /// environment variable (`off` forces in-process rendering), else `entitygraph-worker` in the
    /// folder of the running executable (where SwiftPM puts every product of a build).
    public static var standard: LayoutWorkerPool? { standardPool.pool }

    private static let standardPool = StandardPool()

    private final class StandardPool: Sendable {
        let pool: LayoutWorkerPool?
        init() {
            let environment = ProcessInfo.processInfo.environment["ENTITYGRAPH_WORKER"]
            if let environment, !environment.isEmpty {
                pool = environment == "off" ? nil : LayoutWorkerPool(executable: URL(fileURLWithPath: environment))
                return
            }
            guard let folder = LayoutWorkerPool.runningExecutable?.deletingLastPathComponent() else {
                pool = nil
                return
            }
            let candidate = folder.appendingPathComponent(LayoutWorkerPool.workerExecutableName)
            pool = access(candidate.path, X_OK) == 0 ? LayoutWorkerPool(executable: candidate) : nil
        }
    }

    /// The running program's executable file.
    public static var runningExecutable: URL? {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        #endif
        return Bundle.main.executableURL
    }

    /// Ends every idle worker now (running ones end when their render returns). Later renders start new
    /// workers as needed.
    public func shutDown() {
        condition.lock()
        let stopping = idle
        idle.removeAll()
        live -= stopping.count
        condition.broadcast()
        condition.unlock()
        for worker in stopping { worker.terminate() }
    }

    /// Process ids of the idle workers: for tests that check how workers are replaced.
    package var idleWorkerIDs: [pid_t] {
        condition.lock()
        defer { condition.unlock() }
        return idle.map(\.pid)
    }

    /// How many workers are rendering right now (started and checked out).
    package var busyWorkerCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return live - idle.count
    }

    /// A human-readable summary, e.g. `LayoutWorkerPool(/usr/bin/entitygraph-worker, size 2)`.
    public var description: String { "LayoutWorkerPool(\(executable.path), size \(size))" }

    /// Pools are equal when they are the same pool (identity): two pools never share workers.
    public static func == (left: LayoutWorkerPool, right: LayoutWorkerPool) -> Bool { left === right }
    /// Hashes the pool's identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    // MARK: - Requests

    /// Sends `payload` to a worker and returns its success payload (as a reader past the kind byte).
    /// A failure payload is rethrown as the worker's ``GraphvizError``; a lost worker becomes one saying
    /// how it was lost, at the stage it had reached, with `engine` and `format`.
    func exchange(
        _ payload: [UInt8], timeout: Double?, engine: String?, format: String?
    ) throws(GraphvizError) -> WireReader {
        if Task.isCancelledInSyncContext {
            throw GraphvizError(
                code: .cancelled, stage: .build, engine: engine, format: format,
                message: "the render was cancelled before Graphviz started")
        }
        let worker = try checkOut(engine: engine, format: format)
        var healthy = false
        defer { checkIn(worker, healthy: healthy) }
        let deadline = Deadline(seconds: timeout)
        worker.begin(format: format)
        func located(_ error: GraphvizError) -> GraphvizError {
            var error = error
            error.engine = engine
            return error
        }
        if let error = worker.send(payload, deadline: deadline) { throw located(error) }
        let outcome = worker.receive(deadline: deadline, cancellable: true)
        switch outcome {
        case .lost(let error):
            throw located(error)
        case .response(let response):
            worker.clearErrors()
            let result: Result<WireReader, GraphvizError>
            do throws(WireError) {
                var reader = try WireReader(response)
                switch reader.kind {
                case Wire.Response.success.rawValue: result = .success(reader)
                case Wire.Response.failure.rawValue: result = .failure(try reader.error())
                default: throw WireError(message: "an unexpected response kind \(reader.kind)")
                }
            } catch {
                worker.terminate()
                throw located(
                    GraphvizError(
                        code: .workerFailed, stage: worker.stage, format: worker.format,
                        message: "the layout worker broke the protocol (\(error.message)); it was stopped"))
            }
            // A Graphviz error the worker reported leaves it fit for the next render.
            healthy = true
            return try result.get()
        }
    }

    /// An idle worker, a new one when fewer than ``size`` run, or the next one returned. Waiting checks
    /// for task cancellation every 100 ms.
    private func checkOut(engine: String?, format: String?) throws(GraphvizError) -> WorkerProcess {
        condition.lock()
        while true {
            while let worker = idle.popLast() {
                if worker.isRunning {
                    condition.unlock()
                    return worker
                }
                live -= 1
                worker.terminate()
            }
            if live < size {
                live += 1
                condition.unlock()
                do {
                    return try WorkerProcess.spawn(
                        executable: executable.path, arguments: arguments,
                        startupTimeout: LayoutWorkerPool.startupTimeout)
                } catch {
                    condition.lock()
                    live -= 1
                    condition.signal()
                    condition.unlock()
                    var error = error
                    error.engine = engine
                    error.format = format
                    throw error
                }
            }
            if Task.isCancelledInSyncContext {
                condition.unlock()
                throw GraphvizError(
                    code: .cancelled, stage: .build, engine: engine, format: format,
                    message: "the render was cancelled while waiting for a layout worker")
            }
            _ = condition.wait(until: Date().addingTimeInterval(0.1))
        }
    }

    private func checkIn(_ worker: WorkerProcess, healthy: Bool) {
        if !healthy { worker.terminate() }
        condition.lock()
        if healthy, worker.isUsable {
            idle.append(worker)
        } else {
            live -= 1
        }
        condition.signal()
        condition.unlock()
    }
}
